import { evaluateItem, parseDate, type Entity, type PolicyItem } from '@kx/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { decodeBits, idsOf } from './bitset.ts';
import { refreshEntity } from './entity.ts';
import { runFull, runItem } from './runs-service.ts';
import { allEntities, changeFacts, loadProfiles, profiles, publishDemo, publishDocument, testDocument, quiesce } from './testing.ts';

async function storedIds(env: TestEnv, item: string, version: number, verdict: 'eligible' | 'undetermined'): Promise<string[]> {
  const r = await env.db.query<{ blob: Uint8Array }>(`SELECT ${verdict} AS blob FROM item_sets WHERE item_id = $1 AND version = $2`, [item, version]);
  return idsOf(await decodeBits(r.rows[0].blob)).map(String);
}

/** The reference: evaluateItem for every entity, as id lists per verdict. */
function expected(it: PolicyItem, entities: Entity[], env: TestEnv): { eligible: string[]; undetermined: string[] } {
  const day = parseDate(env.ctx.today())!;
  const out = { eligible: [] as string[], undetermined: [] as string[], ineligible: [] as string[] };
  for (const e of entities) out[evaluateItem(it, e, env.ctx.dict, day, { explain: false, counterfactuals: false }).verdict].push(e.id!);
  return out;
}

async function eventCount(env: TestEnv, where = 'true', params: unknown[] = []): Promise<number> {
  const r = await env.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM match_events WHERE ${where}`, params);
  return Number(r.rows[0].n);
}

describe.each(DATABASES)('batch and incremental matching on %s', (kind) => {
  let env: TestEnv;
  let items: PolicyItem[];
  let entities: Entity[];

  beforeAll(async () => {
    env = await testEnv(kind);
    items = await publishDemo(env.ctx);
    await loadProfiles(env.ctx, profiles(1840, 160));
    entities = await allEntities(env.ctx);
  }, 120_000);
  afterAll(async () => {
    await quiesce(env);
    await env?.close();
  }, 30_000);

  it('stores, for every item in force, exactly the entities evaluateItem finds eligible and undetermined', async () => {
    const summary = await runFull(env.ctx);
    expect(summary).toMatchObject({ entities: 2000, items: items.length, reloaded: true });
    expect(summary.eligible).toBeGreaterThan(0);
    let checked = 0;
    for (const it of items) {
      const want = expected(it, entities, env);
      expect(await storedIds(env, it.id, it.version, 'eligible')).toEqual(want.eligible);
      expect(await storedIds(env, it.id, it.version, 'undetermined')).toEqual(want.undetermined);
      checked++;
    }
    expect(checked).toBe(items.length);
    // The first run announces every eligibility once, each tied to the profile version that produced it.
    expect(await eventCount(env)).toBe(summary.eligible);
    expect(await eventCount(env, 'profile_version <> 1')).toBe(0);
  }, 120_000);

  it('writes no event when the full re-match runs again over the same data', async () => {
    const before = await eventCount(env);
    const again = await runFull(env.ctx);
    expect(again).toMatchObject({ events: 0, reloaded: false });
    expect((await runFull(env.ctx, { reload: true })).events).toBe(0);
    expect(await eventCount(env)).toBe(before);
  }, 120_000);

  it('matches a newly published item over the warm snapshot: its sets, and one event per eligible entity', async () => {
    await publishDocument(env.ctx, testDocument('t-big', 'employees >= 100 and size_class in ["medium", "large"]'));
    const s = await runItem(env.ctx, 't-big', 1);
    const want = entities.filter((e) => e.kind === 'enterprise' && (e.facts.employees as number) >= 100 && ['medium', 'large'].includes(e.facts.size_class as string));
    expect(want.length).toBeGreaterThan(0);
    expect(s).toMatchObject({ eligible: want.length, events: want.length });
    expect(await storedIds(env, 't-big', 1, 'eligible')).toEqual(want.map((e) => e.id!));
    // The same job again (a retry) announces nothing new.
    expect((await runItem(env.ctx, 't-big', 1)).events).toBe(0);
  }, 60_000);

  it('gives one event to an entity that becomes eligible by a change, and none when the job runs again', async () => {
    // foreign_capital_paid is read by no demo item: the change can make only this item's verdict move.
    await publishDocument(env.ctx, testDocument('t-fdi', 'foreign_capital_paid >= 5000'));
    await runItem(env.ctx, 't-fdi', 1);
    const target = entities.find((e) => e.kind === 'enterprise' && e.facts.foreign_capital_paid === 0)!;
    const version = await changeFacts(env.ctx, target.id!, { foreign_capital_paid: 6000 });
    const first = await refreshEntity(env.ctx, target.id!);
    expect(first).toMatchObject({ events: 1, newly_eligible: ['t-fdi@1'], profile_version: version });
    const rows = await env.db.query<{ item_id: string; profile_version: number }>('SELECT item_id, profile_version FROM match_events WHERE entity_id = $1 AND item_id = $2', [target.id, 't-fdi']);
    expect(rows.rows).toEqual([{ item_id: 't-fdi', profile_version: version }]);
    expect((await refreshEntity(env.ctx, target.id!)).events).toBe(0);
    // A full run now agrees with the overlay: nothing new to announce, and the overlay is folded in.
    expect((await runFull(env.ctx)).events).toBe(0);
    expect(await storedIds(env, 't-fdi', 1, 'eligible')).toContain(target.id);
    const left = await env.db.query<{ n: string }>('SELECT count(*)::text AS n FROM match_deltas');
    expect(left.rows[0].n).toBe('0');
  }, 120_000);
});
