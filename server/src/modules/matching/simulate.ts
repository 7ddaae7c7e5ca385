// Before anyone publishes: how many entities a draft would make eligible or undetermined,
// what it would cost against its budget, by county and by industry section — over the
// population as it is (the warm snapshot). Counts only, never who: a simulation is for
// the author of a rule, not a list of people.
import { performance } from 'node:perf_hooks';
import { bindRule, columnarVerdicts, compileCatalogue, compileNumber, decToString, Dec, fieldsOf, itemContext, parseDate, planFields, validateItem, type PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { DomainError, badInput, notFound } from '../../errors.ts';
import { actorOf, DEPARTMENT_ROLES, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { parseItemJson } from '../catalogue/input.ts';
import type { ItemInput } from '../catalogue/schema.ts';
import { enqueue } from '../jobs/queue.ts';
import { requireItemStaff } from './eligible.ts';
import { createRun, finishRun, startRun } from './runs.ts';
import type { Snapshot } from './snapshot.ts';
import { dayOf, itemFields, matchingState } from './state.ts';

/** Up to this many entities a simulation answers at once; beyond, it runs as a job. */
export const SIMULATE_SYNC_LIMIT = 100_000;
export const SIMULATE_QUEUE = 'match.simulate';

export interface Breakdown {
  code: string;
  name: string;
  eligible: number;
  undetermined: number;
  cost: string;
}

export interface Simulation {
  item_id: string;
  version: number | null;
  as_of: string;
  entities: number;
  eligible: number;
  undetermined: number;
  /** Sum of the amounts of the eligible entities (yuan or the item's unit); null without an amount formula. */
  total_cost: string | null;
  /** Eligible entities whose amount cannot be computed (a fact of the formula is missing). */
  amount_unknown: number;
  budget: string | null;
  over_budget: boolean | null;
  quota_count: number | null;
  over_quota: boolean | null;
  by_county: Breakdown[];
  by_industry: Breakdown[];
  seconds: number;
}

export interface SimulateInput {
  version?: number;
  item?: ItemInput;
  as_of?: string;
}

interface Bucket {
  eligible: number;
  undetermined: number;
  cost: Dec;
}

function countyOf(region: string): string {
  return /^\d{6}/.test(region) ? region.slice(0, 6) : region;
}

/** The simulation itself, over a snapshot. */
export function simulateOn(ctx: Ctx, snap: Snapshot, item: PolicyItem, date: string, version: number | null): Simulation {
  const t0 = performance.now();
  const day = dayOf(date);
  const plan = compileCatalogue(ctx.dict, [item], day);
  if (!snap.has(planFields(plan))) throw new Error('快照缺少事项读取的字段 / the snapshot lacks a field the item reads');
  const bits = columnarVerdicts(plan, snap.pop);
  const ictx = itemContext(item, ctx.dict, day);
  const amountFn = item.amount ? compileNumber(item.amount, ictx) : undefined;
  const amountFields = item.amount ? fieldsOf(bindRule(item.amount, ictx.params, day)) : [];
  const region = snap.pop.columns.region;
  const industry = snap.pop.columns.industry_section;
  const code = (col: typeof region | undefined, row: number): string => {
    if (!col || col.kind !== 'dict' || (col.unknown[row >>> 5] >>> (row & 31)) & 1) return '';
    return col.table[col.codes[row]];
  };
  const counties = new Map<string, Bucket>();
  const sections = new Map<string, Bucket>();
  const bucket = (m: Map<string, Bucket>, k: string) => m.get(k) ?? m.set(k, { eligible: 0, undetermined: 0, cost: new Dec(0) }).get(k)!;
  let eligible = 0;
  let undetermined = 0;
  let unknownAmounts = 0;
  let total = new Dec(0);
  for (let w = 0; w < bits.words; w++) {
    const t = bits.t[w];
    const u = bits.u[w];
    if ((t | u) === 0) continue;
    for (let b = 0; b < 32; b++) {
      const isT = (t >>> b) & 1;
      if (!isT && !((u >>> b) & 1)) continue;
      const row = w * 32 + b;
      const c = bucket(counties, countyOf(code(region, row)));
      const s = bucket(sections, code(industry, row));
      if (isT) {
        eligible++;
        c.eligible++;
        s.eligible++;
        if (amountFn) {
          // Rounded as a verdict shows it (evaluateItem): the cost is the sum of what would be paid.
          const a = amountFn(snap.facts(row, amountFields))?.toDecimalPlaces(2, Dec.ROUND_HALF_UP);
          if (a === undefined) unknownAmounts++;
          else {
            total = total.plus(a);
            c.cost = c.cost.plus(a);
            s.cost = s.cost.plus(a);
          }
        }
      } else {
        undetermined++;
        c.undetermined++;
        s.undetermined++;
      }
    }
  }
  const sectionEnum = ctx.dict.enums.get(ctx.dict.fields.get('industry_section')?.enum ?? '');
  const rows = (m: Map<string, Bucket>, name: (k: string) => string): Breakdown[] =>
    [...m.entries()]
      .map(([k, v]) => ({ code: k || '-', name: k ? name(k) : '未知 / unknown', eligible: v.eligible, undetermined: v.undetermined, cost: decToString(v.cost) }))
      .sort((a, b) => b.eligible - a.eligible || b.undetermined - a.undetermined || a.code.localeCompare(b.code));
  const budget = item.quota?.budget ?? null;
  const count = item.quota?.count ?? null;
  return {
    item_id: item.id, version, as_of: date, entities: snap.size, eligible, undetermined,
    total_cost: amountFn ? decToString(total) : null, amount_unknown: unknownAmounts,
    budget, over_budget: budget !== null && amountFn ? total.greaterThan(new Dec(budget)) : null,
    quota_count: count, over_quota: count !== null ? eligible > count : null,
    by_county: rows(counties, (k) => ctx.dict.regions.name(k) ?? k),
    by_industry: rows(sections, (k) => sectionEnum?.values.find((v) => v.code === k)?.zh ?? k),
    seconds: Math.round((performance.now() - t0) / 10) / 100,
  };
}

/** A posted item, parsed and validated as a save would (errors name the field). */
function checkedDraft(ctx: Ctx, input: ItemInput, documentId: string): PolicyItem {
  const item = parseItemJson(input, documentId, ctx.dict);
  const problems = validateItem(item, ctx.dict);
  if (problems.length) throw new DomainError('BAD_INPUT', problems[0].zh, problems[0].en, 'item', { errors: problems.map((e) => ({ message: e.zh, message_en: e.en })) });
  return item;
}

async function itemToSimulate(ctx: Ctx, itemId: string, input: SimulateInput): Promise<{ item: PolicyItem; version: number | null }> {
  const r = await ctx.db.query<{ document_id: string; latest_version: number }>('SELECT i.document_id, i.latest_version FROM items i WHERE i.id = $1', [itemId]);
  if (!r.rows[0]) throw notFound('事项', itemId);
  if (input.item) {
    if (input.item.id !== itemId) throw badInput('item.id', `事项编号应为 ${itemId}，实际为 ${input.item.id}`, `item id must be ${itemId}, got ${input.item.id}`);
    return { item: checkedDraft(ctx, input.item, r.rows[0].document_id), version: null };
  }
  const version = input.version ?? r.rows[0].latest_version;
  const v = await ctx.db.query<{ body: PolicyItem }>('SELECT v.body FROM item_versions v WHERE v.item_id = $1 AND v.version = $2', [itemId, version]);
  if (!v.rows[0]) throw notFound('事项版本', `${itemId}@${version}`);
  return { item: { ...v.rows[0].body, id: itemId, version }, version };
}

/** A draft starts in the future: simulate it on the day it would start, unless told otherwise. */
function simulationDate(ctx: Ctx, item: PolicyItem, asOf: string | undefined): string {
  if (asOf !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || parseDate(asOf) === undefined)
      throw badInput('as_of', `日期 "${asOf}" 应为 YYYY-MM-DD 格式的真实日期`, `as_of "${asOf}" must be a real YYYY-MM-DD date`);
    return asOf;
  }
  return item.valid_from > ctx.today() ? item.valid_from : ctx.today();
}

export type SimulateAnswer = { status: 'done'; result: Simulation } | { status: 'queued'; run_id: string };

export async function simulate(ctx: Ctx, p: Principal, itemId: string, input: SimulateInput, opts: { syncLimit?: number } = {}): Promise<SimulateAnswer> {
  const { department } = await requireItemStaff(ctx, p, itemId, 'match.simulate');
  const { item, version } = await itemToSimulate(ctx, itemId, input);
  return runOrQueue(ctx, p, item, version, department, input.as_of, opts);
}

export interface DraftSimulateInput {
  item: ItemInput;
  document_id?: string;
  as_of?: string;
}

/**
 * A new item before its first save (the editor's "new item" page): nothing is stored yet,
 * so the caller's right comes from the department the draft names — its own staff, or an admin.
 */
export async function simulateDraft(ctx: Ctx, p: Principal, input: DraftSimulateInput, opts: { syncLimit?: number } = {}): Promise<SimulateAnswer> {
  const department = input.item.department;
  const staff = p.kind === 'user' && !!p.role && DEPARTMENT_ROLES.includes(p.role) && p.department === department;
  if (!staff && !(p.kind === 'user' && p.role === 'admin')) {
    await appendAudit(ctx.db, { actor: actorOf(p), action: 'match.simulate', subject: `item:${input.item.id}`, outcome: 'denied', detail: { department, draft: true } });
    throw new DomainError('FORBIDDEN', `只有 ${department} 的工作人员可以模拟该部门的事项`, `only staff of ${department} may simulate its items`);
  }
  const item = checkedDraft(ctx, input.item, input.document_id ?? '');
  return runOrQueue(ctx, p, item, null, department, input.as_of, opts);
}

/** Synchronously up to SIMULATE_SYNC_LIMIT entities, else as a job (the unsaved item travels in its payload). */
async function runOrQueue(ctx: Ctx, p: Principal, item: PolicyItem, version: number | null, department: string, asOf: string | undefined, opts: { syncLimit?: number }): Promise<SimulateAnswer> {
  const date = simulationDate(ctx, item, asOf);
  const max = await ctx.db.query<{ max: string | null }>('SELECT max(e.id)::text AS max FROM entities e');
  const detail = { item_id: item.id, version, department, as_of: date };
  if (Number(max.rows[0].max ?? 0) <= (opts.syncLimit ?? SIMULATE_SYNC_LIMIT)) {
    const snap = await matchingState(ctx).warmSnapshot(itemFields(item, dayOf(date)));
    const result = simulateOn(ctx, snap, item, date, version);
    await appendAudit(ctx.db, { actor: actorOf(p), action: 'match.simulate', subject: `item:${item.id}`, detail: { ...detail, eligible: result.eligible } });
    return { status: 'done', result };
  }
  return ctx.db.tx(async (q) => {
    const runId = await createRun(q, 'simulation', date, { by: p.userId ?? null, status: 'queued', stats: detail });
    await enqueue(q, SIMULATE_QUEUE, { run_id: runId, item_id: item.id, version, as_of: date, ...(version === null ? { item } : {}) }, { key: `${SIMULATE_QUEUE}:${runId}` });
    await appendAudit(q, { actor: actorOf(p), action: 'match.simulate', subject: `item:${item.id}`, detail: { ...detail, run_id: runId } });
    return { status: 'queued' as const, run_id: runId };
  });
}

/** The job of a queued simulation: its result goes into the run's stats. */
export async function runSimulationJob(ctx: Ctx, payload: { run_id: string; item_id: string; version: number | null; as_of: string; item?: PolicyItem }): Promise<Simulation> {
  await startRun(ctx.db, payload.run_id);
  try {
    const item = payload.item ?? (await itemToSimulate(ctx, payload.item_id, { version: payload.version ?? undefined })).item;
    const snap = await matchingState(ctx).warmSnapshot(itemFields(item, dayOf(payload.as_of)));
    const result = simulateOn(ctx, snap, item, payload.as_of, payload.version);
    await finishRun(ctx.db, payload.run_id, 'done', { result, entities: result.entities });
    return result;
  } catch (e) {
    await finishRun(ctx.db, payload.run_id, 'failed', { error: e instanceof Error ? e.message.slice(0, 500) : String(e) });
    throw e;
  }
}
