// match_runs: one row per batch, publication or simulation run, with its progress and
// figures, so that an operator (or the console) can follow a run that takes minutes.
import type { Queryable } from '../../db/db.ts';
import { notFound } from '../../errors.ts';

export type RunKind = 'full' | 'item' | 'entity' | 'simulation';

export interface RunRow {
  id: string;
  kind: RunKind;
  status: 'queued' | 'running' | 'done' | 'failed';
  as_of: string;
  entities: number | null;
  items: number | null;
  progress: number;
  stats: Record<string, unknown>;
  started_at: string | null;
  finished_at: string | null;
  created_by: string | null;
  created_at: string;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

export async function createRun(q: Queryable, kind: RunKind, asOf: string, opts: { by?: string | null; status?: 'queued' | 'running'; stats?: Record<string, unknown> } = {}): Promise<string> {
  const status = opts.status ?? 'running';
  const r = await q.query<{ id: string }>(
    `INSERT INTO match_runs (kind, status, as_of, stats, started_at, created_by) VALUES ($1, $2, $3, $4, CASE WHEN $2 = 'running' THEN now() END, $5)
     RETURNING id::text AS id`,
    [kind, status, asOf, JSON.stringify(opts.stats ?? {}), opts.by ?? null],
  );
  return r.rows[0].id;
}

export async function startRun(q: Queryable, id: string): Promise<void> {
  await q.query(`UPDATE match_runs SET status = 'running', started_at = coalesce(started_at, now()) WHERE id = $1`, [id]);
}

export async function runProgress(q: Queryable, id: string, progress: number, counts: { entities?: number; items?: number } = {}): Promise<void> {
  await q.query('UPDATE match_runs SET progress = $2, entities = coalesce($3, entities), items = coalesce($4, items) WHERE id = $1', [
    id, Math.max(0, Math.min(1, progress)), counts.entities ?? null, counts.items ?? null,
  ]);
}

export async function finishRun(q: Queryable, id: string, status: 'done' | 'failed', stats: Record<string, unknown>): Promise<void> {
  await q.query(
    `UPDATE match_runs SET status = $2, progress = CASE WHEN $2 = 'done' THEN 1 ELSE progress END,
            stats = stats || $3::jsonb, finished_at = now() WHERE id = $1`,
    [id, status, JSON.stringify(stats)],
  );
}

export async function getRun(q: Queryable, id: string): Promise<RunRow> {
  const r = await q.query<Record<string, unknown>>(
    `SELECT id::text AS id, kind, status, as_of::text AS as_of, entities, items, progress, stats, started_at, finished_at,
            created_by::text AS created_by, created_at FROM match_runs WHERE id = $1`,
    [id],
  );
  const row = r.rows[0];
  if (!row) throw notFound('匹配任务', id);
  return {
    ...(row as unknown as RunRow),
    progress: Number(row.progress),
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    created_at: iso(row.created_at)!,
  };
}
