import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEST_DICT } from '../../test/fixtures.ts';
import { parseExpr } from '../syntax/parser.ts';
import { parseDate } from '../values/dates.ts';
import { normalizeFacts } from '../values/facts.ts';
import type { ParamDef, PolicyItem } from '../policy/types.ts';
import { renderExplanation } from '../explain/explain.ts';
import { evaluateItem } from './item.ts';
import { runItemCases } from '../policy/cases.ts';
import { validateItem } from '../policy/validate.ts';

const day = parseDate('2025-06-01')!;

function item(over: Omit<Partial<PolicyItem>, 'amount'> & { rule: string; amount?: string }): PolicyItem {
  const { rule, amount, ...rest } = over;
  return {
    id: 'test-item', version: 1, title: '测试事项', document_id: 'doc', department: 'lc-rsj', region_scope: ['371500'],
    audience: 'enterprise', mode: 'auto', valid_from: '2025-01-01', valid_to: '2025-12-31',
    eligibility: parseExpr(rule), ...(amount ? { amount: parseExpr(amount) } : {}),
    params: [], materials: [], review_steps: [], statutory_days: 10, cases: [], ...rest,
  };
}

const ent = (facts: Record<string, unknown>) => {
  const { entity, errors } = normalizeFacts(TEST_DICT, 'enterprise', facts);
  expect(errors).toEqual([]);
  return entity;
};

const WENGANG_PARAMS: ParamDef[] = [
  { name: 'min_months', type: 'int', versions: [{ from: '2023-01-01', value: { kind: 'num', value: '12' } }] },
  { name: 'layoff_cap', type: 'dec', versions: [
    { from: '2023-01-01', to: '2024-12-31', value: { kind: 'num', value: '0.05' } },
    { from: '2025-01-01', value: { kind: 'num', value: '0.055' } },
  ] },
  { name: 'ratio_large', type: 'dec', versions: [{ from: '2023-01-01', value: { kind: 'num', value: '0.3' } }] },
  { name: 'ratio_sme', type: 'dec', versions: [{ from: '2023-01-01', value: { kind: 'num', value: '0.6' } }] },
];

const wengang = item({
  rule: 'ui_insured_local = true and ui_paid_months >= $min_months and layoff_rate <= $layoff_cap and credit_status != "serious"',
  amount: 'rd_expense * (if size_class = "large" then $ratio_large else $ratio_sme)',
  params: WENGANG_PARAMS,
});

describe('the verdict of an item', () => {
  it('is eligible with an exact amount and explains each condition in Chinese', () => {
    const v = evaluateItem(wengang, ent({ region: '371502', ui_insured_local: true, ui_paid_months: 12, layoff_rate: 0.02, credit_status: 'good', size_class: 'small', rd_expense: 20000.1 }), TEST_DICT, day);
    expect(v.verdict).toBe('eligible');
    expect(v.amount?.value).toBe('12000.06'); // 20000.1 × 0.6, exact (a binary float gives 12000.060000000001)
    const lines = renderExplanation(v.explanation!, 'zh');
    expect(lines).toContain('  注册地在聊城市范围内 ✓（实际 371502 东昌府区）');
    expect(lines).toContain('  上年度失业保险缴费月数 ≥ 12 个月 ✓（实际 12 个月）');
    expect(lines).toContain('  裁员率 ≤ 0.055 ✓（实际 0.02）');
  });

  it('says which condition failed, with the actual value', () => {
    const v = evaluateItem(wengang, ent({ region: '371502', ui_insured_local: true, ui_paid_months: 8, layoff_rate: 0.02, credit_status: 'good' }), TEST_DICT, day);
    expect(v.verdict).toBe('ineligible');
    expect(renderExplanation(v.explanation!, 'zh')).toContain('  上年度失业保险缴费月数 ≥ 12 个月 ✗（实际 8 个月）');
    expect(renderExplanation(v.explanation!, 'en')).toContain('  上年度失业保险缴费月数 ≥ 12 个月'.replace('上年度失业保险缴费月数', 'ui_paid_months').replace('个月', 'months') + ' ✗ (actual: 8 months)');
    expect(v.counterfactuals[0].text.zh).toBe('若上年度失业保险缴费月数 ≥ 12 个月则符合');
    expect(v.counterfactuals[0].changes).toEqual([{ field: 'ui_paid_months', label: { zh: '上年度失业保险缴费月数', en: 'ui_paid_months' }, from: '8 个月', to: '12 个月' }]);
  });

  it('treats a missing fact as unknown — never zero, never false — and names it', () => {
    const v = evaluateItem(wengang, ent({ region: '371502', ui_insured_local: true, ui_paid_months: 12, credit_status: 'good' }), TEST_DICT, day);
    expect(v.verdict).toBe('undetermined');
    expect(v.missing.map((m) => m.field)).toEqual(['layoff_rate']);
    expect(v.missing[0]).toMatchObject({ can_make_eligible: true, settles: 1 });
    expect(renderExplanation(v.explanation!, 'zh')).toContain('  裁员率 ≤ 0.055 ？（实际 未知）');
  });

  it('is ineligible as soon as one known condition fails, whatever else is unknown (Kleene and)', () => {
    const v = evaluateItem(wengang, ent({ region: '371502', ui_paid_months: 3 }), TEST_DICT, day);
    expect(v.verdict).toBe('ineligible');
  });

  it('ranks the missing facts by how much each settles', () => {
    const it2 = item({ rule: 'employees >= 10 or (revenue >= 100 and rd_expense >= 5)' });
    const v = evaluateItem(it2, ent({ region: '371502' }), TEST_DICT, day);
    expect(v.verdict).toBe('undetermined');
    expect(v.missing.map((m) => m.field)).toEqual(['employees', 'revenue', 'rd_expense']);
    expect(v.missing[0].settles).toBeGreaterThan(v.missing[2].settles);
  });

  it('uses the parameter in force on the evaluation date', () => {
    const e = ent({ region: '371502', ui_insured_local: true, ui_paid_months: 12, layoff_rate: 0.052, credit_status: 'good' });
    const old = { ...wengang, valid_from: '2024-01-01' };
    expect(evaluateItem(old, e, TEST_DICT, parseDate('2024-06-01')!).verdict).toBe('ineligible'); // cap 5% then
    expect(evaluateItem(old, e, TEST_DICT, parseDate('2025-06-01')!).verdict).toBe('eligible'); // 5.5% now
    // The rules bound, candidates and texts kept per item and day do not leak from one day into another.
    const then = evaluateItem(old, e, TEST_DICT, parseDate('2024-06-01')!);
    const now = evaluateItem(old, e, TEST_DICT, parseDate('2025-06-01')!);
    expect(then.verdict).toBe('ineligible');
    expect(JSON.stringify(then.explanation)).not.toEqual(JSON.stringify(now.explanation));
    expect(evaluateItem({ ...old }, e, TEST_DICT, parseDate('2024-06-01')!)).toEqual(then);
  });

  it('is ineligible outside the item validity, with the reason', () => {
    const v = evaluateItem(wengang, ent({ region: '371502' }), TEST_DICT, parseDate('2026-01-01')!);
    expect(v.verdict).toBe('ineligible');
    expect(v.reason?.zh).toContain('不在政策有效期内');
  });

  it('checks audience and region scope before the rule', () => {
    const outside = evaluateItem(wengang, ent({ region: '370102', ui_insured_local: true, ui_paid_months: 12, layoff_rate: 0, credit_status: 'good' }), TEST_DICT, day);
    expect(outside.verdict).toBe('ineligible');
    const zone = evaluateItem({ ...wengang, region_scope: ['LC-JKQ'] }, ent({ region: '371502008', ui_insured_local: true, ui_paid_months: 12, layoff_rate: 0, credit_status: 'good' }), TEST_DICT, day);
    expect(zone.verdict).toBe('eligible');
    const person = normalizeFacts(TEST_DICT, 'person', { region: '371502' }).entity;
    expect(evaluateItem(wengang, person, TEST_DICT, day).verdict).toBe('ineligible');
  });

  it('asks for the town or street when the region is coarser than the zone it is scoped to', () => {
    const zoneItem = item({ rule: 'employees >= 10', region_scope: ['LC-JKQ'] });
    // 东昌府区 holds the zone's towns and others: in the zone or not, nobody can tell yet.
    const v = evaluateItem(zoneItem, ent({ region: '371502', employees: 20 }), TEST_DICT, day);
    expect(v.verdict).toBe('undetermined');
    expect(v.missing).toEqual([
      { field: 'region', label: { zh: '注册地', en: 'region' }, source: 'test', settles: 1, can_make_eligible: true,
        hint: { zh: '请补充到乡镇（街道）的所在地', en: 'add the town or street of your address' } },
    ]);
    expect(renderExplanation(v.explanation!, 'zh')).toContain('  注册地在聊城经济技术开发区范围内 ？（实际 371502 东昌府区）');
    expect(v.counterfactuals[0].changes.map((c) => c.field)).toEqual(['region']);
    // Beside another missing fact, only the region carries the hint; both are asked for.
    const both = evaluateItem(zoneItem, ent({ region: '371502' }), TEST_DICT, day);
    expect(both.missing.map((m) => [m.field, m.hint?.zh ?? null])).toEqual([['region', '请补充到乡镇（街道）的所在地'], ['employees', null]]);
    // A town settles it either way.
    expect(evaluateItem(zoneItem, ent({ region: '371502009', employees: 20 }), TEST_DICT, day).verdict).toBe('eligible');
    const outside = evaluateItem(zoneItem, ent({ region: '371502001', employees: 20 }), TEST_DICT, day);
    expect([outside.verdict, outside.missing]).toEqual(['ineligible', []]);
    // A region unknown altogether is missing as before, without the hint.
    const none = evaluateItem(zoneItem, ent({ employees: 20 }), TEST_DICT, day);
    expect(none.missing.map((m) => [m.field, m.hint])).toEqual([['region', undefined]]);
  });

  it('gives the same verdict, amount and ranked missing facts without explanation and counterfactuals (an entity\'s list)', () => {
    const items = [
      wengang,
      item({ rule: 'employees >= 10 or (revenue >= 100 and rd_expense >= 5)', amount: 'employees * 100' }),
      item({ rule: 'employees >= 10', region_scope: ['LC-JKQ'] }),
      { ...wengang, valid_to: '2025-03-01' },
    ];
    const entities = [
      ent({ region: '371502', ui_insured_local: true, ui_paid_months: 12, layoff_rate: 0.02, credit_status: 'good', size_class: 'small', rd_expense: 20000.1 }),
      ent({ region: '371502', ui_insured_local: true, ui_paid_months: 12, credit_status: 'good' }),
      ent({ region: '371502', ui_paid_months: 3 }),
      ent({ region: '371502' }),
      ent({ region: '371502', revenue: 150, rd_expense: 6 }),
      ent({ region: '371502009', employees: 20 }),
      ent({ employees: 3 }),
    ];
    const verdicts = new Set<string>();
    for (const it of items)
      for (const e of entities) {
        const full = evaluateItem(it, e, TEST_DICT, day);
        const brief = evaluateItem(it, e, TEST_DICT, day, { explain: false, counterfactuals: false });
        expect(brief).toEqual({ ...full, explanation: null, counterfactuals: [] });
        verdicts.add(full.verdict);
      }
    expect([...verdicts].sort()).toEqual(['eligible', 'ineligible', 'undetermined']);
  });

  it('names the same missing facts for items sharing a rule as for each item alone, in any order (property)', () => {
    const minEmployees = (n: number): ParamDef[] => [{ name: 'min_emp', type: 'int', versions: [{ from: '2023-01-01', value: { kind: 'num', value: String(n) } }] }];
    // with min_emp 70 no number of employees qualifies: the same missing fact, another answer
    const rule = 'employees >= $min_emp and employees <= 60 and (revenue >= 100 or rd_expense >= 5) and credit_status != "serious"';
    // one rule: two parameter values, a narrower region, and a copy under another id
    const shared = [
      item({ id: 'a', rule, params: minEmployees(10) }),
      item({ id: 'b', rule, params: minEmployees(70) }),
      item({ id: 'c', rule, params: minEmployees(10), region_scope: ['LC-JKQ'] }),
      item({ id: 'd', rule, params: minEmployees(10) }),
    ];
    const maybe = <T,>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
    const facts = fc.record({
      region: fc.constantFrom('371502', '371502009', '371500'),
      employees: maybe(fc.integer({ min: 0, max: 80 })),
      revenue: maybe(fc.integer({ min: 0, max: 200 })),
      rd_expense: maybe(fc.integer({ min: 0, max: 10 })),
      credit_status: maybe(fc.constantFrom('good', 'serious')),
    });
    fc.assert(
      fc.property(fc.array(facts, { minLength: 1, maxLength: 6 }), fc.shuffledSubarray(shared, { minLength: 1 }), (many, items) => {
        for (const f of many) {
          const e = ent(Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)));
          for (const it of items) {
            const full = evaluateItem(it, e, TEST_DICT, day);
            expect(evaluateItem(it, e, TEST_DICT, day, { explain: false, counterfactuals: false })).toEqual({ ...full, explanation: null, counterfactuals: [] });
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('finds a counterfactual on a threshold: 若从业人员 ≤ 300 人则符合', () => {
    const small = item({ rule: 'employees <= 300 and revenue < 20000' });
    const v = evaluateItem(small, ent({ region: '371502', employees: 350, revenue: 5000 }), TEST_DICT, day);
    expect(v.verdict).toBe('ineligible');
    expect(v.counterfactuals[0].text.zh).toBe('若从业人员 ≤ 300 人则符合');
    expect(v.counterfactuals[0].changes[0].to).toBe('300 人');
  });

  it('finds a two-fact counterfactual when no single change suffices', () => {
    const both = item({ rule: 'employees >= 10 and revenue >= 100' });
    const v = evaluateItem(both, ent({ region: '371502', employees: 2, revenue: 10 }), TEST_DICT, day);
    expect(v.counterfactuals[0].changes.map((c) => c.field).sort()).toEqual(['employees', 'revenue']);
    expect(v.counterfactuals[0].text.zh).toBe('若从业人员 ≥ 10 人且营业收入 ≥ 100 万元则符合');
  });

  it('computes tiered and looked-up amounts (分档, 对照)', () => {
    const params: ParamDef[] = [
      { name: 'bands', type: 'tiers', versions: [{ from: '2024-01-01', value: { kind: 'tiers', rows: [{ min: '80', max: '90', value: '100' }, { min: '90', max: '100', value: '200' }, { min: '100', value: '500' }] } }] },
      { name: 'by_size', type: 'map', versions: [{ from: '2024-01-01', value: { kind: 'map', entries: { micro: '3000', small: '2000' }, default: '500' } }] },
    ];
    const elderly = item({ rule: 'employees >= 0', amount: 'tier(employees, $bands) + lookup(size_class, $by_size)', params });
    const amount = (facts: Record<string, unknown>) => evaluateItem(elderly, ent({ region: '371502', ...facts }), TEST_DICT, day).amount?.value;
    expect(amount({ employees: 85, size_class: 'micro' })).toBe('3100');
    expect(amount({ employees: 90, size_class: 'large' })).toBe('700');
    expect(amount({ employees: 100, size_class: 'small' })).toBe('2500');
    expect(amount({ employees: 79, size_class: 'small' })).toBe('2000');
    expect(amount({ employees: 85 })).toBeNull();
  });

  it('runs the cases an item carries', () => {
    const withCases: PolicyItem = {
      ...wengang,
      cases: [
        { name: '符合', date: '2025-06-01', facts: { region: '371502', ui_insured_local: true, ui_paid_months: 12, layoff_rate: 0.01, credit_status: 'good', size_class: 'large', rd_expense: 1000 }, expect: { verdict: 'eligible', amount: '300' } },
        { name: '金额写错', date: '2025-06-01', facts: { region: '371502', ui_insured_local: true, ui_paid_months: 12, layoff_rate: 0.01, credit_status: 'good', size_class: 'large', rd_expense: 1000 }, expect: { verdict: 'eligible', amount: '600' } },
        { name: '缺裁员率', date: '2025-06-01', facts: { region: '371502', ui_insured_local: true, ui_paid_months: 12, credit_status: 'good' }, expect: { verdict: 'undetermined', missing: ['layoff_rate'] } },
      ],
    };
    const r = runItemCases(withCases, TEST_DICT);
    expect(r.map((x) => x.passed)).toEqual([true, false, true]);
    expect(r[1].failures[0]).toContain('金额应为 600，实际为 300');
  });

  it('validates an item: type errors, undefined parameters, bad case facts', () => {
    const bad = item({ rule: 'employes >= 10 and size_class = "huge" and revenue > $cap', cases: [{ name: 'x', date: '2025-01-01', facts: { employees: 'many' }, expect: { verdict: 'eligible' } }] });
    const msgs = validateItem(bad, TEST_DICT).map((e) => e.message);
    expect(msgs.some((m) => m.includes('未知字段 "employes"') && m.includes('"employees"') && m.startsWith('1:1'))).toBe(true);
    expect(msgs.some((m) => m.includes('"huge" 不是代码表 size_class 的代码'))).toBe(true);
    expect(msgs.some((m) => m.includes('未定义的参数 $cap'))).toBe(true);
    expect(msgs.some((m) => m.includes('"employees" 应为整数'))).toBe(true);
  });

  it('rejects a cycle between parameters', () => {
    const cyc: ParamDef[] = [
      { name: 'a', type: 'dec', versions: [{ from: '2024-01-01', value: { kind: 'expr', expr: parseExpr('$b * 2') } }] },
      { name: 'b', type: 'dec', versions: [{ from: '2024-01-01', value: { kind: 'expr', expr: parseExpr('$a + 1') } }] },
    ];
    const msgs = validateItem(item({ rule: 'revenue > $a', params: cyc }), TEST_DICT).map((e) => e.message);
    expect(msgs.some((m) => m.includes('循环引用') && m.includes('a → b → a'))).toBe(true);
  });

  it('derives a parameter from another (特困 = 1.3 × 低保)', () => {
    const params: ParamDef[] = [
      { name: 'dibao', type: 'dec', versions: [{ from: '2024-01-01', value: { kind: 'num', value: '800' } }] },
      { name: 'tekun', type: 'dec', versions: [{ from: '2024-01-01', value: { kind: 'expr', expr: parseExpr('$dibao * 1.3') } }] },
    ];
    const v = evaluateItem(item({ rule: 'revenue >= 0', amount: '$tekun', params }), ent({ region: '371502', revenue: 1 }), TEST_DICT, day);
    expect(v.amount?.value).toBe('1040');
  });
});
