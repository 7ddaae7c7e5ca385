import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { createWorker } from '../../worker.ts';
import { changeFacts, loadProfiles, profiles, publishDocument, testDocument, quiesce } from './testing.ts';

describe.each(DATABASES)('the worker on %s', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv(kind);
  }, 60_000);
  afterAll(async () => {
    await quiesce(env);
    await env?.close();
  }, 30_000);

  it('runs the jobs publications and profile changes enqueue, and announces each eligibility once', async () => {
    const ids = await loadProfiles(env.ctx, profiles(250, 50, 'worker'));
    await publishDocument(env.ctx, testDocument('t-w', 'employees >= 20'));
    const worker = await createWorker(env.ctx, { threads: 1 });
    try {
      const ran = await worker.drain();
      expect(ran).toBe(301); // 300 entity jobs and one publication
      const jobs = await env.db.query<{ status: string; n: string }>("SELECT status, count(*)::text AS n FROM jobs WHERE queue LIKE 'match.%' GROUP BY status");
      expect(jobs.rows).toEqual([{ status: 'done', n: '301' }]);
      const set = await env.db.query<{ eligible_count: number }>("SELECT eligible_count FROM item_sets WHERE item_id = 't-w' AND version = 1");
      const events = await env.db.query<{ n: string }>("SELECT count(*)::text AS n FROM match_events WHERE item_id = 't-w'");
      expect(set.rows[0].eligible_count).toBeGreaterThan(0);
      expect(Number(events.rows[0].n)).toBe(set.rows[0].eligible_count);

      // A change that admits one more enterprise: one job, one event, tied to the new profile version.
      const e = await env.db.query<{ id: string }>(
        "SELECT e.id::text AS id FROM entities e WHERE e.kind = 'enterprise' AND NOT EXISTS (SELECT 1 FROM match_events m WHERE m.entity_id = e.id AND m.item_id = 't-w') ORDER BY e.id LIMIT 1",
      );
      const id = e.rows[0].id;
      expect(ids).toContain(id);
      const version = await changeFacts(env.ctx, id, { employees: 500 });
      expect(await worker.drain()).toBe(1);
      const mine = await env.db.query<{ profile_version: number }>("SELECT profile_version FROM match_events WHERE entity_id = $1 AND item_id = 't-w'", [id]);
      expect(mine.rows).toEqual([{ profile_version: version }]);
    } finally {
      await worker.stop();
    }
  }, 120_000);
});
