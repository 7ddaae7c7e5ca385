// The outbox under SIGKILL: a dispatcher process sending to a real SMTP server (smtp-server,
// server/test/peers) is killed at random moments ten times — during the fan-out, between a
// claim and a send, between a send and its record — and restarted; then run to the end.
// Every notice reaches the peer, as exactly one distinct message (Message-ID = delivery id);
// a message the peer took just before a kill is sent again under the SAME Message-ID (the
// receiver's idempotency key), at most as many as were in flight. PGlite (the data folder a
// killed process left, reopened) and PostgreSQL when DATABASE_URL is set.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type SmtpPeer } from '../../../test/peers/smtp-peer.ts';
import { DATABASES } from '../../../test/harness.ts';
import { createFieldCrypto } from '../../crypto/fields.ts';
import type { Db } from '../../db/db.ts';
import { crashTarget, type CrashTarget } from '../../../test/crash.ts';
import { migrate } from '../../db/migrate.ts';
import { seedDepartments } from '../../seed/departments.ts';
import { PUSH_DEFAULTS } from './dispatch.ts';
import { addEntities } from './testing.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..', '..');
const MAIN = join(HERE, 'dispatch-main.ts');
const KEY = Buffer.alloc(32, 9);
const ENTITIES = 500;

const KILLS = 10;
const PER_ROUND = 75;

const target = (kind: 'pglite' | 'postgres', smtpPort: number) =>
  crashTarget(kind, 'push-kill', KEY, {
    KX_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, KX_CHANNEL_RATES: 'email=5000', KX_PUSH_LEASE_SECONDS: '2', KX_PUSH_CLAIM: '10', KX_PUSH_BACKOFF_MS: '200', LOG_LEVEL: 'silent',
  });

/** 500 people with an e-mail address. */
async function seed(db: Db): Promise<string[]> {
  await migrate(db);
  await seedDepartments(db);
  const crypto = createFieldCrypto(KEY);
  const ids = await addEntities(db, ENTITIES, 'kill');
  await db.query(
    `INSERT INTO push_contacts (party, channel, address_enc, locale, updated_at) SELECT 'entity:' || t.id, 'email', t.a, 'zh-CN', now() FROM unnest($1::bigint[], $2::text[]) AS t(id, a)`,
    [ids, ids.map((id) => crypto.encrypt(`p${id}@example.cn`))],
  );
  return ids;
}

/** Fresh work for one round, so that every kill lands on a dispatcher with notices to send
 *  (however fast the machine): a newly-eligible notice for each of 75 people, in turn. */
async function addRound(db: Db, ids: string[], round: number): Promise<number> {
  const share = ids.slice((round * PER_ROUND) % ids.length).concat(ids).slice(0, PER_ROUND);
  const r = await db.query(
    `INSERT INTO inbox (entity_id, kind, title, body, cause_key, item_id)
     SELECT t.id, 'newly_eligible', '通知 / Notice', '正文 / Body', 'newly_eligible:kill-item-' || $2 || ':' || t.id, 'kill-item-' || $2
       FROM unnest($1::bigint[]) AS t(id)`,
    [share, round],
  );
  return r.rowCount;
}

interface Outcome {
  killed: boolean;
  stdout: string;
  stderr: string;
  code: number | null;
}

function runChild(env: Record<string, string | undefined>, kill?: { afterMs: number; from: 'spawn' | 'run'; line: number }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd: ROOT, env: env as NodeJS.ProcessEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    let timer: NodeJS.Timeout | undefined;
    const arm = () => (timer ??= setTimeout(() => child.kill('SIGKILL'), kill!.afterMs));
    if (kill?.from === 'spawn') arm();
    child.stderr.on('data', (d) => {
      stderr += d;
      if (kill?.from === 'run' && (stderr.match(/push: \d+ sent/g) ?? []).length > kill.line) arm();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', stdout, stderr, code });
    });
  });
}

describe.each(DATABASES)('push dispatcher killed with SIGKILL ten times (%s)', (kind) => {
  let t: CrashTarget | undefined;
  let peer: SmtpPeer | undefined;
  afterAll(async () => {
    await t?.drop();
    await peer?.close();
  });

  it('delivers every notice to the SMTP peer as one message, none lost, none doubled', async () => {
    const random = (n: number) => Math.floor(Math.random() * n);
    peer = await startSmtpPeer();
    t = await target(kind, peer.port);
    let db = await t.open();
    const ids = await seed(db);
    await db.close();

    const kills: string[] = [];
    let notices = 0;
    for (let k = 0; k < KILLS; k++) {
      db = await t.open();
      notices += await addRound(db, ids, k);
      await db.close();
      // A third of the kills land during start-up or the first claims, the rest after a random
      // number of claimed batches (10 deliveries each) of this round's work, plus a few ms.
      const from = k % 3 === 2 ? 'spawn' : 'run';
      const line = from === 'run' ? random(6) : 0;
      const afterMs = from === 'run' ? random(20) : 300 + random(1500);
      const before = peer.messages.length;
      const o = await runChild(t.env, { afterMs, from, line });
      if (!o.killed) expect(o.code, o.stderr).toBe(0);
      kills.push(`${from === 'run' ? `batch${line}` : 'spawn'}+${afterMs}ms→${o.killed ? 'killed' : 'done'}:+${peer.messages.length - before}`);
    }
    const last = await runChild(t.env);
    expect(last.code, last.stderr).toBe(0);

    db = await t.open();
    try {
      const d = await db.query<{ id: string; state: string; address: string }>(
        `SELECT d.id::text AS id, d.state, c.address_enc AS address FROM push_deliveries d JOIN push_contacts c ON c.party = d.party AND c.channel = 'email' ORDER BY d.id`,
      );
      expect(d.rows).toHaveLength(notices);
      expect(d.rows.filter((r) => r.state !== 'sent')).toEqual([]);
      expect(Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM inbox WHERE dispatched_at IS NULL')).rows[0].n)).toBe(0);

      // At the peer: one distinct message per delivery, named by the delivery id, to its address.
      const ids = new Set(d.rows.map((r) => r.id));
      const received = new Set(peer.messages.map((m) => m.deliveryId));
      expect(received.size).toBe(notices);
      expect([...received].every((id) => id !== undefined && ids.has(id))).toBe(true);
      expect(peer.counts.size).toBe(notices);
      const crypto = createFieldCrypto(KEY);
      const addressOf = new Map(d.rows.map((r) => [r.id, crypto.decrypt(r.address)]));
      expect(peer.messages.filter((m) => m.to[0] !== addressOf.get(m.deliveryId!))).toEqual([]);
      // Resent after a kill: only what was in flight at the moment, under its own Message-ID.
      const resent = peer.messages.length - peer.counts.size;
      expect(resent).toBeLessThanOrEqual(KILLS * PUSH_DEFAULTS.concurrency);
      console.log(`[${kind}] ${notices} notices; kills: ${kills.join(', ')}; final ${last.stdout.trim()}; resent under the same Message-ID after a kill: ${resent}`);
      expect(kills.filter((k) => k.includes('killed')).length).toBeGreaterThanOrEqual(5);
    } finally {
      await db.close();
    }
  }, 600_000);
});
