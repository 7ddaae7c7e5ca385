// A bulk load of NEW entities: the first load of a city's population (millions of records),
// where the ordinary import (validate the whole file, then apply row by row against each
// entity's current facts and history) writes ~1,400 rows/s. Each record is validated exactly
// as an import validates it, and stored exactly as applyRecords stores a new entity: personal
// facts sealed, provenance (source, as-of) per field, version 1, one history row per known
// fact carrying the same sealed value. What the bulk load does differently:
//   - one statement per chunk writes the entities AND their history (the history rows are
//     built by the database from the facts it has just stored: the sealed values travel once);
//   - a record whose entity already exists (in the database, or earlier in the input) is
//     skipped and counted, never merged: updates belong to the ordinary import. So a load
//     that stopped half way is simply run again;
//   - an invalid record is skipped and reported (an import would reject the whole file);
//   - no match.entity job per entity: one match.full job for the whole load.
// Chunks are prepared (validate + seal, CPU in this process) while the previous chunk is
// being written (CPU in the database), see docs/decisions/0015.
import { maskName } from '@kx/data';
import type { Ctx } from '../../context.ts';
import { appendAudit } from '../audit/audit.ts';
import { enqueue } from '../jobs/queue.ts';
import type { Provenance } from './apply.ts';
import { seal } from './sensitive.ts';
import { checkAsOf, checkSource, type EntityRow } from './service.ts';
import { validateRecord, type Issue, type RawRecord } from './validate.ts';

export interface BulkOptions {
  source: string;
  /** YYYY-MM-DD; default today. */
  asOf?: string;
  filename?: string;
  /** The file's format, for the imports row (default ndjson). */
  format?: 'csv' | 'ndjson' | 'xlsx';
  actor?: string;
  /** Records per statement (default 5,000). */
  chunkSize?: number;
  /** Enqueue one full re-match when entities were created (default true). */
  enqueueMatch?: boolean;
  onProgress?: (p: BulkProgress) => void;
}

export interface BulkProgress {
  rows: number;
  created: number;
  skipped: number;
  failed: number;
}

export interface BulkLine {
  row: number;
  field?: string;
  message: string;
}

export interface BulkResult extends BulkProgress {
  import_id: string;
  flagged: number;
  history_rows: number;
  seconds: number;
  /** The first findings (invalid records; personal values masked by the validator). */
  report: BulkLine[];
}

/** A record as it is handed over: the raw record and its row number in the input (1-based). */
export interface BulkRecord {
  row: number;
  raw: RawRecord;
}

const REPORT_LINES = 1000;

/** One new entity as the chunk's JSON carries it to the database: the stored row's columns and its record reference. */
type ChunkRow = Pick<EntityRow, 'kind' | 'key_hash' | 'display_name' | 'region' | 'facts' | 'provenance'> & { ref: string | null };

/**
 * The stored form of a new entity from a validated record, as applyRecords would write it:
 * given facts, then facts derived from the key where none was given; null facts are not stored.
 */
function stored(ctx: Ctx, facts: Record<string, unknown>, derived: Record<string, unknown>, prov: Provenance): { facts: Record<string, unknown>; provenance: Record<string, Provenance> } {
  const out: Record<string, unknown> = {};
  const provenance: Record<string, Provenance> = {};
  const put = (field: string, value: unknown) => {
    if (value === null || value === undefined) return;
    out[field] = seal(ctx.crypto, ctx.dict.fields.get(field), value);
    provenance[field] = prov;
  };
  for (const [f, v] of Object.entries(facts)) put(f, v);
  for (const [f, v] of Object.entries(derived)) if (!(f in provenance)) put(f, v);
  return { facts: out, provenance };
}

// Entities and history in one statement. The chunk travels as one JSON document (one
// JSON.stringify in the loader, one parse in the database: text arrays of JSON cost the loader
// an escaping pass per element and as much again in garbage collection). Ids are given in
// input order (ORDER BY ord); an existing key is left alone (ON CONFLICT DO NOTHING) and gets
// no history either, since the history is joined to the rows actually inserted. The inserted
// rows are paired with their record refs first (a hash join of the chunk's rows, MATERIALIZED
// so that the planner does not join after jsonb_each and sort the ≈ 33 times larger history
// by key), then expanded.
const INSERT = `
WITH src AS (
  SELECT * FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (kind text, key_hash text, display_name text, region text, facts jsonb, provenance jsonb, ref text))
         WITH ORDINALITY AS t(kind, key_hash, display_name, region, facts, provenance, ref, ord)
), ins AS (
  INSERT INTO entities (kind, key_hash, display_name, region, facts, provenance, version, created_at, updated_at)
  SELECT s.kind, s.key_hash, s.display_name, s.region, s.facts, s.provenance, 1, $2, $2 FROM src s ORDER BY s.ord
  ON CONFLICT (key_hash) DO NOTHING
  RETURNING id, key_hash, facts
), made AS MATERIALIZED (
  SELECT ins.id, ins.facts, s.ref FROM ins JOIN src s ON s.key_hash = ins.key_hash
), hist AS (
  INSERT INTO facts (entity_id, field, value, source, as_of, recorded_at, import_id, record_ref)
  SELECT m.id, kv.key, kv.value, $3, $4::date, $2, $5::bigint, m.ref
    FROM made m CROSS JOIN LATERAL jsonb_each(m.facts) AS kv
  RETURNING 1
)
SELECT (SELECT count(*) FROM ins)::int AS created, (SELECT count(*) FROM hist)::int AS history`;

/**
 * Whether this connection may skip the foreign-key triggers for the bulk statement (superuser
 * on PostgreSQL, and no trigger on the two tables besides the foreign keys' own).
 */
async function skipsReferenceChecks(ctx: Ctx): Promise<boolean> {
  if (ctx.db.kind !== 'postgres') return false;
  const r = await ctx.db.query<{ ok: boolean }>(
    `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
        AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid IN ('entities'::regclass, 'facts'::regclass) AND NOT t.tgisinternal) AS ok`,
  );
  return r.rows[0]?.ok === true;
}

/** Loads new entities from records; see the head of this file. */
export async function bulkLoad(ctx: Ctx, records: Iterable<BulkRecord> | AsyncIterable<BulkRecord>, opts: BulkOptions): Promise<BulkResult> {
  checkSource(ctx, opts.source);
  const asOf = checkAsOf(ctx, opts.asOf ?? ctx.today());
  const meta = { source: opts.source, asOf };
  const prov: Provenance = { s: opts.source, d: asOf };
  const chunkSize = Math.max(1, opts.chunkSize ?? 5000);
  const t0 = performance.now();
  const actor = opts.actor ?? 'system';
  const started = await ctx.db.query<{ id: string }>(
    `INSERT INTO imports (source, format, filename, status, as_of, created_at) VALUES ($1, $2, $3, 'running', $4, $5) RETURNING id::text AS id`,
    [opts.source, opts.format ?? 'ndjson', opts.filename ?? null, asOf, ctx.now()],
  );
  const importId = started.rows[0].id;
  const progress: BulkProgress = { rows: 0, created: 0, skipped: 0, failed: 0 };
  let flagged = 0;
  let historyRows = 0;
  const report: BulkLine[] = [];
  const seen = new Set<string>();
  const note = (row: number, issues: Issue[]) => {
    for (const i of issues) if (report.length < REPORT_LINES) report.push({ row, field: i.field, message: i.message });
  };

  const trusted = await skipsReferenceChecks(ctx);
  const write = async (c: ChunkRow[]) => {
    const now = ctx.now();
    const r = await ctx.db.tx(async (q) => {
      if (ctx.db.kind === 'postgres') {
        // The planner's estimate for jsonb_each (100 rows a call) triggers JIT compilation, which
        // costs more than the statement saves; sorts of a chunk fit in memory.
        // A chunk's commit does not wait for its WAL to reach the disk: a crash may lose the
        // last chunks written, which the load, run again, writes (it skips what is there). The
        // import is marked applied by an ordinary commit, which flushes every chunk before it.
        await q.query("SET LOCAL jit = off; SET LOCAL work_mem = '128MB'; SET LOCAL synchronous_commit = off");
        // Every history row refers to an entity inserted by the same statement: the per-row
        // foreign-key check (a third of the statement's time) cannot fail. Only a superuser may
        // skip it; anyone else pays for it.
        if (trusted) await q.query('SET LOCAL session_replication_role = replica');
      }
      return q.query<{ created: number; history: number }>(INSERT, [JSON.stringify(c), now, opts.source, asOf, importId]);
    });
    progress.created += r.rows[0].created;
    progress.skipped += c.length - r.rows[0].created;
    historyRows += r.rows[0].history;
    opts.onProgress?.({ ...progress });
  };

  let chunk: ChunkRow[] = [];
  // One chunk is written while the next is prepared: validation and sealing are this
  // process's CPU, the insert is the database's.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const c = chunk;
    chunk = [];
    await writing;
    writing = write(c);
    // Surface a failed write at the next flush rather than as an unhandled rejection.
    writing.catch(() => {});
  };
  try {
    for await (const { row, raw } of records) {
      progress.rows++;
      const { record, issues } = validateRecord(ctx.dict, ctx.crypto, raw, meta);
      if (!record) {
        progress.failed++;
        note(row, issues);
        continue;
      }
      if (issues.length) flagged++;
      if (seen.has(record.keyHash)) {
        progress.skipped++;
        continue;
      }
      // Memory: one short hash per entity (≈ 100 bytes; 700 MB for 6.6M, fine for a load).
      seen.add(record.keyHash);
      const s = stored(ctx, record.facts, record.derived, prov);
      const name = record.facts.name;
      chunk.push({
        kind: record.kind,
        key_hash: record.keyHash,
        display_name: typeof name === 'string' ? (record.kind === 'person' ? maskName(name) : name) : null,
        region: typeof s.facts.region === 'string' ? s.facts.region : null,
        facts: s.facts,
        provenance: s.provenance,
        ref: record.ref ?? null,
      });
      if (chunk.length >= chunkSize) await flush();
    }
    if (chunk.length) await flush();
    await writing;
  } catch (e) {
    await writing.catch(() => {});
    await ctx.db.query(`UPDATE imports SET status = 'failed', rows_total = $2, finished_at = $3 WHERE id = $1`, [importId, progress.rows, ctx.now()]);
    throw e;
  }

  const seconds = Math.round(performance.now() - t0) / 1000;
  const stats = { bulk: true, entities_created: progress.created, entities_skipped: progress.skipped, entities_changed: 0, history_rows: historyRows, seconds };
  await ctx.db.tx(async (q) => {
    await q.query(
      `UPDATE imports SET status = 'applied', rows_total = $2, rows_ok = $3, rows_failed = $4, rows_flagged = $5, report = $6, stats = $7, finished_at = $8 WHERE id = $1`,
      [importId, progress.rows, progress.rows - progress.failed, progress.failed, flagged, JSON.stringify(report.slice(0, 100)), JSON.stringify(stats), ctx.now()],
    );
    if (progress.created && opts.enqueueMatch !== false)
      await enqueue(q, 'match.full', { requested_by: null, reload: true }, { key: `match.full:import:${importId}`, maxAttempts: 2 });
    await appendAudit(q, { actor, action: 'profile.import', subject: `import:${importId}`, detail: { source: opts.source, as_of: asOf, rows: progress.rows, rows_failed: progress.failed, ...stats } });
  });
  return { import_id: importId, ...progress, flagged, history_rows: historyRows, seconds, report };
}
