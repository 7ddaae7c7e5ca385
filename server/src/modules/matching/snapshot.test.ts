import { readFact } from '@kx/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { createCtx } from '../../context.ts';
import { createFieldCrypto } from '../../crypto/fields.ts';
import { restoreSnapshot } from './cache.ts';
import { runFull } from './runs-service.ts';
import { Snapshot } from './snapshot.ts';
import { matchingState, snapshotFields } from './state.ts';
import { changeFacts, loadProfiles, profiles, quiesce } from './testing.ts';

function sameContent(a: Snapshot, b: Snapshot, dict: TestEnv['ctx']['dict']): string[] {
  const diff: string[] = [];
  for (let r = 0; r < b.size; r++) {
    const id = b.rowIds[r];
    const ra = a.rowOf(id);
    if (ra < 0) diff.push(`${id}: missing`);
    else if (a.rowVersion[ra] !== b.rowVersion[r]) diff.push(`${id}: version ${a.rowVersion[ra]} ≠ ${b.rowVersion[r]}`);
    else for (const f of ['entity_kind', ...b.fields]) if (JSON.stringify(readFact(dict, a.pop, f, ra)) !== JSON.stringify(readFact(dict, b.pop, f, r))) diff.push(`${id}.${f}`);
  }
  return diff;
}

describe.each(DATABASES)('the warm snapshot on %s', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv(kind);
  }, 60_000);
  afterAll(async () => {
    await quiesce(env);
    await env?.close();
  }, 30_000);

  it('caught up after changes and new entities holds what a fresh load holds', async () => {
    const ids = await loadProfiles(env.ctx, profiles(250, 50, 'snapshot'));
    const fields = snapshotFields(env.ctx.dict, [], 0);
    const warm = await Snapshot.load(env.ctx, fields);
    expect(warm.size).toBe(300);
    // Changes of every kind of column, and more new entities than the spare capacity (1,024).
    await changeFacts(env.ctx, ids[260], { employees: 4321, qualifications: ['gxjs', 'kjxzx'], region: '371502003' });
    await changeFacts(env.ctx, ids[3], { household_income_pc: 999.5, disability_category: 'visual', disability_grade: 2 });
    await loadProfiles(env.ctx, profiles(1100, 100, 'snapshot-later'));
    expect(await warm.catchUp(env.db)).toBe(1202);
    expect(warm.size).toBe(1500);
    const cold = await Snapshot.load(env.ctx, fields);
    expect(sameContent(warm, cold, env.ctx.dict)).toEqual([]);
    expect(readFact(env.ctx.dict, warm.pop, 'employees', warm.rowOf(Number(ids[260])))).toBe(4321);
    expect(readFact(env.ctx.dict, warm.pop, 'household_income_pc', warm.rowOf(Number(ids[3])))).toBe(999.5);
    // Nothing changed since: a catch-up reads no row.
    expect(await warm.catchUp(env.db)).toBe(0);
  }, 120_000);

  it('defers changes while an evaluation reads the columns, and applies them after', async () => {
    const snap = await Snapshot.load(env.ctx, snapshotFields(env.ctx.dict, [], 0));
    const row = 0;
    const id = snap.rowIds[row];
    const r = await env.db.query<{ kind: string; version: number; facts: Record<string, unknown> }>('SELECT kind, version, facts FROM entities WHERE id = $1', [id]);
    const before = readFact(env.ctx.dict, snap.pop, 'region', row);
    const moved = before === '371581' ? '371522' : '371581';
    await snap.hold(async () => {
      snap.apply([{ id, kind: r.rows[0].kind, version: r.rows[0].version + 1, facts: { ...r.rows[0].facts, region: moved } }]);
      expect(readFact(env.ctx.dict, snap.pop, 'region', row)).toBe(before);
    });
    expect(readFact(env.ctx.dict, snap.pop, 'region', row)).toBe(moved);
  });

  it('persists the snapshot sealed, and a fresh process restores and catches it up to what a fresh load holds', async () => {
    const fields = snapshotFields(env.ctx.dict, [], 0);
    // A process that loads from entities persists what it loaded.
    const first = matchingState(createCtx(env.ctx.config, env.db, () => env.clock.now));
    const loaded = await first.reload();
    const saved = await first.saved();
    expect(saved).toMatchObject({ parts: 1 });
    expect(saved!.stored).toBeLessThan(saved!.bytes);
    // Changes after the save are caught up by the process that restores it.
    const ids = (await env.db.query<{ id: string }>('SELECT e.id::text AS id FROM entities e ORDER BY e.id LIMIT 3')).rows.map((r) => r.id);
    await changeFacts(env.ctx, ids[1], { household_income_pc: 1234.5, disability_category: 'hearing', disability_grade: 3 });
    await loadProfiles(env.ctx, profiles(20, 5, 'snapshot-after-save'));
    const fresh = matchingState(createCtx(env.ctx.config, env.db, () => env.clock.now));
    const restored = await fresh.restore(fields);
    expect(restored).toBeDefined();
    expect(restored!.size).toBe(loaded.size + 25);
    expect(sameContent(restored!, await Snapshot.load(env.ctx, fields), env.ctx.dict)).toEqual([]);
    expect(readFact(env.ctx.dict, restored!.pop, 'household_income_pc', restored!.rowOf(Number(ids[1])))).toBe(1234.5);
    // A full run in a fresh process starts from it (and finds nothing new to announce twice).
    const other = createCtx(env.ctx.config, env.db, () => env.clock.now);
    expect(await runFull(other)).toMatchObject({ snapshot: 'persisted', reloaded: false, entities: restored!.size });
    // Sealed with the data key: another key cannot read it, and the process loads from entities instead.
    const stranger = { ...env.ctx, crypto: createFieldCrypto(Buffer.alloc(32, 9)) };
    expect(await restoreSnapshot(stranger, fields)).toEqual({ skipped: 'unreadable' });
    const part = await env.db.query<{ data: Uint8Array }>('SELECT c.data FROM snapshot_cache c JOIN snapshot_cache_head h ON h.gen = c.gen LIMIT 1');
    expect(() => stranger.crypto.decryptBytes(Buffer.from(part.rows[0].data))).toThrow();
    // A field the persisted snapshot does not hold: not used.
    expect(await restoreSnapshot(env.ctx, [...fields, 'name'])).toEqual({ skipped: 'lacks a field' });
  }, 120_000);
});
