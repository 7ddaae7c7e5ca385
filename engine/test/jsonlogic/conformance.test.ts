// The public JsonLogic suite through our importer and interpreter, and the figures
// docs/jsonlogic.md states about it: the doc must stay true.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runJsonLogicConformance } from '../../src/jsonlogic/conformance.ts';

const read = (p: string) => readFileSync(new URL(p, import.meta.url), 'utf8');
const tests = JSON.parse(read('./tests.json')) as unknown[];
const report = runJsonLogicConformance(tests);

/** The `| figure | count |` rows after the figures marker in docs/jsonlogic.md. */
function documentedFigures(): Map<string, number> {
  const doc = read('../../../docs/jsonlogic.md');
  const section = doc.slice(doc.indexOf('<!-- figures:'));
  const rows = [...section.matchAll(/^\| ([^|]+?) \| (\d+) \|$/gm)];
  return new Map(rows.map((m) => [m[1], Number(m[2])]));
}

describe('JsonLogic conformance (jsonlogic.com tests.json)', () => {
  it('every supported case passes or is a deliberate, categorised difference', () => {
    expect(report.failures).toEqual([]);
    const differences = Object.values(report.differences).reduce((a, b) => a + b, 0);
    expect(report.passed + differences).toBe(report.supported);
    const unsupported = Object.values(report.unsupported).reduce((a, b) => a + b, 0);
    expect(report.supported + unsupported).toBe(report.total);
  });

  it('the figures in docs/jsonlogic.md are the figures of this run', () => {
    const doc = documentedFigures();
    const actual = new Map<string, number>([
      ['total', report.total],
      ['supported', report.supported],
      ['passed', report.passed],
      ['failures', report.failures.length],
      ...Object.entries(report.differences).map(([k, v]) => [`difference: ${k}`, v] as [string, number]),
      ...Object.entries(report.unsupported).map(([k, v]) => [`unsupported: ${k}`, v] as [string, number]),
    ]);
    expect(Object.fromEntries(doc)).toEqual(Object.fromEntries(actual));
    expect(report.passed / report.supported).toBeGreaterThanOrEqual(108 / 166);
  });

  it('classifies the suite’s own examples as the doc says', () => {
    const one = (rule: unknown, data: unknown, expected: unknown) => runJsonLogicConformance([[rule, data, expected]]);
    expect(one({ '==': [1, '1'] }, {}, true).differences.coercion).toBe(1);
    expect(one({ if: [[], 'apple', 'banana'] }, null, 'banana').differences.truthiness).toBe(1);
    expect(one({ var: 'b' }, { a: 1 }, null).differences.unknown_not_null).toBe(1);
    expect(one({ '+': [0.1, 0.2] }, {}, 0.30000000000000004).differences.exact_decimal).toBe(1);
    expect(one({ '<=': [1, { var: 'x' }, 3] }, { x: 2 }, true).passed).toBe(1);
    expect(one({ substr: ['jsonlogic', 4] }, null, 'logic').unsupported).toEqual({ substr: 1 });
    expect(one({ '<': [1, 2] }, {}, false).failures).toHaveLength(1);
  });
});
