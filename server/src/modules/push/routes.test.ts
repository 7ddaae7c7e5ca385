// The push routes as a resident, a department clerk and an admin see them: the inbox with its
// unread count, marking read (own notices only), preferences with their defaults, addresses
// stored encrypted and shown masked, web-push subscriptions, templates with a preview, and
// the delivery board.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { Dispatcher } from './dispatch.ts';
import { addEntities, addNotice, RecordingAdapter } from './testing.ts';

describe.each(DATABASES)('push routes (%s)', (kind) => {
  let env: TestEnv;
  let me: string;
  let other: string;
  let resident: Record<string, string>;
  let clerk: Record<string, string>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    env = await testEnv(kind);
    [me, other] = await addEntities(env.db, 2);
    await addUser(env, 'r1', 'resident', { entity_id: me });
    await addUser(env, 'c1', 'clerk', { department: 'lc-rsj' });
    await addUser(env, 'a1', 'admin');
    resident = bearer(await env.login('r1'));
    clerk = bearer(await env.login('c1'));
    admin = bearer(await env.login('a1'));
  }, 60_000);
  afterAll(() => env.close());

  const call = async (method: string, url: string, headers: Record<string, string>, payload?: unknown) => {
    const r = await env.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: r.statusCode, body: r.body ? r.json() : null };
  };

  it('lists my notices newest first with the unread count, and marks them read', async () => {
    const first = await addNotice(env.db, { entity: me, kind: 'grant', title: '免申即享：高龄津贴', at: new Date('2025-06-01T00:00:00Z') });
    const second = await addNotice(env.db, { entity: me, kind: 'application.approved', at: new Date('2025-06-02T00:00:00Z') });
    const theirs = await addNotice(env.db, { entity: other, kind: 'grant' });
    await addNotice(env.db, { department: 'lc-rsj', kind: 'deadline.remind', title: '审核即将到期' });

    let r = await call('GET', '/api/v1/me/inbox', resident);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 2, unread: 2, page: 1 });
    expect(r.body.notices.map((n: { id: string; event_kind: string }) => [n.id, n.event_kind])).toEqual([[second, 'application_status'], [first, 'auto_grant']]);

    expect((await call('POST', `/api/v1/me/inbox/${first}/read`, resident)).body.read_at).not.toBeNull();
    r = await call('GET', '/api/v1/me/inbox?unread_only=true', resident);
    expect(r.body).toMatchObject({ total: 1, unread: 1 });
    expect((await call('POST', `/api/v1/me/inbox/${theirs}/read`, resident)).status).toBe(404);

    // Department staff read their desk's notices.
    r = await call('GET', '/api/v1/me/inbox', clerk);
    expect(r.body.notices.map((n: { title: string; event_kind: string }) => [n.title, n.event_kind])).toEqual([['审核即将到期', 'review_deadline']]);
    expect((await call('POST', `/api/v1/me/inbox/${first}/read`, clerk)).status).toBe(404);
  });

  it('shows the defaults, then what I chose; addresses encrypted at rest and masked on the way out', async () => {
    let r = await call('GET', '/api/v1/me/notification-preferences', resident);
    const pick = (b: { preferences: { channel: string; event_kind: string; enabled: boolean; default: boolean }[] }, ch: string, k: string) =>
      b.preferences.find((p) => p.channel === ch && p.event_kind === k);
    // No address yet: e-mail and SMS are off; web push on.
    expect(pick(r.body, 'email', 'newly_eligible')).toEqual({ channel: 'email', event_kind: 'newly_eligible', enabled: false, default: true });
    expect(pick(r.body, 'webpush', 'newly_eligible')?.enabled).toBe(true);
    expect(r.body.quiet_hours).toEqual({ enabled: true, starts: '22:00', ends: '08:00', time_zone: 'Asia/Shanghai', channels: ['sms', 'webpush'] });

    expect((await call('PUT', '/api/v1/me/contacts/sms', resident, { address: '138 0013 8000' })).body).toEqual([{ channel: 'sms', address: '138****8000', locale: 'zh-CN' }]);
    r = await call('PUT', '/api/v1/me/contacts/email', resident, { address: 'zhang.san@example.cn', locale: 'en' });
    expect(r.body).toEqual([{ channel: 'email', address: 'z***@example.cn', locale: 'en' }, { channel: 'sms', address: '138****8000', locale: 'zh-CN' }]);
    expect((await call('PUT', '/api/v1/me/contacts/sms', resident, { address: '12345' })).status).toBe(400);
    const stored = await env.db.query<{ address_enc: string }>('SELECT address_enc FROM push_contacts');
    for (const s of stored.rows) expect(s.address_enc).not.toMatch(/13800138000|zhang/);

    r = await call('GET', '/api/v1/me/notification-preferences', resident);
    expect(pick(r.body, 'email', 'newly_eligible')?.enabled).toBe(true);
    expect(pick(r.body, 'sms', 'newly_eligible')?.enabled).toBe(false);
    expect(pick(r.body, 'sms', 'payout_made')?.enabled).toBe(true);

    r = await call('PUT', '/api/v1/me/notification-preferences', resident, {
      preferences: [{ channel: 'sms', event_kind: 'newly_eligible', enabled: true }, { channel: 'email', event_kind: '*', enabled: false }],
      quiet_hours: { enabled: true, starts: '21:30', ends: '07:00', time_zone: 'Asia/Shanghai', channels: ['sms'] },
    });
    expect(r.status).toBe(200);
    expect(pick(r.body, 'sms', 'newly_eligible')).toMatchObject({ enabled: true, default: false });
    expect(pick(r.body, 'email', 'payout_made')).toMatchObject({ enabled: false, default: false });
    expect(r.body.quiet_hours.starts).toBe('21:30');
    expect((await call('PUT', '/api/v1/me/notification-preferences', resident, { quiet_hours: { enabled: true, starts: '25:00', ends: '07:00', time_zone: 'Asia/Shanghai', channels: [] } })).status).toBe(400);
    expect((await call('PUT', '/api/v1/me/notification-preferences', resident, { quiet_hours: { enabled: true, starts: '22:00', ends: '07:00', time_zone: 'Mars/Base', channels: [] } })).status).toBe(400);
    expect((await call('DELETE', '/api/v1/me/contacts/email', resident)).body).toEqual([{ channel: 'sms', address: '138****8000', locale: 'zh-CN' }]);
  });

  it('registers and removes this browser for web push', async () => {
    const sub = { endpoint: 'https://push.example.com/send/abc', keys: { p256dh: 'BKey', auth: 'auth' } };
    const r = await call('POST', '/api/v1/me/push-subscriptions', resident, sub);
    expect(r.status).toBe(201);
    expect((await call('POST', '/api/v1/me/push-subscriptions', resident, sub)).body.id).toBe(r.body.id);
    expect((await call('POST', '/api/v1/me/push-subscriptions', resident, { ...sub, endpoint: 'ftp://x.example/a' })).status).toBe(400);
    const row = await env.db.query<{ subscription_enc: string }>('SELECT subscription_enc FROM push_subscriptions');
    expect(row.rows[0].subscription_enc).not.toContain('push.example.com');
    expect((await call('DELETE', `/api/v1/me/push-subscriptions?endpoint=${encodeURIComponent(sub.endpoint)}`, resident)).status).toBe(204);
    expect((await call('DELETE', `/api/v1/me/push-subscriptions?endpoint=${encodeURIComponent(sub.endpoint)}`, resident)).status).toBe(404);
    // The key the browser subscribes with: the same on every call.
    const key = await call('GET', '/api/v1/push/vapid-public-key', {});
    expect(key.body.public_key).toMatch(/^[\w-]{87}$/);
    expect((await call('GET', '/api/v1/push/vapid-public-key', {})).body).toEqual(key.body);
  });

  it('lets an admin edit a template, preview it in both languages, and refuses unknown variables', async () => {
    let r = await call('GET', '/api/v1/push/templates', admin);
    expect(r.body.templates).toHaveLength(16);
    expect(r.body.templates.find((t: { event_kind: string; locale: string }) => t.event_kind === 'closing_soon' && t.locale === 'zh-CN')).toMatchObject({ edited: false });
    expect((await call('GET', '/api/v1/push/templates', resident)).status).toBe(403);

    r = await call('POST', '/api/v1/push/templates/closing_soon/preview', admin, { locale: 'zh-CN' });
    expect(r.body).toMatchObject({ title: '即将截止：高龄津贴' });
    expect(r.body.body).toContain('7 天后截止');
    r = await call('POST', '/api/v1/push/templates/closing_soon/preview', admin, { locale: 'en', variables: { days: '2', item_title: 'Elderly allowance' } });
    expect(r.body.title).toBe('Closing soon: Elderly allowance');
    expect(r.body.body).toContain('close in 2 days');

    r = await call('PUT', '/api/v1/push/templates/closing_soon', admin, { locale: 'zh-CN', title: '还剩 {{days}} 天：{{item_title}}', body: '{{item_title}} 即将截止。' });
    expect(r.status).toBe(200);
    expect(r.body.templates.find((t: { event_kind: string; locale: string }) => t.event_kind === 'closing_soon' && t.locale === 'zh-CN')).toMatchObject({ edited: true, title: '还剩 {{days}} 天：{{item_title}}' });
    expect((await call('POST', '/api/v1/push/templates/closing_soon/preview', admin, { locale: 'zh-CN' })).body).toEqual({ title: '还剩 7 天：高龄津贴', body: '高龄津贴 即将截止。', sms_length: 10 });
    r = await call('PUT', '/api/v1/push/templates/closing_soon', admin, { locale: 'en', title: '{{item_titel}}', body: 'x' });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('body.title');
    expect((await call('POST', '/api/v1/push/templates/closing_soon/preview', admin, { locale: 'en', body: '{{nope}}' })).status).toBe(400);
  });

  it('shows the admin the deliveries by channel and state, without addresses', async () => {
    const email = new RecordingAdapter('email');
    await new Dispatcher(env.ctx, { channels: new Map([['email', email]]) }).runOnce();
    const r = await call('GET', '/api/v1/push/deliveries', admin);
    expect(r.status).toBe(200);
    expect(r.body.undispatched).toBe(0);
    // The resident's SMS (no adapter here) failed, the web push had no subscription left.
    expect(r.body.counts).toEqual(expect.arrayContaining([{ channel: 'sms', state: 'failed', count: expect.any(Number) }]));
    expect(JSON.stringify(r.body)).not.toMatch(/13800138000|example\.cn/);
    expect((await call('GET', '/api/v1/push/deliveries?state=failed&channel=sms', admin)).body.deliveries.every((d: { state: string }) => d.state === 'failed')).toBe(true);
  });
});
