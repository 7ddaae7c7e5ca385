// A small dictionary with one field of every type, shared by the engine's tests.
import { createDictionary, createRegionTree, type Dictionary, type EnumDef, type FieldDef } from '../src/index.ts';

const en = (name: string, codes: string[]): EnumDef => ({
  name,
  label: { zh: name, en: name },
  values: codes.map((c) => ({ code: c, zh: `${name}-${c}`, en: c })),
});

export const TEST_ENUMS: EnumDef[] = [
  { name: 'size_class', label: { zh: '企业规模', en: 'Size' }, values: [
    { code: 'large', zh: '大型', en: 'Large' }, { code: 'medium', zh: '中型', en: 'Medium' },
    { code: 'small', zh: '小型', en: 'Small' }, { code: 'micro', zh: '微型', en: 'Micro' } ] },
  { name: 'qualification', label: { zh: '企业资质', en: 'Qualification' }, values: [
    { code: 'zjtx', zh: '专精特新中小企业', en: 'Specialised SME' }, { code: 'xjr', zh: '小巨人', en: 'Little giant' },
    { code: 'gxjs', zh: '高新技术企业', en: 'High-tech' }, { code: 'kjxzx', zh: '科技型中小企业', en: 'Tech SME' } ] },
  en('credit_status', ['good', 'normal', 'dishonest', 'serious']),
  en('sex', ['m', 'f']),
  en('industry_division', ['13', '26', '34', '36', '39', '65']),
];

const fd = (key: string, type: FieldDef['type'], zh: string, kinds: FieldDef['kinds'], extra: Partial<FieldDef> = {}): FieldDef => ({
  key, type, label: { zh, en: key }, source: 'test', kinds, ...extra,
});

export const TEST_FIELDS: FieldDef[] = [
  fd('region', 'region', '注册地', ['enterprise', 'person']),
  fd('employees', 'int', '从业人员', ['enterprise'], { unit: { zh: '人', en: 'persons' } }),
  fd('revenue', 'dec', '营业收入', ['enterprise'], { unit: { zh: '万元', en: '10k yuan' } }),
  fd('rd_expense', 'dec', '研发费用', ['enterprise'], { unit: { zh: '万元', en: '10k yuan' } }),
  fd('layoff_rate', 'dec', '裁员率', ['enterprise']),
  fd('ui_paid_months', 'int', '上年度失业保险缴费月数', ['enterprise'], { unit: { zh: '个月', en: 'months' } }),
  fd('registered_on', 'date', '成立日期', ['enterprise'], { mutable: false }),
  fd('size_class', 'enum', '企业规模', ['enterprise'], { enum: 'size_class' }),
  fd('industry_division', 'enum', '行业大类', ['enterprise'], { enum: 'industry_division' }),
  fd('credit_status', 'enum', '信用状况', ['enterprise', 'person'], { enum: 'credit_status' }),
  fd('qualifications', 'set', '企业资质', ['enterprise'], { enum: 'qualification' }),
  fd('ui_insured_local', 'bool', '在本市参加失业保险', ['enterprise']),
  fd('name', 'text', '名称', ['enterprise', 'person']),
  fd('birth_date', 'date', '出生日期', ['person'], { mutable: false }),
  fd('sex', 'enum', '性别', ['person'], { enum: 'sex', mutable: false }),
  fd('income_pc', 'dec', '家庭月人均收入', ['person'], { unit: { zh: '元/月', en: 'yuan/month' } }),
  fd('disability_grade', 'int', '残疾等级', ['person'], { unit: { zh: '级', en: '' } }),
  fd('dibao', 'bool', '低保对象', ['person']),
];

export const TEST_REGIONS = createRegionTree({
  names: { '370000': '山东省', '371500': '聊城市', '371502': '东昌府区', '371522': '莘县', '371526': '高唐县',
    '371502008': '北城街道', '371502001': '古楼街道', '371523': '茌平县', '370100': '济南市', '370102': '历下区' },
  zones: [{ code: 'LC-JKQ', name: '聊城经济技术开发区', members: ['371502008', '371502009', '371502010', '371502116'] }],
});

export const TEST_DICT: Dictionary = createDictionary({
  fields: TEST_FIELDS,
  enums: TEST_ENUMS,
  sources: [{ id: 'test', label: { zh: '测试', en: 'Test' } }],
  regions: TEST_REGIONS,
});
