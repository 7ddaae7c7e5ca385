// 从高不重复 across the two modes: an online-application item and a 免申即享 item of one
// stacking group pay an entity only the higher of the two, per period. The grant run counts a
// decided application (approved … paid) like a grant already in the payout pipeline
// (write.ts); the applications module asks here at submission (a grant at least as high:
// refused) and at approval (a lower grant not yet batched is superseded; one already batched
// or paid is deducted, only the difference is paid). Both sides take the group's row in
// grant_group_locks first, so a grant run and an approval cannot both pay.
// docs/decisions/0016-stacking-across-modes-and-grant-throughput.md
import { dec } from '@kx/engine';
import type { Queryable } from '../../db/db.ts';
import { DomainError } from '../../errors.ts';
import { appendAudit } from '../audit/audit.ts';
import { LOCKED } from './decide.ts';

/** Application states whose amount counts in its group (the decision stands). */
export const DECIDED_APPLICATION = ['approved', 'batched', 'paid', 'payment_failed'] as const;

/** Serialises everything that pays out of one stacking group and period. */
export async function lockStackingGroup(q: Queryable, group: string, period: string): Promise<void> {
  await q.query('INSERT INTO grant_group_locks (stacking_group, period_key) VALUES ($1, $2) ON CONFLICT DO NOTHING', [group, period]);
  await q.query('SELECT 1 FROM grant_group_locks WHERE stacking_group = $1 AND period_key = $2 FOR UPDATE', [group, period]);
}

export interface GroupGrant {
  id: string;
  item_id: string;
  title: string;
  status: string;
  amount: string;
  item_amount: string;
}

/** The entity's live grants of a group and period (under the group lock: FOR UPDATE). */
async function liveGrants(q: Queryable, entityId: string, group: string, period: string): Promise<GroupGrant[]> {
  const r = await q.query<GroupGrant>(
    `SELECT g.id::text AS id, g.item_id, iv.title, g.status, g.amount::text AS amount, g.item_amount::text AS item_amount
       FROM grants g JOIN item_versions iv ON iv.item_id = g.item_id AND iv.version = g.item_version
      WHERE g.entity_id = $1 AND g.stacking_group = $2 AND g.period_key = $3
        AND g.status IN ('pending_confirmation', 'granted', 'batched', 'paid', 'payment_failed')
      ORDER BY g.item_amount DESC, g.id
      FOR UPDATE OF g`,
    [entityId, group, period],
  );
  return r.rows;
}

function refusal(best: GroupGrant, amount: string, group: string): DomainError {
  return new DomainError(
    'CONFLICT',
    `已通过免申即享获得同一政策组（${group}）的「${best.title}」${best.item_amount} 元，不低于本申请的 ${amount} 元；同组政策从高不重复，无需再申请`,
    `the entity already holds the auto grant "${best.item_id}" of ${best.item_amount} in stacking group ${group}, not less than this application's ${amount}; a group pays only the highest`,
    'item',
  );
}

export interface ApplicationInGroup {
  id: string;
  entity_id: string;
  item_id: string;
  period: string;
}

/** At submission: refused when a grant of the group already pays at least as much. */
export async function assertNoHigherGrant(q: Queryable, app: ApplicationInGroup, group: string, amount: string | null): Promise<void> {
  if (amount === null) return;
  await lockStackingGroup(q, group, app.period);
  const best = (await liveGrants(q, app.entity_id, group, app.period))[0];
  if (best && !dec(amount).gt(dec(best.item_amount))) throw refusal(best, amount, group);
}

export interface Settlement {
  /** What the application pays: its amount less what the group's grants have batched or paid. */
  pay: string;
  deducted: string;
  superseded: string[];
}

/**
 * At approval, for an application computed at `amount`: a grant of the group at least as
 * high refuses the approval (the reviewer rejects it as 从高不重复); lower grants not yet in the
 * payout pipeline are superseded (their ledger released, the entity told); lower ones already
 * batched or paid stay and are deducted.
 */
export async function settleAgainstGrants(q: Queryable, app: ApplicationInGroup, group: string, amount: string, now: Date, actor: string): Promise<Settlement> {
  await lockStackingGroup(q, group, app.period);
  const grants = await liveGrants(q, app.entity_id, group, app.period);
  if (grants[0] && !dec(amount).gt(dec(grants[0].item_amount))) throw refusal(grants[0], amount, group);
  const locked = grants.filter((g) => LOCKED.has(g.status));
  const open = grants.filter((g) => !LOCKED.has(g.status));
  const deducted = locked.reduce((s, g) => s.plus(dec(g.amount)), dec(0));
  if (open.length) {
    await q.query(
      `UPDATE grants SET status = 'superseded', superseded_by_application = $2, updated_at = $3 WHERE id = ANY($1::bigint[])`,
      [open.map((g) => g.id), app.id, now],
    );
    await q.query(
      `UPDATE grant_ledger l SET spent = l.spent - d.amount, granted_count = l.granted_count - 1, updated_at = $3
         FROM unnest($1::text[], $2::numeric[]) AS d(item, amount) WHERE l.item_id = d.item AND l.period_key = $4`,
      [open.map((g) => g.item_id), open.map((g) => g.amount), now, app.period],
    );
    await q.query(
      `INSERT INTO inbox (entity_id, kind, title, body, cause_key, item_id, case_type, case_id, created_at)
       SELECT $1, 'grant_superseded', '免申即享已由申请替代：' || g.title, g.body, 'grant:' || g.id || ':superseded', g.item_id, 'grant', g.id, $2
         FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[]) AS g(id, item_id, title, body)
       ON CONFLICT (cause_key) DO NOTHING`,
      [
        app.entity_id, now, open.map((g) => g.id), open.map((g) => g.item_id), open.map((g) => g.title),
        open.map((g) => `您的申请（编号 ${app.id}）已批准，金额 ${amount} 元高于免申即享「${g.title}」的 ${g.amount} 元；同组政策从高不重复，改按申请发放，原免申即享不再发放。 / Your application ${app.id} pays ${amount}, more than the auto grant's ${g.amount}; the group pays only the higher, so the grant is withdrawn.`),
      ],
    );
  }
  const pay = dec(amount).minus(deducted);
  if (open.length || locked.length)
    await appendAudit(q, {
      actor, action: 'grant.superseded_by_application', subject: `application:${app.id}`,
      detail: { group, period: app.period, amount, pay: pay.toFixed(2), superseded: open.map((g) => g.id), deducted_from: locked.map((g) => g.id) },
    });
  return { pay: pay.toFixed(2), deducted: deducted.toFixed(2), superseded: open.map((g) => g.id) };
}
