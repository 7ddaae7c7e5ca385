// The batch runs: the full re-match (job 'match.full', `kx match --all`) and the match of one
// newly published item version (job 'match.item', `kx match --item`).
import { performance } from 'node:perf_hooks';
import type { PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { appendAudit } from '../audit/audit.ts';
import { matchItems, type ItemOutcome } from './batch.ts';
import { createRun, finishRun, runProgress } from './runs.ts';
import { memoryOverlays, sqlOverlays } from './sets.ts';
import { SNAPSHOT_MAX_AGE_HOURS, type Snapshot } from './snapshot.ts';
import { dayOf, itemFields, matchingState, snapshotFields } from './state.ts';

export type Progress = (fraction: number, note?: string) => Promise<void> | void;

export interface FullSummary {
  run_id: string;
  as_of: string;
  entities: number;
  items: number;
  eligible: number;
  undetermined: number;
  events: number;
  overlays_cleared: number;
  invalid_values: number;
  /** Whether the population was read afresh from entities (else a warm or persisted snapshot was caught up). */
  reloaded: boolean;
  /** Where the snapshot came from: this process's warm one, the persisted one, or entities. */
  snapshot: 'warm' | 'persisted' | 'entities';
  seconds: { load: number; match: number; total: number };
}

const secs = (t: number) => Math.round((performance.now() - t) / 10) / 100;

/** A worker's warm snapshot older than this is reloaded by a full run rather than caught up. */
export { SNAPSHOT_MAX_AGE_HOURS };

/**
 * Every item in force over the whole population. In a worker that holds a warm snapshot
 * (less than a day old) the snapshot is caught up; a fresh process starts from the persisted
 * snapshot (less than a day old, cache.ts) and catches it up; otherwise — none usable, a
 * stale warm snapshot, or `reload` — it is loaded from entities and replaces the warm one. The
 * overlays the snapshot covers are deleted: their entities' bits are in the new sets.
 */
export async function runFull(ctx: Ctx, opts: { by?: string | null; progress?: Progress; reload?: boolean } = {}): Promise<FullSummary> {
  const state = matchingState(ctx);
  const date = ctx.today();
  const t0 = performance.now();
  const runId = await createRun(ctx.db, 'full', date, { by: opts.by ?? null });
  const report = async (p: number, counts: { entities?: number; items?: number } = {}) => {
    await runProgress(ctx.db, runId, p, counts);
    await opts.progress?.(p);
  };
  try {
    const cat = await state.catalogue.get(ctx.db);
    let lastReport = 0;
    const warm = state.snapshot;
    const fresh = warm && !opts.reload && performance.now() - warm.loadedAt < SNAPSHOT_MAX_AGE_HOURS * 3_600_000;
    const need = snapshotFields(ctx.dict, cat.items, dayOf(date));
    let source: FullSummary['snapshot'] = fresh ? 'warm' : 'entities';
    let snap: Snapshot | undefined = fresh ? await state.warmSnapshot(need) : undefined;
    if (!warm && !opts.reload && (snap = await state.restore(need))) source = 'persisted';
    snap ??= await state.reload(need, {
      onProgress: (rows, estimate) => {
        // Progress writes are throttled: a million rows must not mean a thousand updates.
        const p = 0.4 * Math.min(1, rows / Math.max(1, estimate));
        if (p - lastReport >= 0.04) void report((lastReport = p));
      },
    });
    const load = secs(t0);
    await report(0.4, { entities: snap.size, items: cat.size });
    const t1 = performance.now();
    const overlays = await memoryOverlays(ctx.db);
    const outcomes = await matchItems(ctx, state, snap, cat.items, {
      date, runId, overlays,
      progress: async (done, total) => {
        const p = 0.4 + 0.55 * (done / total);
        if (p - lastReport >= 0.02) await report((lastReport = p));
      },
    });
    const cleared = await ctx.db.query('DELETE FROM match_deltas WHERE computed_at < $1', [snap.readAt]);
    const summary: FullSummary = {
      run_id: runId, as_of: date, entities: snap.size, items: cat.size,
      eligible: sum(outcomes, 'eligible'), undetermined: sum(outcomes, 'undetermined'), events: sum(outcomes, 'events'),
      overlays_cleared: cleared.rowCount, invalid_values: snap.invalidValues, reloaded: source === 'entities', snapshot: source,
      seconds: { load, match: secs(t1), total: secs(t0) },
    };
    await ctx.db.tx(async (q) => {
      await finishRun(q, runId, 'done', { ...summary });
      await appendAudit(q, { actor: opts.by ? `user:${opts.by}` : 'system', action: 'match.full', subject: `match_run:${runId}`, detail: { entities: summary.entities, items: summary.items, events: summary.events } });
    });
    return summary;
  } catch (e) {
    await finishRun(ctx.db, runId, 'failed', { error: e instanceof Error ? e.message.slice(0, 500) : String(e) });
    throw e;
  }
}

function sum(xs: ItemOutcome[], k: 'eligible' | 'undetermined' | 'events'): number {
  return xs.reduce((s, x) => s + x[k], 0);
}

export interface ItemSummary extends ItemOutcome {
  run_id: string | null;
  as_of: string;
  entities: number;
  skipped?: string;
  seconds: number;
}

/** One item version over the warm snapshot: its sets, and events for whoever it newly admits. */
export async function runItem(ctx: Ctx, itemId: string, version: number, opts: { by?: string | null; progress?: Progress } = {}): Promise<ItemSummary> {
  const t0 = performance.now();
  const state = matchingState(ctx);
  const date = ctx.today();
  const r = await ctx.db.query<{ body: PolicyItem; status: string }>('SELECT v.body, v.status FROM item_versions v WHERE v.item_id = $1 AND v.version = $2', [itemId, version]);
  const row = r.rows[0];
  const base = { item_id: itemId, version, eligible: 0, undetermined: 0, events: 0, run_id: null, as_of: date, entities: 0 };
  if (!row) return { ...base, skipped: 'no such version', seconds: secs(t0) };
  // A version superseded or withdrawn before its job ran is not matched: it is not in force.
  if (row.status !== 'published') return { ...base, skipped: `status ${row.status}`, seconds: secs(t0) };
  const item: PolicyItem = { ...row.body, id: itemId, version };
  const snap = await state.warmSnapshot(itemFields(item, dayOf(date)));
  const runId = await createRun(ctx.db, 'item', date, { by: opts.by ?? null, stats: { item_id: itemId, version } });
  try {
    const [outcome] = await matchItems(ctx, state, snap, [item], { date, runId, overlays: sqlOverlays(ctx.db) });
    const summary: ItemSummary = { ...outcome, run_id: runId, as_of: date, entities: snap.size, seconds: secs(t0) };
    await finishRun(ctx.db, runId, 'done', { ...summary });
    await opts.progress?.(1);
    return summary;
  } catch (e) {
    await finishRun(ctx.db, runId, 'failed', { error: e instanceof Error ? e.message.slice(0, 500) : String(e) });
    throw e;
  }
}
