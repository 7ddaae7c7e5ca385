// Inputs for the matching tests: a synthetic population loaded through the profiles module
// (so facts are sealed, versioned and historied as in production), the demo catalogue
// published through the catalogue module, and a small test item built from rule text.
import { createPopulation, type Profile } from '@kx/data';
import { parseExpr, type Entity, type PolicyDocument, type PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { demoCatalogue } from '../catalogue/fixtures.ts';
import { importDocuments } from '../catalogue/service.ts';
import { applyRecords } from '../profiles/apply.ts';
import { currentFacts } from '../profiles/service.ts';
import { validateRecord } from '../profiles/validate.ts';

export function profiles(people: number, enterprises: number, seed = 'matching-test'): Profile[] {
  const pop = createPopulation({ people, enterprises, seed, asOf: '2025-06-30' });
  return Array.from({ length: pop.size }, (_, k) => pop.profile(k));
}

/** Loads profiles as a source system would send them; returns the entity ids in order. */
export async function loadProfiles(ctx: Ctx, list: Profile[], opts: { source?: string; asOf?: string } = {}): Promise<string[]> {
  const meta = { source: opts.source ?? 'market', asOf: opts.asOf ?? ctx.today() };
  const ids: string[] = [];
  for (let i = 0; i < list.length; i += 500) {
    const records = list.slice(i, i + 500).map((p) => {
      const { record, issues } = validateRecord(ctx.dict, ctx.crypto, { kind: p.kind, facts: p.facts }, meta);
      if (!record) throw new Error(`profile ${p.id}: ${issues.map((x) => x.message).join('; ')}`);
      return record;
    });
    const { applied } = await ctx.db.tx((q) => applyRecords(ctx, q, records, meta));
    ids.push(...applied.map((a) => a.entityId));
  }
  return ids;
}

/** Changes facts of one entity as a source would (history row, version + 1, match.entity job). */
export async function changeFacts(ctx: Ctx, entityId: string, facts: Record<string, unknown>, opts: { source?: string; asOf?: string } = {}): Promise<number> {
  const meta = { source: opts.source ?? 'market', asOf: opts.asOf ?? ctx.today() };
  const cur = (await currentFacts(ctx, ctx.db, [entityId])).get(entityId)!;
  const r = await ctx.db.query<{ facts: Record<string, unknown> }>('SELECT facts FROM entities WHERE id = $1', [entityId]);
  const key = cur.kind === 'person' ? 'id_number' : 'uscc';
  const { record, issues } = validateRecord(ctx.dict, ctx.crypto, { kind: cur.kind, key: keyOf(ctx, r.rows[0].facts[key]), facts }, meta);
  if (!record) throw new Error(issues.map((x) => x.message).join('; '));
  const { applied } = await ctx.db.tx((q) => applyRecords(ctx, q, [record], meta));
  return applied[0].version;
}

function keyOf(ctx: Ctx, stored: unknown): string {
  return typeof stored === 'object' && stored !== null ? JSON.parse(ctx.crypto.decrypt((stored as { enc: string }).enc)) : String(stored);
}

/** Every entity as the engine reads it, from the database. */
export async function allEntities(ctx: Ctx): Promise<Entity[]> {
  const r = await ctx.db.query<{ id: string }>('SELECT e.id::text AS id FROM entities e ORDER BY e.id');
  const m = await currentFacts(ctx, ctx.db, r.rows.map((x) => x.id));
  return r.rows.map((x) => m.get(x.id)!);
}

export async function publishDemo(ctx: Ctx): Promise<PolicyItem[]> {
  const docs = demoCatalogue().documents;
  await ctx.db.tx((q) => importDocuments(ctx, q, structuredClone(docs), { status: 'published' }));
  return docs.flatMap((d) => d.items);
}

/** A document with one enterprise item of the test: `rule` is rule text. */
export function testDocument(id: string, rule: string, opts: { department?: string; amount?: string; version?: number; budget?: string } = {}): PolicyDocument {
  const item: PolicyItem = {
    id, version: opts.version ?? 1, title: `测试事项 ${id}`, document_id: `doc-${id}`, department: opts.department ?? 'lc-gxj',
    region_scope: ['371500'], audience: 'enterprise', mode: 'online', valid_from: '2025-01-01',
    eligibility: parseExpr(rule), eligibility_text: rule,
    ...(opts.amount ? { amount: parseExpr(opts.amount), amount_text: opts.amount, amount_unit: '元' } : {}),
    ...(opts.budget ? { quota: { budget: opts.budget } } : {}),
    params: [], materials: [], review_steps: [{ name: '审核', days: 5 }], statutory_days: 5, cases: [],
  };
  return {
    id: `doc-${id}`, title: `测试文件 ${id}`, number: `聊测〔2025〕${id.length}号`, issuers: [item.department], published_on: '2025-01-01',
    summary: '', interpretation: '', items: [item],
  };
}

export async function publishDocument(ctx: Ctx, doc: PolicyDocument): Promise<void> {
  await ctx.db.tx((q) => importDocuments(ctx, q, [structuredClone(doc)], { status: 'published' }));
}

/**
 * Lets the PostgreSQL pool close its idle connections (pg's idle timeout is 10 s) before the
 * harness drops the database: a connection still closing when DROP DATABASE … WITH (FORCE)
 * terminates it makes the pool emit an 'error' nobody listens to. Matching opens several
 * connections at once, so its tests meet this; the lasting fix is pool.on('error') in db.ts.
 */
export async function quiesce(env: { kind: string }): Promise<void> {
  if (env.kind === 'postgres') await new Promise((r) => setTimeout(r, 10_500));
}
