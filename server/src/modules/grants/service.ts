// Grants as the entity and the department see them: the entity its own grants with their
// evidence (personal values masked), confirms a grant that asks for it and contests one;
// the department's staff see who got what and why — field names, sources and dates, never
// the values behind them (数据可用不可见). Every read and every decision is audited.
import { describeValue, parseDate, printExpr, resolveParams, type Dictionary, type Expr, type ParamDef } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { DomainError, forbidden, notFound } from '../../errors.ts';
import { actorOf, DEPARTMENT_ROLES, ENTITY_ROLES, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { MASK } from '../profiles/sensitive.ts';
import type { ContestBody, GrantQuery, GrantView } from './schema.ts';

type Viewer = 'entity' | 'staff';

interface StoredFact {
  field: string;
  source: string;
  as_of?: string;
  fact_id?: string;
  value?: unknown;
  sensitive?: boolean;
}

interface GrantRow extends Omit<GrantView, 'evidence' | 'first_eligible_at' | 'confirmed_at' | 'created_at' | 'item_version'> {
  item_version: number | string;
  first_eligible_at: Date | string;
  confirmed_at: Date | string | null;
  created_at: Date | string;
  /** The stored evidence: the run date, the cause, the facts. */
  evidence: Pick<GrantView['evidence'], 'date' | 'cause'> & { facts: StoredFact[] };
  amount_expr: Expr | null;
  item_params: ParamDef[] | null;
}

const SELECT = `
SELECT g.id::text AS id, g.entity_id::text AS entity_id, e.display_name AS entity_name, g.item_id, g.item_version, iv.title AS item_title,
       g.department, g.period_key, g.amount::text AS amount, g.item_amount::text AS item_amount, g.status, g.stacking_group,
       g.superseded_by::text AS superseded_by, g.match_event_id::text AS match_event_id, g.first_eligible_at, g.confirmed_at, g.created_at,
       (c.id IS NOT NULL) AS contested, g.evidence, iv.body -> 'amount' AS amount_expr, iv.body -> 'params' AS item_params
  FROM grants g
  JOIN entities e ON e.id = g.entity_id
  JOIN item_versions iv ON iv.item_id = g.item_id AND iv.version = g.item_version
  LEFT JOIN grant_contests c ON c.grant_id = g.id`;

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** The formula as a resident reads it, parameters at their value on the run date (QA 10): never rule code. */
function formulaWords(dict: Dictionary, expr: Expr, params: ParamDef[], date: string): { zh: string; en: string } | null {
  try {
    const env = { dict, params: resolveParams(params, parseDate(date)!) };
    return { zh: describeValue(expr, env, 'zh'), en: describeValue(expr, env, 'en') };
  } catch {
    return null; // an item whose parameters no longer resolve: the evidence still shows the facts
  }
}

function present(dict: Dictionary, row: GrantRow, viewer: Viewer): GrantView {
  const label = (f: string) => {
    const d = dict.fields.get(f);
    return { zh: d?.label.zh ?? f, en: d?.label.en ?? f };
  };
  const sourceLabel = (s: string) => {
    const d = dict.sources.get(s);
    return { zh: d?.label.zh ?? s, en: d?.label.en ?? s };
  };
  const facts = (row.evidence.facts ?? []).map((f) => ({
    field: f.field,
    label: label(f.field),
    source: f.source,
    source_label: sourceLabel(f.source),
    as_of: f.as_of ?? null,
    ...(viewer === 'entity' ? { value: f.sensitive ? MASK : (f.value ?? null), ...(f.fact_id ? { fact_id: f.fact_id } : {}) } : {}),
  }));
  const { amount_expr, item_params, ...rest } = row;
  return {
    ...rest,
    item_version: Number(row.item_version),
    first_eligible_at: iso(row.first_eligible_at)!,
    confirmed_at: iso(row.confirmed_at),
    created_at: iso(row.created_at)!,
    evidence: {
      date: row.evidence.date,
      item_version: Number(row.item_version),
      formula: amount_expr ? printExpr(amount_expr) : null,
      formula_words: amount_expr ? formulaWords(dict, amount_expr, item_params ?? [], row.evidence.date) : null,
      item_amount: row.item_amount,
      cause: row.evidence.cause,
      facts,
    },
  };
}

async function loadGrant(q: Queryable, id: string, lock = false): Promise<GrantRow> {
  const r = await q.query<GrantRow>(`${SELECT} WHERE g.id = $1${lock ? ' FOR UPDATE OF g' : ''}`, [id]);
  if (!r.rows[0]) throw notFound('兑现记录', id);
  return r.rows[0];
}

/** Who may see a grant: the entity it belongs to, or staff of the paying department. */
function viewerOf(p: Principal, g: Pick<GrantRow, 'entity_id' | 'department'>): Viewer {
  if (p.role && ENTITY_ROLES.includes(p.role) && p.entityId === g.entity_id) return 'entity';
  if (p.role && DEPARTMENT_ROLES.includes(p.role) && p.department === g.department) return 'staff';
  throw forbidden('只能查看本主体或本部门的兑现记录', 'only your own grants, or your department’s');
}

function ownEntity(p: Principal, g: Pick<GrantRow, 'entity_id'>): void {
  if (!p.role || !ENTITY_ROLES.includes(p.role) || p.entityId !== g.entity_id) throw forbidden('只能处理本主体的兑现记录', 'only the entity the grant belongs to may do this');
}

export async function getGrant(ctx: Ctx, p: Principal, id: string): Promise<GrantView> {
  const g = await loadGrant(ctx.db, id);
  const viewer = viewerOf(p, g);
  await appendAudit(ctx.db, { actor: actorOf(p), action: 'grant.read', subject: `grant:${id}`, detail: { viewer } });
  return present(ctx.dict, g, viewer);
}

export async function listMyGrants(ctx: Ctx, p: Principal, f: GrantQuery) {
  if (!p.entityId) throw forbidden('此账号未关联主体', 'this account is not linked to an entity');
  return page(ctx, p, ['g.entity_id = $1'], [p.entityId], f, 'entity', `entity:${p.entityId}`);
}

export async function listItemGrants(ctx: Ctx, p: Principal, itemId: string, f: GrantQuery) {
  const item = (await ctx.db.query<{ department: string }>('SELECT department FROM items WHERE id = $1', [itemId])).rows[0];
  if (!item) throw notFound('政策事项', itemId);
  if (!p.role || !DEPARTMENT_ROLES.includes(p.role) || p.department !== item.department)
    throw forbidden('只能查看本部门事项的兑现情况', 'only the items of your own department');
  const counts = await ctx.db.query<{ period_key: string; status: GrantView['status']; count: string; amount: string }>(
    `SELECT period_key, status, count(*) AS count, COALESCE(sum(amount), 0)::text AS amount FROM grants WHERE item_id = $1
      GROUP BY period_key, status ORDER BY period_key DESC, status`,
    [itemId],
  );
  const ledger = await ctx.db.query<{ period_key: string; spent: string; granted_count: number }>(
    'SELECT period_key, spent::text AS spent, granted_count FROM grant_ledger WHERE item_id = $1 ORDER BY period_key DESC',
    [itemId],
  );
  const list = await page(ctx, p, ['g.item_id = $1'], [itemId], f, 'staff', `item:${itemId}`);
  return {
    item_id: itemId,
    counts: counts.rows.map((c) => ({ ...c, count: Number(c.count) })),
    ledger: ledger.rows.map((l) => ({ ...l, granted_count: Number(l.granted_count) })),
    ...list,
  };
}

async function page(ctx: Ctx, p: Principal, where: string[], params: unknown[], f: GrantQuery, viewer: Viewer, subject: string) {
  const size = f.page_size ?? 20;
  const pg = f.page ?? 1;
  const w = [...where];
  const args = [...params];
  if (f.status) w.push(`g.status = $${args.push(f.status)}`);
  if (f.period) w.push(`g.period_key = $${args.push(f.period)}`);
  const cond = w.join(' AND ');
  const total = Number((await ctx.db.query<{ n: string }>(`SELECT count(*) AS n FROM grants g WHERE ${cond}`, args)).rows[0].n);
  const rows = await ctx.db.query<GrantRow>(`${SELECT} WHERE ${cond} ORDER BY g.created_at DESC, g.id DESC LIMIT ${size} OFFSET ${(pg - 1) * size}`, args);
  await appendAudit(ctx.db, { actor: actorOf(p), action: 'grant.list', subject, detail: { viewer, page: pg, rows: rows.rows.length } });
  return { items: rows.rows.map((r) => present(ctx.dict, r, viewer)), total, page: pg, page_size: size };
}

/** 意愿确认: the entity says it wants the grant; from then on it counts as granted. */
export async function confirmGrant(ctx: Ctx, p: Principal, id: string): Promise<GrantView> {
  return ctx.db.tx(async (q) => {
    const g = await loadGrant(q, id, true);
    ownEntity(p, g);
    if (g.status === 'granted' && g.confirmed_at) return present(ctx.dict, g, 'entity');
    if (g.status !== 'pending_confirmation')
      throw new DomainError('INVALID_STATE', `兑现 ${id} 当前状态为 ${g.status}，无需确认`, `grant ${id} is ${g.status}; there is nothing to confirm`, 'status');
    const now = ctx.now();
    await q.query("UPDATE grants SET status = 'granted', confirmed_at = $2, updated_at = $2 WHERE id = $1", [id, now]);
    await q.query(
      `INSERT INTO case_events (case_type, case_id, entity_id, item_id, item_version, department, event, at, detail, dedupe_key)
       SELECT 'grant', g.id, g.entity_id, g.item_id, g.item_version, g.department, x.event, $2, x.detail::jsonb, 'grant:' || g.id || ':' || x.event
         FROM grants g CROSS JOIN (VALUES ('confirmed', '{}'), ('approved', '{"by":"confirmation"}')) AS x(event, detail)
        WHERE g.id = $1
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [id, now],
    );
    await appendAudit(q, { actor: actorOf(p), action: 'grant.confirm', subject: `grant:${id}`, detail: { item: g.item_id, period: g.period_key } });
    return present(ctx.dict, await loadGrant(q, id), 'entity');
  });
}

/** The entity disputes a grant: the department is told; the grant stays as it is. */
export async function contestGrant(ctx: Ctx, p: Principal, id: string, body: ContestBody): Promise<{ contest_id: string; grant: GrantView }> {
  return ctx.db.tx(async (q) => {
    const g = await loadGrant(q, id, true);
    ownEntity(p, g);
    const now = ctx.now();
    const c = await q.query<{ id: string }>(
      `INSERT INTO grant_contests (grant_id, entity_id, user_id, reason, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (grant_id) DO NOTHING RETURNING id::text AS id`,
      [id, g.entity_id, p.userId, body.reason, now],
    );
    if (!c.rows[0]) throw new DomainError('CONFLICT', `兑现 ${id} 已提出过异议，部门正在处理`, `grant ${id} has already been contested; the department is on it`, 'grant');
    await q.query(
      `INSERT INTO inbox (department, kind, title, body, cause_key, item_id, case_type, case_id, created_at)
       VALUES ($1, 'grant_contest', $2, $3, $4, $5, 'grant', $6, $7) ON CONFLICT (cause_key) DO NOTHING`,
      [
        g.department,
        `免申即享异议：${g.item_title}`,
        `主体 #${g.entity_id} 对兑现 #${id}（${g.period_key}，${g.amount} 元）提出异议：${body.reason} / Entity #${g.entity_id} contests grant #${id}.`,
        `grant:${id}:contest`,
        g.item_id,
        id,
        now,
      ],
    );
    await appendAudit(q, { actor: actorOf(p), action: 'grant.contest', subject: `grant:${id}`, detail: { contest: c.rows[0].id } });
    return { contest_id: c.rows[0].id, grant: present(ctx.dict, await loadGrant(q, id), 'entity') };
  });
}
