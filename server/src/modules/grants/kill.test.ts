// `kx grant run` killed with SIGKILL at random moments, ten times in a row, then run to the
// end: every grant exactly once, none missing, the ledger equal to the grants, one
// first_eligible / approved event and one inbox row per grant, the audit chain intact.
// On PGlite (the data folder left by a killed process is reopened: PGlite replays its WAL)
// and on PostgreSQL when DATABASE_URL is set.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASES, testConfig, TEST_NOW } from '../../../test/harness.ts';
import { createCtx } from '../../context.ts';
import type { Db } from '../../db/db.ts';
import { crashTarget, type CrashTarget } from '../../../test/crash.ts';
import { migrate } from '../../db/migrate.ts';
import { seedDepartments } from '../../seed/departments.ts';
import { verifyAudit } from '../audit/audit.ts';
import { autoItem, elder, markEligible, publish, seedEntities } from './fixtures.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const KX = join(ROOT, 'cli', 'bin', 'kx.mjs');
const KEY = Buffer.alloc(32, 7);
const ENTITIES = 10_000;
const BUDGET_GRANTS = 7_500;
const KILLS = 10;

const target = (kind: 'pglite' | 'postgres') => crashTarget(kind, 'grant-kill', KEY);

/** Four items over the same 10,000 elderly residents: a plain one, a stacking pair, one with a budget for 7,500. */
async function seed(db: Db): Promise<void> {
  await migrate(db);
  await seedDepartments(db);
  const ctx = createCtx(testConfig({ dataKey: KEY }), db, () => new Date(TEST_NOW));
  const items = [
    autoItem('kill-plain', { amount: '100' }),
    autoItem('kill-low', { amount: '200', group: 'kill' }),
    autoItem('kill-high', { amount: 'if age(birth_date) >= 80 then 300 else 250', group: 'kill' }),
    autoItem('kill-budget', { amount: '10', quota: { budget: String(BUDGET_GRANTS * 10) } }),
  ];
  await publish(ctx, items, 'grants-kill');
  const people = Array.from({ length: ENTITIES }, (_, i) => elder(`K${i}`, i % 2 ? '1940-03-01' : '1950-03-01'));
  const ids = await seedEntities(ctx, 'person', people);
  for (const it of items) await markEligible(db, it, ids, new Date('2025-06-02T08:00:00Z'));
}

interface Outcome {
  killed: boolean;
  stdout: string;
  stderr: string;
  code: number | null;
  /** Milliseconds from the spawn to the first progress line (start-up, open, the first unit's reading). */
  startupMs?: number;
}

/**
 * When to kill. 'run': once this run has committed `afterCreated` grants of its own (progress
 * lines come one per 1%, about one per chunk, with the count), after `afterMs` more — a random
 * moment of the work under way, whatever the speed or load of the machine, and never after
 * the work is done. 'spawn': `afterMs` after the spawn, drawn within the start-up (process,
 * database, first reads) of the previous run.
 */
type Kill = { from: 'run'; afterCreated: number; afterMs: number } | { from: 'spawn'; afterMs: number };

function runCli(env: Record<string, string | undefined>, kill?: Kill): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const spawned = performance.now();
    const child = spawn(process.execPath, [KX, 'grant', 'run', '--date', '2025-06-30', '--chunk', '500', '--progress-step', '1'], { cwd: ROOT, env: env as NodeJS.ProcessEnv });
    let stdout = '';
    let stderr = '';
    let startupMs: number | undefined;
    child.stdout.on('data', (d) => (stdout += d));
    let timer: NodeJS.Timeout | undefined;
    const arm = () => (timer ??= setTimeout(() => child.kill('SIGKILL'), kill!.afterMs));
    if (kill?.from === 'spawn') arm();
    child.stderr.on('data', (d) => {
      stderr += d;
      if (startupMs === undefined && /granting: \d+%/.test(stderr)) startupMs = performance.now() - spawned;
      if (kill?.from === 'run' && Math.max(0, ...[...stderr.matchAll(/created (\d+)\)/g)].map((m) => Number(m[1]))) >= kill.afterCreated) arm();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', stdout, stderr, code, startupMs });
    });
  });
}

async function counts(db: Db): Promise<Record<string, number>> {
  const r = await db.query<{ item_id: string; n: string }>("SELECT item_id, count(*) AS n FROM grants GROUP BY item_id");
  return Object.fromEntries(r.rows.map((x) => [x.item_id, Number(x.n)]));
}

describe.each(DATABASES)('kx grant run killed with SIGKILL ten times (%s)', (kind) => {
  let t: CrashTarget | undefined;
  afterAll(async () => t?.drop());

  it('leaves each grant exactly once and none missing', async () => {
    const random = (n: number) => Math.floor(Math.random() * n);
    t = await target(kind);
    let db = await t.open();
    await seed(db);
    await db.close();

    const kills: (Kill & { killed: boolean; grants: number })[] = [];
    let startupMs = 1000;
    let paying = 0; // grants that pay, so far (the superseded ones are not counted as created)
    const PAYING = ENTITIES * 2 + BUDGET_GRANTS;
    for (let k = 0; k < KILLS; k++) {
      // Most kills at a random moment of the run under way — after a random share (up to 40%)
      // of the grants still to make, so that they spread over the units; every third one
      // during start-up.
      const kill: Kill =
        k % 3 === 2 ? { from: 'spawn', afterMs: random(startupMs) } : { from: 'run', afterCreated: 1 + random(Math.floor((PAYING - paying) * 0.4)), afterMs: random(80) };
      const o = await runCli(t.env, kill);
      if (!o.killed) expect(o.code, o.stderr).toBe(0);
      if (o.startupMs !== undefined) startupMs = o.startupMs;
      db = await t.open();
      const n = Object.values(await counts(db)).reduce((a, b) => a + b, 0);
      paying = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM grants WHERE status <> 'superseded'")).rows[0].n);
      await db.close();
      kills.push({ ...kill, killed: o.killed, grants: n });
    }
    // The kills landed while work was under way: a kill mid-run comes after commits of its own
    // run and leaves work to do, so the grants grew from each to the next.
    const midRun = kills.filter((x) => x.from === 'run');
    expect(midRun.filter((x) => x.killed).length).toBeGreaterThanOrEqual(5);
    expect(new Set(midRun.map((x) => x.grants)).size).toBeGreaterThanOrEqual(5);
    const last = await runCli(t.env);
    expect(last.code, last.stderr).toBe(0);
    const lines = last.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]) as Record<string, number>;
    expect(Object.keys(summary).sort()).toEqual(['already_granted', 'blocked_by_budget', 'created', 'seconds']);
    expect(summary.blocked_by_budget).toBe(ENTITIES - BUDGET_GRANTS);

    db = await t.open();
    try {
      expect(await counts(db)).toEqual({ 'kill-plain': ENTITIES, 'kill-low': ENTITIES, 'kill-high': ENTITIES, 'kill-budget': BUDGET_GRANTS });
      const amounts = await db.query<{ item_id: string; status: string; amount: string; n: string }>(
        'SELECT item_id, status, amount::text AS amount, count(*) AS n FROM grants GROUP BY item_id, status, amount ORDER BY item_id, status, amount',
      );
      expect(amounts.rows.map((r) => [r.item_id, r.status, r.amount, Number(r.n)])).toEqual([
        ['kill-budget', 'granted', '10', BUDGET_GRANTS],
        ['kill-high', 'granted', '250', ENTITIES / 2],
        ['kill-high', 'granted', '300', ENTITIES / 2],
        ['kill-low', 'superseded', '0', ENTITIES],
        ['kill-plain', 'granted', '100', ENTITIES],
      ]);
      // The budget went to the first 7,500 in order (entity number), the same whatever the kills.
      const budgeted = await db.query<{ max_rank: string }>(
        `SELECT max(r.rank) AS max_rank FROM (SELECT e.id, row_number() OVER (ORDER BY e.id) AS rank FROM entities e) r
           JOIN grants g ON g.entity_id = r.id AND g.item_id = 'kill-budget'`,
      );
      expect(Number(budgeted.rows[0].max_rank)).toBe(BUDGET_GRANTS);
      const ledger = await db.query<{ item_id: string; bad: boolean }>(
        `SELECT l.item_id, (l.spent <> COALESCE(s.total, 0) OR l.granted_count <> COALESCE(s.n, 0)) AS bad FROM grant_ledger l
           LEFT JOIN (SELECT item_id, period_key, sum(amount) AS total, count(*) AS n FROM grants
                       WHERE status IN ('pending_confirmation', 'granted', 'batched', 'paid', 'payment_failed') GROUP BY item_id, period_key) s
             ON s.item_id = l.item_id AND s.period_key = l.period_key`,
      );
      expect(ledger.rows.filter((r) => r.bad)).toEqual([]);
      expect(ledger.rows).toHaveLength(4);
      const perGrant = await db.query<{ bad: string }>(
        `SELECT count(*) AS bad FROM grants g
          WHERE g.status = 'granted' AND (
                (SELECT count(*) FROM case_timeline c WHERE c.case_type = 'grant' AND c.case_id = g.id AND c.event = 'first_eligible') <> 1
             OR (SELECT count(*) FROM case_timeline c WHERE c.case_type = 'grant' AND c.case_id = g.id AND c.event = 'approved') <> 1
             OR (SELECT count(*) FROM inbox i WHERE i.cause_key = 'grant:' || g.id AND i.entity_id = g.entity_id) <> 1)`,
      );
      expect(Number(perGrant.rows[0].bad)).toBe(0);
      const live = ENTITIES * 2 + BUDGET_GRANTS;
      expect(Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM case_timeline WHERE case_type = 'grant'")).rows[0].n)).toBe(live * 2);
      expect(Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM inbox WHERE case_type = 'grant'")).rows[0].n)).toBe(live);
      expect(Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM inbox WHERE kind = 'grant_budget_exhausted'")).rows[0].n)).toBe(1);
      expect((await verifyAudit(db)).ok).toBe(true);
    } finally {
      await db.close();
    }
    console.log(`[${kind}] kills: ${kills.map((x) => `${x.from === 'run' ? `run@${x.afterCreated}` : 'spawn'}+${x.afterMs}ms→${x.killed ? 'killed' : 'done'}:${x.grants}`).join(', ')}; final run ${JSON.stringify(summary)}`);
  }, 600_000);
});
