// Test ground for payouts: items, entities with a sealed name and bank account, and decided
// cases written straight into the grants and applications tables (their own services make
// these rows in production; here a test needs many of them in known states).
import type { Ctx } from '../../context.ts';
import { connectPostgres, type Queryable } from '../../db/db.ts';
import type { TestEnv } from '../../../test/harness.ts';

export async function seedItem(q: Queryable, id: string, department: string, opts: { statutory_days?: number; mode?: string; title?: string } = {}): Promise<void> {
  await q.query(`INSERT INTO documents (id, title, number, issuers, published_on) VALUES ($1, $2, $3, $4, '2025-01-01') ON CONFLICT DO NOTHING`, [`doc-${id}`, `文件 ${id}`, `聊政发〔2025〕${id.length}号`, [department]]);
  await q.query(`INSERT INTO items (id, document_id, department, published_version, latest_version) VALUES ($1, $2, $3, 1, 1) ON CONFLICT DO NOTHING`, [id, `doc-${id}`, department]);
  const body = { id, version: 1, title: opts.title ?? `事项 ${id}`, department, statutory_days: opts.statutory_days ?? 15, review_steps: [], materials: [] };
  await q.query(
    `INSERT INTO item_versions (item_id, version, status, body, title, audience, mode, region_scope, valid_from)
     VALUES ($1, 1, 'published', $2, $3, 'person', $4, '{371500}', '2025-01-01') ON CONFLICT DO NOTHING`,
    [id, JSON.stringify(body), body.title, opts.mode ?? 'auto'],
  );
}

let keySeq = 0;

/** An entity whose name and bank account are stored sealed, as profiles stores personal facts. */
export async function seedEntity(ctx: Ctx, q: Queryable, kind: 'person' | 'enterprise', name: string, account?: string): Promise<string> {
  const seal = (v: string) => ({ enc: ctx.crypto.encrypt(JSON.stringify(v)) });
  const facts: Record<string, unknown> = { name: seal(name) };
  if (account) facts.bank_account = seal(account);
  const r = await q.query<{ id: string }>(
    `INSERT INTO entities (kind, key_hash, display_name, facts) VALUES ($1, $2, $3, $4) RETURNING id::text AS id`,
    [kind, `test-key-${process.pid}-${++keySeq}-${Math.random()}`, kind === 'enterprise' ? name : null, JSON.stringify(facts)],
  );
  return r.rows[0].id;
}

export async function seedGrant(q: Queryable, entityId: string, itemId: string, department: string, amount: string, status = 'granted'): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO grants (entity_id, item_id, item_version, department, period_key, amount, item_amount, status, first_eligible_at)
     VALUES ($1, $2, 1, $3, '2025', $4, $4, $5, '2025-06-01T02:00:00Z') RETURNING id::text AS id`,
    [entityId, itemId, department, amount, status],
  );
  return r.rows[0].id;
}

export async function seedApplication(q: Queryable, entityId: string, itemId: string, department: string, amount: string, opts: { status?: string; declaredAccount?: unknown } = {}): Promise<string> {
  const form = opts.declaredAccount === undefined ? {} : { fields: { bank_account: opts.declaredAccount } };
  const r = await q.query<{ id: string }>(
    `INSERT INTO applications (entity_id, item_id, item_version, department, period, status, form, amount, round, submitted_at, decided_at, created_at, updated_at)
     VALUES ($1, $2, 1, $3, '2025', $4, $5, $6, 1, '2025-06-05T02:00:00Z', '2025-06-10T02:00:00Z', '2025-06-05T02:00:00Z', '2025-06-10T02:00:00Z') RETURNING id::text AS id`,
    [entityId, itemId, department, opts.status ?? 'approved', JSON.stringify(form), amount],
  );
  return r.rows[0].id;
}

/**
 * pg's pool.end() resolves before its sockets are closed, and the harness then drops the test
 * database WITH (FORCE): a connection still closing is killed and its FATAL 57P01 surfaces as
 * an unhandled error (more likely after the concurrency test, which leaves several clients).
 * Until the harness waits itself, the close waits here for the connections to leave.
 */
export function settleOnClose(env: TestEnv): void {
  if (env.kind !== 'postgres' || !process.env.DATABASE_URL) return;
  const db = env.db as { close: () => Promise<void> };
  const close = db.close.bind(db);
  db.close = async () => {
    const name = (await env.db.query<{ name: string }>('SELECT current_database() AS name')).rows[0].name;
    await close();
    const admin = await connectPostgres(process.env.DATABASE_URL!, 1);
    try {
      for (let i = 0; i < 50; i++) {
        const left = await admin.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (left.rows[0].n === '0') break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await admin.close();
    }
  };
}
