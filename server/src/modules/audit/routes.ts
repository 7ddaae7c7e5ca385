// GET /api/v1/audit: the audit log for administrators, newest first, filtered and paged.
// Reading the log is itself recorded (which filters were used, never their values: an
// administrator may have typed anything into them).
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { parseDate } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { badInput } from '../../errors.ts';
import { actorOf, principal } from '../../http/access.ts';
import { errors, Page } from '../../http/schemas.ts';
import { appendAudit, verifyAudit } from './audit.ts';

const Match = (what: string) =>
  Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: `${what}：精确匹配，以 * 结尾则按前缀匹配 / exact match, or a prefix when it ends in *` }));
const When = (zh: string, en: string) =>
  Type.Optional(Type.String({ minLength: 10, maxLength: 40, description: `${zh}：日期（北京时间整日）或带时区的时间 / ${en}: a date (a whole day, China time) or a time with its zone` }));

// One flat object (not an intersection) so that OpenAPI lists each query parameter.
export const AuditQuery = Type.Object({
  actor: Match('执行者 / actor'),
  action: Match('动作 / action'),
  subject: Match('对象 / subject'),
  outcome: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('denied'), Type.Literal('failed')])),
  from: When('起（含）', 'from (inclusive)'),
  to: When('止（含）', 'to (inclusive)'),
  ...Page.properties,
});
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditRow = Type.Object({
  id: Type.String(),
  at: Type.String({ description: 'ISO 8601, UTC' }),
  actor: Type.String(),
  action: Type.String(),
  subject: Type.String(),
  outcome: Type.Union([Type.Literal('ok'), Type.Literal('denied'), Type.Literal('failed')]),
  detail: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
});
export type AuditRow = Static<typeof AuditRow>;

export const AuditPage = Type.Object({ items: Type.Array(AuditRow), total: Type.Integer(), page: Type.Integer(), page_size: Type.Integer() });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A bound of the time filter; a bare date means the whole day in China Standard Time. */
function bound(field: 'from' | 'to', raw: string): Date {
  const day = DATE.test(raw);
  if (!day && !DATE_TIME.test(raw))
    throw badInput(field, `${field}=${JSON.stringify(raw)} 应为日期 YYYY-MM-DD 或带时区的时间（如 2025-06-30T08:00:00+08:00）`, `${field}=${JSON.stringify(raw)} must be a date YYYY-MM-DD or a time with its zone (e.g. 2025-06-30T08:00:00+08:00)`);
  const t = new Date(day ? `${raw}T00:00:00+08:00` : raw);
  // Date() rolls 2025-02-30 over into March; the calendar check refuses it.
  if (parseDate(raw.slice(0, 10)) === undefined || Number.isNaN(t.getTime())) throw badInput(field, `${field}=${JSON.stringify(raw)} 不是真实的日期`, `${field}=${JSON.stringify(raw)} is not a real date`);
  // "to" a day includes that whole day: up to the start of the next one (exclusive, below).
  return day && field === 'to' ? new Date(t.getTime() + 86_400_000) : t;
}

function textFilter(column: string, value: string, params: unknown[]): string {
  if (value.endsWith('*')) {
    params.push(value.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`) + '%');
    return `audit_log.${column} LIKE $${params.length}`;
  }
  params.push(value);
  return `audit_log.${column} = $${params.length}`;
}

export async function listAudit(q: Queryable, f: AuditQuery): Promise<Static<typeof AuditPage>> {
  const params: unknown[] = [];
  const where: string[] = [];
  for (const col of ['actor', 'action', 'subject'] as const) if (f[col]) where.push(textFilter(col, f[col], params));
  if (f.outcome) where.push(`audit_log.outcome = $${params.push(f.outcome)}`);
  const from = f.from ? bound('from', f.from) : undefined;
  const to = f.to ? bound('to', f.to) : undefined;
  if (from && to && from > to) throw badInput('to', '结束时间早于开始时间', '"to" is before "from"');
  if (from) where.push(`audit_log.at >= $${params.push(from)}`);
  if (to) where.push(f.to && DATE.test(f.to) ? `audit_log.at < $${params.push(to)}` : `audit_log.at <= $${params.push(to)}`);
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const page = f.page ?? 1;
  const size = f.page_size ?? 20;
  const total = await q.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_log ${cond}`, params);
  const rows = await q.query<{ id: string; at: Date | string; actor: string; action: string; subject: string; outcome: AuditRow['outcome']; detail: Record<string, unknown>; hash: string }>(
    `SELECT audit_log.id::text AS id, at, actor, action, subject, outcome, detail, hash FROM audit_log ${cond}
      ORDER BY audit_log.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, size, (page - 1) * size],
  );
  return { items: rows.rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() })), total: Number(total.rows[0].n), page, page_size: size };
}

export const AuditVerification = Type.Object({
  ok: Type.Boolean({ description: '整条哈希链校验通过 / the whole hash chain verifies' }),
  rows: Type.Integer({ description: '已校验的记录数 / rows checked' }),
  broken: Type.Optional(Type.Object({ id: Type.String(), reason: Type.String() }, { description: '第一条校验失败的记录 / the first row that does not verify' })),
  checked_at: Type.String(),
});

export async function auditRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get(
    '/api/v1/audit/verify',
    {
      config: { access: ['admin'] },
      schema: { tags: ['audit'], summary: '校验审计日志的哈希链 / verify the audit log\'s hash chain', response: { 200: AuditVerification, ...errors(401, 403) } },
    },
    async (req) => {
      // Read the chain before recording the check, so the answer covers the log as it was asked about.
      const result = await verifyAudit(ctx.db);
      await appendAudit(ctx.db, { actor: actorOf(principal(req)), action: 'audit.verify', subject: 'audit_log', detail: { ok: result.ok, rows: result.rows } });
      return { ...result, checked_at: ctx.now().toISOString() };
    },
  );
  app.get<{ Querystring: AuditQuery }>(
    '/api/v1/audit',
    {
      config: { access: ['admin'] },
      schema: { tags: ['audit'], summary: '审计日志（最新在前）/ the audit log, newest first', querystring: AuditQuery, response: { 200: AuditPage, ...errors(400, 401, 403) } },
    },
    async (req) => {
      const used = Object.keys(req.query).filter((k) => k !== 'page' && k !== 'page_size').sort();
      return ctx.db.tx(async (q) => {
        const result = await listAudit(q, req.query);
        await appendAudit(q, { actor: actorOf(principal(req)), action: 'audit.read', subject: 'audit_log', detail: { filters: used, page: result.page } });
        return result;
      });
    },
  );
}
