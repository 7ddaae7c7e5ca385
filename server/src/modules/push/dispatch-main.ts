// A dispatcher process that works until nothing is left to send, then exits: the child the
// outbox kill test starts, kills and restarts (`node --import tsx dispatch-main.ts`). Settings
// from the environment, like `kx worker`: DATABASE_URL or KX_DATA_DIR, KX_SMTP_URL …,
// KX_CHANNEL_RATES; KX_PUSH_LEASE_SECONDS and KX_PUSH_CLAIM to make a crashed claim come back soon.
import { loadConfig } from '../../config.ts';
import { createCtx } from '../../context.ts';
import { openDatabase } from '../../db/open.ts';
import { closeChannels, createChannels } from './channels/index.ts';
import { Dispatcher } from './dispatch.ts';

const num = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const config = loadConfig(process.env);
const db = await openDatabase(config, { migrate: false });
const ctx = createCtx(config, db);
const channels = createChannels(config);
const dispatcher = new Dispatcher(ctx, {
  channels,
  leaseSeconds: num('KX_PUSH_LEASE_SECONDS', 60),
  claim: num('KX_PUSH_CLAIM', 200),
  backoffBaseMs: num('KX_PUSH_BACKOFF_MS', 30_000),
  log: (m) => process.stderr.write(`${m}\n`),
});
const total = { notices: 0, deliveries: 0, sent: 0, retried: 0, failed: 0, deferred: 0 };
try {
  for (;;) {
    const s = await dispatcher.runOnce((p) => process.stderr.write(`push: ${p.sent} sent\n`));
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += s[k];
    const left = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM push_deliveries WHERE state IN ('queued', 'sending')`);
    if (left.rows[0].n === '0' && s.notices === 0) break;
    // Deliveries a killed process left in 'sending' come back when their lease runs out.
    if (s.sent + s.failed + s.retried === 0) await new Promise((r) => setTimeout(r, 200));
  }
  process.stdout.write(`${JSON.stringify(total)}\n`);
} finally {
  await closeChannels(channels);
  await db.close();
}
