// The columnar snapshot, persisted (decision 0015). Loading a million entities from their
// facts documents costs ≈ 50 µs each (JSON, a decryption per personal value, checks), so a
// worker that starts afresh would spend most of a full re-match reading. After each full load
// from entities the snapshot's columns are written to the database — deflated, then sealed
// with the data key (they hold decrypted personal values: at rest they stay encrypted) — and
// a process without a warm snapshot starts from them and catches up on what changed since
// (Snapshot.catchUp, the warm snapshot's own path). The persisted snapshot is used only when:
// its layout fingerprint (fields, column kinds, code tables) matches this dictionary, it holds
// every field needed, it decrypts with this key, and its full load is under a day old — the
// same bound as a warm snapshot, after which a full load from entities reconciles.
import { createHash, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import { ENTITY_KIND_FIELD, PopulationBuilder, type ColumnData, type Dictionary } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { SNAPSHOT_MAX_AGE_HOURS, Snapshot } from './snapshot.ts';

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

const FORMAT = 1;
/** Plain bytes per stored part (a bytea value; parts are read several at a time). */
const PART_BYTES = 32 << 20;

type Typed = Float64Array | Int32Array | Uint16Array | Uint32Array;
const TYPES: Record<string, new (n: number) => Typed> = { Float64Array, Int32Array, Uint16Array, Uint32Array };

/** A column's main array: values, codes or masks. */
function mainArray(c: ColumnData): Typed {
  return c.kind === 'set' ? c.masks : c.kind === 'dict' ? c.codes : c.values;
}

const bytes = (a: Typed) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * What the persisted arrays mean: the fields, each column's kind and array type, and the code
 * tables fixed by the dictionary (enums, sets, booleans). Open tables (regions, texts) grow as
 * codes arrive and are persisted with the data instead.
 */
export function layoutFingerprint(dict: Dictionary, fields: readonly string[]): string {
  const keys = [ENTITY_KIND_FIELD, ...fields];
  const cols = new PopulationBuilder(dict, { fields, capacity: 1 }).finish().columns;
  const shape = keys.map((k) => {
    const c = cols[k];
    const type = dict.fields.get(k)?.type;
    const open = type === 'region' || type === 'text';
    return [k, c.kind, mainArray(c).constructor.name, c.kind === 'set' ? c.stride : 0, 'table' in c && !open ? c.table : null];
  });
  return createHash('sha256').update(JSON.stringify([FORMAT, shape])).digest('base64url');
}

interface Layout {
  size: number;
  /** Per column (entity_kind first, then the fields): its table, and its main array's type. */
  cols: { key: string; type: string; table?: string[] }[];
}

export interface SaveResult {
  bytes: number;
  stored: number;
  parts: number;
  seconds: number;
}

/**
 * Persists a snapshot, replacing the one stored. The arrays are copied synchronously (entity
 * jobs patch the live columns on this thread, so the copy is one consistent state).
 */
export async function saveSnapshot(ctx: Pick<Ctx, 'db' | 'dict' | 'crypto'>, snap: Snapshot): Promise<SaveResult> {
  const t0 = performance.now();
  const n = snap.size;
  const words = (n + 31) >>> 5;
  const keys = [ENTITY_KIND_FIELD, ...snap.fields];
  const layout: Layout = { size: n, cols: [] };
  const arrays: Uint8Array[] = [bytes(snap.rowIds.subarray(0, n)), bytes(snap.rowVersion.subarray(0, n))];
  for (const key of keys) {
    const c = snap.pop.columns[key];
    const main = mainArray(c);
    const rows = c.kind === 'set' ? n * c.stride : n;
    layout.cols.push({ key, type: main.constructor.name, ...('table' in c ? { table: [...c.table] } : {}) });
    arrays.push(bytes(c.unknown.subarray(0, words)), bytes(main.subarray(0, rows)));
  }
  // The layout (it may hold codes of text fields a rule reads) travels inside the sealed data.
  const head = Buffer.from(JSON.stringify(layout));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  const plain = Buffer.concat([len, head, ...arrays]);
  const at = { readAt: snap.readAt, watermark: snap.watermark, fullLoadAt: snap.fullLoadAt };
  const parts: Buffer[] = [];
  for (let off = 0; off < plain.length; off += PART_BYTES) parts.push(plain.subarray(off, off + PART_BYTES));
  // Deflate on the libuv pool, parts side by side; then seal each part.
  const sealed = await Promise.all(parts.map(async (p) => ctx.crypto.encryptBytes(await deflateAsync(p, { level: 1 }))));
  const gen = randomUUID();
  await ctx.db.tx(async (q) => {
    for (let i = 0; i < sealed.length; i++) await q.query('INSERT INTO snapshot_cache (gen, part, data) VALUES ($1, $2, $3)', [gen, i, sealed[i]]);
    await q.query(
      `INSERT INTO snapshot_cache_head (id, gen, fingerprint, fields, rows, parts, bytes, loaded_at, read_at, watermark, written_at)
       VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, now())
       ON CONFLICT (id) DO UPDATE SET gen = EXCLUDED.gen, fingerprint = EXCLUDED.fingerprint, fields = EXCLUDED.fields, rows = EXCLUDED.rows,
         parts = EXCLUDED.parts, bytes = EXCLUDED.bytes, loaded_at = EXCLUDED.loaded_at, read_at = EXCLUDED.read_at, watermark = EXCLUDED.watermark, written_at = now()`,
      [gen, layoutFingerprint(ctx.dict, snap.fields), snap.fields, n, sealed.length, plain.length, at.fullLoadAt, at.readAt, at.watermark],
    );
    // Another process's parts, or ours of an earlier save: only the head's generation is kept.
    await q.query('DELETE FROM snapshot_cache WHERE gen <> $1', [gen]);
  });
  const stored = sealed.reduce((s, b) => s + b.length, 0);
  return { bytes: plain.length, stored, parts: sealed.length, seconds: Math.round(performance.now() - t0) / 1000 };
}

interface HeadRow {
  gen: string;
  fingerprint: string;
  fields: string[];
  rows: number;
  parts: number;
  loaded_at: Date | string;
  read_at: Date | string;
  watermark: Date | string | null;
  age_hours: number;
}

/** Why a persisted snapshot was not used (for the run's log), or the snapshot, not caught up yet. */
export type Restored = { snapshot: Snapshot } | { skipped: string };

/** The persisted snapshot if it is usable for these fields; see the head of this file. */
export async function restoreSnapshot(ctx: Pick<Ctx, 'db' | 'dict' | 'crypto'>, need: readonly string[]): Promise<Restored> {
  const h = await ctx.db.query<HeadRow>(
    `SELECT h.gen, h.fingerprint, h.fields, h.rows, h.parts, h.loaded_at, h.read_at, h.watermark,
            (extract(epoch FROM clock_timestamp() - h.loaded_at) / 3600)::float8 AS age_hours
       FROM snapshot_cache_head h WHERE h.id = 1`,
  );
  const head = h.rows[0];
  if (!head) return { skipped: 'none stored' };
  if (head.age_hours >= SNAPSHOT_MAX_AGE_HOURS) return { skipped: `full load ${Math.round(head.age_hours)} h old` };
  const fields = head.fields;
  if (!need.every((f) => f === ENTITY_KIND_FIELD || fields.includes(f))) return { skipped: 'lacks a field' };
  if (layoutFingerprint(ctx.dict, fields) !== head.fingerprint) return { skipped: 'dictionary changed' };
  const parts: Buffer[] = new Array(head.parts);
  const read = async (i: number) => {
    const r = await ctx.db.query<{ data: Uint8Array }>('SELECT c.data FROM snapshot_cache c WHERE c.gen = $1 AND c.part = $2', [head.gen, i]);
    if (!r.rows[0]) throw new Error('part missing');
    parts[i] = await inflateAsync(ctx.crypto.decryptBytes(Buffer.from(r.rows[0].data)));
  };
  try {
    // A few parts at a time on PostgreSQL: transfer, decryption and inflation overlap.
    const width = ctx.db.kind === 'pglite' ? 1 : 3;
    for (let i = 0; i < head.parts; i += width) await Promise.all(Array.from({ length: Math.min(width, head.parts - i) }, (_, k) => read(i + k)));
  } catch {
    // Replaced meanwhile by another process's save, or sealed with another key.
    return { skipped: 'unreadable' };
  }
  const plain = Buffer.concat(parts);
  const len = plain.readUInt32LE(0);
  const layout = JSON.parse(plain.subarray(4, 4 + len).toString('utf8')) as Layout;
  let off = 4 + len;
  const take = <T extends Typed>(C: new (n: number) => T, count: number): T => {
    const a = new C(count);
    bytes(a).set(plain.subarray(off, off + a.byteLength));
    off += a.byteLength;
    return a;
  };
  const n = layout.size;
  const rowIds = take(Uint32Array, n);
  const rowVersion = take(Int32Array, n);
  const fill = (columns: Record<string, ColumnData>) => {
    for (const { key, type, table } of layout.cols) {
      const c = columns[key];
      const main = mainArray(c);
      if (main.constructor.name !== type) throw new Error(`column ${key}: ${type} stored, ${main.constructor.name} built`);
      const unknown = take(Uint32Array, (n + 31) >>> 5);
      c.unknown.set(unknown);
      main.set(take(TYPES[type], c.kind === 'set' ? n * c.stride : n) as never);
      // Open tables grew with the codes met; fixed ones are the dictionary's (fingerprinted).
      const open = ['region', 'text'].includes(ctx.dict.fields.get(key)?.type ?? '');
      if (open && table && 'table' in c) {
        c.table.length = 0;
        for (const code of table) c.table.push(code);
      }
    }
  };
  try {
    const snapshot = Snapshot.restore(ctx, {
      fields, size: n, rowIds, rowVersion, fill,
      readAt: new Date(head.read_at), watermark: head.watermark === null ? null : new Date(head.watermark), fullLoadAt: new Date(head.loaded_at), ageHours: head.age_hours,
    });
    return { snapshot };
  } catch {
    return { skipped: 'layout differs' };
  }
}
