// The public JsonLogic conformance suite (jsonlogic.com/tests.json) run through our
// importer and interpreter. Every case is one of:
//   unsupported — it uses a construct we do not map (counted by construct);
//   passed      — imported, evaluated, same answer as json-logic-js;
//   difference  — supported, but our typed three-valued semantics deliberately answer
//                 otherwise (counted by category, see docs/jsonlogic.md);
//   failure     — anything else: a bug, listed with the case.
import { EngineError } from '../errors.ts';
import { DIFFERENCE_CATEGORIES, JsonLogicError, type DifferenceCategory } from './errors.ts';
import { runImported } from './data.ts';

export interface ConformanceFailure {
  rule: unknown;
  data: unknown;
  expected: unknown;
  got?: unknown;
  error?: string;
}

export interface ConformanceReport {
  total: number;
  supported: number;
  passed: number;
  differences: Record<DifferenceCategory, number>;
  /** Unsupported cases by the construct that stopped them ("cat", "null", "var", …). */
  unsupported: Record<string, number>;
  failures: ConformanceFailure[];
}

/** Cases are `[rule, data, expected]`; strings between them are section titles. */
export function runJsonLogicConformance(tests: readonly unknown[]): ConformanceReport {
  const report: ConformanceReport = {
    total: 0,
    supported: 0,
    passed: 0,
    differences: Object.fromEntries(DIFFERENCE_CATEGORIES.map((c) => [c, 0])) as Record<DifferenceCategory, number>,
    unsupported: {},
    failures: [],
  };
  for (const t of tests) {
    if (!Array.isArray(t) || t.length !== 3) continue;
    const [rule, data, expected] = t as [unknown, unknown, unknown];
    report.total++;
    let run;
    try {
      run = runImported(rule, data);
    } catch (e) {
      if (e instanceof JsonLogicError && e.code === 'UNSUPPORTED') {
        report.unsupported[e.construct] = (report.unsupported[e.construct] ?? 0) + 1;
      } else if (e instanceof JsonLogicError && e.category) {
        report.supported++;
        report.differences[e.category]++;
      } else {
        report.supported++;
        report.failures.push({ rule, data, expected, error: e instanceof EngineError || e instanceof Error ? e.message : String(e) });
      }
      continue;
    }
    report.supported++;
    if (sameJson(run.value, expected)) report.passed++;
    else {
      const why = classify(run.value, expected, run.approximations);
      if (why) report.differences[why]++;
      else report.failures.push({ rule, data, expected, got: run.value });
    }
  }
  return report;
}

/** Why our answer differs, when it is one of the deliberate differences. */
function classify(got: unknown, expected: unknown, approximations: readonly DifferenceCategory[]): DifferenceCategory | undefined {
  if (got === undefined) return 'unknown_not_null';
  if (approximations.includes('truthiness')) return 'truthiness';
  if (typeof got === 'number' && typeof expected === 'number' && Math.abs(got - expected) <= 1e-9 * Math.max(1, Math.abs(expected))) return 'exact_decimal';
  return undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  return a === b;
}
