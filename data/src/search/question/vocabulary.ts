// What words in a question say about the asker: places, industries, sizes, family, health,
// household. Each entry names dictionary fields and values; the parser (parse.ts) finds
// the longest entry at each position. Pure data: it runs in the browser too.
//
// A value that is a list on an enum field means "one of these" (小微 → small or micro);
// the matcher tries each. On a set field a list is members the set holds at least
// (专精特新 → zjtx, and perhaps other qualifications).
import { REGIONS } from '../../codes/regions.ts';
import { CLASSES, DIVISIONS } from '../../codes/industries.ts';
import { REGION_ALIASES } from '../lexicon.ts';

export type Audience = 'enterprise' | 'person';

export interface Effect {
  field: string;
  value: unknown;
  /** Shown on the chip; defaults to the dictionary's label of the value. */
  label?: string;
}

export interface Entry {
  effects: Effect[];
  /** Which kind of asker the word points to, and how strongly (2: says so, 1: hints). */
  audience?: [Audience, 1 | 2];
  /** The word names who is asked about (我父亲 → father); not a topic to search for. */
  relation?: string;
  /** The word says nothing to search for (places, sizes, family words); removed from keywords. */
  silent?: boolean;
  /** Search for this instead of the words typed (一个人住 → 独居). */
  keyword?: string;
  /**
   * The word hires or serves people (招了, 招用): person words after it in the same clause
   * are whom the enterprise hires, so they neither vote nor describe the asker.
   */
  object?: boolean;
}

const ALL_DISABILITIES = ['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'];

const E = (audience?: [Audience, 1 | 2], ...effects: Effect[]): Entry => ({ effects, ...(audience ? { audience } : {}) });
const ENT2: [Audience, 2] = ['enterprise', 2];
const ENT1: [Audience, 1] = ['enterprise', 1];
const PER2: [Audience, 2] = ['person', 2];
const PER1: [Audience, 1] = ['person', 1];

function industry(division: string | undefined, chain?: string, section?: string): Entry {
  const effects: Effect[] = [];
  if (section) effects.push({ field: 'industry_section', value: section });
  if (division) effects.push({ field: 'industry_division', value: division });
  if (chain) effects.push({ field: 'key_chain', value: chain });
  return { effects, audience: ENT1 };
}

/** Words people use for their trade → GB/T 4754 division and 聊城 key chain (domain.md §3). */
const INDUSTRY_WORDS: [string[], Entry][] = [
  [['轴承', '滚动轴承', '轴承厂'], industry('34', 'bearing', 'C')],
  [['铝', '铝材', '铝业', '铝加工', '铝精深加工', '电解铝'], industry('32', 'aluminium', 'C')],
  [['铜', '铜材', '铜加工'], industry('32', 'copper', 'C')],
  [['钢管', '无缝钢管'], industry(undefined, 'steel_pipe', 'C')],
  [['汽车零部件', '汽配', '汽车配件'], industry('36', 'auto_parts', 'C')],
  [['新能源汽车', '电动车'], industry('36', 'new_energy_vehicle', 'C')],
  [['化工', '化工厂', '化工新材料'], industry('26', 'chemical', 'C')],
  [['医药', '生物医药', '制药', '药厂', '阿胶', '中药', '中医药'], industry('27', 'biomedicine', 'C')],
  [['纺织', '纺纱', '织布'], industry('17', 'textile', 'C')],
  [['服装', '服饰', '制衣'], industry('18', 'textile', 'C')],
  [['食品', '食品加工'], industry('14', 'food', 'C')],
  [['新材料'], industry(undefined, 'new_materials', 'C')],
  [['软件', '软件开发', '信息技术', 'it'], industry('65', undefined, 'I')],
  [['互联网', '电商', '网店'], industry('64', undefined, 'I')],
  [['餐饮', '饭店', '餐馆', '饭馆', '小吃店', '餐厅'], industry('62', undefined, 'H')],
  [['住宿', '酒店', '宾馆', '民宿', '旅馆'], industry('61', undefined, 'H')],
  [['零售', '超市', '便利店', '小卖部'], industry('52', undefined, 'F')],
  [['批发', '批发部'], industry('51', undefined, 'F')],
  [['家具', '家具厂'], industry('21', undefined, 'C')],
  [['造纸', '纸业'], industry('22', undefined, 'C')],
  [['印刷', '印刷厂'], industry('23', undefined, 'C')],
  [['塑料', '橡胶'], industry('29', undefined, 'C')],
  [['钢铁', '炼钢'], industry('31', undefined, 'C')],
  [['机械加工', '机械制造', '机械厂', '装备制造'], industry(undefined, undefined, 'C')],
  [['制造业', '工厂', '厂子', '加工厂'], industry(undefined, undefined, 'C')],
  [['建筑', '建筑公司', '施工'], industry(undefined, undefined, 'E')],
  [['物流', '运输', '货运'], industry('54', undefined, 'G')],
  [['仓储'], industry('59', undefined, 'G')],
  [['养殖', '养猪', '养牛', '养鸡', '养羊'], industry('03', undefined, 'A')],
  [['商贸', '外贸', '贸易'], industry(undefined, undefined, 'F')],
];

/** Everything but places and industries, which are built from the code tables below. */
const WORDS: [string[], Entry][] = [
  // Who is asking
  [['企业', '公司', '我司', '本公司', '单位', '有限公司', '集团'], { effects: [], audience: ENT2, silent: true }],
  [['个体户', '个体工商户', '商户', '门店', '店铺', '开店的'], E(ENT2, { field: 'legal_form', value: 'individual', label: '个体工商户' })],
  [['合作社'], E(ENT2, { field: 'legal_form', value: 'cooperative', label: '农民专业合作社' })],
  [['我父亲', '父亲', '我爸', '我爸爸', '爸爸', '老父亲', '我爷爷', '爷爷', '外公', '姥爷'], { effects: [{ field: 'sex', value: 'm' }], audience: PER2, relation: 'father', silent: true }],
  [['我母亲', '母亲', '我妈', '我妈妈', '妈妈', '老母亲', '我奶奶', '奶奶', '外婆', '姥姥'], { effects: [{ field: 'sex', value: 'f' }], audience: PER2, relation: 'mother', silent: true }],
  [['老伴', '我老伴'], { effects: [], audience: PER2, relation: 'spouse', silent: true }],
  [['我儿子', '儿子'], { effects: [{ field: 'sex', value: 'm' }], audience: PER2, relation: 'child', silent: true }],
  [['我女儿', '女儿'], { effects: [{ field: 'sex', value: 'f' }], audience: PER2, relation: 'child', silent: true }],
  [['孩子', '我孩子', '小孩', '娃'], { effects: [], audience: PER2, relation: 'child', silent: true }],
  [['老人', '老年人', '农民', '村民'], E(PER1)],
  // Buying is what residents do (以旧换新); an enterprise that buys says 企业 as well.
  [['买', '想买', '购买', '买了', '换了'], { effects: [], audience: PER2, silent: true }],
  [['招了', '招用', '招聘', '招收', '雇了', '吸纳', '新招'], { effects: [], audience: ENT2, object: true }],
  [['居民', '个人', '我家', '家里', '家庭', '家在'], { effects: [], audience: PER1, silent: true }],
  // Size (统计上大中小微型企业划分办法); 小型微利 is a tax notion, not a size, and stops 小型 here.
  [['小微', '小微企业', '小型微型', '小型微型企业', '小企业'], { effects: [{ field: 'size_class', value: ['small', 'micro'], label: '小型或微型' }], audience: ENT1 }],
  [['小型', '小型企业'], { effects: [{ field: 'size_class', value: 'small' }], audience: ENT1 }],
  [['微型', '微型企业'], { effects: [{ field: 'size_class', value: 'micro' }], audience: ENT1 }],
  [['中小', '中小企业', '中小微', '中小微企业'], { effects: [{ field: 'size_class', value: ['medium', 'small', 'micro'], label: '中型、小型或微型' }], audience: ENT1 }],
  [['中型', '中型企业'], { effects: [{ field: 'size_class', value: 'medium' }], audience: ENT1 }],
  [['大型', '大型企业', '大企业'], { effects: [{ field: 'size_class', value: 'large' }], audience: ENT1 }],
  [['小型微利', '小型微利企业', '小巨人企业', '中小学'], E()],
  // Enterprise qualifications
  [['专精特新'], E(ENT1, { field: 'qualifications', value: ['zjtx'] })],
  [['小巨人', '专精特新小巨人'], E(ENT1, { field: 'qualifications', value: ['xjr'] })],
  [['高新技术企业', '高企'], E(ENT1, { field: 'qualifications', value: ['gxjs'] })],
  [['科技型中小企业', '科技型企业'], E(ENT1, { field: 'qualifications', value: ['kjxzx'] })],
  [['创新型中小企业'], E(ENT1, { field: 'qualifications', value: ['cxx'] })],
  [['守信', '信用好'], E(ENT1, { field: 'credit_status', value: 'good' })],
  [['外资企业', '外商投资企业', '外企'], E(ENT1, { field: 'foreign_invested', value: true })],
  // Disability (残疾类别 and 等级)
  [['残疾', '残疾人', '残障', '持证残疾人', '残疾证', '有残疾'], E(PER2, { field: 'disability_category', value: ALL_DISABILITIES, label: '有残疾' })],
  [['残疾儿童'], { effects: [{ field: 'disability_category', value: ALL_DISABILITIES, label: '有残疾' }], audience: PER2, relation: 'child' }],
  [['视力残疾', '盲人', '失明'], E(PER2, { field: 'disability_category', value: 'visual' })],
  [['听力残疾', '聋人', '耳聋'], E(PER2, { field: 'disability_category', value: 'hearing' })],
  [['言语残疾'], E(PER2, { field: 'disability_category', value: 'speech' })],
  [['肢体残疾', '截肢'], E(PER2, { field: 'disability_category', value: 'physical' })],
  [['智力残疾', '智障'], E(PER2, { field: 'disability_category', value: 'intellectual' })],
  [['精神残疾', '孤独症', '自闭症'], E(PER2, { field: 'disability_category', value: 'mental' })],
  [['多重残疾'], E(PER2, { field: 'disability_category', value: 'multiple' })],
  [['一级残疾', '残疾一级'], E(PER2, { field: 'disability_grade', value: 1, label: '一级' })],
  [['二级残疾', '残疾二级'], E(PER2, { field: 'disability_grade', value: 2, label: '二级' })],
  [['三级残疾', '残疾三级'], E(PER2, { field: 'disability_grade', value: 3, label: '三级' })],
  [['四级残疾', '残疾四级'], E(PER2, { field: 'disability_grade', value: 4, label: '四级' })],
  [['重度残疾', '重残'], E(PER2, { field: 'disability_category', value: ALL_DISABILITIES, label: '有残疾' }, { field: 'disability_grade', value: [1, 2], label: '一级或二级' })],
  // Care and household
  [['失能', '失能老人'], E(PER2, { field: 'self_care', value: ['partial', 'dependent'], label: '部分或完全失能' })],
  [['半失能', '部分失能'], E(PER2, { field: 'self_care', value: 'partial' })],
  [['完全失能', '全失能', '卧床', '瘫痪', '不能自理', '生活不能自理'], { ...E(PER2, { field: 'self_care', value: 'dependent' }), keyword: '失能' }],
  [['能自理', '生活能自理'], E(PER2, { field: 'self_care', value: 'full' })],
  [['低保', '低保户', '吃低保', '低保对象', '最低生活保障'], { ...E(PER2, { field: 'dibao', value: true }), keyword: '低保' }],
  [['低保边缘', '低边', '低收入'], E(PER2, { field: 'low_income', value: true })],
  [['特困', '五保', '五保户', '特困人员', '特困供养'], E(PER2, { field: 'tekun', value: true })],
  [['独居', '一个人住', '独自居住', '空巢', '自己一个人'], { ...E(PER2, { field: 'lives_alone', value: true }), keyword: '独居' }],
  [['农村户口', '农业户口'], { effects: [{ field: 'hukou_type', value: 'rural' }], audience: PER2, silent: true }],
  [['农村'], E(PER1, { field: 'hukou_type', value: 'rural' })],
  [['城镇户口', '城市户口', '非农户口'], { effects: [{ field: 'hukou_type', value: 'urban' }], audience: PER2, silent: true }],
  [['退役军人', '退伍军人', '退伍', '退役士兵', '当过兵'], E(PER2, { field: 'veteran', value: true })],
  [['独生子女', '计划生育', '两女户'], E(PER2, { field: 'family_planning_family', value: true })],
  [['无房', '没有房', '没房'], E(PER2, { field: 'owns_home_local', value: false })],
  // Work and school
  [['失业', '下岗', '没工作', '待业'], E(PER2, { field: 'employment_status', value: ['unemployed_registered', 'ui_benefit'], label: '失业' })],
  [['灵活就业', '打零工', '打零工的'], E(PER2, { field: 'employment_status', value: 'flexible' })],
  [['退休'], E(PER2, { field: 'employment_status', value: 'retired' })],
  [['种地', '务农', '种粮'], E(PER2, { field: 'employment_status', value: 'farmer' })],
  [['高校毕业生', '大学毕业生', '大学生', '毕业生'], E(PER2, { field: 'education', value: ['college', 'bachelor', 'master', 'doctor'], label: '大专及以上' })],
  [['本科', '本科生'], E(PER2, { field: 'education', value: 'bachelor' })],
  [['硕士', '研究生', '硕士研究生'], E(PER2, { field: 'education', value: 'master' })],
  [['博士', '博士生'], E(PER2, { field: 'education', value: 'doctor' })],
  [['大专'], E(PER2, { field: 'education', value: 'college' })],
  [['幼儿园', '学前'], E(PER2, { field: 'school_stage', value: 'preschool' })],
  [['小学', '上小学'], E(PER2, { field: 'school_stage', value: 'primary' })],
  [['初中', '上初中'], E(PER2, { field: 'school_stage', value: 'junior' })],
  [['高中', '上高中', '普通高中'], E(PER2, { field: 'school_stage', value: 'senior' })],
  [['中职', '职高', '技校', '中专'], E(PER2, { field: 'school_stage', value: 'vocational' })],
  [['应届', '应届生', '今年毕业'], E(PER2, { field: 'graduation_year', value: 'this_year', label: '今年毕业' })],
];

function add(out: Map<string, Entry>, words: string[], e: Entry): void {
  for (const w of words) if (!out.has(w)) out.set(w, e);
}

function regionEntry(code: string, name: string): Entry {
  return { effects: [{ field: 'region', value: code, label: name }], silent: true };
}

let cached: Map<string, Entry> | undefined;

/** Every word the parser knows, with what it says. */
export function questionVocabulary(): Map<string, Entry> {
  if (cached) return cached;
  const out = new Map<string, Entry>();
  for (const [ws, e] of WORDS) add(out, ws, e);
  for (const [ws, e] of INDUSTRY_WORDS) add(out, ws, e);
  // Full division and class names from the code table (餐饮业, 滚动轴承制造 …).
  for (const d of DIVISIONS) if (!d.zh.includes('、')) add(out, [d.zh], industry(d.code, undefined, d.section));
  for (const c of CLASSES) add(out, [c.zh], industry(c.division, undefined, c.section));
  for (const r of REGIONS) if (r.level !== 'province' && !r.historical) add(out, [r.name], regionEntry(r.code, r.name));
  for (const [alias, code] of REGION_ALIASES) add(out, [alias], regionEntry(code, REGIONS.find((r) => r.code === code)?.name ?? alias));
  // Towns by full name only: 古楼 or 沙镇 alone are too short and ambiguous.
  cached = out;
  return out;
}

export const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 85, 八十五, 一百零二 → number; undefined if not a number. */
export function parseNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(s)) return undefined;
  let total = 0;
  let cur = 0;
  for (const ch of s) {
    if (ch === '百') {
      total += (cur || 1) * 100;
      cur = 0;
    } else if (ch === '十') {
      total += (cur || 1) * 10;
      cur = 0;
    } else cur = DIGITS[ch];
  }
  return total + cur;
}
