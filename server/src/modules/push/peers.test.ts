// Push end to end as people use it, through the HTTP routes, to every real peer of the test
// suite: a resident gives an e-mail address and a mobile number and subscribes this browser
// (with the platform's VAPID key); a source system registers a webhook; a payout notice then
// reaches smtp-server (Message-ID = delivery id), the smpp package's SMSC (and its receipt
// marks the SMS delivered), the webhook receiver (signature verified) and the push service
// (VAPID checked, payload decrypted).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { startSmppPeer, type SmppPeer } from '../../../test/peers/smpp-peer.ts';
import { startSmtpPeer, type SmtpPeer } from '../../../test/peers/smtp-peer.ts';
import { startWebhookPeer, type WebhookPeer } from '../../../test/peers/webhook-peer.ts';
import { startWebPushPeer, testPushAgent, type WebPushPeer } from '../../../test/peers/webpush-peer.ts';
import { closeChannels, createChannels, type Channels } from './channels/index.ts';
import { Dispatcher, receiptRecorder } from './dispatch.ts';
import { addEntities, addNotice } from './testing.ts';

const SECRET = 'push-e2e-webhook-secret-0123456789';

describe.each(DATABASES)('push to every real peer (%s)', (kind) => {
  let env: TestEnv;
  let smtp: SmtpPeer;
  let smpp: SmppPeer;
  let hook: WebhookPeer;
  let push: WebPushPeer;
  let channels: Channels;
  const dir = mkdtempSync(join(tmpdir(), 'kx-push-e2e-'));

  beforeAll(async () => {
    [smtp, smpp, hook, push] = await Promise.all([startSmtpPeer(), startSmppPeer(), startWebhookPeer(SECRET), startWebPushPeer()]);
    const settings = loadConfig({
      KX_DATA_DIR: dir, KX_DATA_KEY: '07'.repeat(32), KX_SMTP_URL: smtp.url, KX_SMPP_URL: `smpp://${smpp.systemId}:${smpp.password}@127.0.0.1:${smpp.port}`,
      // The platform's default secret differs: the peer verifies with the endpoint's own secret.
      KX_WEBHOOK_SECRET: 'platform-default-secret-not-the-endpoints', KX_VAPID_SUBJECT: 'mailto:ops@kuaixiang.local',
    }).channels;
    env = await testEnv(kind, { config: { dataDir: dir, channels: settings } });
  }, 60_000);
  afterAll(async () => {
    await closeChannels(channels);
    await env.close();
    await Promise.all([smtp.close(), smpp.close(), hook.close(), push.close()]);
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('delivers one notice on every channel the resident chose, each under its delivery id', { timeout: 60_000 }, async () => {
    const [me] = await addEntities(env.db, 1);
    await addUser(env, 'e2e', 'resident', { entity_id: me });
    await addUser(env, 'e2e-admin', 'admin');
    const r = bearer(await env.login('e2e'));
    const a = bearer(await env.login('e2e-admin'));
    const call = async (method: string, url: string, headers: Record<string, string>, payload?: object) => {
      const res = await env.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json();
    };
    await call('PUT', '/api/v1/me/contacts/email', r, { address: 'wang.wu@example.cn' });
    await call('PUT', '/api/v1/me/contacts/sms', r, { address: '13912345678' });
    const key = (await call('GET', '/api/v1/push/vapid-public-key', {})) as { public_key: string };
    await call('POST', '/api/v1/me/push-subscriptions', r, JSON.parse(push.subscribe(key.public_key)) as object);
    await call('POST', '/api/v1/push/webhooks', a, { source: 'finance', url: `${hook.url}/kx`, secret: SECRET, event_kinds: ['payout_made'] });

    const receipts: Promise<boolean>[] = [];
    const record = receiptRecorder(env.db, () => env.ctx.now());
    channels = createChannels(env.ctx.config, { webPushAgent: testPushAgent(), onSmsReceipt: (x) => void receipts.push(record(x)) });
    const notice = await addNotice(env.db, { entity: me, kind: 'payout_made', title: '兑现资金已到账 / Paid', body: '您的高龄津贴 100.00 元已到账。 / 100.00 yuan paid.', at: env.clock.now });
    const s = await new Dispatcher(env.ctx, { channels }).runOnce();
    expect(s).toMatchObject({ sent: 4, failed: 0, retried: 0 });

    const ids = Object.fromEntries((await env.db.query<{ channel: string; id: string }>('SELECT channel, id::text AS id FROM push_deliveries WHERE notice_id = $1', [notice])).rows.map((x) => [x.channel, x.id]));
    expect(smtp.messages.map((m) => [m.deliveryId, m.to[0], m.subject])).toEqual([[ids.email, 'wang.wu@example.cn', '兑现资金已到账']]);
    expect(smpp.messages.map((m) => [m.deliveryId, m.to])).toEqual([[ids.sms, expect.stringContaining('13912345678')]]);
    expect(smpp.messages[0].text).toContain('100.00 元已到账');
    expect(hook.rejected()).toBe(0);
    expect(hook.accepted.map((e) => [e.delivery, e.event.kind, e.event.entity_id])).toEqual([[ids.webhook, 'payout_made', me]]);
    expect(push.refused).toEqual([]);
    expect(push.received.map((m) => m.payload.deliveryId)).toEqual([ids.webpush]);

    // The SMSC's receipt: the SMS is delivered.
    const smsState = async () => (await env.db.query<{ state: string }>("SELECT state FROM push_deliveries WHERE notice_id = $1 AND channel = 'sms'", [notice])).rows[0].state;
    for (let i = 0; i < 400 && (await smsState()) !== 'delivered'; i++) await new Promise((res) => setTimeout(res, 50));
    await Promise.all(receipts);
    const states = (await env.db.query<{ channel: string; state: string }>('SELECT channel, state FROM push_deliveries WHERE notice_id = $1 ORDER BY channel', [notice])).rows;
    expect(states).toEqual([{ channel: 'email', state: 'sent' }, { channel: 'sms', state: 'delivered' }, { channel: 'webhook', state: 'sent' }, { channel: 'webpush', state: 'sent' }]);
  });
});
