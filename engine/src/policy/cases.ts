// Policy tests as data: each item carries cases (name / date / facts / expect), and
// `kx test` runs them all. A case fails with a message that says what differed.
import type { Dictionary } from '../dictionary/types.ts';
import { EngineError } from '../errors.ts';
import { evaluateItem, type ItemVerdict } from '../evaluate/item.ts';
import { parseDate } from '../values/dates.ts';
import { dec } from '../values/decimal.ts';
import { normalizeFacts } from '../values/facts.ts';
import type { PolicyItem, TestCase } from './types.ts';

export interface CaseResult {
  item: string;
  case: string;
  passed: boolean;
  /** Why it failed, Chinese then English. */
  failures: string[];
  verdict?: ItemVerdict;
}

export function runCase(item: PolicyItem, tc: TestCase, dict: Dictionary): CaseResult {
  const res: CaseResult = { item: item.id, case: tc.name, passed: false, failures: [] };
  const day = parseDate(tc.date);
  if (day === undefined) {
    res.failures.push(`用例日期无效 "${tc.date}" / invalid case date "${tc.date}"`);
    return res;
  }
  const { entity, errors } = normalizeFacts(dict, item.audience, tc.facts);
  for (const e of errors) res.failures.push(`事实有误：${e.message}`);
  if (errors.length) return res;
  let v: ItemVerdict;
  try {
    v = evaluateItem(item, entity, dict, day, { counterfactuals: false });
  } catch (e) {
    res.failures.push(e instanceof EngineError ? e.message : String(e));
    return res;
  }
  res.verdict = v;
  const want = tc.expect;
  if (v.verdict !== want.verdict) res.failures.push(`结论应为 ${want.verdict}，实际为 ${v.verdict} / verdict: expected ${want.verdict}, got ${v.verdict}`);
  if (want.amount !== undefined) {
    const got = v.amount?.value ?? null;
    const same = want.amount === null ? got === null : got !== null && dec(String(want.amount)).eq(dec(got));
    if (!same) res.failures.push(`金额应为 ${want.amount}，实际为 ${got} / amount: expected ${want.amount}, got ${got}`);
  }
  for (const m of want.missing ?? [])
    if (!v.missing.some((x) => x.field === m))
      res.failures.push(`缺失信息应包含 ${m}，实际为 [${v.missing.map((x) => x.field).join(', ')}] / missing should include ${m}`);
  res.passed = res.failures.length === 0;
  return res;
}

export function runItemCases(item: PolicyItem, dict: Dictionary): CaseResult[] {
  return item.cases.map((tc) => runCase(item, tc, dict));
}
