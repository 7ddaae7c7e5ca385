// Reading the catalogue. The public sees what has been in force; the owning department's
// staff and admins also see drafts and every version. Region filters use the region tree
// (a city-wide item applies in each county; a county item lies within the city), so they
// are applied in code over the rows the SQL filters leave.
import { parseDate, type PolicyItem } from '@kx/engine';
import type { Static } from 'typebox';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { badInput, DomainError, notFound } from '../../errors.ts';
import type { Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { diffVersions, type VersionDiff } from './diff.ts';
import { versionView } from './present.ts';
import { getItemRow, getVersionRow, listVersionRows, OPEN_STATUSES, PUBLIC_STATUSES, type ItemRow, type VersionRow } from './repo.ts';
import { actor, seesAllVersions, subjectOf } from './rules.ts';
import type { DocumentDetail, DocumentsQuery, DocumentSummary, ItemDetail, ItemSummary, ItemsQuery, VersionMeta, VersionView } from './schema.ts';

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

const like = (q: string | undefined) => (q ? `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%` : null);

function inRegion(ctx: Ctx, scope: string[], region: string | undefined): boolean {
  if (!region) return true;
  return scope.some((s) => ctx.dict.regions.contains(s, region) || ctx.dict.regions.contains(region, s));
}

function pageOf<T>(rows: T[], page = 1, size = 20): { slice: T[]; page: number; page_size: number; total: number } {
  return { slice: rows.slice((page - 1) * size, page * size), page, page_size: size, total: rows.length };
}

const PUBLISHED_JOIN = `items i JOIN item_versions v ON v.item_id = i.id AND v.version = i.published_version AND v.status = 'published'`;

/** Summaries of given item versions, in the order given. */
export async function itemSummaries(q: Queryable, keys: { id: string; version: number }[]): Promise<ItemSummary[]> {
  if (!keys.length) return [];
  const r = await q.query<Record<string, unknown>>(
    `SELECT i.id, i.document_id, d.title AS document_title, i.department, dep.name AS department_name, v.version, v.status, v.title,
            v.body->>'title_en' AS title_en, v.audience, v.mode, v.region_scope, v.valid_from::text AS valid_from, v.valid_to::text AS valid_to,
            v.body->'window' AS item_window, v.body->>'amount_unit' AS amount_unit, v.body->>'summary' AS summary,
            COALESCE(v.body->'tags', '[]'::jsonb) AS tags, v.published_at
       FROM items i JOIN item_versions v ON v.item_id = i.id JOIN documents d ON d.id = i.document_id JOIN departments dep ON dep.code = i.department
      WHERE (v.item_id, v.version) IN (SELECT * FROM unnest($1::text[], $2::int[]))`,
    [keys.map((k) => k.id), keys.map((k) => k.version)],
  );
  const byKey = new Map(r.rows.map((x) => [`${x.id}@${x.version}`, x]));
  return keys.map((k) => {
    const x = byKey.get(`${k.id}@${k.version}`)!;
    const { item_window, published_at, ...rest } = x;
    return { ...rest, window: item_window ?? null, published_at: published_at ? new Date(published_at as string).toISOString() : null } as ItemSummary;
  });
}

export async function listItems(ctx: Ctx, f: ItemsQuery): Promise<Paged<ItemSummary>> {
  if (f.open_on !== undefined && parseDate(f.open_on) === undefined) throw badInput('open_on', `日期 "${f.open_on}" 无效`, `"${f.open_on}" is not a valid date`);
  if (f.region !== undefined && !ctx.dict.regions.isValid(f.region)) throw badInput('region', `区划代码 "${f.region}" 无效`, `"${f.region}" is not a valid region code`);
  const r = await ctx.db.query<{ id: string; version: number; region_scope: string[] }>(
    `SELECT i.id, v.version, v.region_scope FROM ${PUBLISHED_JOIN}
      WHERE ($1::text IS NULL OR i.department = $1) AND ($2::text IS NULL OR v.audience = $2) AND ($3::text IS NULL OR v.mode = $3)
        AND ($4::date IS NULL OR (v.valid_from <= $4::date AND (v.valid_to IS NULL OR v.valid_to >= $4::date)
             AND (v.body->'window' IS NULL OR ((v.body->'window'->>'from')::date <= $4::date
                  AND (v.body->'window'->>'to' IS NULL OR (v.body->'window'->>'to')::date >= $4::date)))))
        AND ($5::text IS NULL OR v.title ILIKE $5)
      ORDER BY v.published_at DESC, i.id`,
    [f.department ?? null, f.audience ?? null, f.mode ?? null, f.open_on ?? null, like(f.q)],
  );
  const p = pageOf(r.rows.filter((x) => inRegion(ctx, x.region_scope, f.region)), f.page, f.page_size);
  return { items: await itemSummaries(ctx.db, p.slice), total: p.total, page: p.page, page_size: p.page_size };
}

type DocSummary = Static<typeof DocumentSummary>;
const DOC_COLS = `d.id, d.title, d.number, d.issuers, d.published_on::text AS published_on, d.valid_from::text AS valid_from, d.valid_to::text AS valid_to,
  d.url, d.summary, d.interpretation`;

/** Documents with at least one item in force; a document that is only drafts is not public yet. */
export async function listDocuments(ctx: Ctx, f: DocumentsQuery): Promise<Paged<DocSummary>> {
  if (f.region !== undefined && !ctx.dict.regions.isValid(f.region)) throw badInput('region', `区划代码 "${f.region}" 无效`, `"${f.region}" is not a valid region code`);
  const r = await ctx.db.query<{ id: string; region_scope: string[] }>(
    `SELECT d.id, v.region_scope FROM documents d JOIN ${PUBLISHED_JOIN} ON i.document_id = d.id
      WHERE ($1::text IS NULL OR $1 = ANY(d.issuers) OR i.department = $1) AND ($2::text IS NULL OR d.title ILIKE $2)
      ORDER BY d.published_on DESC, d.id`,
    [f.department ?? null, like(f.q)],
  );
  const ids = [...new Set(r.rows.filter((x) => inRegion(ctx, x.region_scope, f.region)).map((x) => x.id))];
  const p = pageOf(ids, f.page, f.page_size);
  const docs = await documentRows(ctx.db, p.slice);
  return { items: p.slice.map((id) => docs.get(id)!).map(({ interpretation: _i, ...d }) => (void _i, d)), total: p.total, page: p.page, page_size: p.page_size };
}

async function documentRows(q: Queryable, ids: string[]): Promise<Map<string, DocSummary & { interpretation: string }>> {
  if (!ids.length) return new Map();
  const r = await q.query<DocSummary & { interpretation: string; item_count: string | number }>(
    `SELECT ${DOC_COLS}, (SELECT count(*) FROM ${PUBLISHED_JOIN} WHERE i.document_id = d.id) AS item_count FROM documents d WHERE d.id = ANY($1)`,
    [ids],
  );
  return new Map(r.rows.map((x) => [x.id, { ...x, item_count: Number(x.item_count) }]));
}

export async function getDocument(ctx: Ctx, id: string): Promise<Static<typeof DocumentDetail>> {
  const doc = (await documentRows(ctx.db, [id])).get(id);
  const items = await ctx.db.query<{ id: string; version: number }>(`SELECT i.id, v.version FROM ${PUBLISHED_JOIN} WHERE i.document_id = $1 ORDER BY i.id`, [id]);
  if (!doc || !items.rows.length) throw notFound('政策文件', id);
  return { ...doc, items: await itemSummaries(ctx.db, items.rows) };
}

/** Refuses a read of what the caller may not see, and audits the refusal. */
async function denyRead(ctx: Ctx, p: Principal | undefined, subject: string): Promise<never> {
  await appendAudit(ctx.db, { actor: actor(p), action: 'item.read', subject, outcome: 'denied' });
  throw new DomainError('FORBIDDEN', '只有主管部门的工作人员可以查看未发布的版本', 'only staff of the owning department may read versions that are not in force');
}

async function itemOr404(ctx: Ctx, id: string): Promise<ItemRow> {
  const row = await getItemRow(ctx.db, id);
  if (!row) throw notFound('事项', id);
  return row;
}

const visible = (p: Principal | undefined, row: ItemRow, status: VersionMeta['status']) => seesAllVersions(p, row.department) || PUBLIC_STATUSES.includes(status);

async function readableVersion(ctx: Ctx, p: Principal | undefined, row: ItemRow, version: number): Promise<VersionRow> {
  const v = await getVersionRow(ctx.db, row.id, version);
  if (!v) throw notFound('事项版本', `${row.id}@${version}`);
  if (!visible(p, row, v.status)) return denyRead(ctx, p, subjectOf(row.id, version));
  return v;
}

const view = (ctx: Ctx, v: VersionRow): VersionView => {
  const { body, ...meta } = v;
  return versionView(meta, body, ctx.dict, ctx.today());
};

export async function getItem(ctx: Ctx, p: Principal | undefined, id: string): Promise<Static<typeof ItemDetail>> {
  const row = await itemOr404(ctx, id);
  const current = row.published_version !== null ? await getVersionRow(ctx.db, id, row.published_version) : undefined;
  const latest = seesAllVersions(p, row.department) && row.latest_version !== row.published_version ? await getVersionRow(ctx.db, id, row.latest_version) : undefined;
  const draft = latest && OPEN_STATUSES.includes(latest.status) ? latest : undefined;
  const shown = current && visible(p, row, current.status) ? current : undefined;
  if (!shown && !draft) throw notFound('事项', id);
  const meta = await ctx.db.query<{ document_title: string; department_name: string }>(
    'SELECT d.title AS document_title, dep.name AS department_name FROM documents d, departments dep WHERE d.id = $1 AND dep.code = $2',
    [row.document_id, row.department],
  );
  return {
    id, document_id: row.document_id, department: row.department, ...meta.rows[0],
    published_version: row.published_version, latest_version: row.latest_version,
    current: shown ? view(ctx, shown) : null,
    draft: draft ? view(ctx, draft) : null,
  };
}

export async function listVersions(ctx: Ctx, p: Principal | undefined, id: string): Promise<VersionMeta[]> {
  const row = await itemOr404(ctx, id);
  const versions = (await listVersionRows(ctx.db, id)).filter((v) => visible(p, row, v.status));
  if (!versions.length) throw notFound('事项', id);
  return versions;
}

export async function getVersion(ctx: Ctx, p: Principal | undefined, id: string, version: number): Promise<VersionView> {
  const row = await itemOr404(ctx, id);
  return view(ctx, await readableVersion(ctx, p, row, version));
}

/** Defaults: `to` the newest version the caller may see, `from` the one before it. */
export async function diffItem(ctx: Ctx, p: Principal | undefined, id: string, from?: number, to?: number): Promise<VersionDiff> {
  const row = await itemOr404(ctx, id);
  const seen = (await listVersionRows(ctx.db, id)).filter((v) => visible(p, row, v.status)).map((v) => v.version);
  const b = to ?? seen.at(-1);
  const a = from ?? seen.filter((n) => b !== undefined && n < b).at(-1);
  if (a === undefined || b === undefined)
    throw new DomainError('BAD_INPUT', `事项 ${id} 没有可比较的两个版本，请指定 from 和 to`, `item ${id} has no two versions to compare; give from and to`, 'from');
  const [va, vb] = [await readableVersion(ctx, p, row, a), await readableVersion(ctx, p, row, b)];
  return diffVersions(va.body as PolicyItem, vb.body as PolicyItem, ctx.dict);
}

export interface DepartmentItem {
  id: string;
  document_id: string;
  title: string;
  latest_version: number;
  status: VersionMeta['status'];
  published_version: number | null;
  mode: VersionMeta['mode'];
  audience: VersionMeta['audience'];
  updated_at: string;
}

/** A department's own items, drafts included, each with its latest version's status (the console's item list). */
export async function departmentItems(ctx: Ctx, p: Principal, department: string, f: { status?: string; q?: string; page?: number; page_size?: number }): Promise<Paged<DepartmentItem>> {
  const d = await ctx.db.query('SELECT 1 FROM departments WHERE code = $1', [department]);
  if (!d.rows.length) throw notFound('部门', department);
  if (!seesAllVersions(p, department)) await denyRead(ctx, p, `department:${department}`);
  const r = await ctx.db.query<DepartmentItem & { updated_at: Date }>(
    `SELECT i.id, i.document_id, v.title, i.latest_version, v.status, i.published_version, v.mode, v.audience,
            greatest(v.created_at, v.submitted_at, v.approved_at, v.published_at, v.ended_at) AS updated_at
       FROM items i JOIN item_versions v ON v.item_id = i.id AND v.version = i.latest_version
      WHERE i.department = $1 AND ($2::text IS NULL OR v.status = $2) AND ($3::text IS NULL OR v.title ILIKE $3 OR i.id ILIKE $3)
      ORDER BY greatest(v.created_at, v.submitted_at, v.approved_at, v.published_at, v.ended_at) DESC, i.id`,
    [department, f.status ?? null, like(f.q)],
  );
  const pg = pageOf(r.rows.map((x) => ({ ...x, updated_at: new Date(x.updated_at).toISOString() })), f.page, f.page_size);
  return { items: pg.slice, total: pg.total, page: pg.page, page_size: pg.page_size };
}
