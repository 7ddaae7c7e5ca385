// One entity changed (job 'match.entity'): its verdicts on every item in force, with the
// compiled catalogue matcher, against its previous state — its overlay when that is newer
// than the item's set, else its bit in the set. It writes its new overlay and an event for
// each item it became eligible for (and, for items to apply for, a notice to the entity).
// One query to read, one transaction to write.
import { performance } from 'node:perf_hooks';
import type { EntityKind } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { compactHas } from './bitset.ts';
import { EPOCH_EXPR } from './catalogue.ts';
import { entityFromStored } from './facts.ts';
import { NEWLY_ELIGIBLE_NOTICES, SETS_EPOCH_EXPR, type EventRow } from './sets.ts';
import { dayOf, matchingState } from './state.ts';

export interface EntitySummary {
  entity_id: string;
  profile_version: number | null;
  eligible: number;
  undetermined: number;
  events: number;
  /** Items newly eligible for, "id@version". */
  newly_eligible: string[];
  skipped?: string;
  ms: number;
}

interface Row {
  kind: EntityKind;
  version: number;
  facts: Record<string, unknown>;
  at: Date | string;
  overlay_at: Date | string | null;
  overlay_eligible: Record<string, number> | null;
  epoch: string;
  sets_epoch: string | null;
}

export async function refreshEntity(ctx: Ctx, entityId: string): Promise<EntitySummary> {
  const t0 = performance.now();
  const state = matchingState(ctx);
  const r = await ctx.db.query<Row>(
    `SELECT e.kind, e.version, e.facts, clock_timestamp() AS at, d.computed_at AS overlay_at, d.eligible AS overlay_eligible,
            ${EPOCH_EXPR} AS epoch, ${SETS_EPOCH_EXPR} AS sets_epoch
       FROM entities e LEFT JOIN match_deltas d ON d.entity_id = e.id WHERE e.id = $1`,
    [entityId],
  );
  const row = r.rows[0];
  const ms = () => Math.round((performance.now() - t0) * 100) / 100;
  if (!row) return { entity_id: entityId, profile_version: null, eligible: 0, undetermined: 0, events: 0, newly_eligible: [], skipped: 'no such entity', ms: ms() };
  const cat = await state.catalogue.get(ctx.db, row.epoch);
  state.baseline.sync(row.sets_epoch);
  const date = ctx.today();
  const entity = entityFromStored(ctx, entityId, row.kind, row.facts);
  const codes = cat.matcher(dayOf(date)).evaluate(entity);

  const eligible: Record<string, number> = {};
  const undetermined: Record<string, number> = {};
  const nowEligible: number[] = [];
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === 1) {
      eligible[cat.items[i].id] = cat.items[i].version;
      nowEligible.push(i);
    } else if (codes[i] === 2) undetermined[cat.items[i].id] = cat.items[i].version;
  }
  const id = Number(entityId);
  const overlayAt = row.overlay_at === null ? null : new Date(row.overlay_at).getTime();
  const sets = await state.baseline.get(ctx.db, nowEligible.map((i) => cat.items[i].id));
  const events: EventRow[] = [];
  for (const i of nowEligible) {
    const item = cat.items[i];
    const set = sets.get(item.id) ?? null;
    const overlayWins = overlayAt !== null && (set === null || overlayAt > set.computedAt);
    const before = overlayWins ? item.id in (row.overlay_eligible ?? {}) : set !== null && compactHas(set.eligible, id);
    if (!before) events.push({ entityId: id, itemId: item.id, itemVersion: item.version, profileVersion: row.version });
  }
  // One statement for the overlay and the events, so they commit together; a newer overlay
  // (a later job that finished first) is kept. The commit does not wait for the disk: the
  // job's own completion, committed next, flushes it — and a crash before that re-runs the
  // job, which writes the same rows again.
  const w = await ctx.db.tx(async (q) => {
    await q.query('SET LOCAL synchronous_commit = off');
    return q.query<{ item_id: string }>(
      `WITH overlay AS (
         INSERT INTO match_deltas (entity_id, profile_version, as_of, eligible, undetermined, computed_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (entity_id) DO UPDATE SET profile_version = EXCLUDED.profile_version, as_of = EXCLUDED.as_of,
           eligible = EXCLUDED.eligible, undetermined = EXCLUDED.undetermined, computed_at = EXCLUDED.computed_at
         WHERE match_deltas.computed_at <= EXCLUDED.computed_at
         RETURNING 1),
       ins AS (
         INSERT INTO match_events (entity_id, item_id, item_version, profile_version, kind)
         SELECT $1, t.i, t.v, $2, 'newly_eligible' FROM unnest($7::text[], $8::int[]) AS t(i, v)
         ON CONFLICT DO NOTHING RETURNING entity_id, item_id, item_version),
       told AS (${NEWLY_ELIGIBLE_NOTICES})
       SELECT ins.item_id FROM ins`,
      [entityId, row.version, date, JSON.stringify(eligible), JSON.stringify(undetermined), row.at, events.map((e) => e.itemId), events.map((e) => e.itemVersion)],
    );
  });
  const written = new Set(w.rows.map((x) => x.item_id));
  // The warm snapshot (workers) takes the change now rather than at its next catch-up.
  state.snapshot?.apply([{ id, kind: row.kind, version: row.version, facts: row.facts }]);
  const fresh = events.filter((e) => written.has(e.itemId)).map((e) => `${e.itemId}@${e.itemVersion}`);
  return {
    entity_id: entityId, profile_version: row.version, eligible: nowEligible.length, undetermined: Object.keys(undetermined).length,
    events: fresh.length, newly_eligible: fresh, ms: ms(),
  };
}
