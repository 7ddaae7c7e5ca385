// Validated records into the database, in the caller's transaction, a chunk at a time:
// one read of the chunk's entities (locked), then one statement each for new entities,
// changed entities, history rows and re-match jobs — whatever the chunk's size.
//
// Per field, only a change makes a history row, so re-importing a file changes nothing.
// A value whose as-of date is at or after the current one's replaces it; an older one
// (a late file) only enters the history, where factsAsOf finds it for its dates — unless
// the history already says the same for that date.
import { maskName } from '@kx/data';
import type { EntityKind } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { seal, unseal } from './sensitive.ts';
import type { ValidRecord } from './validate.ts';

export interface ApplyMeta {
  source: string;
  /** YYYY-MM-DD */
  asOf: string;
  importId?: string;
}

/** What one record did to its entity. */
export interface Applied {
  entityId: string;
  /** The entity's version after this record. */
  version: number;
  created: boolean;
  /** Fields whose current value changed. */
  changed: string[];
}

export interface Provenance {
  /** source system */
  s: string;
  /** as-of date */
  d: string;
}

interface EntityState {
  id?: string;
  kind: EntityKind;
  keyHash: string;
  /** stored form: personal values sealed */
  facts: Record<string, unknown>;
  provenance: Record<string, Provenance>;
  version: number;
  created: boolean;
  dirty: boolean;
  /** decrypted values, so that a value is opened at most once per chunk */
  plain: Map<string, unknown>;
}

interface HistoryRow {
  state: EntityState;
  field: string;
  value: unknown;
  stored: unknown;
  ref: string | null;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

function currentValue(ctx: Ctx, st: EntityState, field: string): unknown {
  if (!st.plain.has(field)) st.plain.set(field, field in st.facts ? unseal(ctx.crypto, st.facts[field]) : null);
  return st.plain.get(field);
}

/** The value the history gives for a date: rows of this chunk first (they come last), then the stored rows. */
async function valueAt(ctx: Ctx, q: Queryable, st: EntityState, field: string, date: string, pending: HistoryRow[]): Promise<unknown> {
  for (let i = pending.length - 1; i >= 0; i--) if (pending[i].state === st && pending[i].field === field) return pending[i].value;
  if (!st.id) return undefined;
  const r = await q.query<{ value: unknown }>('SELECT value FROM facts WHERE entity_id = $1 AND field = $2 AND as_of <= $3 ORDER BY as_of DESC, id DESC LIMIT 1', [st.id, field, date]);
  return r.rows.length ? unseal(ctx.crypto, r.rows[0].value) : undefined;
}

function displayName(ctx: Ctx, st: EntityState): string | null {
  const name = currentValue(ctx, st, 'name');
  if (typeof name !== 'string') return null;
  // A person's name never sits in clear outside the sealed facts.
  return st.kind === 'person' ? maskName(name) : name;
}

async function loadStates(q: Queryable, records: ValidRecord[]): Promise<Map<string, EntityState>> {
  const r = await q.query<{ id: string; kind: EntityKind; key_hash: string; facts: Record<string, unknown>; provenance: Record<string, Provenance>; version: number }>(
    'SELECT id::text AS id, kind, key_hash, facts, provenance, version FROM entities WHERE key_hash = ANY($1::text[]) ORDER BY entities.id FOR UPDATE',
    [[...new Set(records.map((x) => x.keyHash))]],
  );
  return new Map(r.rows.map((e) => [e.key_hash, { id: e.id, kind: e.kind, keyHash: e.key_hash, facts: e.facts, provenance: e.provenance, version: e.version, created: false, dirty: false, plain: new Map() }]));
}

/** Applies records in order (a later record about the same entity sees the earlier one). */
export async function applyRecords(ctx: Ctx, q: Queryable, records: ValidRecord[], meta: ApplyMeta): Promise<{ applied: Applied[]; historyRows: number }> {
  if (!records.length) return { applied: [], historyRows: 0 };
  const states = await loadStates(q, records);
  const history: HistoryRow[] = [];
  const outcomes: { st: EntityState; version: number; created: boolean; changed: string[] }[] = [];
  for (const rec of records) {
    let st = states.get(rec.keyHash);
    const isNew = !st;
    if (!st) {
      st = { kind: rec.kind, keyHash: rec.keyHash, facts: {}, provenance: {}, version: 0, created: true, dirty: false, plain: new Map() };
      states.set(rec.keyHash, st);
    }
    const entries = Object.entries(rec.facts);
    for (const [f, v] of Object.entries(rec.derived)) if (!(f in st.provenance)) entries.push([f, v]);
    const changed: string[] = [];
    for (const [field, value] of entries) {
      const def = ctx.dict.fields.get(field);
      const prov = st.provenance[field];
      if (!prov || meta.asOf >= prov.d) {
        if (prov ? same(currentValue(ctx, st, field), value) : value === null) continue;
        const stored = seal(ctx.crypto, def, value);
        history.push({ state: st, field, value, stored, ref: rec.ref ?? null });
        if (value === null) delete st.facts[field];
        else st.facts[field] = stored;
        st.plain.set(field, value);
        st.provenance[field] = { s: meta.source, d: meta.asOf };
        changed.push(field);
      } else if (!same(await valueAt(ctx, q, st, field, meta.asOf, history), value)) {
        history.push({ state: st, field, value, stored: seal(ctx.crypto, def, value), ref: rec.ref ?? null });
      }
    }
    if (changed.length) {
      st.version++;
      st.dirty = true;
    }
    outcomes.push({ st, version: st.version, created: isNew, changed });
  }

  const now = ctx.now();
  const all = [...states.values()];
  const fresh = all.filter((s) => s.created && s.dirty);
  if (fresh.length) {
    const r = await q.query<{ id: string; key_hash: string }>(
      `INSERT INTO entities (kind, key_hash, display_name, region, facts, provenance, version, created_at, updated_at)
       SELECT t.kind, t.key_hash, t.display_name, t.region, t.facts::jsonb, t.provenance::jsonb, t.version, $8, $8
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[]) WITH ORDINALITY
              AS t(kind, key_hash, display_name, region, facts, provenance, version, ord)
        ORDER BY t.ord
       RETURNING id::text AS id, key_hash`,
      [fresh.map((s) => s.kind), fresh.map((s) => s.keyHash), fresh.map((s) => displayName(ctx, s)), fresh.map((s) => textOrNull(s.facts.region)),
        fresh.map((s) => JSON.stringify(s.facts)), fresh.map((s) => JSON.stringify(s.provenance)), fresh.map((s) => s.version), now],
    );
    const ids = new Map(r.rows.map((x) => [x.key_hash, x.id]));
    for (const s of fresh) s.id = ids.get(s.keyHash);
  }
  const updated = all.filter((s) => !s.created && s.dirty);
  if (updated.length)
    await q.query(
      `UPDATE entities AS e SET facts = t.facts::jsonb, provenance = t.provenance::jsonb, version = t.version, display_name = t.display_name, region = t.region, updated_at = $7
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[]) AS t(id, facts, provenance, version, display_name, region)
        WHERE e.id = t.id`,
      [updated.map((s) => s.id), updated.map((s) => JSON.stringify(s.facts)), updated.map((s) => JSON.stringify(s.provenance)), updated.map((s) => s.version),
        updated.map((s) => displayName(ctx, s)), updated.map((s) => textOrNull(s.facts.region)), now],
    );
  if (history.length)
    await q.query(
      `INSERT INTO facts (entity_id, field, value, source, as_of, recorded_at, import_id, record_ref)
       SELECT t.entity_id, t.field, t.value::jsonb, $4, $5::date, $6, $7::bigint, t.ref
         FROM unnest($1::bigint[], $2::text[], $3::text[], $8::text[]) AS t(entity_id, field, value, ref)`,
      [history.map((h) => h.state.id), history.map((h) => h.field), history.map((h) => json(h.stored)), meta.source, meta.asOf, now, meta.importId ?? null, history.map((h) => h.ref)],
    );
  const changedStates = all.filter((s) => s.dirty);
  if (changedStates.length) await enqueueMatches(q, changedStates.map((s) => ({ id: s.id!, version: s.version })));

  return {
    applied: outcomes.map((o) => ({ entityId: o.st.id!, version: o.version, created: o.created, changed: o.changed })),
    historyRows: history.length,
  };
}

const textOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The incremental re-match of each changed entity, in this transaction: the same rows
 * enqueue(q, 'match.entity', {entity_id, version}, {key: `match.entity:${id}:${version}`})
 * would write, in one statement for the whole chunk.
 */
async function enqueueMatches(q: Queryable, changed: { id: string; version: number }[]): Promise<void> {
  await q.query(
    `INSERT INTO jobs (queue, payload, idempotency_key)
     SELECT 'match.entity', jsonb_build_object('entity_id', t.id::text, 'version', t.version), 'match.entity:' || t.id::text || ':' || t.version::text
       FROM unnest($1::bigint[], $2::int[]) AS t(id, version)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [changed.map((c) => c.id), changed.map((c) => c.version)],
  );
}
