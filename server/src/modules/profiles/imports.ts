// Bulk imports (R3 connectors): a CSV, NDJSON or XLSX file from one source system, as of
// one date. Two passes over the file, each streaming with bounded memory: the first
// validates every row and builds the per-row report; only a file without a single bad row
// is read again and applied — in one transaction, a chunk of rows per statement — so a
// batch is never half-applied, and a rejected file consumes no entity numbers.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Ctx } from '../../context.ts';
import { DomainError, badInput, notFound } from '../../errors.ts';
import { actorOf, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { applyRecords } from './apply.ts';
import { CsvError } from './csv.ts';
import { FileError, formatOf, readRows, FORMATS, type Format } from './parse.ts';
import { checkAsOf, checkSource } from './service.ts';
import { validateRecord, type Issue, type ValidRecord } from './validate.ts';

/** At most this many findings are kept; the counts are always complete. */
export const MAX_REPORT = 1000;
export const CHUNK_ROWS = 500;

export interface ImportOptions {
  source: string;
  format?: Format;
  filename?: string;
  /** The file's bytes, or the path of a file (read twice, streaming). */
  content: Buffer | { path: string };
  /** YYYY-MM-DD; today when absent. */
  asOf?: string;
  /** Who runs it when there is no principal (the CLI). */
  actor?: string;
  chunkRows?: number;
  onProgress?: (p: { phase: 'validate' | 'apply'; rows: number; total?: number }) => void;
}

export interface ReportLine extends Issue {
  /** Spreadsheet row or NDJSON line; 0 = the file as a whole. */
  row: number;
}

export interface ImportResult {
  id: string;
  source: string;
  format: Format;
  filename: string | null;
  status: 'running' | 'applied' | 'rejected' | 'failed';
  as_of: string | null;
  rows_total: number;
  rows_ok: number;
  rows_failed: number;
  rows_flagged: number;
  report: ReportLine[];
  report_truncated: boolean;
  stats: { report_truncated?: boolean; entities_created?: number; entities_changed?: number; history_rows?: number; seconds?: number };
  created_at: string;
  finished_at: string | null;
}

const open = (c: ImportOptions['content']): Readable => (Buffer.isBuffer(c) ? Readable.from([c]) : createReadStream(c.path, { highWaterMark: 1 << 20 }));

interface Scan {
  total: number;
  failed: number;
  flagged: number;
  fileError: boolean;
  report: ReportLine[];
  truncated: boolean;
}

async function validateFile(ctx: Ctx, format: Format, opts: ImportOptions, asOf: string): Promise<Scan> {
  const s: Scan = { total: 0, failed: 0, flagged: 0, fileError: false, report: [], truncated: false };
  const note = (row: number, i: Issue) => {
    if (s.report.length < MAX_REPORT) s.report.push({ row, ...i });
    else s.truncated = true;
  };
  try {
    for await (const pr of readRows(ctx.dict, format, open(opts.content))) {
      if (!pr.raw) {
        if (pr.header) s.fileError = true;
        else {
          s.total++;
          s.failed++;
        }
        for (const i of pr.issues ?? []) note(pr.row, i);
        continue;
      }
      s.total++;
      const { record, issues } = validateRecord(ctx.dict, ctx.crypto, pr.raw, { source: opts.source, asOf });
      if (!record) s.failed++;
      else if (issues.length) s.flagged++;
      for (const i of issues) note(pr.row, i);
      if (s.total % 5000 === 0) opts.onProgress?.({ phase: 'validate', rows: s.total });
    }
  } catch (e) {
    if (!(e instanceof FileError || e instanceof CsvError)) throw e;
    s.fileError = true;
    note(e instanceof FileError ? e.row : 0, { field: '', message: e.message });
  }
  if (s.total === 0 && !s.fileError) {
    s.fileError = true;
    note(0, { field: '', message: '文件中没有数据行 / the file has no data rows' });
  }
  opts.onProgress?.({ phase: 'validate', rows: s.total, total: s.total });
  return s;
}

export async function importFile(ctx: Ctx, by: Principal | undefined, opts: ImportOptions): Promise<ImportResult> {
  checkSource(ctx, opts.source);
  if (by?.kind === 'source' && by.source !== opts.source)
    throw new DomainError('FORBIDDEN', `此令牌属于数据源 ${by.source}，不能导入 ${opts.source} 的数据`, `this token speaks for ${by.source}, not ${opts.source}`);
  const format = opts.format ?? formatOf(opts.filename);
  if (!format || !FORMATS.includes(format))
    throw badInput('format', `无法确定文件格式：应为 ${FORMATS.join('、')}（或以此为扩展名）`, `cannot tell the file format: give one of ${FORMATS.join(', ')} (or use it as the file extension)`);
  const asOf = checkAsOf(ctx, opts.asOf ?? ctx.today());
  const actor = by ? actorOf(by) : (opts.actor ?? 'system');
  const started = ctx.now();
  const clock = performance.now();
  const ins = await ctx.db.query<{ id: string }>(
    `INSERT INTO imports (source, format, filename, status, as_of, created_by, created_at) VALUES ($1, $2, $3, 'running', $4, $5, $6) RETURNING id::text AS id`,
    [opts.source, format, opts.filename ?? null, asOf, by?.kind === 'user' ? by.userId : null, started],
  );
  const id = ins.rows[0].id;
  const finish = async (status: 'rejected' | 'failed', scan: Scan) => {
    await ctx.db.query('UPDATE imports SET status = $2, rows_total = $3, rows_ok = $4, rows_failed = $5, rows_flagged = $6, report = $7, stats = $8, finished_at = $9 WHERE id = $1', [
      id, status, scan.total, scan.total - scan.failed, scan.failed, scan.flagged, JSON.stringify(scan.report), JSON.stringify({ report_truncated: scan.truncated }), ctx.now(),
    ]);
    await appendAudit(ctx.db, { actor, action: 'profile.import', subject: `import:${id}`, outcome: 'failed', detail: { source: opts.source, status, rows: scan.total, rows_failed: scan.failed } });
    return getImport(ctx, undefined, id);
  };

  const scan = await validateFile(ctx, format, opts, asOf);
  if (scan.failed > 0 || scan.fileError) return finish('rejected', scan);

  const meta = { source: opts.source, asOf, importId: id };
  const size = opts.chunkRows ?? CHUNK_ROWS;
  try {
    await ctx.db.tx(async (q) => {
      let created = 0;
      let changed = 0;
      let historyRows = 0;
      let done = 0;
      let chunk: ValidRecord[] = [];
      const flush = async () => {
        const r = await applyRecords(ctx, q, chunk, meta);
        created += r.applied.filter((a) => a.created).length;
        changed += r.applied.filter((a) => !a.created && a.changed.length > 0).length;
        historyRows += r.historyRows;
        done += chunk.length;
        chunk = [];
        opts.onProgress?.({ phase: 'apply', rows: done, total: scan.total });
      };
      for await (const pr of readRows(ctx.dict, format, open(opts.content))) {
        if (!pr.raw) continue;
        const { record } = validateRecord(ctx.dict, ctx.crypto, pr.raw, { source: opts.source, asOf });
        if (!record) throw new Error(`row ${pr.row} changed between the passes`);
        chunk.push(record);
        if (chunk.length >= size) await flush();
      }
      if (chunk.length) await flush();
      const stats = { report_truncated: scan.truncated, entities_created: created, entities_changed: changed, history_rows: historyRows, seconds: Math.round(performance.now() - clock) / 1000 };
      await q.query(
        `UPDATE imports SET status = 'applied', rows_total = $2, rows_ok = $2, rows_failed = 0, rows_flagged = $3, report = $4, stats = $5, finished_at = $6 WHERE id = $1`,
        [id, scan.total, scan.flagged, JSON.stringify(scan.report), JSON.stringify(stats), ctx.now()],
      );
      await appendAudit(q, { actor, action: 'profile.import', subject: `import:${id}`, detail: { source: opts.source, format, as_of: asOf, rows: scan.total, ...stats } });
    });
  } catch (e) {
    await finish('failed', { ...scan, report: [...scan.report, { row: 0, field: '', message: '导入失败，未写入任何数据 / the import failed; nothing was written' }] });
    throw e;
  }
  return getImport(ctx, undefined, id);
}

/** An import's status and report: admins see all, a source token only its own source's. */
export async function getImport(ctx: Ctx, p: Principal | undefined, id: string): Promise<ImportResult> {
  if (!/^\d{1,18}$/.test(id)) throw notFound('导入', id);
  const r = await ctx.db.query<Omit<ImportResult, 'report_truncated' | 'created_at' | 'finished_at'> & { created_at: Date; finished_at: Date | null }>(
    `SELECT id::text AS id, source, format, filename, status, as_of, rows_total, rows_ok, rows_failed, rows_flagged, report, stats, created_at, finished_at FROM imports WHERE id = $1`,
    [id],
  );
  const row = r.rows[0];
  if (!row) throw notFound('导入', id);
  if (p && p.kind === 'source' && p.source !== row.source) throw new DomainError('FORBIDDEN', '只能查看本数据源的导入', 'a source may see only its own imports');
  return {
    ...row,
    as_of: row.as_of ? String(row.as_of) : null,
    report_truncated: row.stats.report_truncated === true,
    created_at: new Date(row.created_at).toISOString(),
    finished_at: row.finished_at ? new Date(row.finished_at).toISOString() : null,
  };
}

export interface ConnectorStatus {
  source: string;
  label: { zh: string; en: string };
  imports: number;
  last: {
    id: string; format: string; filename: string | null; status: ImportResult['status']; rows_total: number; rows_ok: number; rows_failed: number;
    created_at: string; finished_at: string | null;
    /** The first problems of that import (row, field, message — never the rejected value, which may be personal data). */
    errors: { row: number; field: string; message: string }[];
  } | null;
  last_applied_at: string | null;
}

/** Per source system of the dictionary: its last import, how it went, and when data last arrived. */
export async function connectorStatus(ctx: Ctx): Promise<ConnectorStatus[]> {
  const r = await ctx.db.query<{
    source: string; n: string; id: string; format: string; filename: string | null; status: ImportResult['status']; rows_total: number; rows_ok: number; rows_failed: number;
    created_at: Date; finished_at: Date | null; report: { row: number; field: string; message: string; warning?: boolean }[]; last_applied: Date | null;
  }>(
    `SELECT DISTINCT ON (i.source) i.source, count(*) OVER (PARTITION BY i.source)::text AS n, i.id::text AS id, i.format, i.filename, i.status,
            i.rows_total, i.rows_ok, i.rows_failed, i.created_at, i.finished_at,
            (SELECT coalesce(jsonb_agg(x), '[]'::jsonb) FROM (SELECT x FROM jsonb_array_elements(i.report) x WHERE NOT coalesce((x->>'warning')::boolean, false) LIMIT 5) s) AS report,
            (SELECT max(a.finished_at) FROM imports a WHERE a.source = i.source AND a.status = 'applied') AS last_applied
       FROM imports i ORDER BY i.source, i.id DESC`,
  );
  const bySource = new Map(r.rows.map((x) => [x.source, x]));
  const sources = [...ctx.dict.sources.values()].filter((s) => s.id !== 'platform').map((s) => s.id);
  for (const s of bySource.keys()) if (!sources.includes(s)) sources.push(s);
  return sources.map((id) => {
    const x = bySource.get(id);
    const label = ctx.dict.sources.get(id)?.label ?? { zh: id, en: id };
    if (!x) return { source: id, label, imports: 0, last: null, last_applied_at: null };
    return {
      source: id, label, imports: Number(x.n),
      last: {
        id: x.id, format: x.format, filename: x.filename, status: x.status, rows_total: x.rows_total, rows_ok: x.rows_ok, rows_failed: x.rows_failed,
        created_at: new Date(x.created_at).toISOString(), finished_at: x.finished_at ? new Date(x.finished_at).toISOString() : null,
        errors: (x.report ?? []).map((e) => ({ row: Number(e.row), field: String(e.field), message: String(e.message) })),
      },
      last_applied_at: x.last_applied ? new Date(x.last_applied).toISOString() : null,
    };
  });
}
