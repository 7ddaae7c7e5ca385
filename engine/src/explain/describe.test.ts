import { describe, expect, it } from 'vitest';
import { TEST_DICT } from '../../test/fixtures.ts';
import { parseExpr } from '../syntax/parser.ts';
import { resolveParams } from '../params/resolve.ts';
import { describeCondition, describeValue, fmtValue, groupDigits, negatedFact, quantityText, unitText, bandText } from './describe.ts';
import { timesTenThousand } from './units.ts';
import { dec } from '../values/decimal.ts';
import type { FieldDef } from '../dictionary/types.ts';

const params = resolveParams([{ name: 'cap', type: 'dec', versions: [{ from: '2024-01-01', value: { kind: 'num', value: '300' } }] }], 20000);
const env = { dict: TEST_DICT, params };
const zh = (t: string) => describeCondition(parseExpr(t), env, 'zh');
const en = (t: string) => describeCondition(parseExpr(t), env, 'en');

// rule ; plain Chinese ; plain English
const ROWS: [string, string, string][] = [
  ['employees <= $cap', '从业人员 ≤ 300 人', 'employees ≤ 300 persons'],
  ['size_class = "small"', '企业规模 为 小型', 'size_class is Small'],
  ['size_class != "large"', '企业规模 不为 大型', 'size_class is not Large'],
  ['registered_on before 2024-01-01', '成立日期 早于 2024-01-01', 'registered_on before 2024-01-01'],
  ['registered_on >= 2020-01-01', '成立日期 不早于 2020-01-01', 'registered_on on or after 2020-01-01'],
  ['ui_insured_local = true', '在本市参加失业保险', 'ui_insured_local'],
  ['ui_insured_local = false', '未在本市参加失业保险', 'not ui_insured_local'],
  ['not ui_insured_local', '未在本市参加失业保险', 'not ui_insured_local'],
  ['employees between 10 and 99', '从业人员 在 10 人 至 99 人 之间', 'employees between 10 persons and 99 persons'],
  ['credit_status in ["good", "normal"]', '信用状况属于［credit_status-good、credit_status-normal］', 'credit_status in [good, normal]'],
  ['size_class not in ["large"]', '企业规模不属于［大型］', 'size_class not in [Large]'],
  ['qualifications contains any ["zjtx", "xjr"]', '企业资质包含任一［专精特新中小企业、小巨人］', 'qualifications includes any of [Specialised SME, Little giant]'],
  ['qualifications contains all ["gxjs"]', '企业资质包含全部［高新技术企业］', 'qualifications includes all of [High-tech]'],
  ['qualifications contains none ["gxjs"]', '企业资质不包含［高新技术企业］', 'qualifications includes none of [High-tech]'],
  ['region within ["371500", "LC-JKQ"]', '注册地在聊城市、聊城经济技术开发区范围内', 'region within 聊城市, 聊城经济技术开发区'],
  ['region not within ["371522"]', '注册地不在莘县范围内', 'region outside 莘县'],
  ['employees is known', '从业人员已知', 'employees is known'],
  ['employees is missing', '从业人员未知', 'employees is missing'],
  ['age(birth_date) >= 60', '年龄 ≥ 60 周岁', 'age ≥ 60 years'],
  ['years_since(registered_on) >= 1', '成立年限 ≥ 1 年', 'years since registered_on ≥ 1 year'],
  ['rd_expense / revenue >= 3%', '研发费用 ÷ 营业收入 ≥ 3%', 'rd_expense ÷ revenue ≥ 3%'],
  ['not (employees > 5)', '并非（从业人员 > 5 人）', 'not (employees > 5 persons)'],
  ['employees > 1 and revenue > 2', '从业人员 > 1 人，且营业收入 > 2 万元', 'employees > 1 person, and revenue > 20,000 yuan'],
  ['employees > 1 or revenue > 2', '（从业人员 > 1 人，或营业收入 > 2 万元）', '(employees > 1 person, or revenue > 20,000 yuan)'],
  ['revenue >= 50', '营业收入 ≥ 50 万元', 'revenue ≥ 500,000 yuan'],
  ['at least 2 of (employees > 1, revenue > 2, ui_insured_local)', '以下 3 项中至少满足 2 项', 'at least 2 of these 3'],
];

describe('rules in plain words', () => {
  it.each(ROWS)('%s', (rule, wantZh, wantEn) => {
    expect(zh(rule)).toBe(wantZh);
    expect(en(rule)).toBe(wantEn);
  });

  it('describes formulas, including conditionals, tiers and lookups', () => {
    expect(describeValue(parseExpr('min(revenue * 15%, 2000)'), env, 'zh')).toBe('营业收入 × 15% 与 2000 中较小者');
    expect(describeValue(parseExpr('max(revenue, 1)'), env, 'en')).toBe('the greater of revenue and 1');
    expect(describeValue(parseExpr('round(revenue / 12, 2)'), env, 'zh')).toBe('营业收入 ÷ 12（四舍五入保留 2 位小数）');
    expect(describeValue(parseExpr('round(revenue / 12, 2)'), env, 'en')).toBe('revenue ÷ 12, rounded to 2 decimal places');
    expect(describeValue(parseExpr('if size_class = "large" then 30% else 60%'), env, 'zh')).toBe('若企业规模 为 大型则 30%，否则 60%');
    expect(describeValue(parseExpr('(if size_class = "large" then 30 else 60) * 2'), env, 'zh')).toBe('(若企业规模 为 大型则 30，否则 60) × 2');
    expect(describeValue(parseExpr('2 * if size_class = "large" then 30 else 60'), env, 'en')).toMatch(/^2 × \(if .* then 30 else 60\)$/);
    expect(describeValue(parseExpr('tier(employees, $t)'), env, 'zh')).toBe('按从业人员分档');
    const months: FieldDef = { key: 'm', type: 'int', label: { zh: '月数', en: 'Months' }, source: '', kinds: [], unit: { zh: '个月', en: 'months' } };
    expect(fmtValue({ t: 'num', v: dec('1') }, months, env, 'en')).toBe('1 month');
    expect(fmtValue({ t: 'num', v: dec('2') }, months, env, 'en')).toBe('2 months');
    expect(fmtValue({ t: 'num', v: dec('1') }, months, env, 'zh')).toBe('1 个月');
    expect(describeValue(parseExpr('lookup(size_class, $t)'), env, 'en')).toBe('by size_class');
    expect(describeValue(parseExpr('-revenue'), env, 'zh')).toBe('−营业收入');
    expect(describeValue(parseExpr('today'), env, 'zh')).toBe('评估日');
    expect(describeValue(parseExpr('months_since(registered_on)'), env, 'zh')).toBe('成立日期至今月数');
    expect(describeValue(parseExpr('count(qualifications)'), env, 'zh')).toBe('企业资质数量');
  });
});

describe('a yes/no fact that must be false', () => {
  // label zh ; label en ; negated zh ; negated en
  const FACTS: [string, string, string, string][] = [
    ['有具备赡养、抚养、扶养义务和能力的人', 'Has a relative obliged and able to support you', '没有具备赡养、抚养、扶养义务和能力的人', 'you have no relative obliged and able to support you'],
    ['存在拖欠工资记录', 'Wage arrears on record', '不存在拖欠工资记录', 'no wage arrears on record'],
    ['在本市有自有住房', 'Owns a home in the city', '在本市没有自有住房', 'you do not own a home in the city'],
    ['参加城乡居民基本医疗保险', 'Enrolled in resident medical insurance', '未参加城乡居民基本医疗保险', 'not enrolled in resident medical insurance'],
    ['低保对象', 'Minimum-living-allowance recipient', '不是低保对象', 'not minimum-living-allowance recipient'],
    ['同职业同等级已享受补贴', 'Subsidy already paid for this occupation and level', '同职业同等级未享受补贴', 'subsidy not yet paid for this occupation and level'],
    ['健在', 'Alive', '健在：否', 'not alive'],
  ];
  it.each(FACTS)('%s', (zh, en, wantZh, wantEn) => {
    expect(negatedFact({ zh, en }, 'zh')).toBe(wantZh);
    expect(negatedFact({ zh, en }, 'en')).toBe(wantEn);
  });

  it('never reads "非有…" or "not Has…"', () => {
    for (const f of TEST_DICT.fields.values()) {
      if (f.type !== 'bool') continue;
      expect(zh(`not ${f.key}`)).not.toMatch(/^非/);
      expect(en(`${f.key} = false`)).not.toMatch(/^not [A-Z][a-z]/);
    }
  });

  it('says amounts and units in English', () => {
    expect(quantityText('50', { zh: '万元', en: '10k yuan' }, 'en')).toBe('500,000 yuan');
    expect(quantityText('50', { zh: '万元', en: '10k yuan' }, 'zh')).toBe('50 万元');
    expect(quantityText('800', { zh: '元/月' }, 'en')).toBe('800 yuan/month');
    expect(unitText('元/年', 'en')).toBe('yuan/year');
    expect(quantityText('2025', { zh: '年', en: '' }, 'en')).toBe('2025');
    expect(unitText('元/年', 'zh')).toBe('元/年');
  });

  it('prints a tier table with its bands and amounts, in both languages', () => {
    const bands = resolveParams([{ name: 'bands', type: 'tiers', versions: [{ from: '2024-01-01', value: { kind: 'tiers', rows: [{ min: '80', max: '90', value: '50' }, { min: '90', max: '100', value: '150' }, { min: '100', value: '600' }] } }] }], 20000);
    const e = parseExpr('tier(age(birth_date), $bands)');
    expect(describeValue(e, { dict: TEST_DICT, params: bands }, 'zh')).toBe('按年龄分档（满 80 不满 90 周岁：50；满 90 不满 100 周岁：150；100 周岁及以上：600）');
    expect(describeValue(e, { dict: TEST_DICT, params: bands }, 'en')).toBe('tier of age (80 to under 90 years: 50; 90 to under 100 years: 150; 100 years and over: 600)');
    expect(bandText(undefined, '5', undefined, 'en')).toBe('under 5');
  });

  it('multiplies 万 exactly', () => {
    expect(timesTenThousand('50')).toBe('500000');
    expect(timesTenThousand('1.25')).toBe('12500');
    expect(timesTenThousand('0.00005')).toBe('0.5');
    expect(timesTenThousand('-3.5')).toBe('-35000');
    expect(timesTenThousand('0')).toBe('0');
  });

  it('groups the digits of amounts', () => {
    expect(groupDigits('500000')).toBe('500,000');
    expect(groupDigits('1234567.5')).toBe('1,234,567.5');
    expect(groupDigits('999')).toBe('999');
  });
});
