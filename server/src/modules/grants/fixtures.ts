// Inputs for the grant tests, built the way the platform builds them: items published by the
// catalogue's import, entities through the profiles module (facts sealed, history and
// provenance written), verdicts stored in the matching module's form (item set + events).
import { parseExpr, type EntityKind, type PolicyDocument, type PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { importDocuments } from '../catalogue/service.ts';
import { demoItem } from '../catalogue/fixtures.ts';
import { encodeBits, setBit } from '../matching/bitset.ts';
import { writeEvents, writeSet } from '../matching/sets.ts';
import { applyRecords } from '../profiles/apply.ts';
import { entityKeyHash } from '../profiles/validate.ts';

export interface AutoItemOptions {
  department?: string;
  audience?: EntityKind;
  eligibility?: string;
  amount: string;
  period?: PolicyItem['period'];
  group?: string;
  quota?: PolicyItem['quota'];
  confirm?: boolean;
}

/** A small 免申即享 item whose amount the test chooses. */
export function autoItem(id: string, o: AutoItemOptions): PolicyItem {
  return {
    id, version: 1, title: `测试补贴 ${id}`, document_id: 'grants-test', department: o.department ?? 'lc-mzj', region_scope: ['371500'],
    audience: o.audience ?? 'person', mode: 'auto', valid_from: '2025-01-01', valid_to: '2025-12-31',
    eligibility: parseExpr(o.eligibility ?? 'alive = true'), amount: parseExpr(o.amount), amount_unit: '元', period: o.period ?? 'once', params: [],
    ...(o.quota ? { quota: o.quota } : {}), ...(o.group ? { stacking_group: o.group } : {}), ...(o.confirm ? { confirm_intent: true } : {}),
    materials: [], review_steps: [{ name: '数据比对', days: 1 }], statutory_days: 5, cases: [],
  };
}

/** 高龄津贴 as data/policies has it: monthly, 50 / 150 / 600 yuan by age band. */
export const gljt = (): PolicyItem => demoItem('lc-mzj-gljt');

export async function publish(ctx: Ctx, items: PolicyItem[], docId = 'grants-test'): Promise<void> {
  const doc: PolicyDocument = {
    id: docId, title: '免申即享测试文件', number: '测试〔2025〕1号', issuers: [...new Set(items.map((i) => i.department))], published_on: '2025-01-01',
    summary: '', interpretation: '', items: items.map((i) => ({ ...i, document_id: docId })),
  };
  await ctx.db.tx((q) => importDocuments(ctx, q, [doc], { status: 'published', enqueueMatch: false }));
}

export interface Person {
  key: string;
  facts: Record<string, unknown>;
}

/** Entities through the profiles module; returns their ids in input order. */
export async function seedEntities(ctx: Ctx, kind: EntityKind, list: Person[], source = 'police', asOf = '2025-06-01'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < list.length; i += 2000) {
    const part = list.slice(i, i + 2000);
    const records = part.map((p) => ({ kind, key: p.key, keyHash: entityKeyHash(ctx.crypto, kind, p.key), facts: p.facts, derived: {} }));
    const r = await ctx.db.tx((q) => applyRecords(ctx, q, records, { source, asOf }));
    ids.push(...r.applied.map((a) => a.entityId));
  }
  return ids;
}

/** An elderly resident of 聊城 born on `birth`. */
export const elder = (key: string, birth: string): Person => ({ key, facts: { region: '371502', hukou_region: '371502', alive: true, birth_date: birth } });

/**
 * The verdict as the matching module stores it: the item's eligible set (computed at `at`)
 * and a newly_eligible event per entity — the cause every grant is keyed by.
 */
export async function markEligible(q: Queryable, item: Pick<PolicyItem, 'id' | 'version'>, ids: readonly string[], at: Date, events = true): Promise<void> {
  const max = ids.reduce((m, id) => Math.max(m, Number(id)), 0);
  const bits = new Uint32Array((max >>> 5) + 1);
  for (const id of ids) setBit(bits, Number(id));
  await writeSet(q, {
    itemId: item.id, version: item.version, eligible: await encodeBits(bits), undetermined: await encodeBits(new Uint32Array(1)),
    eligibleCount: ids.length, undeterminedCount: 0, asOf: at.toISOString().slice(0, 10), computedAt: at, runId: null,
  });
  if (!events) return;
  await writeEvents(q, ids.map((id) => ({ entityId: Number(id), itemId: item.id, itemVersion: item.version, profileVersion: 1 })));
  // The database clock is not the tests' pinned clock: the events happened when the set says.
  await q.query('UPDATE match_events SET created_at = $3 WHERE item_id = $1 AND entity_id = ANY($2::bigint[])', [item.id, ids, at]);
}
