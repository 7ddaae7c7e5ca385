// SQL of the catalogue: documents, items and their versions. Plain parameterised SQL that
// runs the same on PostgreSQL and PGlite; every function takes the caller's Queryable so
// that it joins the caller's transaction.
import type { PolicyItem } from '@kx/engine';
import type { Queryable } from '../../db/db.ts';
import type { DocumentMeta } from './input.ts';
import type { VersionMeta } from './schema.ts';

export type Status = VersionMeta['status'];
/** A version still being worked on: at most one per item. */
export const OPEN_STATUSES: readonly Status[] = ['draft', 'rejected', 'submitted', 'approved'];
/** Versions that have been in force: what anyone may read. */
export const PUBLIC_STATUSES: readonly Status[] = ['published', 'superseded', 'expired'];

export interface ItemRow {
  id: string;
  document_id: string;
  department: string;
  published_version: number | null;
  latest_version: number;
}

export interface VersionRow extends VersionMeta {
  body: PolicyItem;
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

export const META_COLS = `v.item_id, v.version, v.status, v.title, v.audience, v.mode, v.region_scope, v.valid_from::text AS valid_from,
  v.valid_to::text AS valid_to, v.created_by::text AS created_by, v.created_at, v.submitted_by::text AS submitted_by, v.submitted_at,
  v.approved_by::text AS approved_by, v.approved_at, v.published_at, v.ended_at, v.note`;

export function toMeta(r: Record<string, unknown>): VersionMeta {
  return {
    item_id: r.item_id as string,
    version: Number(r.version),
    status: r.status as Status,
    title: r.title as string,
    audience: r.audience as VersionMeta['audience'],
    mode: r.mode as VersionMeta['mode'],
    region_scope: r.region_scope as string[],
    valid_from: r.valid_from as string,
    valid_to: (r.valid_to as string | null) ?? null,
    created_by: (r.created_by as string | null) ?? null,
    created_at: iso(r.created_at)!,
    submitted_by: (r.submitted_by as string | null) ?? null,
    submitted_at: iso(r.submitted_at),
    approved_by: (r.approved_by as string | null) ?? null,
    approved_at: iso(r.approved_at),
    published_at: iso(r.published_at),
    ended_at: iso(r.ended_at),
    note: (r.note as string | null) ?? null,
  };
}

export async function getItemRow(q: Queryable, id: string, lock = false): Promise<ItemRow | undefined> {
  const r = await q.query<ItemRow>(`SELECT id, document_id, department, published_version, latest_version FROM items WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0];
}

export async function getVersionRow(q: Queryable, id: string, version: number): Promise<VersionRow | undefined> {
  const r = await q.query(`SELECT ${META_COLS}, v.body FROM item_versions v WHERE v.item_id = $1 AND v.version = $2`, [id, version]);
  const row = r.rows[0];
  return row ? { ...toMeta(row), body: row.body as PolicyItem } : undefined;
}

export async function listVersionRows(q: Queryable, id: string): Promise<VersionMeta[]> {
  const r = await q.query(`SELECT ${META_COLS} FROM item_versions v WHERE v.item_id = $1 ORDER BY v.version`, [id]);
  return r.rows.map(toMeta);
}

export async function insertItem(q: Queryable, item: PolicyItem): Promise<void> {
  await q.query('INSERT INTO items (id, document_id, department, latest_version) VALUES ($1, $2, $3, 1)', [item.id, item.document_id, item.department]);
}

const versionColumns = (item: PolicyItem) => [item.title, item.audience, item.mode, item.region_scope, item.valid_from, item.valid_to ?? null, JSON.stringify(item)];

export async function insertVersion(q: Queryable, item: PolicyItem, status: Status, by: string | null, now: Date): Promise<void> {
  const published = status === 'published' ? now : null;
  await q.query(
    `INSERT INTO item_versions (item_id, version, status, title, audience, mode, region_scope, valid_from, valid_to, body, created_by, created_at, published_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [item.id, item.version, status, ...versionColumns(item), by, now, published],
  );
  await q.query('UPDATE items SET latest_version = GREATEST(latest_version, $2) WHERE id = $1', [item.id, item.version]);
}

/** Replaces the content of an open version; it becomes a draft again (a rejected one is being reworked). */
export async function replaceVersionBody(q: Queryable, item: PolicyItem): Promise<void> {
  await q.query(
    `UPDATE item_versions SET title = $3, audience = $4, mode = $5, region_scope = $6, valid_from = $7, valid_to = $8, body = $9,
            status = 'draft', submitted_by = NULL, submitted_at = NULL, approved_by = NULL, approved_at = NULL
      WHERE item_id = $1 AND version = $2`,
    [item.id, item.version, ...versionColumns(item)],
  );
}

export interface StatusChange {
  status: Status;
  submitted_by?: string;
  approved_by?: string;
  published?: boolean;
  ended?: boolean;
  note?: string | null;
}

export async function setStatus(q: Queryable, id: string, version: number, c: StatusChange, now: Date): Promise<VersionMeta> {
  const r = await q.query(
    `UPDATE item_versions v SET status = $3,
            submitted_by = CASE WHEN $4::bigint IS NULL THEN submitted_by ELSE $4::bigint END,
            submitted_at = CASE WHEN $4::bigint IS NULL THEN submitted_at ELSE $8::timestamptz END,
            approved_by = CASE WHEN $5::bigint IS NULL THEN approved_by ELSE $5::bigint END,
            approved_at = CASE WHEN $5::bigint IS NULL THEN approved_at ELSE $8::timestamptz END,
            published_at = CASE WHEN $6 THEN $8::timestamptz ELSE published_at END,
            ended_at = CASE WHEN $7 THEN $8::timestamptz ELSE ended_at END,
            note = CASE WHEN $9 THEN $10 ELSE note END
      WHERE v.item_id = $1 AND v.version = $2
      RETURNING ${META_COLS}`,
    [id, version, c.status, c.submitted_by ?? null, c.approved_by ?? null, c.published ?? false, c.ended ?? false, now, c.note !== undefined, c.note ?? null],
  );
  return toMeta(r.rows[0]);
}

export async function setPublishedVersion(q: Queryable, id: string, version: number | null): Promise<void> {
  await q.query('UPDATE items SET published_version = $2 WHERE id = $1', [id, version]);
}

/** Inserts a document, or (overwrite) replaces its metadata. Returns whether it was new. */
export async function saveDocument(q: Queryable, d: DocumentMeta, overwrite: boolean, now: Date): Promise<boolean> {
  const cols = [d.id, d.title, d.number, d.issuers, d.published_on, d.summary, d.interpretation, d.valid_from ?? null, d.valid_to ?? null, d.url ?? null, now];
  if (await documentExists(q, d.id)) {
    if (overwrite)
      await q.query(
        `UPDATE documents SET title = $2, number = $3, issuers = $4, published_on = $5, summary = $6, interpretation = $7,
                valid_from = $8, valid_to = $9, url = $10, updated_at = $11 WHERE id = $1`,
        cols,
      );
    return false;
  }
  await q.query(
    `INSERT INTO documents (id, title, number, issuers, published_on, summary, interpretation, valid_from, valid_to, url, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
    cols,
  );
  return true;
}

export async function documentExists(q: Queryable, id: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM documents WHERE id = $1', [id])).rows.length > 0;
}

export async function departmentExists(q: Queryable, code: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM departments WHERE code = $1', [code])).rows.length > 0;
}
