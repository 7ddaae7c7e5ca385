// One chunk of a grant run in ONE transaction: the locks, the decision, the grants (with
// their evidence built in the database from the facts history), the grants they replace,
// the ledger, the time-to-money events, the inbox rows and the audit entry. A crash before
// COMMIT leaves nothing of the chunk; after it, everything — and a repeated chunk finds its
// grants by the unique key and writes nothing twice.
import { dec } from '@kx/engine';
import type { Dictionary } from '@kx/engine';
import type { Queryable } from '../../db/db.ts';
import { appendAudit } from '../audit/audit.ts';
import { decideChunk, LIVE, type Budget, type ChunkDecision, type ExistingGrant, type Offer } from './decide.ts';
import type { AutoItem } from './items.ts';

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

/** Item facts for the SQL that builds evidence: fields with their dictionary source. */
export function unitMeta(unit: Unit, dict: Dictionary): string {
  const meta: Record<string, unknown> = {};
  for (const it of unit.items)
    meta[it.id] = {
      version: it.version,
      department: it.department,
      formula: it.formula,
      fields: it.evidenceFields.map((f) => {
        const def = dict.fields.get(f);
        return { f, src: def?.source ?? null, sens: def?.sensitive === true };
      }),
    };
  return JSON.stringify(meta);
}

const INSERT_GRANTS = `
INSERT INTO grants (entity_id, item_id, item_version, department, period_key, amount, item_amount, status, stacking_group, evidence, match_event_id, first_eligible_at)
SELECT u.e, u.i, m.v, m.d, $1, u.amt, u.iamt, u.st, $2,
       jsonb_build_object(
         'date', $3::text,
         'item_version', m.v,
         'formula', m.formula,
         'item_amount', u.iamt::text,
         'cause', CASE WHEN u.ev IS NULL THEN jsonb_build_object('kind', 'item_set', 'at', u.since)
                       ELSE jsonb_build_object('kind', 'match_event', 'match_event_id', u.ev::text, 'at', u.since) END,
         'facts', COALESCE(ev.facts, '[]'::jsonb)),
       u.ev, u.at
  FROM unnest($4::bigint[], $5::text[], $6::numeric[], $7::numeric[], $8::text[], $9::bigint[], $10::text[], $11::timestamptz[])
       AS u(e, i, amt, iamt, st, ev, since, at)
  JOIN entities e ON e.id = u.e
  CROSS JOIN LATERAL (SELECT (x ->> 'version')::int AS v, x ->> 'department' AS d, x ->> 'formula' AS formula, x -> 'fields' AS fields
                        FROM (SELECT $12::jsonb -> u.i AS x) s) m
  LEFT JOIN LATERAL (
    SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
             'field', fl.def ->> 'f',
             'source', COALESCE(h.source, e.provenance -> (fl.def ->> 'f') ->> 's', fl.def ->> 'src'),
             'as_of', COALESCE(h.as_of::text, e.provenance -> (fl.def ->> 'f') ->> 'd'),
             'fact_id', h.id::text,
             'sensitive', CASE WHEN (fl.def ->> 'sens')::boolean THEN true END,
             'value', CASE WHEN (fl.def ->> 'sens')::boolean THEN NULL ELSE COALESCE(h.value, e.facts -> (fl.def ->> 'f')) END))
           ORDER BY fl.ord) AS facts
      FROM jsonb_array_elements(m.fields) WITH ORDINALITY AS fl(def, ord)
      LEFT JOIN LATERAL (SELECT f.id, f.source, f.as_of, f.value FROM facts f
                          WHERE f.entity_id = u.e AND f.field = fl.def ->> 'f'
                          ORDER BY f.as_of DESC, f.id DESC LIMIT 1) h ON true
  ) ev ON true
ON CONFLICT (entity_id, item_id, period_key) DO NOTHING
RETURNING id::text AS id, entity_id::text AS entity_id, item_id, status, amount`;

const CASE_EVENTS = `
INSERT INTO case_events (case_type, case_id, entity_id, item_id, item_version, department, event, at, detail, dedupe_key)
SELECT 'grant', g.id, g.entity_id, g.item_id, g.item_version, g.department, x.event,
       CASE x.event WHEN 'first_eligible' THEN g.first_eligible_at ELSE $2::timestamptz END,
       CASE x.event WHEN 'approved' THEN '{"by":"auto"}'::jsonb ELSE jsonb_build_object('match_event_id', g.match_event_id::text) END,
       'grant:' || g.id || ':' || x.event
  FROM grants g CROSS JOIN (VALUES ('first_eligible'), ('approved')) AS x(event)
 WHERE g.id = ANY($1::bigint[]) AND (x.event = 'first_eligible' OR g.status = 'granted')
ON CONFLICT (dedupe_key) DO NOTHING`;

// The entity is told in the same transaction (the inbox until the push channels come).
const INBOX = `
INSERT INTO inbox (entity_id, kind, title, body, cause_key, item_id, case_type, case_id, created_at)
SELECT g.entity_id,
       CASE g.status WHEN 'granted' THEN 'grant' ELSE 'grant_confirm' END,
       CASE g.status WHEN 'granted' THEN '免申即享：' ELSE '免申即享待确认：' END || ($2::jsonb ->> g.item_id),
       CASE g.status
         WHEN 'granted' THEN '您符合「' || ($2::jsonb ->> g.item_id) || '」的条件，已自动为您发放 ' || g.amount::text || ' 元（' || g.period_key || '），无需申请。'
              || CASE WHEN g.amount < g.item_amount THEN '同一政策组内已发放的部分已扣除。' ELSE '' END
              || '如有异议，可在“我的兑现”中提出。 / You qualify; ' || g.amount::text || ' yuan granted automatically (' || g.period_key || '), no application needed.'
         ELSE '您符合「' || ($2::jsonb ->> g.item_id) || '」的条件，可享受 ' || g.amount::text || ' 元（' || g.period_key || '）。请在“我的兑现”中确认领取意愿后发放。'
              || ' / You qualify for ' || g.amount::text || ' yuan (' || g.period_key || '); please confirm that you wish to receive it.'
       END,
       'grant:' || g.id, g.item_id, 'grant', g.id, $3::timestamptz
  FROM grants g
 WHERE g.id = ANY($1::bigint[])
ON CONFLICT (cause_key) DO NOTHING`;

export interface ChunkInput {
  unit: Unit;
  meta: string;
  titles: string;
  offers: Offer[][];
  causes: Map<string, Cause>;
  /** Items out of budget in this run so far (carried from chunk to chunk). */
  exhausted: Map<string, 'budget' | 'quota'>;
  now: Date;
  actor: string;
}

export const causeKey = (entity: number, item: string) => `${entity}|${item}`;

export async function writeChunk(q: Queryable, input: ChunkInput): Promise<ChunkResult> {
  const { unit, offers } = input;
  const itemIds = unit.items.map((i) => i.id).sort();
  const entities = offers.map((o) => o[0].entity);
  if (unit.group) {
    await q.query('INSERT INTO grant_group_locks (stacking_group, period_key) VALUES ($1, $2) ON CONFLICT DO NOTHING', [unit.group, unit.period]);
    await q.query('SELECT 1 FROM grant_group_locks WHERE stacking_group = $1 AND period_key = $2 FOR UPDATE', [unit.group, unit.period]);
  }
  await q.query('INSERT INTO grant_ledger (item_id, period_key) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING', [itemIds, unit.period]);
  const ledger = await q.query<{ item_id: string; spent: string; granted_count: number }>(
    'SELECT item_id, spent, granted_count FROM grant_ledger WHERE item_id = ANY($1::text[]) AND period_key = $2 ORDER BY item_id FOR UPDATE',
    [itemIds, unit.period],
  );
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
  const confirm = new Map(unit.items.map((i) => [i.id, i.confirmIntent]));
  const d = decideChunk({ offers, existing: held, budgets, stacking: unit.group !== null, confirmIntent: (i) => confirm.get(i) === true });
  for (const [item, b] of budgets) if (b.exhausted) input.exhausted.set(item, b.exhausted);

  const inserted = d.inserts.length ? await insertGrants(q, input, d) : [];
  const byKey = new Map(inserted.map((r) => [causeKey(Number(r.entity_id), r.item_id), r]));
  const result: ChunkResult = {
    created: 0, superseded: 0, already: d.already + d.inserts.length - inserted.length,
    blockedBudget: d.blockedBudget, blockedQuota: d.blockedQuota, blockedPerItem: d.blockedPerItem, unknownAmount: d.unknownAmount, zeroAmount: d.zeroAmount,
  };
  const delta = new Map<string, { amount: ReturnType<typeof dec>; count: number }>();
  const book = (item: string, amount: string, sign: 1 | -1) => {
    const x = delta.get(item) ?? { amount: dec(0), count: 0 };
    delta.set(item, { amount: sign > 0 ? x.amount.plus(dec(amount)) : x.amount.minus(dec(amount)), count: x.count + sign });
  };
  const cases: string[] = [];
  const replaced: { id: string; by: string }[] = [];
  for (const ins of d.inserts) {
    const row = byKey.get(causeKey(ins.entity, ins.item));
    if (!row) continue;
    if (row.status === 'superseded') {
      result.superseded++;
      continue;
    }
    result.created++;
    cases.push(row.id);
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
  if (delta.size) {
    const items = [...delta.keys()];
    await q.query(
      `UPDATE grant_ledger l SET spent = l.spent + d.amount, granted_count = l.granted_count + d.n, updated_at = $5
         FROM unnest($2::text[], $3::numeric[], $4::int[]) AS d(item, amount, n)
        WHERE l.item_id = d.item AND l.period_key = $1`,
      [unit.period, items, items.map((i) => delta.get(i)!.amount.toFixed()), items.map((i) => delta.get(i)!.count), input.now],
    );
  }
  if (cases.length) {
    await q.query(CASE_EVENTS, [cases, input.now]);
    await q.query(INBOX, [cases, input.titles, input.now]);
  }
  if (inserted.length || replaced.length)
    await appendAudit(q, {
      actor: input.actor,
      action: 'grant.create',
      subject: `items:${itemIds.join(',')}`,
      detail: {
        period: unit.period,
        date: unit.date,
        grants: cases,
        superseded_on_arrival: result.superseded,
        replaced: replaced.map((r) => r.id),
        // the facts the run read to compute amounts (names only)
        fields_read: [...new Set(unit.items.flatMap((i) => i.amountFields))],
      },
    });
  return result;
}

async function insertGrants(q: Queryable, input: ChunkInput, d: ChunkDecision) {
  const { unit } = input;
  const at = (ins: { entity: number; item: string }) => {
    const c = input.causes.get(causeKey(ins.entity, ins.item))!;
    const start = unit.items.find((i) => i.id === ins.item)!.periodStartsAt;
    return { c, first: start && start > c.since ? start : c.since };
  };
  const rows = d.inserts.map((ins) => ({ ins, ...at(ins) }));
  const r = await q.query<{ id: string; entity_id: string; item_id: string; status: string; amount: string }>(INSERT_GRANTS, [
    unit.period,
    unit.group,
    unit.date,
    rows.map((x) => x.ins.entity),
    rows.map((x) => x.ins.item),
    rows.map((x) => x.ins.amount),
    rows.map((x) => x.ins.item_amount),
    rows.map((x) => x.ins.status),
    rows.map((x) => x.c.event),
    rows.map((x) => x.c.since),
    rows.map((x) => x.first),
    input.meta,
  ]);
  return r.rows;
}
