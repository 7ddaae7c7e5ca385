// The dispatcher's rules on both databases: fan-out by preferences (idempotent), quiet hours
// (SMS held to 08:00 Shanghai), the daily SMS limit, retries with back-off then failure, a
// delivery left in 'sending' by a crash sent again under the same id, templates in both
// languages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { Dispatcher, recordReceipt } from './dispatch.ts';
import { fanOutAll } from './fanout.ts';
import { addContact, addEntities, addNotice, RecordingAdapter } from './testing.ts';
import type { ChannelName } from './channel.ts';

const at = (iso: string) => new Date(iso);

describe.each(DATABASES)('push dispatcher (%s)', (kind) => {
  let env: TestEnv;
  let email: RecordingAdapter;
  let sms: RecordingAdapter;
  let webpush: RecordingAdapter;
  let webhook: RecordingAdapter;
  let dispatcher: Dispatcher;
  const enc = (s: string) => env.ctx.crypto.encrypt(s);

  beforeAll(async () => {
    env = await testEnv(kind);
    email = new RecordingAdapter('email');
    sms = new RecordingAdapter('sms');
    webpush = new RecordingAdapter('webpush');
    webhook = new RecordingAdapter('webhook');
    const channels = new Map<ChannelName, RecordingAdapter>([['email', email], ['sms', sms], ['webpush', webpush], ['webhook', webhook]]);
    dispatcher = new Dispatcher(env.ctx, { channels, rates: { email: 1000, sms: 1000, webpush: 1000, webhook: 1000 }, maxAttempts: 3, backoffBaseMs: 30_000 });
  }, 60_000);
  afterAll(() => env.close());

  const deliveries = async (notice: string) =>
    (await env.db.query<{ channel: string; target: string; state: string }>('SELECT channel, target, state FROM push_deliveries WHERE notice_id = $1 ORDER BY channel, target', [notice])).rows;
  const reset = () => {
    for (const a of [email, sms, webpush, webhook]) {
      a.sent.length = 0;
      a.script = [];
    }
  };

  it('fans notices out by preferences and addresses, once however often it runs', async () => {
    env.clock.now = at('2025-06-30T02:00:00Z');
    const [a, b, c] = await addEntities(env.db, 3);
    await addContact(env.db, enc, `entity:${a}`, 'email', 'a@example.cn');
    await addContact(env.db, enc, `entity:${a}`, 'sms', '+8613800000001');
    await addContact(env.db, enc, `entity:${b}`, 'email', 'b@example.cn');
    await env.db.query(`INSERT INTO push_preferences (party, channel, event_kind, enabled, updated_at) VALUES ($1, 'email', 'newly_eligible', false, now()), ($1, 'sms', '*', true, now())`, [`entity:${b}`]);
    await addContact(env.db, enc, `entity:${b}`, 'sms', '+8613800000002');
    await env.db.query(`INSERT INTO push_subscriptions (party, endpoint_hash, subscription_enc, created_at) VALUES ($1, 'h-c', $2, now())`, [`entity:${c}`, enc('{"endpoint":"https://push.example/x"}')]);
    await env.db.query(`INSERT INTO push_webhooks (source, url, secret_enc, event_kinds, created_at) VALUES ('bank', 'http://127.0.0.1:9/hook', $1, '{payout_made}', now())`, [enc('s3cret-s3cret-s3cret')]);

    const aNew = await addNotice(env.db, { entity: a, kind: 'newly_eligible' });
    const aPaid = await addNotice(env.db, { entity: a, kind: 'payment_failed' });
    const bNew = await addNotice(env.db, { entity: b, kind: 'newly_eligible' });
    const cGrant = await addNotice(env.db, { entity: c, kind: 'grant' });
    const other = await addNotice(env.db, { entity: a, kind: 'something_else' });
    const first = await fanOutAll(env.db, env.ctx.now());
    expect(first.notices).toBeGreaterThanOrEqual(5);

    // a: e-mail for everything, SMS only for money; b: opted out of e-mail for this event, into SMS for all.
    expect((await deliveries(aNew)).map((d) => d.channel)).toEqual(['email']);
    expect((await deliveries(aPaid)).map((d) => d.channel)).toEqual(['email', 'sms', 'webhook']);
    expect((await deliveries(bNew)).map((d) => d.channel)).toEqual(['sms']);
    expect((await deliveries(cGrant)).map((d) => d.channel)).toEqual(['webpush']);
    expect(await deliveries(other)).toEqual([]);

    // A fan-out repeated (a crash after the insert, before the marker) adds nothing.
    await env.db.query('UPDATE inbox SET dispatched_at = NULL');
    const again = await fanOutAll(env.db, env.ctx.now());
    expect(again.deliveries).toBe(0);
    expect(Number((await env.db.query<{ n: string }>('SELECT count(*) AS n FROM push_deliveries')).rows[0].n)).toBe(first.deliveries);

    // Sent at 10:00 Shanghai: nothing held back.
    reset();
    const s = await dispatcher.runOnce();
    expect(s.sent).toBe(first.deliveries);
    expect(email.sent.map((m) => m.to).sort()).toEqual(['a@example.cn', 'a@example.cn']);
    // The endpoint's own secret travels with its address (the adapter signs with it).
    expect(JSON.parse(webhook.sent[0].to)).toEqual({ url: 'http://127.0.0.1:9/hook', secret: 's3cret-s3cret-s3cret' });
    expect(webhook.sent[0].event).toMatchObject({ kind: 'payout_made', entity_id: a });
    expect(JSON.stringify(webhook.sent[0].event)).not.toContain('138');
    expect((await deliveries(aPaid)).map((d) => d.state)).toEqual(['sent', 'sent', 'sent']);
    await env.db.query('UPDATE push_webhooks SET active = false');
  });

  it('holds SMS and web push during quiet hours until 08:00 Shanghai; e-mail goes at once', async () => {
    reset();
    env.clock.now = at('2025-06-30T15:30:00Z'); // 23:30 in Shanghai
    const [e] = await addEntities(env.db, 1);
    await addContact(env.db, enc, `entity:${e}`, 'email', 'night@example.cn');
    await addContact(env.db, enc, `entity:${e}`, 'sms', '13900000009');
    const n = await addNotice(env.db, { entity: e, kind: 'payout_made' });
    const s = await dispatcher.runOnce();
    expect(s).toMatchObject({ sent: 1, deferred: 1 });
    expect(email.sent.map((m) => m.to)).toEqual(['night@example.cn']);
    expect(sms.sent).toEqual([]);
    const held = (await env.db.query<{ state: string; next_attempt_at: Date; deferred: string; attempts: number }>(
      "SELECT state, next_attempt_at, deferred, attempts FROM push_deliveries WHERE notice_id = $1 AND channel = 'sms'", [n])).rows[0];
    expect(held).toMatchObject({ state: 'queued', deferred: 'quiet_hours', attempts: 0 });
    expect(new Date(held.next_attempt_at).toISOString()).toBe('2025-07-01T00:00:00.000Z');

    env.clock.now = at('2025-06-30T23:59:00Z');
    expect((await dispatcher.runOnce()).sent).toBe(0);
    env.clock.now = at('2025-07-01T00:00:00Z');
    expect((await dispatcher.runOnce()).sent).toBe(1);
    expect(sms.sent.map((m) => m.to)).toEqual(['13900000009']);

    // The network's receipt, by the gateway's id alone (the sender may have restarted): delivered.
    const d = (await env.db.query<{ id: string }>("SELECT id::text AS id FROM push_deliveries WHERE notice_id = $1 AND channel = 'sms'", [n])).rows[0].id;
    expect(await recordReceipt(env.db, { providerId: `p-${d}`, state: 'delivered' }, env.ctx.now())).toBe(true);
    expect((await env.db.query<{ state: string }>('SELECT state FROM push_deliveries WHERE id = $1', [d])).rows[0].state).toBe('delivered');
    expect(await recordReceipt(env.db, { providerId: `p-${d}`, state: 'failed' }, env.ctx.now())).toBe(false);
  });

  it('sends at most three SMS a day to a person and holds the rest to the next morning', async () => {
    reset();
    env.clock.now = at('2025-07-02T02:00:00Z'); // 10:00
    const [e] = await addEntities(env.db, 1);
    await addContact(env.db, enc, `entity:${e}`, 'sms', '+8613700000005');
    for (let i = 0; i < 5; i++) await addNotice(env.db, { entity: e, kind: 'payout_made' });
    const s = await dispatcher.runOnce();
    expect(s).toMatchObject({ sent: 3, deferred: 2 });
    const rows = (await env.db.query<{ state: string; next_attempt_at: Date; deferred: string | null }>(
      "SELECT state, next_attempt_at, deferred FROM push_deliveries WHERE party = $1 AND channel = 'sms' ORDER BY id", [`entity:${e}`])).rows;
    expect(rows.map((r) => r.state)).toEqual(['sent', 'sent', 'sent', 'queued', 'queued']);
    expect(rows.slice(3).map((r) => [r.deferred, new Date(r.next_attempt_at).toISOString()])).toEqual([
      ['rate_limit', '2025-07-03T00:00:00.000Z'],
      ['rate_limit', '2025-07-03T00:00:00.000Z'],
    ]);
    env.clock.now = at('2025-07-03T00:00:00Z');
    expect((await dispatcher.runOnce()).sent).toBe(2);
  });

  it('retries with exponential back-off under the same delivery id, then fails for good', async () => {
    reset();
    env.clock.now = at('2025-07-04T02:00:00Z');
    const [e, f] = await addEntities(env.db, 2);
    await addContact(env.db, enc, `entity:${e}`, 'email', 'flaky@example.cn');
    await addContact(env.db, enc, `entity:${f}`, 'email', 'gone@example.cn');
    const n = await addNotice(env.db, { entity: e, kind: 'newly_eligible' });
    email.script = [{ status: 'retry', error: '451 try later' }, { status: 'retry', error: '451 try later' }, { status: 'retry', error: '451 try later' }];
    const t0 = env.clock.now.getTime();
    await dispatcher.runOnce();
    const row = async () =>
      (await env.db.query<{ id: string; state: string; attempts: number; next_attempt_at: Date; last_error: string | null }>(
        "SELECT id::text AS id, state, attempts, next_attempt_at, last_error FROM push_deliveries WHERE notice_id = $1", [n])).rows[0];
    let r = await row();
    expect(r).toMatchObject({ state: 'queued', attempts: 1, last_error: '451 try later' });
    expect(new Date(r.next_attempt_at).getTime() - t0).toBe(30_000);
    env.clock.now = new Date(t0 + 29_000);
    await dispatcher.runOnce();
    expect(email.sent).toHaveLength(1); // not yet due
    env.clock.now = new Date(t0 + 30_000);
    await dispatcher.runOnce();
    r = await row();
    expect(r).toMatchObject({ state: 'queued', attempts: 2 });
    expect(new Date(r.next_attempt_at).getTime() - (t0 + 30_000)).toBe(60_000);
    env.clock.now = new Date(t0 + 90_000);
    await dispatcher.runOnce();
    r = await row();
    expect(r).toMatchObject({ state: 'failed', attempts: 3, last_error: '451 try later' });
    expect(new Set(email.sent.map((m) => m.deliveryId))).toEqual(new Set([r.id]));

    // A permanent refusal fails at once.
    email.sent.length = 0;
    email.script = [{ status: 'failed', error: '550 no such user' }];
    const g = await addNotice(env.db, { entity: f, kind: 'newly_eligible' });
    await dispatcher.runOnce();
    expect((await env.db.query<{ state: string; attempts: number }>('SELECT state, attempts FROM push_deliveries WHERE notice_id = $1', [g])).rows[0]).toEqual({ state: 'failed', attempts: 1 });
  });

  it('sends again, under the same id, a delivery a crashed process left in sending', async () => {
    reset();
    env.clock.now = at('2025-07-05T02:00:00Z');
    const [e] = await addEntities(env.db, 1);
    await addContact(env.db, enc, `entity:${e}`, 'email', 'crash@example.cn');
    const n = await addNotice(env.db, { entity: e, kind: 'newly_eligible' });
    await fanOutAll(env.db, env.ctx.now());
    // A process claimed it and died before recording the outcome.
    const id = (await env.db.query<{ id: string }>(
      `UPDATE push_deliveries SET state = 'sending', attempts = 1, lease_until = $2 WHERE notice_id = $1 RETURNING id::text AS id`, [n, at('2025-07-05T02:01:00Z')])).rows[0].id;
    expect((await dispatcher.runOnce()).sent).toBe(0); // its lease still runs
    env.clock.now = at('2025-07-05T02:01:01Z');
    expect((await dispatcher.runOnce()).sent).toBe(1);
    expect(email.sent.map((m) => m.deliveryId)).toEqual([id]);
    expect((await env.db.query<{ state: string; attempts: number }>('SELECT state, attempts FROM push_deliveries WHERE id = $1', [id])).rows[0]).toEqual({ state: 'sent', attempts: 2 });
  });

  it('renders the template of the event in the recipient’s language, an edited one included', async () => {
    reset();
    env.clock.now = at('2025-07-06T02:00:00Z');
    await env.db.query(`INSERT INTO documents (id, title, number, issuers, published_on) VALUES ('d1', '文件', '聊政发〔2025〕1号', '{x}', '2025-01-01')`);
    await env.db.query(`INSERT INTO items (id, document_id, department, published_version) VALUES ('elder-care', 'd1', 'lc-rsj', 1)`);
    await env.db.query(
      `INSERT INTO item_versions (item_id, version, status, body, title, audience, mode, region_scope, valid_from) VALUES ('elder-care', 1, 'published', '{}', '高龄津贴', 'person', 'online', '{371500}', '2025-01-01')`,
    );
    const [zh, en] = await addEntities(env.db, 2);
    await addContact(env.db, enc, `entity:${zh}`, 'email', 'zh@example.cn', 'zh-CN');
    await addContact(env.db, enc, `entity:${en}`, 'email', 'en@example.cn', 'en');
    await addNotice(env.db, { entity: zh, kind: 'closing_soon', item: 'elder-care', data: { days: 5 } });
    await addNotice(env.db, { entity: en, kind: 'closing_soon', item: 'elder-care', data: { days: 5 } });
    await addNotice(env.db, { entity: en, kind: 'application.approved', item: 'elder-care', title: '申请已批准 / Approved', body: '您的申请已批准。 / Your application was approved.', at: env.clock.now });
    await env.db.query(`INSERT INTO push_templates (event_kind, locale, title, body, updated_at) VALUES ('application_status', 'en', 'Update on {{item_title}}', '{{body}} ({{date}})', now())`);
    await dispatcher.runOnce();
    const byTo = (to: string) => email.sent.filter((m) => m.to === to).map((m) => ({ title: m.title, body: m.body, locale: m.locale }));
    expect(byTo('zh@example.cn')).toEqual([{ locale: 'zh-CN', title: '即将截止：高龄津贴', body: expect.stringContaining('申请将于 5 天后截止') }]);
    expect(byTo('en@example.cn')).toEqual([
      { locale: 'en', title: 'Closing soon: 高龄津贴', body: expect.stringContaining('applications close in 5 days') },
      { locale: 'en', title: 'Update on 高龄津贴', body: 'Your application was approved. (2025-07-06)' },
    ]);
  });
});
