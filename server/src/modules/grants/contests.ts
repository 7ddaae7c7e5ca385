// Contests (异议) of auto-grants, from the department's side: the staff of the grant's
// department list them and resolve each once — upheld (the grant is cancelled, or its amount
// corrected) or dismissed — always with a reason. The entity is told in the same transaction
// (inbox, unique cause_key) and the decision is audited. A grant already batched or paid is no
// longer changed here: its money is with payouts.
import { dec } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { badInput, DomainError, forbidden } from '../../errors.ts';
import { actorOf, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import type { ContestQuery, ContestView, ResolveBody } from './schema.ts';

const CHANGEABLE = ['pending_confirmation', 'granted', 'blocked_budget', 'blocked_quota'];

interface Row extends Omit<ContestView, 'created_at' | 'resolved_at'> {
  created_at: Date | string;
  resolved_at: Date | string | null;
}

const SELECT = `
SELECT c.id::text AS id, c.grant_id::text AS grant_id, c.entity_id::text AS entity_id, e.display_name AS entity_name, g.item_id, iv.title AS item_title,
       g.department, g.period_key, g.amount::text AS amount, g.status AS grant_status, c.reason, c.created_at, c.status, c.outcome,
       c.old_amount::text AS old_amount, c.new_amount::text AS new_amount, c.resolution, u.display_name AS resolved_by, c.resolved_at
  FROM grant_contests c
  JOIN grants g ON g.id = c.grant_id
  JOIN entities e ON e.id = c.entity_id
  JOIN item_versions iv ON iv.item_id = g.item_id AND iv.version = g.item_version
  LEFT JOIN users u ON u.id = c.resolved_by`;

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
const view = (r: Row): ContestView => ({ ...r, created_at: iso(r.created_at)!, resolved_at: iso(r.resolved_at) });

function staffOf(p: Principal): string {
  if (p.kind !== 'user' || !p.department) throw forbidden('只有部门工作人员可以处理异议', 'only department staff handle contests');
  return p.department;
}

export async function listContests(ctx: Ctx, p: Principal, query: ContestQuery): Promise<{ total: number; items: ContestView[] }> {
  const department = staffOf(p);
  const status = query.status ?? 'open';
  const where = `g.department = $1${status === 'open' ? ` AND c.status = 'open'` : status === 'resolved' ? ` AND c.status <> 'open'` : ''}`;
  const size = query.page_size ?? 20;
  const offset = ((query.page ?? 1) - 1) * size;
  const total = await ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM grant_contests c JOIN grants g ON g.id = c.grant_id WHERE ${where}`, [department]);
  const rows = await ctx.db.query<Row>(`${SELECT} WHERE ${where} ORDER BY c.created_at, c.id LIMIT $2 OFFSET $3`, [department, size, offset]);
  return { total: Number(total.rows[0].n), items: rows.rows.map(view) };
}

async function loadContest(q: Queryable, id: string): Promise<Row> {
  await q.query('SELECT 1 FROM grant_contests WHERE id = $1 FOR UPDATE', [id]);
  const r = await q.query<Row>(`${SELECT} WHERE c.id = $1`, [id]);
  if (!r.rows[0]) throw new DomainError('NOT_FOUND', `异议 ${id} 不存在`, `contest ${id} not found`);
  return r.rows[0];
}

/** Resolves an open contest of the staff member's department; the entity is told why. */
export async function resolveContest(ctx: Ctx, p: Principal, id: string, body: ResolveBody): Promise<ContestView> {
  const department = staffOf(p);
  return ctx.db.tx(async (q) => {
    const c = await loadContest(q, id);
    if (c.department !== department) throw forbidden(`异议 ${id} 不属于本部门的兑现`, `contest ${id} concerns another department's grant`);
    if (c.status !== 'open') throw new DomainError('CONFLICT', `异议 ${id} 已处理（${c.status === 'upheld' ? '成立' : '不成立'}）`, `contest ${id} has already been resolved (${c.status})`, 'contest');
    const now = ctx.now();
    let outcome: 'cancelled' | 'corrected' | null = null;
    let newAmount: string | null = null;
    if (body.decision === 'uphold') {
      if (!CHANGEABLE.includes(c.grant_status))
        throw new DomainError('INVALID_STATE', `兑现 ${c.grant_id} 当前为「${c.grant_status}」，已进入拨付，不能在此更正`, `grant ${c.grant_id} is ${c.grant_status}; it is with payouts and cannot be changed here`, 'contest');
      if (body.amount === undefined) {
        outcome = 'cancelled';
        await q.query(`UPDATE grants SET status = 'cancelled', updated_at = $2 WHERE id = $1`, [c.grant_id, now]);
      } else {
        newAmount = dec(body.amount).toFixed(2); // the schema admits plain amounts only
        if (newAmount === dec(c.amount).toFixed(2)) throw badInput('amount', `更正金额与原金额（${c.amount} 元）相同；维持原金额请选择"异议不成立"`, `the corrected amount equals the grant's (${c.amount}); dismiss the contest to keep it`);
        outcome = 'corrected';
        await q.query('UPDATE grants SET amount = $2, updated_at = $3 WHERE id = $1', [c.grant_id, newAmount, now]);
      }
    }
    const status = body.decision === 'uphold' ? 'upheld' : 'dismissed';
    await q.query(
      `UPDATE grant_contests SET status = $2, outcome = $3, old_amount = $4, new_amount = $5, resolution = $6, resolved_by = $7, resolved_at = $8 WHERE id = $1`,
      [id, status, outcome, outcome ? c.amount : null, newAmount, body.reason, p.userId, now],
    );
    const what = outcome === 'cancelled' ? '异议成立，该笔兑现已撤销' : outcome === 'corrected' ? `异议成立，兑现金额由 ${c.amount} 元更正为 ${newAmount} 元` : '异议不成立，兑现维持不变';
    await q.query(
      `INSERT INTO inbox (entity_id, kind, title, body, cause_key, item_id, case_type, case_id, created_at)
       VALUES ($1, 'grant.contest_resolved', $2, $3, $4, $5, 'grant', $6, $7) ON CONFLICT (cause_key) DO NOTHING`,
      [c.entity_id, `异议处理结果：${c.item_title}`, `您对兑现 #${c.grant_id}（${c.period_key}）的异议已处理：${what}。理由：${body.reason}`, `grant:${c.grant_id}:contest:${id}:resolved`, c.item_id, c.grant_id, now],
    );
    await appendAudit(q, {
      actor: actorOf(p), action: 'grant.contest.resolve', subject: `grant:${c.grant_id}`,
      detail: { contest: id, decision: status, outcome, ...(outcome ? { old_amount: c.amount, new_amount: newAmount ?? (outcome === 'cancelled' ? '0.00' : null) } : {}) },
    });
    return view(await loadContest(q, id));
  });
}
