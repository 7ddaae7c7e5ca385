import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { applyRecords } from './apply.ts';
import { bulkLoad, type BulkRecord } from './bulk.ts';
import { population } from './fixtures.ts';
import { unseal } from './sensitive.ts';
import { validateRecord } from './validate.ts';

const META = { source: 'civil', asOf: '2025-06-01' };

/** Everything stored about each entity, personal values decrypted, keyed by its key hash. */
async function readBack(env: TestEnv): Promise<Map<string, unknown>> {
  const e = await env.db.query<{ id: string; key_hash: string; kind: string; display_name: string | null; region: string | null; facts: Record<string, unknown>; provenance: unknown; version: number }>(
    'SELECT e.id::text AS id, e.key_hash, e.kind, e.display_name, e.region, e.facts, e.provenance, e.version FROM entities e ORDER BY e.id',
  );
  const h = await env.db.query<{ entity_id: string; field: string; value: unknown; source: string; as_of: string; record_ref: string | null }>(
    'SELECT f.entity_id::text AS entity_id, f.field, f.value, f.source, f.as_of, f.record_ref FROM facts f ORDER BY f.entity_id, f.field',
  );
  const out = new Map<string, unknown>();
  for (const row of e.rows) {
    const facts = Object.fromEntries(Object.entries(row.facts).map(([k, v]) => [k, unseal(env.ctx.crypto, v)]));
    const history = h.rows.filter((x) => x.entity_id === row.id).map((x) => ({ ...x, entity_id: undefined, value: unseal(env.ctx.crypto, x.value) }));
    out.set(row.key_hash, { kind: row.kind, display_name: row.display_name, region: row.region, facts, provenance: row.provenance, version: row.version, history });
  }
  return out;
}

describe.each(DATABASES)('the bulk load on %s', (kind) => {
  let env: TestEnv;
  const list = population(270, 30, 'bulk-test');
  const records = (): BulkRecord[] => list.map((p, i) => ({ row: i + 1, raw: { kind: p.kind, ref: p.id, facts: p.facts } }));

  beforeAll(async () => {
    env = await testEnv(kind);
  }, 60_000);
  afterAll(() => env?.close(), 30_000);

  it('stores new entities exactly as the ordinary import does: facts sealed, provenance, version, history', async () => {
    // The ordinary path first (validate, applyRecords), read back, then removed.
    const valid = list.map((p) => validateRecord(env.ctx.dict, env.ctx.crypto, { kind: p.kind, ref: p.id, facts: p.facts }, META).record).filter((r) => r !== undefined);
    for (let i = 0; i < valid.length; i += 100) await env.db.tx((q) => applyRecords(env.ctx, q, valid.slice(i, i + 100), META));
    const ordinary = await readBack(env);
    expect(ordinary.size).toBe(valid.length);
    await env.db.exec('DELETE FROM facts; DELETE FROM jobs; DELETE FROM entities');

    const r = await bulkLoad(env.ctx, records(), { ...META, chunkSize: 64 });
    expect(r).toMatchObject({ rows: list.length, created: valid.length, skipped: 0, failed: list.length - valid.length });
    const bulk = await readBack(env);
    expect([...bulk.keys()].sort()).toEqual([...ordinary.keys()].sort());
    for (const [key, want] of ordinary) expect(bulk.get(key)).toEqual(want);
    // Personal values are sealed at rest, in the facts and in the history alike.
    const raw = await env.db.query<{ facts: Record<string, unknown>; value: unknown }>(
      "SELECT e.facts, f.value FROM entities e JOIN facts f ON f.entity_id = e.id AND f.field = 'id_number' WHERE e.kind = 'person' LIMIT 1",
    );
    expect(raw.rows[0].facts.id_number).toMatchObject({ enc: expect.any(String) });
    expect(raw.rows[0].value).toEqual(raw.rows[0].facts.id_number);
    // Ids in input order; one full re-match queued rather than one job per entity.
    const jobs = await env.db.query<{ queue: string }>('SELECT queue FROM jobs');
    expect(jobs.rows).toEqual([{ queue: 'match.full' }]);
    const imports = await env.db.query<{ status: string; rows_total: number; rows_failed: number }>('SELECT status, rows_total, rows_failed FROM imports WHERE id = $1', [r.import_id]);
    expect(imports.rows[0]).toEqual({ status: 'applied', rows_total: list.length, rows_failed: r.failed });
  }, 60_000);

  it('skips entities that exist (a load run again changes nothing) and reports invalid records by row', async () => {
    const before = await readBack(env);
    const bad: BulkRecord = { row: 301, raw: { kind: 'person', facts: { id_number: '371502199001011234', household_income_pc: 'a lot' } } };
    const r = await bulkLoad(env.ctx, [...records(), bad, { row: 302, raw: { kind: list[0].kind, facts: list[0].facts } }], { ...META, chunkSize: 50 });
    expect(r).toMatchObject({ created: 0, skipped: before.size + 1 });
    expect(r.report.some((l) => l.row === 301)).toBe(true);
    // The report never quotes the ID number in clear.
    expect(JSON.stringify(r.report)).not.toContain('371502199001011234');
    expect(await readBack(env)).toEqual(before);
  }, 60_000);
});
