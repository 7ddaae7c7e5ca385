// The cases a payout pays: granted grants (免申即享) and approved applications, reached
// through their own tables. This file is the one place payouts touch those tables, so a
// change of their shape is answered here.
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import type { CaseType } from './schema.ts';

export interface PayableCase {
  case_type: CaseType;
  case_id: string;
  entity_id: string;
  item_id: string;
  item_version: number;
  /** Two decimals, as text: money never passes through a double. */
  amount: string | null;
  /** 1 for a case never batched; one more than its last (failed) attempt otherwise. */
  attempt: number;
  /** An account the applicant declared on the application form ({"value"} or {"enc"}), if any. */
  declared_account: unknown;
}

// A case is payable when its decision stands (granted / approved) or its last payment failed,
// and no line of it is alive (pending, exported or paid). The case rows are locked FOR UPDATE
// SKIP LOCKED: a case another transaction holds — a second batch maker, a grant run
// superseding it, a reviewer changing it — is left for the next batch rather than read as it
// was before that transaction; a row that changed after this statement's snapshot is
// re-checked against the status condition under its lock (READ COMMITTED), so a case batched
// or superseded meanwhile drops out. payout_lines_one_live still guards the insert.
const PAYABLE = (table: 'grants' | 'applications', type: CaseType, decided: string, declared: string) => `
  SELECT '${type}' AS case_type, c.id::text AS case_id, c.entity_id::text AS entity_id, c.item_id, c.item_version,
         round(c.amount, 2)::text AS amount, ${declared} AS declared_account,
         COALESCE((SELECT max(l.attempt) FROM payout_lines l WHERE l.case_type = '${type}' AND l.case_id = c.id), 0) + 1 AS attempt
    FROM ${table} c
   WHERE c.department = $1 AND c.status IN ('${decided}', 'payment_failed')
     AND NOT EXISTS (SELECT 1 FROM payout_lines l WHERE l.case_type = '${type}' AND l.case_id = c.id AND l.status <> 'failed')
   ORDER BY c.id
   FOR UPDATE OF c SKIP LOCKED`;

/**
 * Every payable case of a department that no other transaction holds, locked until the
 * caller's transaction ends; grants first, then applications, each by id.
 */
export async function payableCases(q: Queryable, department: string): Promise<PayableCase[]> {
  const grants = await q.query<PayableCase>(PAYABLE('grants', 'grant', 'granted', 'NULL::jsonb'), [department]);
  const apps = await q.query<PayableCase>(PAYABLE('applications', 'application', 'approved', "c.form -> 'fields' -> 'bank_account'"), [department]);
  return [...grants.rows, ...apps.rows].map((c) => ({ ...c, attempt: Number(c.attempt), item_version: Number(c.item_version) }));
}

export interface Payee {
  kind: 'enterprise' | 'person';
  name: string | null;
  account: string | null;
}

/**
 * The JSON value of a stored fact: personal fields are {"enc": ciphertext of the JSON value}
 * (profiles/sensitive.ts); an application form holds {"value"} or {"enc"} per field.
 */
export function factValue(ctx: Ctx, stored: unknown): unknown {
  if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
    const o = stored as { enc?: unknown; value?: unknown };
    if (typeof o.enc === 'string') return JSON.parse(ctx.crypto.decrypt(o.enc));
    if ('value' in o) return o.value;
  }
  return stored;
}

export const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

/**
 * Who is paid and where: the entity's name and its bank_account fact (declared by the
 * applicant or delivered by a source). Decrypted here only to be encrypted again into the
 * payout line; nothing of it is returned to a caller in clear.
 */
export async function payees(ctx: Ctx, q: Queryable, entityIds: string[]): Promise<Map<string, Payee>> {
  const out = new Map<string, Payee>();
  if (!entityIds.length) return out;
  const r = await q.query<{ id: string; kind: 'enterprise' | 'person'; display_name: string | null; name: unknown; account: unknown }>(
    `SELECT e.id::text AS id, e.kind, e.display_name, e.facts -> 'name' AS name, e.facts -> 'bank_account' AS account
       FROM entities e WHERE e.id = ANY($1::bigint[])`,
    [entityIds],
  );
  for (const e of r.rows) {
    const account = text(factValue(ctx, e.account));
    out.set(e.id, { kind: e.kind, name: text(factValue(ctx, e.name)) ?? e.display_name, account: account ? account.replace(/[\s-]/g, '') : null });
  }
  return out;
}

const TABLE = { grant: 'grants', application: 'applications' } as const;

/**
 * Moves a case along the payment path: batched when a line is made for it, then paid or
 * payment_failed on the bank's answer. Only the expected prior states move, so a replay is
 * a no-op and a case someone cancelled meanwhile is left alone.
 */
export async function moveCase(q: Queryable, type: CaseType, caseIds: string[], to: 'batched' | 'paid' | 'payment_failed', at: Date): Promise<void> {
  if (!caseIds.length) return;
  const from = to === 'batched' ? [type === 'grant' ? 'granted' : 'approved', 'payment_failed'] : ['batched'];
  await q.query(`UPDATE ${TABLE[type]} SET status = $2, updated_at = $4 WHERE id = ANY($1::bigint[]) AND status = ANY($3)`, [caseIds, to, from, at]);
}
