// The population as a columnar snapshot (engine Population), loaded from entities in pages
// of id ranges, holding only the fields the catalogue reads. Row r is a dense index; the
// entity behind it is rowIds[r] (ids are dense but may have gaps) and rowVersion[r] the
// profile version its facts come from. A worker keeps one snapshot warm for days: changed
// entities are patched in place and new ones appended (catchUp, apply); see decision 0014.
import { performance } from 'node:perf_hooks';
import { ENTITY_KIND_FIELD, PopulationBuilder, readFact, type ColumnData, type Dictionary, type Facts, type Population, type Value } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { MAX_ENTITY_ID } from './bitset.ts';
import { ColumnWriter, rewrap } from './columns.ts';
import { FieldDecoder } from './facts.ts';

/** An entities row as the snapshot reads it: id, kind, version and stored facts (JSON form, sealed). */
export interface StoredRow {
  id: number;
  kind: string;
  version: number;
  facts: Record<string, unknown>;
}

type DbRow = { id: string; kind: string; version: number; facts: Record<string, unknown> };
const toStored = (r: DbRow): StoredRow => ({ id: Number(r.id), kind: r.kind, version: Number(r.version), facts: r.facts });

export interface LoadOptions {
  /** Entity ids per page (ids are dense, so about as many rows). */
  pageSize?: number;
  /** Pages read at once (PostgreSQL; the embedded database has one connection). */
  concurrency?: number;
  onProgress?: (rows: number, estimate: number) => void;
}

/** How far back a catch-up looks past the last one, for transactions that committed late. */
export const CATCH_UP_MARGIN_SECONDS = 60;

/**
 * A snapshot whose last full load from entities is older than this is loaded afresh (a warm
 * one by the next full run, a persisted one by the process that finds it): the full load
 * reconciles whatever catch-ups missed.
 */
export const SNAPSHOT_MAX_AGE_HOURS = 24;

/** The arrays and times of a persisted snapshot (cache.ts), to rebuild it from. */
export interface RestoredParts {
  fields: readonly string[];
  size: number;
  rowIds: Uint32Array;
  rowVersion: Int32Array;
  /** Fills the empty columns (capacity ≥ size) with the persisted rows and code tables. */
  fill(columns: Record<string, ColumnData>): void;
  readAt: Date;
  watermark: Date | null;
  fullLoadAt: Date;
  /** Hours since the full load, by the database clock. */
  ageHours: number;
}

// Whole facts documents, parsed by the driver: extracting ninety fields in SQL costs the
// database more than the client spends skipping the few it does not need.
const COLUMNS = 'e.id::text AS id, e.kind, e.version, e.facts';

function growInt<T extends Int32Array | Uint32Array>(a: T, n: number): T {
  if (n <= a.length) return a;
  const b = new (a.constructor as { new (n: number): T })(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

export class Snapshot {
  /** Replaced (same columns, new object) whenever its shape changes, so plans are rebound. */
  pop: Population;
  size = 0;
  rowIds: Uint32Array;
  rowVersion: Int32Array;
  /** Entity id → row, −1 for none. */
  idToRow: Int32Array;
  /** Database time the facts were read at: an overlay computed later is newer than this snapshot. */
  readAt: Date;
  /**
   * Newest entities.updated_at seen. Catch-up compares with it rather than with the database
   * clock, because updated_at is written by the application's clock (injectable, skewed).
   */
  watermark: Date | null;
  private readonly writer: ColumnWriter;
  private readonly decoder: FieldDecoder;
  /** When its full load from entities was (process clock): a full run reloads a snapshot older than a day. */
  loadedAt = performance.now();
  /** Database time of that full load (persisted with the snapshot). */
  fullLoadAt: Date;
  private holds = 0;
  private readonly values: (Value | undefined)[];
  private deferred: StoredRow[] = [];

  private constructor(
    private readonly dict: Dictionary,
    crypto: Ctx['crypto'],
    /** The fields held besides entity_kind. */
    readonly fields: readonly string[],
    capacity: number,
    readAt: Date,
    watermark: Date | null,
    fill?: (columns: Record<string, ColumnData>) => void,
  ) {
    const empty = new PopulationBuilder(dict, { fields, capacity }).finish();
    fill?.(empty.columns);
    this.pop = empty;
    this.writer = new ColumnWriter(dict, empty.columns, [ENTITY_KIND_FIELD, ...fields]);
    this.decoder = new FieldDecoder(dict, crypto, fields);
    this.values = new Array(fields.length + 1);
    this.rowIds = new Uint32Array(capacity);
    this.rowVersion = new Int32Array(capacity);
    this.idToRow = new Int32Array(capacity).fill(-1);
    this.readAt = readAt;
    this.fullLoadAt = readAt;
    this.watermark = watermark;
  }

  /** A snapshot persisted earlier (cache.ts); the caller catches it up. */
  static restore(ctx: Pick<Ctx, 'dict' | 'crypto'>, p: RestoredParts): Snapshot {
    let maxId = 0;
    for (let r = 0; r < p.size; r++) if (p.rowIds[r] > maxId) maxId = p.rowIds[r];
    const snap = new Snapshot(ctx.dict, ctx.crypto, p.fields, Math.max(maxId, p.size) + 1024, p.readAt, p.watermark, p.fill);
    snap.rowIds.set(p.rowIds);
    snap.rowVersion.set(p.rowVersion);
    for (let r = 0; r < p.size; r++) snap.idToRow[p.rowIds[r]] = r;
    snap.size = p.size;
    snap.pop = rewrap(snap.pop, p.size);
    snap.fullLoadAt = p.fullLoadAt;
    snap.loadedAt = performance.now() - p.ageHours * 3_600_000;
    return snap;
  }

  /** Values present but invalid for their field (read as unknown). */
  get invalidValues(): number {
    return this.decoder.invalid;
  }

  static async load(ctx: Pick<Ctx, 'db' | 'dict' | 'crypto'>, fields: readonly string[], opts: LoadOptions = {}): Promise<Snapshot> {
    const keys = [...new Set(fields)].filter((f) => f !== ENTITY_KIND_FIELD).sort();
    const head = await ctx.db.query<{ at: Date | string; max: string | null; watermark: Date | string | null }>(
      'SELECT clock_timestamp() AS at, (SELECT max(e.id) FROM entities e)::text AS max, (SELECT max(e.updated_at) FROM entities e) AS watermark',
    );
    const maxId = Number(head.rows[0].max ?? 0);
    if (maxId > MAX_ENTITY_ID) throw new Error(`主体编号 ${maxId} 超出位图范围 / entity id ${maxId} is beyond the bitset range`);
    const wm = head.rows[0].watermark;
    const snap = new Snapshot(ctx.dict, ctx.crypto, keys, maxId + 1024, new Date(head.rows[0].at), wm === null ? null : new Date(wm));
    const page = opts.pageSize ?? 20_000;
    const concurrency = ctx.db.kind === 'pglite' ? 1 : Math.max(1, opts.concurrency ?? 3);
    const sql = `SELECT ${COLUMNS} FROM entities e WHERE e.id >= $1 AND e.id < $2 ORDER BY e.id`;
    const fetchPage = (lo: number) => ctx.db.query<DbRow>(sql, [lo, lo + page]);
    const inFlight: Promise<{ rows: DbRow[] }>[] = [];
    let next = 0;
    const more = () => {
      inFlight.push(fetchPage(next));
      next += page;
    };
    while (next <= maxId && inFlight.length < concurrency) more();
    while (inFlight.length) {
      const r = await inFlight.shift()!;
      if (next <= maxId) more();
      for (const row of r.rows) snap.put(toStored(row));
      opts.onProgress?.(snap.size, maxId);
    }
    snap.pop = rewrap(snap.pop, snap.size);
    return snap;
  }

  rowOf(id: number): number {
    return id < this.idToRow.length ? this.idToRow[id] : -1;
  }

  /** Writes a stored row (patch when the entity is known, else append); true if the shape changed. */
  private put(row: StoredRow): boolean {
    const id = row.id;
    let r = this.rowOf(id);
    let reshaped = false;
    if (r >= 0 && this.rowVersion[r] === row.version) return false;
    if (r < 0) {
      r = this.size++;
      reshaped = this.writer.ensure(this.size);
      this.rowIds = growInt(this.rowIds, this.size);
      this.rowVersion = growInt(this.rowVersion, this.size);
      if (id >= this.idToRow.length) {
        const old = this.idToRow.length;
        this.idToRow = growInt(this.idToRow, id + 1);
        this.idToRow.fill(-1, old);
      }
      this.idToRow[id] = r;
      this.rowIds[r] = id;
    }
    this.rowVersion[r] = row.version;
    const values = this.values;
    values[0] = row.kind;
    this.decoder.row(row.facts, values, 1);
    return this.writer.writeRow(r, values).reshaped || reshaped;
  }

  /** Applies changed or new entities; deferred while an evaluation reads the columns. */
  apply(rows: readonly StoredRow[]): void {
    if (this.holds > 0) {
      this.deferred.push(...rows);
      return;
    }
    const before = this.size;
    let reshaped = false;
    for (const row of rows) reshaped = this.put(row) || reshaped;
    if (reshaped || this.size !== before) this.pop = rewrap(this.pop, this.size);
  }

  /**
   * Reads the entities changed since the snapshot was read; returns how many were. First the
   * ids and versions in the window, then the facts of those whose version moved: a window
   * that holds a bulk import costs a scan of small rows, not a reload.
   */
  async catchUp(q: Queryable): Promise<number> {
    const r = await q.query<{ at: Date | string; watermark: Date | string | null; ids: string[] | null; versions: number[] | null }>(
      `SELECT statement_timestamp() AS at, (SELECT max(e.updated_at) FROM entities e) AS watermark, w.ids, w.versions
         FROM (SELECT array_agg(e.id::text) AS ids, array_agg(e.version) AS versions FROM entities e
                WHERE $1::timestamptz IS NULL OR e.updated_at > $1::timestamptz - make_interval(secs => $2)) w`,
      [this.watermark, CATCH_UP_MARGIN_SECONDS],
    );
    const { ids, versions } = r.rows[0];
    const changed: string[] = [];
    (ids ?? []).forEach((id, k) => {
      const at = this.rowOf(Number(id));
      if (at < 0 || this.rowVersion[at] !== versions![k]) changed.push(id);
    });
    for (let i = 0; i < changed.length; i += 20_000) {
      const rows = await q.query<DbRow>(`SELECT ${COLUMNS} FROM entities e WHERE e.id = ANY($1::bigint[]) ORDER BY e.id`, [changed.slice(i, i + 20_000)]);
      this.apply(rows.rows.map(toStored));
    }
    this.readAt = new Date(r.rows[0].at);
    const wm = r.rows[0].watermark;
    if (wm !== null) this.watermark = new Date(wm);
    return changed.length;
  }

  /** Runs fn with the columns frozen: changes that arrive meanwhile are applied after. */
  async hold<T>(fn: () => Promise<T>): Promise<T> {
    this.holds++;
    try {
      return await fn();
    } finally {
      if (--this.holds === 0 && this.deferred.length) {
        const rows = this.deferred;
        this.deferred = [];
        this.apply(rows);
      }
    }
  }

  /** The facts of one row, for the given fields (and entity_kind). */
  facts(row: number, fields: readonly string[]): Facts {
    const out: Facts = {};
    for (const f of [ENTITY_KIND_FIELD, ...fields]) {
      const v = readFact(this.dict, this.pop, f, row);
      if (v !== undefined) out[f] = v;
    }
    return out;
  }

  has(fields: readonly string[]): boolean {
    return fields.every((f) => f === ENTITY_KIND_FIELD || this.fields.includes(f));
  }
}
