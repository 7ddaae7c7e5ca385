// The population as a columnar snapshot (engine Population), loaded from entities in pages
// of id ranges, holding only the fields the catalogue reads. Row r is a dense index; the
// entity behind it is rowIds[r] (ids are dense but may have gaps) and rowVersion[r] the
// profile version its facts come from. A worker keeps one snapshot warm for days: changed
// entities are patched in place and new ones appended (catchUp, apply); see decision 0010.
import { ENTITY_KIND_FIELD, PopulationBuilder, readFact, type Dictionary, type Facts, type Population, type Value } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { MAX_ENTITY_ID } from './bitset.ts';
import { ColumnWriter, rewrap } from './columns.ts';
import { FieldDecoder } from './facts.ts';

/** [id, kind, version, stored value of field 1, …] as the loader selects it. */
export type StoredRow = [number, string, number, ...unknown[]];

export interface LoadOptions {
  /** Entity ids per page (ids are dense, so about as many rows). */
  pageSize?: number;
  /** Pages read at once (PostgreSQL; the embedded database has one connection). */
  concurrency?: number;
  onProgress?: (rows: number, estimate: number) => void;
}

/** How far back a catch-up looks past the last one, for transactions that committed late. */
export const CATCH_UP_MARGIN_SECONDS = 60;

const SAFE_KEY = /^[a-z][a-z0-9_]*$/;

function selectList(fields: readonly string[]): string {
  for (const f of fields) if (!SAFE_KEY.test(f)) throw new Error(`字段名 "${f}" 无效 / invalid field name "${f}"`);
  return ['e.id', 'e.kind', 'e.version', ...fields.map((f) => `e.facts->'${f}'`)].join(', ');
}

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
  private readonly select: string;
  private holds = 0;
  private deferred: StoredRow[] = [];

  private constructor(
    private readonly dict: Dictionary,
    crypto: Ctx['crypto'],
    /** The fields held besides entity_kind. */
    readonly fields: readonly string[],
    capacity: number,
    readAt: Date,
    watermark: Date | null,
  ) {
    const empty = new PopulationBuilder(dict, { fields, capacity }).finish();
    this.pop = empty;
    this.writer = new ColumnWriter(dict, empty.columns, [ENTITY_KIND_FIELD, ...fields]);
    this.decoder = new FieldDecoder(dict, crypto, fields);
    this.select = selectList(fields);
    this.rowIds = new Uint32Array(capacity);
    this.rowVersion = new Int32Array(capacity);
    this.idToRow = new Int32Array(capacity).fill(-1);
    this.readAt = readAt;
    this.watermark = watermark;
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
    const sql = `SELECT json_agg(json_build_array(${snap.select}) ORDER BY e.id) AS rows FROM entities e WHERE e.id >= $1 AND e.id < $2`;
    const fetchPage = (lo: number) => ctx.db.query<{ rows: StoredRow[] | null }>(sql, [lo, lo + page]);
    const inFlight: Promise<{ rows: { rows: StoredRow[] | null }[] }>[] = [];
    let next = 0;
    const more = () => {
      inFlight.push(fetchPage(next));
      next += page;
    };
    while (next <= maxId && inFlight.length < concurrency) more();
    while (inFlight.length) {
      const r = await inFlight.shift()!;
      if (next <= maxId) more();
      for (const row of r.rows[0].rows ?? []) snap.put(row);
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
    const id = Number(row[0]);
    let r = this.rowOf(id);
    let reshaped = false;
    if (r >= 0 && this.rowVersion[r] === row[2]) return false;
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
    this.rowVersion[r] = row[2];
    const values: (Value | undefined)[] = [row[1]];
    for (let j = 0; j < this.fields.length; j++) values.push(this.decoder.value(j, row[3 + j]));
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

  /** The stored row of one entity, from its entities columns. */
  storedRow(id: number, kind: string, version: number, facts: Record<string, unknown>): StoredRow {
    return [id, kind, version, ...this.fields.map((f) => facts[f] ?? null)];
  }

  /** Reads the entities changed since the snapshot was read; returns how many were. */
  async catchUp(q: Queryable): Promise<number> {
    const r = await q.query<{ at: Date | string; watermark: Date | string | null; rows: StoredRow[] | null }>(
      `SELECT statement_timestamp() AS at, (SELECT max(e.updated_at) FROM entities e) AS watermark,
              (SELECT json_agg(json_build_array(${this.select}) ORDER BY e.id) FROM entities e
                WHERE $1::timestamptz IS NULL OR e.updated_at > $1::timestamptz - make_interval(secs => $2)) AS rows`,
      [this.watermark, CATCH_UP_MARGIN_SECONDS],
    );
    const rows = (r.rows[0].rows ?? []).filter((row) => {
      const at = this.rowOf(Number(row[0]));
      return at < 0 || this.rowVersion[at] !== row[2];
    });
    this.apply(rows);
    this.readAt = new Date(r.rows[0].at);
    const wm = r.rows[0].watermark;
    if (wm !== null) this.watermark = new Date(wm);
    return rows.length;
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
