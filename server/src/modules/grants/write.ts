// One chunk of a grant run in ONE transaction: the locks, the decision, the grants (with
// their evidence, and their first time-to-money events in their own columns), the grants
// they replace, the ledger, the inbox rows and the audit entry. A crash before
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
INSERT INTO grants (entity_id, item_id, item_version, department, period_key, amount, item_amount, status, stacking_group, evidence, match_event_id, first_eligible_at, opened_at, auto_approved)
SELECT u.e, u.i, u.v, u.d, u.p, u.amt, u.iamt, u.st, u.g, x.doc, u.ev, u.at, CASE WHEN u.st <> 'superseded' THEN $13::timestamptz END, u.st = 'granted'
  FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::numeric[], $7::numeric[], $8::text[], $9::text[], $10::bigint[], $11::timestamptz[]) WITH ORDINALITY
       AS u(e, i, v, d, p, amt, iamt, st, g, ev, at, ord)
  JOIN jsonb_array_elements($12::jsonb) WITH ORDINALITY AS x(doc, ord) ON x.ord = u.ord
ON CONFLICT (entity_id, item_id, period_key) DO NOTHING
RETURNING id::text AS id, entity_id::text AS entity_id, item_id, status, amount::text AS amount, item_amount::text AS item_amount`;

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

/** One unit's share of a chunk: its entities (with their offers) in processing order. */
export interface ChunkPart {
  unit: Unit;
  offers: Offer[][];
  causes: Map<string, Cause>;
  /** Items out of budget in this run so far (carried from chunk to chunk). */
  exhausted: Map<string, 'budget' | 'quota'>;
}

export interface ChunkInput {
  /** Several units' shares in one transaction: the small items of a catalogue cost one commit, not one each. */
  parts: ChunkPart[];
  /** Evidence of each fact the items read, per entity (ChunkReader). */
  evidence: Map<number, Map<string, EvidenceFact>>;
  now: Date;
  actor: string;
  /** Adds the milliseconds of each step (the run's breakdown). */
  clock?: Clock;
}

/** Where a run's time goes: milliseconds per step, summed over chunks (concurrent ones overlap). */
export type Clock = Map<string, number>;

export async function timed<T>(clock: Clock | undefined, step: string, fn: () => Promise<T>): Promise<T> {
  if (!clock) return fn();
  const t = performance.now();
  try {
    return await fn();
  } finally {
    clock.set(step, (clock.get(step) ?? 0) + performance.now() - t);
  }
}

/** q whose statements add their time to the clock under "sql: <verb> <table>". */
export function timedQueries(q: Queryable, clock: Clock | undefined): Queryable {
  if (!clock) return q;
  return {
    exec: (sql) => timed(clock, 'sql: exec', () => q.exec(sql)),
    query: (sql, params) => timed(clock, `sql: ${statementName(sql)}`, () => q.query(sql, params)),
  };
}

function statementName(sql: string): string {
  const m = /^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+(\w+)/i.exec(sql) ?? /^\s*(SELECT)\b[\s\S]*?\bFROM\s+(\w+)/i.exec(sql);
  return m ? `${m[1].split(' ')[0].toLowerCase()} ${m[2]}` : sql.trim().split(/\s+/).slice(0, 2).join(' ').toLowerCase();
}

export const causeKey = (entity: number, item: string) => `${entity}|${item}`;

/**
 * A unit whose decisions depend on what other chunks wrote (a budget, a quota, a stacking
 * group) reads and locks its ledger rows first and runs chunk after chunk; any other unit
 * only adds to its ledger at the end of the transaction, so its chunks can run side by side.
 */
export const isSerial = (unit: Unit) => unit.group !== null || unit.items.some((i) => i.quota.budget !== undefined || i.quota.count !== undefined);

type Ledger = Map<string, Budget>;
const ledgerKey = (item: string, period: string) => `${item}|${period}`;
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Locks are taken in one global order — stacking groups, then the ledger rows of the serial
 * units, then (by the inserts) the grants' keys, then the other ledger rows, then the audit —
 * so that chunks of several units and runs at once cannot deadlock.
 */
async function lockAndReadLedger(q: Queryable, parts: ChunkPart[]): Promise<Ledger> {
  const groups = [...new Set(parts.filter((p) => p.unit.group).map((p) => `${p.unit.group}\u0000${p.unit.period}`))].sort(byKey);
  for (const g of groups) {
    const [group, period] = g.split('\u0000');
    await lockStackingGroup(q, group, period);
  }
  const keys = [...new Set(parts.filter((p) => isSerial(p.unit)).flatMap((p) => p.unit.items.map((i) => ledgerKey(i.id, p.unit.period))))].sort(byKey);
  const budgets: Ledger = new Map();
  if (!keys.length) return budgets;
  const items = keys.map((k) => k.split('|')[0]);
  const periods = keys.map((k) => k.split('|')[1]);
  await q.query('INSERT INTO grant_ledger (item_id, period_key) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [items, periods]);
  const rows = await q.query<{ item_id: string; period_key: string; spent: string; granted_count: number }>(
    `SELECT l.item_id, l.period_key, l.spent, l.granted_count FROM grant_ledger l JOIN unnest($1::text[], $2::text[]) AS k(item, period) ON l.item_id = k.item AND l.period_key = k.period
      ORDER BY l.item_id, l.period_key FOR UPDATE OF l`,
    [items, periods],
  );
  const quota = new Map(parts.flatMap((p) => p.unit.items.map((i) => [ledgerKey(i.id, p.unit.period), { it: i, exhausted: p.exhausted }] as const)));
  for (const row of rows.rows) {
    const { it, exhausted } = quota.get(ledgerKey(row.item_id, row.period_key))!;
    budgets.set(ledgerKey(row.item_id, row.period_key), {
      spent: dec(row.spent),
      count: Number(row.granted_count),
      maxBudget: it.quota.budget !== undefined ? dec(it.quota.budget) : undefined,
      maxCount: it.quota.count,
      exhausted: exhausted.get(row.item_id),
    });
  }
  return budgets;
}

type Held = { id: string; entity_id: string; item_id: string; status: string; amount: string; item_amount: string };
const asExisting = (r: Held): ExistingGrant => ({ id: r.id, entity: Number(r.entity_id), item: r.item_id, status: r.status, amount: r.amount, item_amount: r.item_amount });

/**
 * What the database already holds for the parts' entities, read under the locks above. A unit
 * with a stacking group needs the group's live grants (locked) and decided applications; a unit
 * with a budget its own grants (so that none is counted against the budget twice). Any other
 * unit needs nothing: the run skipped what was granted when it started, and the unique key
 * (ON CONFLICT DO NOTHING) catches what another run granted since.
 */
async function readHeld(q: Queryable, parts: ChunkPart[]): Promise<ExistingGrant[][]> {
  const held: ExistingGrant[][] = parts.map(() => []);
  const keyed = { e: [] as number[], i: [] as string[], p: [] as string[], part: new Map<string, number>() };
  for (const [k, part] of parts.entries()) {
    const { unit } = part;
    const entities = part.offers.map((o) => o[0].entity);
    const itemIds = unit.items.map((i) => i.id).sort();
    if (unit.group) {
      const r = await q.query<Held>(
        `SELECT id::text AS id, entity_id::text AS entity_id, item_id, status, amount, item_amount FROM grants
          WHERE entity_id = ANY($1::bigint[]) AND period_key = $2
            AND (item_id = ANY($3::text[]) OR (stacking_group = $4 AND status = ANY($5::text[])))
          FOR UPDATE`,
        [entities, unit.period, itemIds, unit.group, LIVE],
      );
      held[k].push(...r.rows.map(asExisting));
      // Decided applications of the group count like grants in the payout pipeline (从高不重复 across modes).
      const apps = await q.query<{ id: string; entity_id: string; item_id: string; amount: string; item_amount: string }>(
        `SELECT a.id::text AS id, a.entity_id::text AS entity_id, a.item_id, a.amount::text AS amount, COALESCE(a.item_amount, a.amount)::text AS item_amount FROM applications a
           JOIN item_versions iv ON iv.item_id = a.item_id AND iv.version = a.item_version
          WHERE a.entity_id = ANY($1::bigint[]) AND a.period = $2 AND iv.body ->> 'stacking_group' = $3
            AND a.status = ANY($4::text[]) AND a.amount IS NOT NULL`,
        [entities, unit.period, unit.group, DECIDED_APPLICATION],
      );
      for (const a of apps.rows) held[k].push({ id: `application:${a.id}`, entity: Number(a.entity_id), item: a.item_id, status: 'approved', amount: a.amount, item_amount: a.item_amount });
    } else if (isSerial(unit)) {
      for (const offers of part.offers)
        for (const o of offers) {
          keyed.e.push(o.entity);
          keyed.i.push(o.item);
          keyed.p.push(unit.period);
          keyed.part.set(`${causeKey(o.entity, o.item)}|${unit.period}`, k);
        }
    }
  }
  if (keyed.e.length) {
    const r = await q.query<Held & { period_key: string }>(
      `SELECT g.id::text AS id, g.entity_id::text AS entity_id, g.item_id, g.period_key, g.status, g.amount, g.item_amount
         FROM grants g JOIN unnest($1::bigint[], $2::text[], $3::text[]) AS k(e, i, p) ON g.entity_id = k.e AND g.item_id = k.i AND g.period_key = k.p`,
      [keyed.e, keyed.i, keyed.p],
    );
    for (const row of r.rows) held[keyed.part.get(`${causeKey(Number(row.entity_id), row.item_id)}|${row.period_key}`)!].push(asExisting(row));
  }
  return held;
}

interface Decided {
  part: ChunkPart;
  d: ChunkDecision;
}

export async function writeChunk(tx: Queryable, input: ChunkInput): Promise<ChunkResult[]> {
  const q = timedQueries(tx, input.clock);
  const ledger = await lockAndReadLedger(q, input.parts);
  const held = await readHeld(q, input.parts);
  const t = performance.now();
  const decided: Decided[] = input.parts.map((part, k) => {
    const { unit } = part;
    const budgets = new Map<string, Budget>();
    for (const it of unit.items) {
      const b = ledger.get(ledgerKey(it.id, unit.period));
      if (b) budgets.set(it.id, b);
    }
    const confirm = new Map(unit.items.map((i) => [i.id, i.confirmIntent]));
    const d = decideChunk({ offers: part.offers, existing: held[k], budgets, stacking: unit.group !== null, confirmIntent: (i) => confirm.get(i) === true });
    for (const [item, b] of budgets) if (b.exhausted) part.exhausted.set(item, b.exhausted);
    return { part, d };
  });
  input.clock?.set('decide', (input.clock.get('decide') ?? 0) + performance.now() - t);

  const inserted = decided.some((x) => x.d.inserts.length) ? await insertGrants(q, input, decided) : [];
  const rowOf = new Map(inserted.map((r) => [causeKey(Number(r.entity_id), r.item_id), r]));
  const delta = new Map<string, { item: string; period: string; amount: Dec; count: number }>();
  const book = (item: string, period: string, amount: string, sign: 1 | -1) => {
    const k = ledgerKey(item, period);
    const x = delta.get(k) ?? { item, period, amount: dec(0), count: 0 };
    delta.set(k, { item, period, amount: sign > 0 ? x.amount.plus(dec(amount)) : x.amount.minus(dec(amount)), count: x.count + sign });
  };
  const cases: InsertedRow[] = [];
  const replaced: { id: string; by: string }[] = [];
  const audit: Record<string, unknown>[] = [];
  const results = decided.map(({ part, d }): ChunkResult => {
    const { unit } = part;
    const result: ChunkResult = {
      created: 0, superseded: 0, already: d.already,
      blockedBudget: d.blockedBudget, blockedQuota: d.blockedQuota, blockedPerItem: d.blockedPerItem, unknownAmount: d.unknownAmount, zeroAmount: d.zeroAmount,
    };
    const mine: string[] = [];
    const ours: string[] = [];
    for (const ins of d.inserts) {
      const row = rowOf.get(causeKey(ins.entity, ins.item));
      if (!row) {
        result.already++;
        continue;
      }
      if (row.status === 'superseded') {
        result.superseded++;
        continue;
      }
      result.created++;
      cases.push(row);
      mine.push(row.id);
      book(row.item_id, unit.period, row.amount, 1);
      for (const g of ins.replaces) {
        replaced.push({ id: g.id, by: row.id });
        ours.push(g.id);
      }
    }
    if (mine.length || ours.length || result.superseded)
      audit.push({ items: unit.items.map((i) => i.id).sort(), period: unit.period, grants: mine, superseded_on_arrival: result.superseded, replaced: ours });
    return result;
  });
  if (replaced.length) {
    const up = await q.query<{ item_id: string; period_key: string; amount: string }>(
      `UPDATE grants g SET status = 'superseded', superseded_by = x.by, updated_at = $3
         FROM unnest($1::bigint[], $2::bigint[]) AS x(id, by)
        WHERE g.id = x.id AND g.status IN ('granted', 'pending_confirmation')
        RETURNING g.item_id, g.period_key, g.amount`,
      [replaced.map((r) => r.id), replaced.map((r) => r.by), input.now],
    );
    for (const r of up.rows) book(r.item_id, r.period_key, r.amount, -1);
  }
  if (cases.length) await writeNotices(q, input, cases);
  // Last but the audit, in key order: concurrent chunks of an item queue on its row only briefly.
  if (delta.size) {
    const rows = [...delta.values()].sort((a, b) => byKey(a.item, b.item) || byKey(a.period, b.period));
    await q.query(
      `INSERT INTO grant_ledger AS l (item_id, period_key, spent, granted_count, updated_at)
       SELECT d.item, d.period, d.amount, d.n, $5 FROM unnest($1::text[], $2::text[], $3::numeric[], $4::int[]) WITH ORDINALITY AS d(item, period, amount, n, ord) ORDER BY d.ord
       ON CONFLICT (item_id, period_key) DO UPDATE SET spent = l.spent + excluded.spent, granted_count = l.granted_count + excluded.granted_count, updated_at = excluded.updated_at`,
      [rows.map((r) => r.item), rows.map((r) => r.period), rows.map((r) => r.amount.toFixed()), rows.map((r) => r.count), input.now],
    );
  }
  if (audit.length)
    await appendAudit(q, {
      actor: input.actor,
      action: 'grant.create',
      subject: `items:${[...new Set(input.parts.flatMap((p) => p.unit.items.map((i) => i.id)))].sort().join(',')}`,
      detail: {
        date: input.parts[0].unit.date,
        units: audit,
        // the facts the run read to compute amounts (names only)
        fields_read: [...new Set(input.parts.flatMap((p) => p.unit.items.flatMap((i) => i.amountFields)))].sort(),
      },
    });
  return results;
}

interface InsertedRow {
  id: string;
  entity_id: string;
  item_id: string;
  status: string;
  amount: string;
  item_amount: string;
}

async function insertGrants(q: Queryable, input: ChunkInput, decided: Decided[]): Promise<InsertedRow[]> {
  const cols = { e: [] as number[], i: [] as string[], v: [] as number[], d: [] as string[], p: [] as string[], amt: [] as string[], iamt: [] as string[], st: [] as string[], g: [] as (string | null)[], evidence: [] as unknown[], ev: [] as (string | null)[], at: [] as string[] };
  for (const { part, d } of decided) {
    const { unit } = part;
    const items = new Map(unit.items.map((i) => [i.id, i]));
    for (const ins of d.inserts) {
      const it = items.get(ins.item)!;
      const c = part.causes.get(causeKey(ins.entity, ins.item))!;
      const facts = input.evidence.get(ins.entity);
      cols.e.push(ins.entity);
      cols.i.push(ins.item);
      cols.v.push(it.version);
      cols.d.push(it.department);
      cols.p.push(unit.period);
      cols.amt.push(ins.amount);
      cols.iamt.push(ins.item_amount);
      cols.st.push(ins.status);
      cols.g.push(unit.group);
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
  }
  const r = await q.query<InsertedRow>(INSERT_GRANTS, [cols.e, cols.i, cols.v, cols.d, cols.p, cols.amt, cols.iamt, cols.st, cols.g, cols.ev, cols.at, JSON.stringify(cols.evidence), input.now]);
  return r.rows;
}

/**
 * The entity is told: one inbox row per grant that opened a case. Its time-to-money events
 * `first_eligible` and (granted outright) `approved` are the grant's own columns
 * (first_eligible_at, opened_at, auto_approved), read through the case_timeline view.
 */
async function writeNotices(q: Queryable, input: ChunkInput, rows: InsertedRow[]): Promise<void> {
  const items = new Map(input.parts.flatMap((p) => p.unit.items.map((i) => [i.id, i] as const)));
  const inbox = { id: [] as string[], e: [] as string[], i: [] as string[], text: [] as string[][] };
  for (const g of rows) {
    const n = notice(items.get(g.item_id)!, g.status, g.amount, g.item_amount);
    inbox.id.push(g.id);
    inbox.e.push(g.entity_id);
    inbox.i.push(g.item_id);
    inbox.text.push([n.kind, n.title, n.body]);
  }
  await q.query(INBOX, [inbox.id, inbox.e, inbox.i, input.now, JSON.stringify(inbox.text)]);
}
