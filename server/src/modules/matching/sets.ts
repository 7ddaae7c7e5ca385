// item_sets and match_deltas: the stored state of the matching. The current verdict of an
// entity for an item is the entity's overlay (match_deltas) when that is newer than the
// item's newest set, else its bits in that set. Previous state for a diff ("was it already
// eligible?") is read the same way, per item rather than per item version, so that a new
// version does not announce again what the old one already granted.
import type { Queryable } from '../../db/db.ts';
import { clearBit, decodeBits, idsOf, setBit } from './bitset.ts';

export type SetVerdict = 'eligible' | 'undetermined';

export interface StoredSet {
  itemId: string;
  version: number;
  computedAt: Date;
  asOf: string;
  blob: Uint8Array;
  count: number;
  /** The other verdict's blob, when asked for (to tell whether a set changed at all). */
  other?: Uint8Array;
}

/** The newest set of each item (any version), of one verdict (and the other's blob with `both`). */
export async function latestSets(q: Queryable, itemIds: readonly string[] | 'all', verdict: SetVerdict = 'eligible', both = false): Promise<Map<string, StoredSet>> {
  if (itemIds !== 'all' && !itemIds.length) return new Map();
  const [col, otherCol] = verdict === 'eligible' ? ['eligible', 'undetermined'] : ['undetermined', 'eligible'];
  const r = await q.query<{ item_id: string; version: number; computed_at: Date | string; as_of: string; blob: Uint8Array; count: number; other: Uint8Array | null }>(
    `SELECT DISTINCT ON (s.item_id) s.item_id, s.version, s.computed_at, s.as_of::text AS as_of, s.${col} AS blob, s.${col}_count AS count,
            ${both ? `s.${otherCol}` : 'NULL::bytea'} AS other
       FROM item_sets s WHERE $1::text[] IS NULL OR s.item_id = ANY($1::text[]) ORDER BY s.item_id, s.version DESC`,
    [itemIds === 'all' ? null : itemIds],
  );
  return new Map(
    r.rows.map((x) => [
      x.item_id,
      { itemId: x.item_id, version: Number(x.version), computedAt: new Date(x.computed_at), asOf: x.as_of, blob: x.blob, count: Number(x.count), ...(x.other ? { other: x.other } : {}) },
    ]),
  );
}

export interface NewSet {
  itemId: string;
  version: number;
  eligible: Uint8Array;
  undetermined: Uint8Array;
  eligibleCount: number;
  undeterminedCount: number;
  asOf: string;
  computedAt: Date;
  runId: string | null;
}

export async function writeSet(q: Queryable, s: NewSet): Promise<void> {
  await q.query(
    `INSERT INTO item_sets (item_id, version, eligible, undetermined, eligible_count, undetermined_count, computed_at, as_of, run_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (item_id, version) DO UPDATE SET eligible = EXCLUDED.eligible, undetermined = EXCLUDED.undetermined,
       eligible_count = EXCLUDED.eligible_count, undetermined_count = EXCLUDED.undetermined_count,
       computed_at = EXCLUDED.computed_at, as_of = EXCLUDED.as_of, run_id = EXCLUDED.run_id`,
    [s.itemId, s.version, s.eligible, s.undetermined, s.eligibleCount, s.undeterminedCount, s.computedAt, s.asOf, s.runId],
  );
}

/**
 * Sets that came out the same as stored: only their date and run move. Their computed_at may
 * stay: the overlays between it and this run were folded into them and are deleted by a full
 * run, so no overlay can fall in between.
 */
export async function touchSets(q: Queryable, keys: { itemId: string; version: number }[], asOf: string, runId: string | null): Promise<void> {
  if (!keys.length) return;
  await q.query(
    `UPDATE item_sets s SET as_of = $3, run_id = $4 FROM unnest($1::text[], $2::int[]) AS t(i, v) WHERE s.item_id = t.i AND s.version = t.v`,
    [keys.map((k) => k.itemId), keys.map((k) => k.version), asOf, runId],
  );
}

export const SETS_EPOCH_KEY = 'matching.sets_epoch';
export const SETS_EPOCH_EXPR = `(SELECT s.value::text FROM settings s WHERE s.key = '${SETS_EPOCH_KEY}')`;

/** Tells every worker that some set changed (they drop their cached sets). */
export async function bumpSetsEpoch(q: Queryable): Promise<void> {
  await q.query(
    `INSERT INTO settings (key, value) VALUES ($1, '1'::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = to_jsonb((settings.value #>> '{}')::bigint + 1)`,
    [SETS_EPOCH_KEY],
  );
}

/**
 * The entity is told, in the same statement as the event (push, R8): a notice for each new
 * eligibility of an item it must apply for (免申即享 items tell with their grant). The cause
 * key makes it one notice per (entity, item, version) whatever reruns. Reads the CTE "ins"
 * (entity_id, item_id, item_version) of the statement it is placed in.
 */
export const NEWLY_ELIGIBLE_NOTICES = `
  INSERT INTO inbox (entity_id, kind, title, body, cause_key, item_id, data)
  SELECT ins.entity_id, 'newly_eligible', '您可能符合：' || iv.title || ' / You may qualify: ' || iv.title,
         '根据您的信息，您符合「' || iv.title || '」的条件，可以申请。 / From what we know, you meet the conditions of "' || iv.title || '" and can apply.',
         'eligible:' || ins.entity_id || ':' || ins.item_id || ':' || ins.item_version, ins.item_id, jsonb_build_object('item_version', ins.item_version)
    FROM ins JOIN item_versions iv ON iv.item_id = ins.item_id AND iv.version = ins.item_version AND iv.mode <> 'auto'
  ON CONFLICT (cause_key) DO NOTHING`;

export interface EventRow {
  entityId: number;
  itemId: string;
  itemVersion: number;
  profileVersion: number;
}

/** Writes newly_eligible events; a repeated cause writes nothing. Returns how many are new, per item. */
export async function writeEvents(q: Queryable, rows: readonly EventRow[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < rows.length; i += 50_000) {
    const part = rows.slice(i, i + 50_000);
    const r = await q.query<{ item_id: string; n: string }>(
      `WITH ins AS (
         INSERT INTO match_events (entity_id, item_id, item_version, profile_version, kind)
         SELECT t.e, t.i, t.v, t.p, 'newly_eligible' FROM unnest($1::bigint[], $2::text[], $3::int[], $4::int[]) AS t(e, i, v, p)
         ON CONFLICT DO NOTHING RETURNING entity_id, item_id, item_version),
       told AS (${NEWLY_ELIGIBLE_NOTICES})
       SELECT ins.item_id, count(*)::text AS n FROM ins GROUP BY ins.item_id`,
      [part.map((x) => x.entityId), part.map((x) => x.itemId), part.map((x) => x.itemVersion), part.map((x) => x.profileVersion)],
    );
    for (const x of r.rows) out.set(x.item_id, (out.get(x.item_id) ?? 0) + Number(x.n));
  }
  return out;
}

/** Overlays as a diff needs them: who left, who joined an item's set after a given time. */
export interface OverlayView {
  /** Of these entities, those whose overlay is newer than `since` and does not list the item. */
  dropped(itemId: string, ids: number[], since: Date | null, verdict: SetVerdict): Promise<number[]>;
  /** Entities whose overlay is newer than `since` and lists the item. */
  listed(itemId: string, since: Date | null, verdict: SetVerdict): Promise<number[]>;
}

/** Overlays read per item from the database (one item at a time: publications, listings). */
export function sqlOverlays(q: Queryable): OverlayView {
  return {
    async dropped(itemId, ids, since, verdict) {
      if (!ids.length) return [];
      const r = await q.query<{ id: string }>(
        `SELECT d.entity_id::text AS id FROM match_deltas d
          WHERE d.entity_id = ANY($1::bigint[]) AND ($2::timestamptz IS NULL OR d.computed_at > $2) AND NOT (d.${verdict} ? $3)`,
        [ids, since, itemId],
      );
      return r.rows.map((x) => Number(x.id));
    },
    async listed(itemId, since, verdict) {
      const r = await q.query<{ id: string }>(
        `SELECT d.entity_id::text AS id FROM match_deltas d WHERE d.${verdict} ? $1 AND ($2::timestamptz IS NULL OR d.computed_at > $2)`,
        [itemId, since],
      );
      return r.rows.map((x) => Number(x.id));
    },
  };
}

/** Every overlay in memory (a full run reads them once and then diffs thousands of items). */
export async function memoryOverlays(q: Queryable): Promise<OverlayView & { count: number }> {
  const r = await q.query<{ id: string; at: Date | string; eligible: Record<string, number>; undetermined: Record<string, number> }>(
    'SELECT d.entity_id::text AS id, d.computed_at AS at, d.eligible, d.undetermined FROM match_deltas d',
  );
  const at = new Map<number, number>();
  const lists = { eligible: new Map<number, Set<string>>(), undetermined: new Map<number, Set<string>>() };
  const byItem = { eligible: new Map<string, number[]>(), undetermined: new Map<string, number[]>() };
  for (const row of r.rows) {
    const id = Number(row.id);
    at.set(id, new Date(row.at).getTime());
    for (const v of ['eligible', 'undetermined'] as const) {
      const items = Object.keys(row[v] ?? {});
      lists[v].set(id, new Set(items));
      for (const item of items) {
        let l = byItem[v].get(item);
        if (!l) byItem[v].set(item, (l = []));
        l.push(id);
      }
    }
  }
  const newer = (id: number, since: Date | null) => since === null || (at.get(id) ?? -Infinity) > since.getTime();
  return {
    count: r.rows.length,
    async dropped(itemId, ids, since, verdict) {
      return ids.filter((id) => at.has(id) && newer(id, since) && !lists[verdict].get(id)!.has(itemId));
    },
    async listed(itemId, since, verdict) {
      return (byItem[verdict].get(itemId) ?? []).filter((id) => newer(id, since));
    },
  };
}

/** The current members of an item's set: its newest set with the newer overlays applied. */
export async function currentMembers(base: StoredSet | undefined, itemId: string, verdict: SetVerdict, overlays: OverlayView, words: number): Promise<Uint32Array> {
  let bits = base ? await decodeBits(base.blob) : new Uint32Array(words);
  if (bits.length < words) {
    const grown = new Uint32Array(words);
    grown.set(bits);
    bits = grown;
  }
  const since = base?.computedAt ?? null;
  if (base && base.count > 0) for (const id of await overlays.dropped(itemId, idsOf(bits), since, verdict)) clearBit(bits, id);
  for (const id of await overlays.listed(itemId, since, verdict)) {
    if (id >>> 5 >= bits.length) {
      const grown = new Uint32Array((id >>> 5) + 1);
      grown.set(bits);
      bits = grown;
    }
    setBit(bits, id);
  }
  return bits;
}
