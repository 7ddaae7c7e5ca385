// One chunk of a grant run in ONE transaction: the locks, the decision, the grants (with
// their evidence built in the database from the facts history), the grants they replace,
// the ledger, the time-to-money events, the inbox rows and the audit entry. A crash before
// COMMIT leaves nothing of the chunk; after it, everything — and a repeated chunk finds its
// grants by the unique key and writes nothing twice.
import { dec, type Dec } from '@kx/engine';
import type { Queryable } from '../../db/db.ts';
import { appendAudit } from '../audit/audit.ts';
import { decideChunk, LIVE, type Budget, type ChunkDecision, type ExistingGrant, type Offer } from './decide.ts';
import type { AutoItem } from './items.ts';
import { DECIDED_APPLICATION, lockStackingGroup } from './modes.ts';
import type { EvidenceFact } from './read.ts';

export interface Unit {
  key: string;
  items: AutoItem[];
  period: string;
  group: string | null;
  date: string;
}

export interface Cause {
  event: string | null;
  since: string;
}

export interface ChunkResult {
  created: number;
  superseded: number;
  already: number;
  blockedBudget: number;
  blockedQuota: number;
  blockedPerItem: Map<string, number>;
  unknownAmount: number;
  zeroAmount: number;
}

// Evidence travels as ONE json array joined by position: a text[] of JSON documents costs
// the driver and the server twice as much (array quoting) as the documents themselves.
const INSERT_GRANTS = `
INSERT INTO grants (entity_id, item_id, item_version, department, period_key, amount, item_amount, status, stacking_group, evidence, match_event_id, first_eligible_at)
SELECT u.e, u.i, u.v, u.d, $1, u.amt, u.iamt, u.st, $2, x.doc, u.ev, u.at
  FROM unnest($3::bigint[], $4::text[], $5::int[], $6::text[], $7::numeric[], $8::numeric[], $9::text[], $10::bigint[], $11::timestamptz[]) WITH ORDINALITY
       AS u(e, i, v, d, amt, iamt, st, ev, at, ord)
  JOIN jsonb_array_elements($12::jsonb) WITH ORDINALITY AS x(doc, ord) ON x.ord = u.ord
ON CONFLICT (entity_id, item_id, period_key) DO NOTHING
RETURNING id::text AS id, entity_id::text AS entity_id, item_id, status, amount::text AS amount, item_amount::text AS item_amount, first_eligible_at`;

const CASE_EVENTS = `
INSERT INTO case_events (case_type, case_id, entity_id, item_id, item_version, department, event, at, detail, dedupe_key)
SELECT 'grant', u.id, u.e, u.i, u.v, u.d, u.event, u.at,
       CASE u.event WHEN 'approved' THEN '{"by":"auto"}'::jsonb ELSE '{}'::jsonb END, 'grant:' || u.id || ':' || u.event
  FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::int[], $5::text[], $6::text[], $7::timestamptz[]) AS u(id, e, i, v, d, event, at)
ON CONFLICT (dedupe_key) DO NOTHING`;

// The entity is told in the same transaction (the inbox, until the push channels come).
// Titles and bodies travel as one json array, like the evidence.
const INBOX = `
INSERT INTO inbox (entity_id, kind, title, body, cause_key, item_id, case_type, case_id, created_at)
SELECT u.e, x.doc ->> 0, x.doc ->> 1, x.doc ->> 2, 'grant:' || u.id, u.i, 'grant', u.id, $4
  FROM unnest($1::bigint[], $2::bigint[], $3::text[]) WITH ORDINALITY AS u(id, e, i, ord)
  JOIN jsonb_array_elements($5::jsonb) WITH ORDINALITY AS x(doc, ord) ON x.ord = u.ord
ON CONFLICT (cause_key) DO NOTHING`;

function notice(item: AutoItem, status: string, amount: string, itemAmount: string): { kind: string; title: string; body: string } {
  if (status === 'pending_confirmation')
    return {
      kind: 'grant_confirm',
      title: `免申即享待确认：${item.title}`,
      body: `您符合「${item.title}」的条件，可享受 ${amount} 元（${item.period}）。请在“我的兑现”中确认领取意愿后发放。 / You qualify for ${amount} yuan (${item.period}); please confirm that you wish to receive it.`,
    };
  const topUp = amount !== itemAmount ? '同一政策组内已发放的部分已扣除。' : '';
  return {
    kind: 'grant',
    title: `免申即享：${item.title}`,
    body: `您符合「${item.title}」的条件，已自动为您发放 ${amount} 元（${item.period}），无需申请。${topUp}如有异议，可在“我的兑现”中提出。 / You qualify; ${amount} yuan granted automatically (${item.period}), no application needed.`,
  };
}

export interface ChunkInput {
  unit: Unit;
  offers: Offer[][];
  /** Evidence of each fact the items read, per entity (ChunkReader). */
  evidence: Map<number, Map<string, EvidenceFact>>;
  causes: Map<string, Cause>;
  /** Items out of budget in this run so far (carried from chunk to chunk). */
  exhausted: Map<string, 'budget' | 'quota'>;
  now: Date;
  actor: string;
}

export const causeKey = (entity: number, item: string) => `${entity}|${item}`;

/**
 * A unit whose decisions depend on what other chunks wrote (a budget, a quota, a stacking
 * group) reads and locks its ledger rows first and runs chunk after chunk; any other unit
 * only adds to its ledger at the end of the transaction, so its chunks can run side by side.
 */
export const isSerial = (unit: Unit) => unit.group !== null || unit.items.some((i) => i.quota.budget !== undefined || i.quota.count !== undefined);

export async function writeChunk(q: Queryable, input: ChunkInput): Promise<ChunkResult> {
  const { unit, offers } = input;
  const itemIds = unit.items.map((i) => i.id).sort();
  const entities = offers.map((o) => o[0].entity);
  if (unit.group) await lockStackingGroup(q, unit.group, unit.period);
  await q.query('INSERT INTO grant_ledger (item_id, period_key) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING', [itemIds, unit.period]);
  const serial = isSerial(unit);
  const ledger = serial
    ? await q.query<{ item_id: string; spent: string; granted_count: number }>(
        'SELECT item_id, spent, granted_count FROM grant_ledger WHERE item_id = ANY($1::text[]) AND period_key = $2 ORDER BY item_id FOR UPDATE',
        [itemIds, unit.period],
      )
    : { rows: [] };
  const budgets = new Map<string, Budget>();
  for (const row of ledger.rows) {
    const it = unit.items.find((i) => i.id === row.item_id)!;
    budgets.set(row.item_id, {
      spent: dec(row.spent),
      count: Number(row.granted_count),
      maxBudget: it.quota.budget !== undefined ? dec(it.quota.budget) : undefined,
      maxCount: it.quota.count,
      exhausted: input.exhausted.get(row.item_id),
    });
  }
  // Under the locks above nobody else writes these keys: what we read is what we decide on.
  const existing = await q.query<{ id: string; entity_id: string; item_id: string; status: string; amount: string; item_amount: string }>(
    `SELECT id::text AS id, entity_id::text AS entity_id, item_id, status, amount, item_amount FROM grants
      WHERE entity_id = ANY($1::bigint[]) AND period_key = $2
        AND (item_id = ANY($3::text[]) OR ($4::text IS NOT NULL AND stacking_group = $4 AND status = ANY($5::text[])))
      ${unit.group ? 'FOR UPDATE' : ''}`,
    [entities, unit.period, itemIds, unit.group, LIVE],
  );
  const held: ExistingGrant[] = existing.rows.map((r) => ({ id: r.id, entity: Number(r.entity_id), item: r.item_id, status: r.status, amount: r.amount, item_amount: r.item_amount }));
  // Decided applications of the group count like grants in the payout pipeline (从高不重复 across modes).
  if (unit.group) {
    const apps = await q.query<{ id: string; entity_id: string; item_id: string; amount: string; item_amount: string }>(
      `SELECT a.id::text AS id, a.entity_id::text AS entity_id, a.item_id, a.amount::text AS amount, COALESCE(a.item_amount, a.amount)::text AS item_amount FROM applications a
         JOIN item_versions iv ON iv.item_id = a.item_id AND iv.version = a.item_version
        WHERE a.entity_id = ANY($1::bigint[]) AND a.period = $2 AND iv.body ->> 'stacking_group' = $3
          AND a.status = ANY($4::text[]) AND a.amount IS NOT NULL`,
      [entities, unit.period, unit.group, DECIDED_APPLICATION],
    );
    for (const a of apps.rows) held.push({ id: `application:${a.id}`, entity: Number(a.entity_id), item: a.item_id, status: 'approved', amount: a.amount, item_amount: a.item_amount });
  }
  const confirm = new Map(unit.items.map((i) => [i.id, i.confirmIntent]));
  const d = decideChunk({ offers, existing: held, budgets, stacking: unit.group !== null, confirmIntent: (i) => confirm.get(i) === true });
  for (const [item, b] of budgets) if (b.exhausted) input.exhausted.set(item, b.exhausted);

  const inserted = d.inserts.length ? await insertGrants(q, input, d) : [];
  const byKey = new Map(inserted.map((r) => [causeKey(Number(r.entity_id), r.item_id), r]));
  const result: ChunkResult = {
    created: 0, superseded: 0, already: d.already + d.inserts.length - inserted.length,
    blockedBudget: d.blockedBudget, blockedQuota: d.blockedQuota, blockedPerItem: d.blockedPerItem, unknownAmount: d.unknownAmount, zeroAmount: d.zeroAmount,
  };
  const delta = new Map<string, { amount: Dec; count: number }>();
  const book = (item: string, amount: string, sign: 1 | -1) => {
    const x = delta.get(item) ?? { amount: dec(0), count: 0 };
    delta.set(item, { amount: sign > 0 ? x.amount.plus(dec(amount)) : x.amount.minus(dec(amount)), count: x.count + sign });
  };
  const cases: typeof inserted = [];
  const replaced: { id: string; by: string }[] = [];
  for (const ins of d.inserts) {
    const row = byKey.get(causeKey(ins.entity, ins.item));
    if (!row) continue;
    if (row.status === 'superseded') {
      result.superseded++;
      continue;
    }
    result.created++;
    cases.push(row);
    book(row.item_id, row.amount, 1);
    for (const g of ins.replaces) replaced.push({ id: g.id, by: row.id });
  }
  if (replaced.length) {
    const up = await q.query<{ item_id: string; amount: string }>(
      `UPDATE grants g SET status = 'superseded', superseded_by = x.by, updated_at = $3
         FROM unnest($1::bigint[], $2::bigint[]) AS x(id, by)
        WHERE g.id = x.id AND g.status IN ('granted', 'pending_confirmation')
        RETURNING g.item_id, g.amount`,
      [replaced.map((r) => r.id), replaced.map((r) => r.by), input.now],
    );
    for (const r of up.rows) book(r.item_id, r.amount, -1);
  }
  if (cases.length) await writeCaseEvents(q, unit, cases, input.now);
  // Last but the audit: concurrent chunks of an item queue on this row only briefly.
  if (delta.size) {
    const items = [...delta.keys()];
    await q.query(
      `UPDATE grant_ledger l SET spent = l.spent + d.amount, granted_count = l.granted_count + d.n, updated_at = $5
         FROM unnest($2::text[], $3::numeric[], $4::int[]) AS d(item, amount, n)
        WHERE l.item_id = d.item AND l.period_key = $1`,
      [unit.period, items, items.map((i) => delta.get(i)!.amount.toFixed()), items.map((i) => delta.get(i)!.count), input.now],
    );
  }
  if (inserted.length || replaced.length)
    await appendAudit(q, {
      actor: input.actor,
      action: 'grant.create',
      subject: `items:${itemIds.join(',')}`,
      detail: {
        period: unit.period,
        date: unit.date,
        grants: cases.map((c) => c.id),
        superseded_on_arrival: result.superseded,
        replaced: replaced.map((r) => r.id),
        // the facts the run read to compute amounts (names only)
        fields_read: [...new Set(unit.items.flatMap((i) => i.amountFields))],
      },
    });
  return result;
}

interface InsertedRow {
  id: string;
  entity_id: string;
  item_id: string;
  status: string;
  amount: string;
  item_amount: string;
  first_eligible_at: Date | string;
}

async function insertGrants(q: Queryable, input: ChunkInput, d: ChunkDecision): Promise<InsertedRow[]> {
  const { unit } = input;
  const items = new Map(unit.items.map((i) => [i.id, i]));
  const cols = { e: [] as number[], i: [] as string[], v: [] as number[], d: [] as string[], amt: [] as string[], iamt: [] as string[], st: [] as string[], evidence: [] as unknown[], ev: [] as (string | null)[], at: [] as string[] };
  for (const ins of d.inserts) {
    const it = items.get(ins.item)!;
    const c = input.causes.get(causeKey(ins.entity, ins.item))!;
    const facts = input.evidence.get(ins.entity);
    cols.e.push(ins.entity);
    cols.i.push(ins.item);
    cols.v.push(it.version);
    cols.d.push(it.department);
    cols.amt.push(ins.amount);
    cols.iamt.push(ins.item_amount);
    cols.st.push(ins.status);
    // item version, amounts and the formula are the grant's own columns and its item version's body
    cols.evidence.push({
      date: unit.date,
      cause: c.event ? { kind: 'match_event', match_event_id: c.event, at: c.since } : { kind: 'item_set', at: c.since },
      facts: it.evidenceFields.flatMap((f) => facts?.get(f) ?? []),
    });
    cols.ev.push(c.event);
    // Eligible for June from June at the earliest: a monthly grant's clock starts with its month.
    cols.at.push(it.periodStartsAt && it.periodStartsAt > c.since ? it.periodStartsAt : c.since);
  }
  const r = await q.query<InsertedRow>(INSERT_GRANTS, [unit.period, unit.group, cols.e, cols.i, cols.v, cols.d, cols.amt, cols.iamt, cols.st, cols.ev, cols.at, JSON.stringify(cols.evidence)]);
  return r.rows;
}

/** first_eligible (when the verdict came) and, unless the entity must confirm first, approved (now). */
async function writeCaseEvents(q: Queryable, unit: Unit, rows: InsertedRow[], now: Date): Promise<void> {
  const items = new Map(unit.items.map((i) => [i.id, i]));
  const ev = { id: [] as string[], e: [] as string[], i: [] as string[], v: [] as number[], d: [] as string[], event: [] as string[], at: [] as (Date | string)[] };
  const inbox = { id: [] as string[], e: [] as string[], i: [] as string[], text: [] as string[][] };
  const push = (g: InsertedRow, event: string, at: Date | string) => {
    const it = items.get(g.item_id)!;
    ev.id.push(g.id);
    ev.e.push(g.entity_id);
    ev.i.push(g.item_id);
    ev.v.push(it.version);
    ev.d.push(it.department);
    ev.event.push(event);
    ev.at.push(at);
  };
  for (const g of rows) {
    push(g, 'first_eligible', g.first_eligible_at);
    if (g.status === 'granted') push(g, 'approved', now);
    const n = notice(items.get(g.item_id)!, g.status, g.amount, g.item_amount);
    inbox.id.push(g.id);
    inbox.e.push(g.entity_id);
    inbox.i.push(g.item_id);
    inbox.text.push([n.kind, n.title, n.body]);
  }
  await q.query(CASE_EVENTS, [ev.id, ev.e, ev.i, ev.v, ev.d, ev.event, ev.at]);
  await q.query(INBOX, [inbox.id, inbox.e, inbox.i, now, JSON.stringify(inbox.text)]);
}
