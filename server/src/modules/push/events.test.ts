// The notices push produces: newly_eligible written by the matching in the same statement as
// its event (items to apply for only; once per entity, item and version), missing_fact for
// the undetermined of a new publication, closing_soon for eligible entities that have not
// applied, the weekly digest — each once however often its job runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { createWorker, type RunningWorker } from '../../worker.ts';
import { runItem } from '../matching/runs-service.ts';
import { changeFacts, loadProfiles, profiles, publishDocument, quiesce, testDocument } from '../matching/testing.ts';
import { closingSoon, missingFacts, weeklyDigest } from './events.ts';

describe.each(DATABASES)('push events (%s)', (kind) => {
  let env: TestEnv;
  let worker: RunningWorker;
  const count = async (sql: string, params: unknown[] = []) => Number((await env.db.query<{ n: string }>(sql, params)).rows[0].n);

  beforeAll(async () => {
    env = await testEnv(kind);
    await loadProfiles(env.ctx, profiles(150, 60, 'push-events'));
    worker = await createWorker(env.ctx, { threads: 1 });
    await worker.drain();
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await quiesce(env);
    await env?.close();
  }, 30_000);

  it('tells each entity newly eligible for an item to apply for, once; an auto item tells with its grant instead', async () => {
    const apply = testDocument('push-apply', 'employees >= 20');
    apply.items[0].valid_to = '2025-07-05';
    const auto = testDocument('push-auto', 'employees >= 20');
    auto.items[0].mode = 'auto';
    await publishDocument(env.ctx, apply);
    await publishDocument(env.ctx, auto);
    await worker.drain();
    const events = await count("SELECT count(*) AS n FROM match_events WHERE item_id = 'push-apply'");
    expect(events).toBeGreaterThan(0);
    expect(await count("SELECT count(*) AS n FROM inbox WHERE kind = 'newly_eligible' AND item_id = 'push-apply'")).toBe(events);
    expect(await count("SELECT count(*) AS n FROM match_events WHERE item_id = 'push-auto'")).toBe(events);
    expect(await count("SELECT count(*) AS n FROM inbox WHERE kind = 'newly_eligible' AND item_id = 'push-auto'")).toBe(0);
    const one = (await env.db.query<{ cause_key: string; title: string; entity_id: string }>(
      "SELECT cause_key, title, entity_id::text AS entity_id FROM inbox WHERE kind = 'newly_eligible' ORDER BY id LIMIT 1")).rows[0];
    expect(one.cause_key).toBe(`eligible:${one.entity_id}:push-apply:1`);
    expect(one.title).toBe('您可能符合：测试事项 push-apply / You may qualify: 测试事项 push-apply');

    // Matching again finds nothing new to say.
    await runItem(env.ctx, 'push-apply', 1);
    expect(await count("SELECT count(*) AS n FROM inbox WHERE kind = 'newly_eligible'")).toBe(events);

    // One more enterprise qualifies: one more notice, from the entity's own job.
    const e = (await env.db.query<{ id: string }>(
      "SELECT e.id::text AS id FROM entities e WHERE e.kind = 'enterprise' AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.entity_id = e.id) ORDER BY e.id LIMIT 1")).rows[0].id;
    await changeFacts(env.ctx, e, { employees: 500 });
    await worker.drain();
    expect(await count("SELECT count(*) AS n FROM inbox WHERE kind = 'newly_eligible' AND entity_id = $1", [e])).toBe(1);
  });

  it('reminds the eligible who have not applied that an item closes soon, and sums the week up', async () => {
    const eligible = (await env.db.query<{ id: string }>("SELECT entity_id::text AS id FROM inbox WHERE kind = 'newly_eligible' AND item_id = 'push-apply' ORDER BY entity_id")).rows.map((r) => r.id);
    await env.db.query(
      `INSERT INTO applications (entity_id, item_id, item_version, department, period, status, created_at, updated_at) VALUES ($1, 'push-apply', 1, 'lc-gxj', 'once', 'submitted', now(), now())`,
      [eligible[0]],
    );
    const r = await closingSoon(env.ctx);
    expect(r.notices).toBe(eligible.length - 1);
    const n = (await env.db.query<{ entity_id: string; data: { days: string } }>("SELECT entity_id::text AS entity_id, data FROM inbox WHERE kind = 'closing_soon'")).rows;
    expect(n.map((x) => x.entity_id)).not.toContain(eligible[0]);
    expect(n[0].data.days).toBe('5');
    expect((await closingSoon(env.ctx)).notices).toBe(0);

    // The week: one digest per entity that was told something, naming what.
    env.clock.now = new Date(Date.now() + 3600_000);
    const d = await weeklyDigest(env.ctx);
    expect(d.notices).toBe(await count("SELECT count(DISTINCT entity_id) AS n FROM inbox WHERE entity_id IS NOT NULL AND kind <> 'weekly_digest'"));
    const digest = (await env.db.query<{ title: string; body: string }>('SELECT title, body FROM inbox WHERE kind = $1 AND entity_id = $2', ['weekly_digest', eligible[1]])).rows[0];
    expect(digest.body).toContain('测试事项 push-apply');
    expect((await weeklyDigest(env.ctx)).notices).toBe(0);
  });
  it('names the missing fact to the undetermined of a new item', async () => {
    const blank = (await env.db.query<{ id: string }>("SELECT id::text AS id FROM entities WHERE kind = 'enterprise' ORDER BY id DESC LIMIT 5")).rows.map((r) => r.id);
    await env.db.query("UPDATE entities SET facts = facts - 'employees', version = version + 1 WHERE id = ANY($1::bigint[])", [blank]);
    await publishDocument(env.ctx, testDocument('push-missing', 'employees >= 1'));
    await worker.drain();
    const r = await missingFacts(env.ctx, 'push-missing', 1);
    // Every enterprise without the fact: the five just blanked and those that never had it.
    const without = (await env.db.query<{ id: string }>("SELECT id::text AS id FROM entities WHERE kind = 'enterprise' AND NOT facts ? 'employees' ORDER BY id")).rows.map((x) => x.id);
    expect(without).toEqual(expect.arrayContaining(blank));
    expect(r.notices).toBe(without.length);
    const rows = (await env.db.query<{ entity_id: string; body: string; data: { fields: string } }>(
      "SELECT entity_id::text AS entity_id, body, data FROM inbox WHERE kind = 'missing_fact' ORDER BY entity_id")).rows;
    expect(rows.map((x) => x.entity_id).sort()).toEqual([...without].sort());
    expect(rows[0].data.fields).toBe('从业人员');
    expect(rows[0].body).toContain('补充 从业人员 后');
    expect((await missingFacts(env.ctx, 'push-missing', 1)).notices).toBe(0);
  });

});
