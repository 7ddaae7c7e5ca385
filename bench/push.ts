// npm run bench:push — precise push end to end on PostgreSQL (DATABASE_URL: a fresh database
// is created and dropped; PGlite in a temporary folder otherwise).
//
//   BENCH_NOTICES     (default 100,000)  entities a publication makes newly eligible
//   BENCH_SMS_SHARE   (default 0.1)      of them, those who opted into SMS for this event
//   BENCH_EMAIL_RATE  (default 1000)     messages per second the e-mail channel may send
//   BENCH_SMS_RATE    (default 200)      messages per second the SMS channel may send
//   BENCH_WORKERS     (default 2)        dispatchers side by side (PostgreSQL)
//
// 1. Enqueue (timed): an item to apply for is published and matched (`runItem`: the columnar
//    evaluation over the snapshot, the set, and per entity a newly_eligible event AND its
//    notice, in one statement) — the 100,000 notices are the inbox rows that publication wrote.
// 2. Fan-out (timed): notices → deliveries by preferences (everyone has an e-mail address;
//    BENCH_SMS_SHARE opted into SMS for newly eligible items).
// 3. Delivery (timed): the dispatcher sends through the real adapters (createChannels: SMTP
//    via nodemailer, SMPP via the smpp package) to the local peers of the test suite
//    (smtp-server, the smpp package's server), at each channel's configured rate; then the
//    peers are counted: lost = deliveries never received, duplicated = extra receipts of a
//    delivery id. Ends with one JSON line.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../server/src/config.ts';
import { createCtx } from '../server/src/context.ts';
import { connectPostgres, openPglite, type Db } from '../server/src/db/db.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { seedDepartments } from '../server/src/seed/departments.ts';
import { runItem } from '../server/src/modules/matching/runs-service.ts';
import { matchingState } from '../server/src/modules/matching/state.ts';
import { publishDocument, testDocument } from '../server/src/modules/matching/testing.ts';
import { closeChannels, createChannels } from '../server/src/modules/push/channels/index.ts';
import { Dispatcher } from '../server/src/modules/push/dispatch.ts';
import { fanOutAll } from '../server/src/modules/push/fanout.ts';
import { fork } from 'node:child_process';

const num = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const NOTICES = num('BENCH_NOTICES', 100_000);
const SMS_SHARE = num('BENCH_SMS_SHARE', 0.1);
const EMAIL_RATE = num('BENCH_EMAIL_RATE', 1000);
const SMS_RATE = num('BENCH_SMS_RATE', 200);
const WORKERS = process.env.DATABASE_URL ? num('BENCH_WORKERS', 2) : 1;
const log = (s: string) => process.stderr.write(`${s}\n`);
const secs = (t: number) => Math.round((performance.now() - t) / 10) / 100;

async function open(): Promise<{ db: Db; drop: () => Promise<void>; url?: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kx-bench-push-'));
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    const name = `kx_bench_push_${randomBytes(4).toString('hex')}`;
    const admin = await connectPostgres(url.toString(), 1);
    await admin.query(`CREATE DATABASE ${name}`);
    url.pathname = `/${name}`;
    const db = await connectPostgres(url.toString(), 4 + WORKERS * 2);
    return { db, url: url.toString(), dir, drop: async () => { await db.close(); await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); await admin.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const db = await openPglite(join(dir, 'pgdata'));
  return { db, dir, drop: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

// The peers (server/test/peers) run in a child process: see bench/push-peers.ts.
const peers = fork(join(import.meta.dirname, 'push-peers.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const ports = await new Promise<{ smtp: number; smpp: { port: number; systemId: string; password: string } }>((resolve) => peers.once('message', (m) => resolve(m as never)));
const counts = async () => {
  const c = await new Promise<{ mail: [string, number][]; sms: [string, number][] }>((resolve) => {
    peers.once('message', (m) => resolve(m as never));
    peers.send('counts');
  });
  return { mail: new Map(c.mail), sms: new Map(c.sms) };
};
const smtp = { port: ports.smtp };
const smpp = { ...ports.smpp };
const { db, drop, dir } = await open();
const config = loadConfig({
  KX_DATA_DIR: dir, KX_DATA_KEY: '07'.repeat(32), KX_SEED_DEMO: 'false', LOG_LEVEL: 'silent',
  KX_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, KX_SMTP_CONNECTIONS: '16',
  KX_SMPP_URL: `smpp://${smpp.systemId}:${smpp.password}@127.0.0.1:${smpp.port}`,
  KX_CHANNEL_RATES: `email=${EMAIL_RATE},sms=${SMS_RATE}`,
});
const ctx = createCtx(config, db, () => new Date('2025-06-30T02:00:00Z')); // 10:00 in Shanghai: outside quiet hours
try {
  await migrate(db);
  await seedDepartments(db);

  // ── the population: enterprises with 20+ employees, each with an address (encrypted) ──
  let t = performance.now();
  const ids = (await db.query<{ id: string }>(
    `INSERT INTO entities (kind, key_hash, display_name, region, facts)
     SELECT 'enterprise', 'bench-push-' || g, '企业' || g, '371502', jsonb_build_object('employees', 20 + g % 300, 'region', '371502')
       FROM generate_series(1, $1) g RETURNING id::text AS id`, [NOTICES])).rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 20_000) {
    const part = ids.slice(i, i + 20_000);
    await db.query(
      `INSERT INTO push_contacts (party, channel, address_enc, locale, updated_at) SELECT 'entity:' || t.id, 'email', t.a, 'zh-CN', now() FROM unnest($1::bigint[], $2::text[]) AS t(id, a)`,
      [part, part.map((id) => ctx.crypto.encrypt(`e${id}@bench.example.cn`))],
    );
  }
  const smsIds = ids.filter((_, i) => i < Math.round(ids.length * SMS_SHARE));
  await db.query(
    `INSERT INTO push_contacts (party, channel, address_enc, locale, updated_at) SELECT 'entity:' || t.id, 'sms', t.a, 'zh-CN', now() FROM unnest($1::bigint[], $2::text[]) AS t(id, a)`,
    [smsIds, smsIds.map((id) => ctx.crypto.encrypt(`+86139${String(id).padStart(8, '0')}`))],
  );
  await db.query(`INSERT INTO push_preferences (party, channel, event_kind, enabled, updated_at) SELECT 'entity:' || t.id, 'sms', 'newly_eligible', true, now() FROM unnest($1::bigint[]) AS t(id)`, [smsIds]);
  log(`population: ${ids.length} enterprises, ${smsIds.length} with SMS (${secs(t)} s)`);

  // ── 1. enqueue: publish and match one item every one of them is eligible for ──
  await publishDocument(ctx, testDocument('bench-push', 'employees >= 20'));
  const state = matchingState(ctx);
  await state.reload();
  t = performance.now();
  const run = await runItem(ctx, 'bench-push', 1);
  const enqueueSeconds = secs(t);
  const notices = Number((await db.query<{ n: string }>("SELECT count(*)::text AS n FROM inbox WHERE kind = 'newly_eligible'")).rows[0].n);
  log(`publish → ${run.eligible} eligible, ${run.events} events, ${notices} notices in ${enqueueSeconds} s`);

  // ── 2. fan-out ──
  t = performance.now();
  const f = await fanOutAll(db, ctx.now(), 10_000);
  const fanOutSeconds = secs(t);
  log(`fan-out: ${f.deliveries} deliveries for ${f.notices} notices in ${fanOutSeconds} s`);

  // ── 3. delivery to the peers, several dispatchers side by side ──
  const expected = (await db.query<{ channel: string; n: string }>('SELECT channel, count(*)::text AS n FROM push_deliveries GROUP BY channel')).rows;
  const want = Object.fromEntries(expected.map((r) => [r.channel, Number(r.n)])) as Record<string, number>;
  // Each process has its own limiter: the configured rate is shared out between them.
  const perWorker = { email: EMAIL_RATE / WORKERS, sms: SMS_RATE / WORKERS };
  const channels = Array.from({ length: WORKERS }, () => createChannels(config));
  t = performance.now();
  const started = Date.now();
  const progress = setInterval(() => {
    void counts().then((c) => log(`delivery: ${c.mail.size} mails, ${c.sms.size} SMS at the peers (${Math.round((Date.now() - started) / 1000)} s)`));
  }, 10_000);
  const stats = await Promise.all(
    channels.map((ch) => new Dispatcher(ctx, { channels: ch, rates: perWorker, claim: 500, concurrency: 24, leaseSeconds: 120 }).runOnce()),
  );
  clearInterval(progress);
  const deliverSeconds = secs(t);
  for (const ch of channels) await closeChannels(ch);
  const states = (await db.query<{ channel: string; state: string; n: string }>('SELECT channel, state, count(*)::text AS n FROM push_deliveries GROUP BY channel, state ORDER BY channel, state')).rows;
  log(`states: ${states.map((s) => `${s.channel}/${s.state} ${s.n}`).join(', ')}`);

  const ours = new Set((await db.query<{ id: string }>('SELECT id::text AS id FROM push_deliveries')).rows.map((r) => r.id));
  const at = (counts: Map<string, number>) => {
    let received = 0;
    let duplicated = 0;
    for (const [id, n] of counts) {
      if (!ours.has(id.replace(/^<|@.*$/g, ''))) continue;
      received++;
      duplicated += n - 1;
    }
    return { received, duplicated };
  };
  // The SMTP peer counts by Message-ID (<delivery id@domain>), the SMPP peer by delivery id.
  const received = await counts();
  const mail = at(received.mail);
  const sms = at(received.sms);
  const delivered = mail.received + sms.received;
  const total = (want.email ?? 0) + (want.sms ?? 0);
  const sent = stats.reduce((a, s) => a + s.sent, 0);
  const figures = {
    notices,
    enqueue_seconds: enqueueSeconds,
    delivered,
    lost: total - delivered,
    duplicated: mail.duplicated + sms.duplicated,
    fan_out_seconds: fanOutSeconds,
    deliveries: total,
    sent,
    deliver_seconds: deliverSeconds,
    email: { deliveries: want.email ?? 0, received: mail.received, duplicated: mail.duplicated, configured_rate: EMAIL_RATE },
    sms: { deliveries: want.sms ?? 0, received: sms.received, duplicated: sms.duplicated, configured_rate: SMS_RATE },
    workers: WORKERS,
    database: db.kind,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  await drop();
  peers.send('close');
}
