// The search vocabulary of the policy domain: words the segmenter must keep whole, groups
// of words citizens and officials use for the same thing, and words that carry no meaning
// in a query. Pure data (no jieba here), so that the browser can share it with the question
// parser. Region, department and industry names are added from data/src/codes by
// domainWords(), so a new county or bureau needs no edit here.
import { DEPARTMENTS } from '../codes/departments.ts';
import { CLASSES, DIVISIONS } from '../codes/industries.ts';
import { REGIONS } from '../codes/regions.ts';
import { SMALL_ENUMS } from '../dictionary/enums.ts';

/** Policy words the general-purpose jieba dictionary splits (稳岗返还 → 稳/岗/返还). */
export const POLICY_WORDS: readonly string[] = `
稳岗 稳岗返还 扩岗 扩岗补助 专精特新 小巨人 专精特新小巨人 创业担保贷款 担保贷款 高龄津贴 长寿补贴 百岁老人
以旧换新 免申即享 免申 失业保险 技能提升 技能提升补贴 职业技能 残疾人 残疾儿童 持证残疾人 重度残疾人 残障
低保 低保户 低保对象 低保边缘 低边 特困 特困人员 特困供养 五保 耕地地力 耕地地力保护补贴 地力补贴 农机购置 农机购置补贴 农机
小微 小微企业 中小微企业 中小企业 小型微型 小型微利 小型微利企业 个体工商户 个体户 个转企 小升规 入规 纳统 规上 规上企业
限上 限上企业 限额以上 高新技术企业 高企 科技型中小企业 创新型中小企业 优质中小企业 首台套 首台 链主 链主企业 产业链 重点产业链
智改数转 数字化转型 数字化改造 产业大脑 技术改造 技改 研发投入 研发费用 后补助 信易贷 融资担保 担保费 担保费补贴 贴息
吸纳就业 就业补贴 高校毕业生 毕业生 登记失业 灵活就业 就业困难人员 公益性岗位 社保补贴 社会保险补贴 青年人才 青年兴聊
住房补贴 生活补贴 护理补贴 两项补贴 分类施保 临时救助 急难型 支出型 医疗救助 一站式结算 参保资助 城乡居民医保 医保
居家养老 机构养老 养老服务 失能 失能老人 失能老年人 半失能 部分失能 完全失能 独居 独居老人 空巢老人 老年人 高龄 照料护理 探访关爱
计划生育 奖励扶助 奖励扶助金 独生子女 学前教育 国家助学金 助学金 学生资助 中职 中等职业教育 普通高中 教育救助 住房救助 危房改造
公租房 租赁补贴 取暖救助 冬季取暖 智能水表 三库联动 慈善救助 慈善医疗救助 退役军人 退役士兵 退伍军人 自主就业 创业补贴
一次性创业补贴 求职创业补贴 家电 数码产品 报废更新 新能源汽车 乘用车 外资 外商投资 招商引资 六税两费 减半征收 所得税
个人所得税 企业所得税 税收优惠 小麦保险 政策性农业保险 阿胶 中医药 生物医药 轴承 精深加工 化工新材料 安全生产 康复救助
孤独症 自闭症 最低生活保障 兜底保障 照护 困难群众 困难家庭 经济困难 重度残疾 奖补 补助 补贴 津贴 配套奖励 产业集群
惠农 种粮 国补 消费 公益岗 智能化改造 设备投资 装备制造 保险补偿 一卡通
`.trim().split(/\s+/);

/** Short names people use for places: 东昌府 for 东昌府区, 开发区 for the economic zone. */
export const REGION_ALIASES: readonly [alias: string, code: string][] = [
  ['聊城', '371500'], ['东昌府', '371502'], ['茌平', '371503'], ['茌平县', '371503'], ['阳谷', '371521'], ['东阿', '371524'],
  ['高唐', '371526'], ['临清', '371581'],
  ['经开区', 'LC-JKQ'], ['开发区', 'LC-JKQ'], ['经济开发区', 'LC-JKQ'], ['经济技术开发区', 'LC-JKQ'],
  ['高新区', 'LC-GXQ'], ['高新技术产业开发区', 'LC-GXQ'],
  ['度假区', 'LC-DJQ'], ['旅游度假区', 'LC-DJQ'], ['江北水城', 'LC-DJQ'],
];

/**
 * Words that mean the same thing in a query. The first word of a group is the one policy
 * texts use most. Expansion is symmetric within a group; expanded words score less than the
 * word typed (search.ts), so 补助 still ranks items that say 补助 first.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['补贴', '补助', '奖补', '资金', '津贴'],
  ['奖励', '奖补', '奖金'],
  ['小微', '小型微型', '小微企业', '中小微企业'],
  ['专精特新', '小巨人', '专精特新小巨人'],
  ['残疾', '残障', '残疾人', '持证残疾人'],
  ['老人', '老年人', '高龄', '养老'],
  ['低保', '最低生活保障', '低保对象', '低保户'],
  ['低边', '低保边缘'],
  ['特困', '五保', '五保户', '特困供养', '特困人员'],
  ['贷款', '融资', '贴息', '信易贷'],
  ['技改', '技术改造'],
  ['智改数转', '数字化转型', '数字化改造', '产业大脑'],
  ['小升规', '入规', '纳统', '规上'],
  ['高企', '高新技术企业'],
  ['外资', '外商投资'],
  ['以旧换新', '国补', '换新'],
  ['看病', '医疗', '医疗救助'],
  ['上学', '学生资助', '助学金'],
  ['租房', '租赁补贴', '公租房', '房租'],
  ['退伍', '退役军人', '退役士兵', '退伍军人'],
  ['种地', '种粮', '耕地'],
  ['失能', '不能自理', '半失能'],
  ['独居', '独居老人', '空巢老人'],
  ['孤独症', '自闭症'],
  ['个体户', '个体工商户'],
  ['减税', '税收优惠', '减半征收'],
  ['免申', '免申即享'],
  ['毕业生', '高校毕业生', '大学生'],
  ['计划生育', '独生子女'],
  ['买车', '汽车', '乘用车'],
  ['取暖', '冬季取暖', '取暖救助'],
];

/** Groups (by their first word) whose words are near-equivalent: they score almost as the word typed. */
export const CLOSE_GROUPS: ReadonlySet<string> = new Set(['补贴', '残疾', '特困', '看病', '低保', '孤独症', '个体户', '退伍']);

/** One-way expansions: a broad word a citizen types → the words policies use (not back). */
export const QUERY_EXPANSIONS: readonly [word: string, expands: readonly string[]][] = [
  ['待遇', ['补贴', '津贴', '救助', '补助']],
  ['钱', ['补贴', '奖励', '补助']],
  ['优惠', ['减半征收', '税收优惠', '补贴']],
  ['老板', ['企业', '个体工商户', '创业']],
];

/** Query words that say nothing about which policy is meant. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `的 了 是 我 我们 你 您 他 她 它 有 什么 哪些 怎么 怎样 如何 可以 能 能够 吗 呢 啊 吧 呀 和 与 及 或 在 住 做 想 要 请问
  一家 一个 一下 这个 那个 哪个 有没有 能不能 可不可以 享受 政策 哪里 多少 给 对 把 被 就 都 也 还 又 这 那 个 家 从事 经营
  现在 今年 目前 已经 自己 本人 是否 没有 怎么办 办理 如何办理 情况 属于 相关 方面 问 请 帮 帮忙 查 查询 一 位`
    .trim()
    .split(/\s+/),
);

function divisionShort(zh: string): string[] {
  // 纺织业 → 纺织, 家具制造业 → 家具; names with 、 are lists, too long to type.
  if (zh.includes('、') || zh.includes('，')) return [];
  const s = zh.replace(/(制造业|加工业|服务业|业)$/, '');
  return s.length >= 2 && s !== zh ? [s] : [];
}

let cachedWords: string[] | undefined;

/** Every word the segmenter should know: policy words, places, bureaus, industries, code labels. */
export function domainWords(): string[] {
  if (cachedWords) return cachedWords;
  const out = new Set<string>(POLICY_WORDS);
  for (const r of REGIONS) out.add(r.name);
  for (const [alias] of REGION_ALIASES) out.add(alias);
  for (const d of DEPARTMENTS) {
    out.add(d.name);
    out.add(d.short);
  }
  for (const d of DIVISIONS) {
    out.add(d.zh);
    for (const s of divisionShort(d.zh)) out.add(s);
  }
  for (const c of CLASSES) out.add(c.zh);
  for (const e of SMALL_ENUMS) for (const v of e.values) if (v.zh.length >= 2 && !/[（(/“]/.test(v.zh)) out.add(v.zh);
  for (const g of SYNONYM_GROUPS) for (const w of g) out.add(w);
  for (const [w, ws] of QUERY_EXPANSIONS) for (const x of [w, ...ws]) out.add(x);
  cachedWords = [...out].filter((w) => w.length >= 2);
  return cachedWords;
}
