import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stripLoc, type Expr } from '../ast/ast.ts';
import { loadPolicyDocument } from './load.ts';
import { ELDERLY, posOf } from '../../test/policy-yaml.ts';

const docExample = (): string => {
  const md = readFileSync(new URL('../../../docs/policy-files.md', import.meta.url), 'utf8');
  return /```yaml\n([\s\S]*?)```/.exec(md)![1];
};

describe('loadPolicyDocument: the example of docs/policy-files.md', () => {
  const text = docExample();
  const { doc, errors } = loadPolicyDocument(text, 'example.yaml');
  const item = doc!.items[0];

  it('loads without errors', () => {
    expect(errors).toEqual([]);
    expect(doc!.id).toBe('lc-rsj-2025-wgfh');
    expect(doc!.number).toBe('聊人社字〔2025〕12号');
    expect(doc!.issuers).toEqual(['lc-rsj', 'lc-czj']);
    expect(doc!.interpretation).toContain('谁可以享受');
  });

  it('reads the item', () => {
    expect(item).toMatchObject({
      id: 'lc-rsj-wgfh', version: 1, document_id: 'lc-rsj-2025-wgfh', audience: 'enterprise', mode: 'auto', period: 'year',
      region_scope: ['371500'], valid_from: '2025-01-01', valid_to: '2025-12-31', window: { from: '2025-03-01', to: '2025-12-31' },
      quota: { budget: '50000000', count: 10000 }, stacking_group: 'lc-wengang', confirm_intent: false, statutory_days: 15,
      amount_unit: '元', tags: ['稳岗', '就业', '失业保险'],
    });
    expect(item.materials).toEqual([{ name: '营业执照', provided_by: 'uscc' }, { name: '银行开户许可证', required: true }]);
    expect(item.review_steps[2]).toEqual({ name: '税务部门核验', days: 5, parallel_group: 'final', department: 'lc-sws' });
  });

  it('parses the rule and formula, keeps their text, and places rule nodes at their file positions', () => {
    expect(item.eligibility.op).toBe('and');
    expect(item.eligibility_text).toBe('ui_insured_local = true\nand ui_paid_months >= $min_paid_months\n' +
      'and (layoff_rate <= $layoff_cap or (insured_count <= 30 and layoff_rate <= $layoff_cap_small))\nand credit_status != "serious"');
    const second = (item.eligibility as Extract<Expr, { op: 'and' }>).args[1];
    expect(second.loc).toEqual(posOf(text, '>= $min_paid_months'));
    expect(item.amount_text).toBe('ui_premium_paid * (if size_class = "large" then $ratio_large else $ratio_sme)');
    expect(item.amount?.loc).toEqual(posOf(text, '* (if size_class'));
  });

  it('reads parameters by their declared type: numbers exact, percentages divided, tiers, maps, expressions', () => {
    const p = Object.fromEntries(item.params.map((x) => [x.name, x]));
    expect(p.min_paid_months).toEqual({ name: 'min_paid_months', type: 'int', label: { zh: '上年度足额缴费月数下限' }, unit: '月',
      versions: [{ from: '2023-01-01', value: { kind: 'num', value: '12' }, source: '人社部发〔2023〕XX号' }] });
    expect(p.layoff_cap.versions[0]).toEqual({ from: '2023-01-01', to: '2025-12-31', value: { kind: 'num', value: '0.055' } });
    expect(p.ratio_sme.versions[0].value).toEqual({ kind: 'num', value: '0.6' });
    expect(p.elderly_bands.versions[0].value).toEqual({ kind: 'tiers', rows: [
      { min: '80', max: '90', value: '100' }, { min: '90', max: '100', value: '200' }, { min: '100', value: '500' }] });
    expect(p.grade_amounts.versions[0].value).toEqual({ kind: 'map', entries: { 1: '193', 2: '161' }, default: '0' });
    const special = p.special_standard.versions[0].value;
    expect(special.kind === 'expr' && stripLoc(special.expr)).toEqual({ op: 'arith', arith: '*', left: { op: 'param', name: 'dibao_standard' }, right: { op: 'lit', value: { num: '1.3' } } });
    expect(special.kind === 'expr' && special.expr.loc).toEqual(posOf(text, '* 1.3'));
  });

  it('reads the cases with facts as JSON', () => {
    expect(item.cases).toHaveLength(3);
    expect(item.cases[0]).toEqual({
      name: '中小微企业足额缴费、裁员率低', date: '2025-06-01',
      facts: { region: '371502', ui_insured_local: true, ui_paid_months: 12, layoff_rate: 0.02, insured_count: 50, credit_status: 'good', size_class: 'small', ui_premium_paid: 20000 },
      expect: { verdict: 'eligible', amount: '12000' },
    });
    expect(item.cases[2].expect).toEqual({ verdict: 'undetermined', missing: ['layoff_rate'] });
  });
});

describe('loadPolicyDocument: a person policy with two items', () => {
  const { doc, errors } = loadPolicyDocument(ELDERLY, 'lc-mzj-2025-gljt.yaml');
  const [elderly, disabled] = doc?.items ?? [];

  it('loads', () => {
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(doc!.items.map((i) => i.id)).toEqual(['lc-mzj-gljt', 'lc-mzj-cjrbt']);
  });

  it('maps rule positions for block, plain, multi-line plain and quoted YAML scalars', () => {
    const block = elderly.eligibility as Extract<Expr, { op: 'and' }>;
    expect(block.args[0].loc).toEqual(posOf(ELDERLY, '>= $min_age'));
    expect((block.args[1] as Extract<Expr, { op: 'not' }>).loc).toEqual(posOf(ELDERLY, 'not (dibao'));
    expect(elderly.amount?.loc).toEqual(posOf(ELDERLY, 'tier(age'));
    const plain = disabled.eligibility as Extract<Expr, { op: 'and' }>;
    expect(plain.args[0].loc).toEqual(posOf(ELDERLY, '<= 2'));
    expect(plain.args[2].loc).toEqual(posOf(ELDERLY, 'is known'));
    expect(disabled.amount?.loc).toEqual(posOf(ELDERLY, 'lookup(disability_grade'));
  });

  it('keeps rule text as written (comments included) and reads every parameter kind', () => {
    expect(elderly.eligibility_text).toBe('# 年满80周岁（本市户籍由 region_scope 保证）\nage(birth_date) >= $min_age\nand not (dibao = true and income_pc is missing)');
    expect(elderly.params[0]).toMatchObject({ label: { zh: '起始年龄', en: 'Starting age' }, unit: '周岁' });
    expect(elderly.params[0].versions[1]).toEqual({ from: '2025-01-01', value: { kind: 'num', value: '80' }, note: '标准不变' });
    const dp = Object.fromEntries(disabled.params.map((x) => [x.name, x.versions[0].value]));
    expect(dp.grade_amounts).toEqual({ kind: 'map', entries: { 1: '193', 2: '161' }, default: '0' });
    expect(dp.ratio).toEqual({ kind: 'num', value: '0.015' });
    expect(dp.big).toEqual({ kind: 'num', value: '123456789012345' });
    expect(dp.towns).toEqual({ kind: 'list', value: ['371502008', '371502001'] });
    expect(dp.note_text).toEqual({ kind: 'text', value: '含 $ 的说明文字' });
    expect(dp.pilot).toEqual({ kind: 'bool', value: true });
    expect(dp.start).toEqual({ kind: 'date', value: '2025-03-01' });
  });

  it('reads optional blocks and drops absent keys', () => {
    expect(disabled.quota).toEqual({ budget: '1200000.5' });
    expect(disabled.window).toEqual({ from: '2025-01-01' });
    expect(disabled.review_steps).toEqual([{ name: '乡镇（街道）初审', days: 5 }, { name: '县级民政部门审核', days: 10, department: 'lc-mzj' }]);
    expect(disabled.cases).toEqual([]);
    expect('stacking_group' in disabled).toBe(false);
    expect(elderly.cases[1].expect).toEqual({ verdict: 'undetermined', amount: null, missing: ['birth_date'] });
    expect(elderly.cases[0].expect.amount).toBe('100');
  });
});
