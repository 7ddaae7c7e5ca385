// The once-only side effects of a transition: a time-to-money event (case_events, unique
// dedupe_key), a notice (inbox, unique cause_key) and an audit entry — all written by the
// caller inside the transaction of the state change, so a retried request or a restarted job
// meets the unique keys and writes nothing twice (docs/decisions/0012-review-workflow.md).
import type { Queryable } from '../../db/db.ts';

export type CaseEvent = 'applied' | 'step_started' | 'step_done' | 'returned' | 'resubmitted' | 'approved' | 'rejected' | 'escalated' | 'batched' | 'paid' | 'payment_failed';

export const EVENT_LABEL: Record<CaseEvent, { zh: string; en: string }> = {
  applied: { zh: '提交申请', en: 'Application submitted' },
  step_started: { zh: '开始审核', en: 'Review step started' },
  step_done: { zh: '审核通过', en: 'Review step approved' },
  returned: { zh: '退回补正', en: 'Returned for correction' },
  resubmitted: { zh: '补正后重新提交', en: 'Resubmitted after correction' },
  approved: { zh: '申请已批准', en: 'Application approved' },
  rejected: { zh: '不予批准', en: 'Application rejected' },
  escalated: { zh: '审核超期，已督办', en: 'Overdue review escalated' },
  batched: { zh: '已纳入拨付批次', en: 'Added to a payout batch' },
  paid: { zh: '资金已拨付', en: 'Paid' },
  payment_failed: { zh: '拨付失败', en: 'Payment failed' },
};

/** What an event needs to know about its application. */
export interface CaseRef {
  id: string;
  entity_id: string;
  item_id: string;
  item_version: number;
  department: string;
}

/** The dedupe key of an application event; the parts say which occurrence it is. */
export const eventKey = (appId: string, ...parts: (string | number)[]) => ['application', appId, ...parts].join(':');

/** Writes the event unless its key was written before; true when it is new. */
export async function recordEvent(
  q: Queryable,
  app: CaseRef,
  event: CaseEvent,
  key: string,
  at: Date,
  opts: { step?: string; department?: string; detail?: Record<string, unknown> } = {},
): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO case_events (case_type, case_id, entity_id, item_id, item_version, department, event, step, at, detail, dedupe_key)
     VALUES ('application', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (dedupe_key) DO NOTHING`,
    [app.id, app.entity_id, app.item_id, app.item_version, opts.department ?? app.department, event, opts.step ?? null, at, JSON.stringify(opts.detail ?? {}), key],
  );
  return r.rowCount > 0;
}

export interface Notice {
  kind: string;
  title: string;
  body: string;
  causeKey: string;
}

/** A notice to the applicant entity, once per cause. */
export async function notifyApplicant(q: Queryable, app: CaseRef, n: Notice, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO inbox (entity_id, kind, title, body, cause_key, item_id, case_type, case_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'application', $7, $8) ON CONFLICT (cause_key) DO NOTHING`,
    [app.entity_id, n.kind, n.title, n.body, n.causeKey, app.item_id, app.id, at],
  );
}

/** A notice to a department's desk (its clerks and approvers read it), once per cause. */
export async function notifyDepartment(q: Queryable, department: string, app: CaseRef, n: Notice, at: Date): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO inbox (department, kind, title, body, cause_key, item_id, case_type, case_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'application', $7, $8) ON CONFLICT (cause_key) DO NOTHING`,
    [department, n.kind, n.title, n.body, n.causeKey, app.item_id, app.id, at],
  );
  return r.rowCount > 0;
}
