// Items over the whole population, columnar: verdict bits per snapshot row → bitsets of
// entity ids → deflated into item_sets, and a newly_eligible event for each entity that is
// eligible now and was not before (its previous state read from the item's newest set and
// the overlays newer than it). Items go in chunks so that the verdict bits of a chunk stay
// within a memory budget whatever the population.
import { columnarVerdicts, compileCatalogue, evaluateColumnar, planFields, type BitsetSink, type PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { andNot, countBits, encodeBits, idsOf, scatterRows, wordsFor } from './bitset.ts';
import { bumpSetsEpoch, currentMembers, latestSets, touchSets, writeEvents, writeSet, type EventRow, type NewSet, type OverlayView } from './sets.ts';
import type { Snapshot } from './snapshot.ts';
import { dayOf, type MatchingState } from './state.ts';

/** Bytes of verdict bits (eligible + undetermined, all items of a chunk) held at once. */
export const CHUNK_BYTES = 256 * 1024 * 1024;

export interface ItemOutcome {
  item_id: string;
  version: number;
  eligible: number;
  undetermined: number;
  events: number;
}

export interface MatchItemsOptions {
  date: string;
  runId: string | null;
  overlays: OverlayView;
  progress?: (done: number, total: number) => Promise<void> | void;
}

async function verdictBits(state: MatchingState, snap: Snapshot, items: PolicyItem[], day: number, dict: Ctx['dict']): Promise<BitsetSink> {
  const plan = compileCatalogue(dict, items, day);
  if (!snap.has(planFields(plan))) throw new Error('快照缺少事项读取的字段 / the snapshot lacks a field the items read');
  // A single thread is quicker than a round trip to the pool for one item.
  if (state.pool && state.pool.threads > 1 && items.length > 1) return evaluateColumnar(plan, snap.pop, { pool: state.pool, sink: 'bitsets' });
  return columnarVerdicts(plan, snap.pop);
}

/** Evaluates the items over the snapshot and stores their sets and events. */
export async function matchItems(ctx: Ctx, state: MatchingState, snap: Snapshot, items: PolicyItem[], opts: MatchItemsOptions): Promise<ItemOutcome[]> {
  const day = dayOf(opts.date);
  const rowWords = Math.max(1, (snap.size + 31) >>> 5);
  const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / (8 * rowWords)));
  const out: ItemOutcome[] = [];
  for (let c = 0; c < items.length; c += perChunk) {
    const chunk = items.slice(c, c + perChunk);
    await snap.hold(async () => {
      const bits = await verdictBits(state, snap, chunk, day, ctx.dict);
      const idWords = wordsFor(snap.idToRow.length);
      const prior = await latestSets(ctx.db, chunk.map((it) => it.id), 'eligible', true);
      const sets: NewSet[] = [];
      const same: NewSet[] = [];
      const events: EventRow[] = [];
      // Items of a chunk are encoded a few at a time: deflate runs on the libuv pool.
      for (let g = 0; g < chunk.length; g += 8) {
        const group = chunk.slice(g, g + 8);
        await Promise.all(
          group.map(async (item, k) => {
            const i = g + k;
            const eligible = new Uint32Array(idWords);
            const undetermined = new Uint32Array(idWords);
            scatterRows(bits.t, i * bits.words, bits.words, snap.rowIds, eligible);
            scatterRows(bits.u, i * bits.words, bits.words, snap.rowIds, undetermined);
            const before = await currentMembers(prior.get(item.id), item.id, 'eligible', opts.overlays, idWords);
            const fresh = idsOf(andNot(eligible, before));
            for (const id of fresh) events.push({ entityId: id, itemId: item.id, itemVersion: item.version, profileVersion: snap.rowVersion[snap.rowOf(id)] });
            const [e, u] = await Promise.all([encodeBits(eligible), encodeBits(undetermined)]);
            const set: NewSet = {
              itemId: item.id, version: item.version, eligible: e, undetermined: u, eligibleCount: countBits(eligible), undeterminedCount: countBits(undetermined),
              asOf: opts.date, computedAt: snap.readAt, runId: opts.runId,
            };
            // Deflate is deterministic: equal bytes, equal sets (a re-match mostly finds these).
            const old = prior.get(item.id);
            const unchanged = old?.version === item.version && old.other && Buffer.from(old.blob).equals(e) && Buffer.from(old.other).equals(u);
            // A set with new events is rewritten (computed_at moves past the overlays it answers).
            (unchanged && fresh.length === 0 ? same : sets).push(set);
          }),
        );
        await opts.progress?.(c + Math.min(chunk.length, g + 8), items.length);
      }
      // Events and sets in one transaction: a set is never stored without its events.
      const written = await ctx.db.tx(async (q) => {
        const n = await writeEvents(q, events);
        for (const s of sets) await writeSet(q, s);
        await touchSets(q, same, opts.date, opts.runId);
        if (sets.length) await bumpSetsEpoch(q);
        return n;
      });
      for (const s of [...sets, ...same]) out.push({ item_id: s.itemId, version: s.version, eligible: s.eligibleCount, undetermined: s.undeterminedCount, events: written.get(s.itemId) ?? 0 });
    });
  }
  return out;
}
