// Worker threads give exactly the single-thread result: counts, full bitsets and a
// custom sink module, with a pool reused across calls.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTITY_KIND_FIELD } from '../index.ts';
import { arbFacts, arbRule } from '../../test/arbitraries.ts';
import { TEST_DICT } from '../../test/fixtures.ts';
import { columnarCounts, columnarVerdicts } from './evaluate.ts';
import { ColumnarPool, evaluateColumnar } from './parallel.ts';
import { compileRules } from './plan.ts';
import { buildPopulation } from './population.ts';
import { ROWS_SINK, type ItemRows } from './rows-sink.ts';

const DAY = 20240; // 2025-05-31
const RULES = fc.sample(arbRule, { seed: 5, numRuns: 60 });
const facts = fc.sample(arbFacts, { seed: 6, numRuns: 5000 }).map((f, i) => ({ ...f, [ENTITY_KIND_FIELD]: i % 4 ? 'enterprise' : 'person' }));
const pop = buildPopulation(TEST_DICT, facts.map((f) => ({ kind: f.entity_kind as 'person', facts: f })));
const plan = compileRules(TEST_DICT, RULES.map((rule, i) => ({ id: `r${i}`, rule })), DAY);
const blockWords = 4; // 128 entities a block: 40 blocks for two threads to share

describe('worker threads', () => {
  let pool: ColumnarPool;
  afterAll(() => pool?.close());

  it('counts equal the single-thread counts', async () => {
    pool = await ColumnarPool.create(2);
    const sync = columnarCounts(plan, pop, { blockWords });
    for (let run = 0; run < 2; run++) {
      const par = await evaluateColumnar(plan, pop, { pool, blockWords });
      expect([...par.eligible]).toEqual([...sync.eligible]);
      expect([...par.undetermined]).toEqual([...sync.undetermined]);
    }
    expect(sync.eligible.some((x) => x > 0)).toBe(true);
  });

  it('runs on one pool queue up rather than mix', async () => {
    const other = compileRules(TEST_DICT, [...RULES].reverse().map((rule, i) => ({ id: `o${i}`, rule })), DAY);
    const plans = [plan, other, plan, other];
    const runs = await Promise.all(plans.map((p) => evaluateColumnar(p, pop, { pool, blockWords })));
    runs.forEach((r, i) => expect([...r.eligible]).toEqual([...columnarCounts(plans[i], pop, { blockWords }).eligible]));
  });

  it('every verdict equals the single-thread verdict', async () => {
    const sync = columnarVerdicts(plan, pop, { blockWords });
    const par = await evaluateColumnar(plan, pop, { pool, blockWords, sink: 'bitsets' });
    expect(Buffer.from(par.t.buffer).equals(Buffer.from(sync.t.buffer))).toBe(true);
    expect(Buffer.from(par.u.buffer).equals(Buffer.from(sync.u.buffer))).toBe(true);
  });

  it('a sink module runs in each thread and its results merge', async () => {
    const sync = columnarVerdicts(plan, pop, { blockWords });
    const rows = (await evaluateColumnar(plan, pop, { pool, blockWords, sink: { module: ROWS_SINK } })) as ItemRows[];
    RULES.forEach((_, i) => {
      expect(rows[i].eligible).toEqual(sync.rows(i, 'eligible'));
      expect(rows[i].undetermined).toEqual(sync.rows(i, 'undetermined'));
    });
  });

  it('a pool that warms its workers up first gives the same counts', async () => {
    const warm = await ColumnarPool.create(2, { warmUp: true });
    try {
      const par = await evaluateColumnar(plan, pop, { pool: warm, blockWords });
      expect([...par.eligible]).toEqual([...columnarCounts(plan, pop, { blockWords }).eligible]);
    } finally {
      await warm.close();
    }
  });

  it('a pool of its own for one call, and one thread without workers', async () => {
    const sync = columnarCounts(plan, pop, { blockWords });
    for (const threads of [1, 2]) {
      const par = await evaluateColumnar(plan, pop, { threads, blockWords });
      expect([...par.eligible]).toEqual([...sync.eligible]);
    }
  });
});
