// The grant run (免申即享, R5): every published auto item in force on the date, each entity
// eligible now, one grant per item and period — in chunks, each chunk one transaction.
// Idempotent and crash-safe by construction: what a chunk writes is keyed by (entity,
// item, period), so a repeated or restarted run skips what is there and finishes the rest.
// docs/decisions/0011-grants-exactly-once.md
import { parseDate } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { badInput } from '../../errors.ts';
import { appendAudit } from '../audit/audit.ts';
import { autoItemsInForce, candidatesOf, type AutoItem } from './items.ts';
import { ChunkReader, type EvidenceFact } from './read.ts';
import { causeKey, isSerial, timed, timedQueries, writeChunk, type Cause, type ChunkPart, type Clock, type Unit } from './write.ts';

export interface GrantRunOptions {
  /** One item only. */
  item?: string;
  /** Run date (YYYY-MM-DD): which items are in force, which period. Default: today. */
  date?: string;
  /** Entities per transaction. */
  chunkSize?: number;
  /** Chunk transactions at once on PostgreSQL (PGlite: always 1). */
  concurrency?: number;
  actor?: string;
  onProgress?: (p: GrantRunProgress) => void;
}

export interface GrantRunProgress {
  /** 0..1: finished units plus the done share of the units under way, over all units. */
  fraction: number;
  units: number;
  unitsDone: number;
  /** Entities processed so far (each with the offers of its unit's items). */
  entities: number;
  created: number;
}

/** The operator's summary (`kx grant run` prints exactly these four keys). */
export interface GrantRunSummary {
  created: number;
  already_granted: number;
  blocked_by_budget: number;
  seconds: number;
}

export interface GrantRunReport extends GrantRunSummary {
  date: string;
  items: number;
  superseded: number;
  blocked_by_quota: number;
  amount_unknown: number;
  zero_amount: number;
  /** Items whose published version the matching has not evaluated yet (nothing granted). */
  waiting: string[];
  /** Items that ran out of budget or quota in this run, with how many were left without. */
  exhausted: { item: string; period: string; reason: 'budget' | 'quota'; blocked: number }[];
  /** Seconds per step, summed over chunks (chunks run side by side, so the sum can exceed `seconds`). */
  steps: Record<string, number>;
}

/** Items of one stacking group and period are decided together, entity by entity. */
function unitsOf(items: AutoItem[], date: string): Unit[] {
  const units = new Map<string, Unit>();
  for (const it of items) {
    const key = it.group ? `group:${it.group}|${it.period}` : `item:${it.id}`;
    const u = units.get(key) ?? { key, items: [], period: it.period, group: it.group, date };
    u.items.push(it);
    units.set(key, u);
  }
  return [...units.values()];
}

interface Prepared {
  unit: Unit;
  reader: ChunkReader;
  order: [number, { since: string; offers: { item: string; cause: Cause }[] }][];
  causes: Map<string, Cause>;
  exhausted: Map<string, 'budget' | 'quota'>;
  blockedPerItem: Map<string, number>;
  done: number;
  chunksLeft: number;
}

type Task = () => Promise<void>;

/** Entities [from, to) of a prepared unit's order. */
interface Piece {
  p: Prepared;
  from: number;
  to: number;
}

export async function runGrants(ctx: Ctx, opts: GrantRunOptions = {}): Promise<GrantRunReport> {
  const started = performance.now();
  const date = opts.date ?? ctx.today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || parseDate(date) === undefined) throw badInput('date', `日期 "${date}" 无效，应为 YYYY-MM-DD`, `"${date}" is not a valid date (YYYY-MM-DD)`);
  const chunkSize = opts.chunkSize ?? 5000;
  // PGlite has one connection: parallel transactions would only queue behind each other.
  const concurrency = ctx.db.kind === 'pglite' ? 1 : Math.max(1, opts.concurrency ?? 4);
  const actor = opts.actor ?? 'system:grant-run';
  const items = await autoItemsInForce(ctx.db, ctx.dict, date, opts.item);
  const units = unitsOf(items, date);
  const report: GrantRunReport = {
    created: 0, already_granted: 0, blocked_by_budget: 0, seconds: 0,
    date, items: items.length, superseded: 0, blocked_by_quota: 0, amount_unknown: 0, zero_amount: 0, waiting: [], exhausted: [], steps: {},
  };
  const clock: Clock = new Map();
  const active = new Set<Prepared>();
  let unitsDone = 0;
  let entities = 0;
  const progress = () => {
    let partial = 0;
    for (const p of active) partial += p.order.length ? p.done / p.order.length : 0;
    opts.onProgress?.({ fraction: units.length ? (unitsDone + partial) / units.length : 1, units: units.length, unitsDone, entities, created: report.created });
  };

  // A chunk: slices of one or more units, one transaction.
  const runChunk = async (pieces: Piece[]) => {
    const parts: ChunkPart[] = [];
    const evidence = new Map<number, Map<string, EvidenceFact>>();
    for (const { p, from, to } of pieces) {
      const slice = p.order.slice(from, to);
      const facts = await timed(clock, 'read facts (amounts, evidence)', () => p.reader.read(timedQueries(ctx.db, clock), slice.map(([e]) => e)));
      for (const [e, ev] of facts.evidence) {
        const had = evidence.get(e);
        if (had) for (const [f, x] of ev) had.set(f, x);
        else evidence.set(e, ev);
      }
      parts.push({ unit: p.unit, causes: p.causes, exhausted: p.exhausted, offers: slice.map(([e, t]) => t.offers.map((o) => ({ entity: e, item: o.item, amount: facts.amounts.get(e)?.get(o.item) }))) });
    }
    const results = await timed(clock, 'write transaction', () => ctx.db.tx((q) => writeChunk(q, { parts, evidence, now: ctx.now(), actor, clock })));
    for (const [k, r] of results.entries()) {
      const { p, from, to } = pieces[k];
      for (const [item, n] of r.blockedPerItem) p.blockedPerItem.set(item, (p.blockedPerItem.get(item) ?? 0) + n);
      report.created += r.created;
      report.already_granted += r.already;
      report.superseded += r.superseded;
      report.blocked_by_budget += r.blockedBudget + r.blockedQuota;
      report.blocked_by_quota += r.blockedQuota;
      report.amount_unknown += r.unknownAmount;
      report.zero_amount += r.zeroAmount;
      p.done += to - from;
      entities += to - from;
      if (--p.chunksLeft === 0) await finishUnit(p);
    }
    progress();
  };
  const finishUnit = async (p: Prepared) => {
    for (const [item, reason] of p.exhausted) {
      const it = p.unit.items.find((x) => x.id === item)!;
      const blocked = p.blockedPerItem.get(item) ?? 0;
      report.exhausted.push({ item, period: p.unit.period, reason, blocked });
      await noticeExhausted(ctx, it, reason, blocked, actor);
    }
    active.delete(p);
    unitsDone++;
  };

  // Tasks are handed out lazily, one unit prepared at a time. A unit with a budget, a quota
  // or a stacking group that needs several chunks runs them in order (earliest eligible first
  // gets the budget); every other slice — the chunks of a large plain unit, and the small units
  // of a catalogue, several to a chunk — is independent of the others and runs side by side.
  let u = 0;
  const pending: Task[] = [];
  let packing: Piece[] = [];
  let packed = 0;
  const flush = () => {
    const pieces = packing;
    if (pieces.length) pending.push(() => runChunk(pieces));
    packing = [];
    packed = 0;
  };
  const nextTask = async (): Promise<Task | undefined> => {
    while (!pending.length && u < units.length) {
      const p = await timed(clock, 'read eligible sets', () => prepare(ctx, units[u++], report, clock));
      p.chunksLeft = Math.ceil(p.order.length / chunkSize);
      active.add(p);
      progress();
      if (p.chunksLeft === 0) {
        await finishUnit(p);
        continue;
      }
      const pieces = Array.from({ length: p.chunksLeft }, (_, i): Piece => ({ p, from: i * chunkSize, to: Math.min(p.order.length, (i + 1) * chunkSize) }));
      if (isSerial(p.unit) && pieces.length > 1) {
        pending.push(async () => {
          for (const piece of pieces) await runChunk([piece]);
        });
        continue;
      }
      for (const piece of pieces) {
        if (packed && packed + piece.to - piece.from > chunkSize) flush();
        packing.push(piece);
        packed += piece.to - piece.from;
        if (packed >= chunkSize) flush();
      }
    }
    if (!pending.length) flush();
    return pending.shift();
  };
  let handing = Promise.resolve<Task | undefined>(undefined);
  const take = () => (handing = handing.then(nextTask, nextTask));
  let failure: unknown;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (failure === undefined) {
        const task = await take().catch((e: unknown) => {
          failure ??= e;
          return undefined;
        });
        if (!task) return;
        await task().catch((e: unknown) => {
          failure ??= e;
        });
      }
    }),
  );
  if (failure !== undefined) throw failure;
  report.seconds = Math.round((performance.now() - started) / 10) / 100;
  for (const [step, ms] of clock) report.steps[step] = Math.round(ms / 10) / 100;
  return report;
}

/** Who is eligible, and who already holds a grant of the period (skipped without a transaction). */
async function prepare(ctx: Ctx, unit: Unit, report: GrantRunReport, clock: Clock): Promise<Prepared> {
  const q = timedQueries(ctx.db, clock);
  const todo = new Map<number, { since: string; offers: { item: string; cause: Cause }[] }>();
  const causes = new Map<string, Cause>();
  for (const it of unit.items) {
    const held = new Set(
      (await q.query<{ entity_id: string }>('SELECT entity_id::text AS entity_id FROM grants WHERE item_id = $1 AND period_key = $2', [it.id, it.period])).rows.map((r) => Number(r.entity_id)),
    );
    const found = await candidatesOf(q, it, ctx.now());
    if (found.waiting) report.waiting.push(it.id);
    for (const c of found.list) {
      if (held.has(c.entity)) {
        report.already_granted++;
        continue;
      }
      const cause = { event: c.event, since: c.since };
      causes.set(causeKey(c.entity, it.id), cause);
      const t = todo.get(c.entity);
      if (t) {
        t.offers.push({ item: it.id, cause });
        if (c.since < t.since) t.since = c.since;
      } else todo.set(c.entity, { since: c.since, offers: [{ item: it.id, cause }] });
    }
  }
  const order = [...todo.entries()].sort((a, b) => (a[1].since < b[1].since ? -1 : a[1].since > b[1].since ? 1 : a[0] - b[0]));
  return { unit, reader: new ChunkReader(ctx.dict, ctx.crypto, unit.items, unit.date), order, causes, exhausted: new Map(), blockedPerItem: new Map(), done: 0, chunksLeft: 0 };
}

/** One notice per item and period when its budget or quota runs out (cause-keyed). */
async function noticeExhausted(ctx: Ctx, it: AutoItem, reason: 'budget' | 'quota', blocked: number, actor: string): Promise<void> {
  const what = reason === 'budget' ? { zh: '预算', en: 'budget' } : { zh: '名额', en: 'quota' };
  await ctx.db.tx(async (q) => {
    const r = await q.query(
      `INSERT INTO inbox (department, kind, title, body, cause_key, item_id, created_at) VALUES ($1, 'grant_budget_exhausted', $2, $3, $4, $5, $6)
       ON CONFLICT (cause_key) DO NOTHING RETURNING id`,
      [
        it.department,
        `免申即享${what.zh}已用尽：${it.title}`,
        `「${it.title}」${it.period} 的${what.zh}已用尽，本次发放后仍有 ${blocked} 个符合条件的主体未获发放。追加${what.zh}并发布新版本后，再次运行发放即可补发。 / The ${what.en} of "${it.id}" for ${it.period} is used up; ${blocked} eligible entities were left without a grant. Raise it in a new version and run the grants again.`,
        `grant:${reason}:${it.id}:${it.period}`,
        it.id,
        ctx.now(),
      ],
    );
    if (r.rows.length) await appendAudit(q, { actor, action: 'grant.budget_exhausted', subject: `item:${it.id}`, detail: { period: it.period, reason, blocked } });
  });
}
