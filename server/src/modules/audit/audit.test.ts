import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { appendAudit, verifyAudit } from './audit.ts';

interface Row {
  id: string;
  subject: string;
  prev_hash: string;
  hash: string;
}

describe.each(DATABASES)('appendAudit under concurrency on %s', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv(kind);
  });
  afterAll(() => env.close());

  const rowsOf = async (prefix: string) =>
    (await env.db.query<Row>('SELECT a.id::text AS id, a.subject, a.prev_hash, a.hash FROM audit_log a WHERE a.subject LIKE $1 ORDER BY a.id', [`${prefix}%`])).rows;

  it('records every one of many reads appended at once, once each, in one unbroken chain', async () => {
    // Reads (appended through the database) interleaved with changes (appended in their transaction).
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        i % 10 === 0
          ? env.db.tx((q) => appendAudit(q, { actor: 'user:1:clerk', action: 'item.edit', subject: `burst:${i}` }))
          : appendAudit(env.db, { actor: 'user:2:admin', action: 'match.read', subject: `burst:${i}`, detail: { scope: 'admin', i } }),
      ),
    );
    const rows = await rowsOf('burst:');
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.subject)).size).toBe(300);
    const all = (await env.db.query<Row>('SELECT a.id::text AS id, a.prev_hash, a.hash FROM audit_log a ORDER BY a.id')).rows;
    for (let k = 1; k < all.length; k++) expect(all[k].prev_hash).toBe(all[k - 1].hash);
    expect(await verifyAudit(env.db)).toMatchObject({ ok: true, rows: all.length });
  });

  it('chains rows in the database exactly as verification recomputes them, whatever their text (property)', async () => {
    // (no NUL: PostgreSQL text cannot hold one, and the log's texts are ours, never a user's bytes)
    const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((t) => !t.includes('\u0000'));
    const detail = fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.oneof(text, fc.double({ noNaN: true, noDefaultInfinity: true })), { maxLength: 3 })), { maxKeys: 4 });
    const entry = fc.record({ actor: text, action: text, subject: text, outcome: fc.constantFrom('ok' as const, 'denied' as const, 'failed' as const), detail });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 5 }), fc.boolean(), async (entries, inTx) => {
        if (inTx) await env.db.tx(async (q) => {
          for (const e of entries) await appendAudit(q, e);
        });
        else await Promise.all(entries.map((e) => appendAudit(env.db, e)));
        return (await verifyAudit(env.db)).ok;
      }),
      { numRuns: 25 },
    );
  });

  it('an append is committed by the time it resolves', async () => {
    await appendAudit(env.db, { actor: 'user:2:admin', action: 'match.read', subject: 'settled:1' });
    expect(await rowsOf('settled:')).toHaveLength(1);
  });

  it('an entry that cannot be recorded fails alone; the reads appended with it are recorded', async () => {
    const results = await Promise.allSettled([
      appendAudit(env.db, { actor: 'a', action: 'match.read', subject: 'alone:1' }),
      appendAudit(env.db, { actor: 'a', action: 'match.read', subject: 'alone:bad', detail: { n: 1n } }),
      appendAudit(env.db, { actor: 'a', action: 'match.read', subject: 'alone:2' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await rowsOf('alone:')).map((r) => r.subject)).toEqual(['alone:1', 'alone:2']);
    expect((await verifyAudit(env.db)).ok).toBe(true);
  });
});
