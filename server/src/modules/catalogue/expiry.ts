// Scheduled expiry: a published version whose valid_to has passed becomes expired, and
// the owning department is warned 30 days before, once per version (a dedup key makes a
// task that runs twice, or on two workers, write one notice). The inbox is
// department_notices; part 2 of the service adds other kinds of notices to it.
import type { Static } from 'typebox';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { DomainError, notFound } from '../../errors.ts';
import type { Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { enqueue, type JobHandler } from '../jobs/queue.ts';
import { setStatus } from './repo.ts';
import { actor, isStaffOf, subjectOf } from './rules.ts';
import type { Notice } from './schema.ts';

export const EXPIRY_WARNING_DAYS = 30;
export const EXPIRY_QUEUE = 'catalogue.expire';

export interface ExpiryResult {
  expired: { item_id: string; version: number }[];
  warned: { item_id: string; version: number; department: string; valid_to: string }[];
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export async function expireDue(ctx: Ctx): Promise<ExpiryResult> {
  const today = ctx.today();
  return ctx.db.tx(async (q) => {
    const now = ctx.now();
    const due = await q.query<{ item_id: string; version: number }>(
      `SELECT v.item_id, v.version FROM item_versions v WHERE v.status = 'published' AND v.valid_to < $1::date ORDER BY v.item_id FOR UPDATE`,
      [today],
    );
    for (const v of due.rows) {
      await setStatus(q, v.item_id, v.version, { status: 'expired', ended: true }, now);
      await appendAudit(q, { actor: 'system', action: 'item.expire', subject: subjectOf(v.item_id, v.version), detail: { today } });
    }
    const soon = await q.query<{ item_id: string; version: number; department: string; title: string; valid_to: string }>(
      `SELECT v.item_id, v.version, i.department, v.title, v.valid_to::text AS valid_to
         FROM item_versions v JOIN items i ON i.id = v.item_id
        WHERE v.status = 'published' AND v.valid_to >= $1::date AND v.valid_to <= $1::date + $2::int
        ORDER BY v.item_id`,
      [today, EXPIRY_WARNING_DAYS],
    );
    const warned: ExpiryResult['warned'] = [];
    for (const v of soon.rows) {
      const left = daysBetween(today, v.valid_to);
      const r = await q.query(
        `INSERT INTO department_notices (department, kind, subject, title, body, detail, due_on, dedup_key, created_at)
         VALUES ($1, 'item.expiring', $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
        [
          v.department, subjectOf(v.item_id, v.version),
          `政策事项即将到期：${v.title} / item expiring: ${v.item_id}`,
          `事项「${v.title}」（${v.item_id} 第 ${v.version} 版）将于 ${v.valid_to} 到期，还有 ${left} 天。如需延续，请起草新版本并提交审核。 / ` +
            `Item ${v.item_id} version ${v.version} expires on ${v.valid_to}, in ${left} days. To continue it, draft a new version and submit it for review.`,
          JSON.stringify({ item_id: v.item_id, version: v.version, valid_to: v.valid_to, days_left: left }),
          v.valid_to, `item.expiring:${v.item_id}@${v.version}`, now,
        ],
      );
      if (r.rows.length) warned.push({ item_id: v.item_id, version: v.version, department: v.department, valid_to: v.valid_to });
    }
    return { expired: due.rows.map((v) => ({ item_id: v.item_id, version: v.version })), warned };
  });
}

/** Enqueues the expiry run of a day; the key makes any number of schedulers enqueue it once a day. */
export async function scheduleExpiry(q: Queryable, today: string, opts: { runAt?: Date; daily?: boolean } = {}): Promise<string> {
  return enqueue(q, EXPIRY_QUEUE, opts.daily ? { today, daily: true } : { today }, { key: `${EXPIRY_QUEUE}:${today}`, runAt: opts.runAt });
}

/**
 * Schedules tomorrow's run a minute after the platform's day changes (ctx.today() is the UTC
 * date, so the run is at 00:01 UTC); the daily job schedules the next one when it has run, as
 * the daily grant run does.
 */
export async function scheduleDailyExpiry(ctx: Ctx, q: Queryable = ctx.db): Promise<string> {
  const now = ctx.now();
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 0, 1, 0));
  return scheduleExpiry(q, next.toISOString().slice(0, 10), { runAt: next, daily: true });
}

/** Job handlers of the catalogue, for the worker. */
export function catalogueJobs(ctx: Ctx): Record<string, JobHandler> {
  return {
    [EXPIRY_QUEUE]: async (job) => {
      const result = await expireDue(ctx);
      if (job.payload.daily) await scheduleDailyExpiry(ctx);
      return result;
    },
  };
}

type NoticeRow = Static<typeof Notice>;

export async function listNotices(ctx: Ctx, p: Principal, department: string, page = 1, size = 20): Promise<{ items: NoticeRow[]; total: number; page: number; page_size: number }> {
  const d = await ctx.db.query('SELECT 1 FROM departments WHERE code = $1', [department]);
  if (!d.rows.length) throw notFound('部门', department);
  if (!isStaffOf(p, department) && p.role !== 'admin') {
    await appendAudit(ctx.db, { actor: actor(p), action: 'notice.read', subject: `department:${department}`, outcome: 'denied' });
    throw new DomainError('FORBIDDEN', `只有 ${department} 的工作人员可以查看本部门的提醒`, `only staff of ${department} may read its notices`);
  }
  const total = await ctx.db.query<{ n: string }>('SELECT count(*)::text AS n FROM department_notices WHERE department = $1', [department]);
  const r = await ctx.db.query<NoticeRow & { created_at: Date; read_at: Date | null }>(
    `SELECT n.id::text AS id, n.department, n.kind, n.subject, n.title, n.body, n.detail, n.due_on::text AS due_on, n.created_at, n.read_at
       FROM department_notices n WHERE n.department = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2 OFFSET $3`,
    [department, size, (page - 1) * size],
  );
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return { items: r.rows.map((n) => ({ ...n, created_at: iso(n.created_at)!, read_at: iso(n.read_at) })), total: Number(total.rows[0].n), page, page_size: size };
}
