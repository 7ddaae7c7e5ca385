// What a person (or a department's desk) chooses: channels per event kind, quiet hours,
// addresses (encrypted, shown masked) and the browsers that receive web push.
import { createHash } from 'node:crypto';
import type { Ctx } from '../../context.ts';
import { maskPhone } from '../../crypto/mask.ts';
import { badInput, DomainError, notFound } from '../../errors.ts';
import { actorOf, DEPARTMENT_ROLES, ENTITY_ROLES, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { defaultQuiet } from './dispatch.ts';
import { defaultEnabled, EVENT_KINDS, PERSONAL_CHANNELS, partyOfDepartment, partyOfEntity, type PersonalChannel } from './kinds.ts';
import type { Locale } from './templates.ts';

/** Whose notices a user reads and whose preferences they set. */
export function partyOf(p: Principal): string {
  if (p.kind !== 'user' || !p.userId) throw new DomainError('FORBIDDEN', '数据源令牌没有收件箱', 'source tokens have no inbox');
  if (p.role && ENTITY_ROLES.includes(p.role) && p.entityId) return partyOfEntity(p.entityId);
  if (p.role && DEPARTMENT_ROLES.includes(p.role) && p.department) return partyOfDepartment(p.department);
  return `user:${p.userId}`;
}

export interface PreferenceRow {
  channel: PersonalChannel;
  event_kind: string;
  enabled: boolean;
  /** true when no choice was made and the default applies. */
  default: boolean;
}

export interface QuietHoursView {
  enabled: boolean;
  starts: string;
  ends: string;
  time_zone: string;
  channels: string[];
}

export interface PreferencesView {
  preferences: PreferenceRow[];
  quiet_hours: QuietHoursView;
}

export async function getPreferences(ctx: Ctx, party: string): Promise<PreferencesView> {
  const [prefs, quiet, contacts] = await Promise.all([
    ctx.db.query<{ channel: PersonalChannel; event_kind: string; enabled: boolean }>('SELECT channel, event_kind, enabled FROM push_preferences WHERE party = $1', [party]),
    ctx.db.query<{ starts: string; ends: string; time_zone: string; channels: string[]; enabled: boolean }>(
      'SELECT starts::text AS starts, ends::text AS ends, time_zone, channels, enabled FROM push_quiet_hours WHERE party = $1', [party]),
    ctx.db.query<{ channel: string }>('SELECT channel FROM push_contacts WHERE party = $1', [party]),
  ]);
  const set = new Map(prefs.rows.map((r) => [`${r.channel}|${r.event_kind}`, r.enabled]));
  const has = new Set(contacts.rows.map((r) => r.channel));
  const out: PreferenceRow[] = [];
  for (const channel of PERSONAL_CHANNELS)
    for (const kind of EVENT_KINDS) {
      const own = set.get(`${channel}|${kind}`) ?? set.get(`${channel}|*`);
      // E-mail and SMS are on by default only where there is an address to send to.
      const dflt = defaultEnabled(channel, kind) && (channel === 'webpush' || has.has(channel));
      out.push({ channel, event_kind: kind, enabled: own ?? dflt, default: own === undefined });
    }
  const q = quiet.rows[0];
  const d = defaultQuiet();
  return {
    preferences: out,
    quiet_hours: q
      ? { enabled: q.enabled, starts: q.starts.slice(0, 5), ends: q.ends.slice(0, 5), time_zone: q.time_zone, channels: q.channels }
      : { enabled: d.enabled, starts: d.starts, ends: d.ends, time_zone: d.timeZone, channels: [...d.channels] },
  };
}

export interface PreferencesInput {
  preferences?: { channel: PersonalChannel; event_kind: string; enabled: boolean }[];
  quiet_hours?: QuietHoursView;
}

const validZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export async function setPreferences(ctx: Ctx, p: Principal, input: PreferencesInput): Promise<PreferencesView> {
  const party = partyOf(p);
  const now = ctx.now();
  for (const [i, x] of (input.preferences ?? []).entries())
    if (x.event_kind !== '*' && !(EVENT_KINDS as readonly string[]).includes(x.event_kind))
      throw badInput(`body.preferences.${i}.event_kind`, `未知的事件类型 ${x.event_kind}`, `unknown event kind ${x.event_kind}`);
  const qh = input.quiet_hours;
  if (qh && !validZone(qh.time_zone)) throw badInput('body.quiet_hours.time_zone', `未知的时区 ${qh.time_zone}`, `unknown time zone ${qh.time_zone}`);
  await ctx.db.tx(async (q) => {
    const prefs = input.preferences ?? [];
    if (prefs.length)
      await q.query(
        `INSERT INTO push_preferences (party, channel, event_kind, enabled, updated_at)
         SELECT $1, t.c, t.k, t.e, $5 FROM unnest($2::text[], $3::text[], $4::boolean[]) AS t(c, k, e)
         ON CONFLICT (party, channel, event_kind) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at`,
        [party, prefs.map((x) => x.channel), prefs.map((x) => x.event_kind), prefs.map((x) => x.enabled), now],
      );
    if (qh)
      await q.query(
        `INSERT INTO push_quiet_hours (party, starts, ends, time_zone, channels, enabled) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (party) DO UPDATE SET starts = EXCLUDED.starts, ends = EXCLUDED.ends, time_zone = EXCLUDED.time_zone, channels = EXCLUDED.channels, enabled = EXCLUDED.enabled`,
        [party, qh.starts, qh.ends, qh.time_zone, qh.channels, qh.enabled],
      );
    await appendAudit(q, { actor: actorOf(p), action: 'push.preferences', subject: party, detail: { preferences: prefs.length, quiet_hours: !!qh } });
  });
  return getPreferences(ctx, party);
}

// ───────────── addresses ─────────────

export type ContactChannel = 'email' | 'sms';

export interface ContactView {
  channel: ContactChannel;
  address: string;
  locale: Locale;
}

export function maskEmail(address: string): string {
  const [user, domain] = address.split('@');
  if (!domain) return '***';
  return `${user.slice(0, 1)}***@${domain}`;
}

const mask = (channel: ContactChannel, address: string) => (channel === 'email' ? maskEmail(address) : maskPhone(address));

export async function getContacts(ctx: Ctx, party: string): Promise<ContactView[]> {
  const r = await ctx.db.query<{ channel: ContactChannel; address_enc: string; locale: Locale }>('SELECT channel, address_enc, locale FROM push_contacts WHERE party = $1 ORDER BY channel', [party]);
  return r.rows.map((x) => ({ channel: x.channel, address: mask(x.channel, ctx.crypto.decrypt(x.address_enc)), locale: x.locale }));
}

/** Normalises and checks an address; phone numbers become +86…. */
export function normaliseAddress(channel: ContactChannel, raw: string): string {
  const s = raw.trim();
  if (channel === 'email') {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) || s.length > 254) throw badInput('body.address', '邮箱地址格式不正确', 'not an e-mail address');
    return s;
  }
  const digits = s.replace(/[\s-]/g, '');
  const m = /^(?:\+?86)?(1[3-9]\d{9})$/.exec(digits);
  if (!m) throw badInput('body.address', '手机号格式不正确（应为 11 位中国大陆手机号）', 'not a mainland China mobile number');
  return `+86${m[1]}`;
}

export async function setContact(ctx: Ctx, p: Principal, channel: ContactChannel, address: string, locale: Locale): Promise<ContactView[]> {
  const party = partyOf(p);
  const clear = normaliseAddress(channel, address);
  await ctx.db.tx(async (q) => {
    await q.query(
      `INSERT INTO push_contacts (party, channel, address_enc, locale, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (party, channel) DO UPDATE SET address_enc = EXCLUDED.address_enc, locale = EXCLUDED.locale, updated_at = EXCLUDED.updated_at`,
      [party, channel, ctx.crypto.encrypt(clear), locale, ctx.now()],
    );
    await appendAudit(q, { actor: actorOf(p), action: 'push.contact.set', subject: party, detail: { channel } });
  });
  return getContacts(ctx, party);
}

export async function deleteContact(ctx: Ctx, p: Principal, channel: ContactChannel): Promise<ContactView[]> {
  const party = partyOf(p);
  await ctx.db.tx(async (q) => {
    await q.query('DELETE FROM push_contacts WHERE party = $1 AND channel = $2', [party, channel]);
    await appendAudit(q, { actor: actorOf(p), action: 'push.contact.delete', subject: party, detail: { channel } });
  });
  return getContacts(ctx, party);
}

// ───────────── web push subscriptions ─────────────

export interface SubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  locale?: Locale;
}

const endpointHash = (ctx: Ctx, endpoint: string) => ctx.crypto.blindIndex(`webpush:${createHash('sha256').update(endpoint).digest('hex')}`);

export async function addSubscription(ctx: Ctx, p: Principal, s: SubscriptionInput): Promise<{ id: string }> {
  const party = partyOf(p);
  if (!/^https:\/\//.test(s.endpoint) && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(s.endpoint))
    throw badInput('body.endpoint', '推送订阅地址应为 https 网址', 'the push endpoint must be an https URL');
  const json = JSON.stringify({ endpoint: s.endpoint, keys: s.keys });
  // The same browser subscribing again (or for another login) takes the row over.
  const r = await ctx.db.query<{ id: string }>(
    `INSERT INTO push_subscriptions (party, user_id, endpoint_hash, subscription_enc, locale, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (endpoint_hash) DO UPDATE SET party = EXCLUDED.party, user_id = EXCLUDED.user_id, subscription_enc = EXCLUDED.subscription_enc,
       locale = EXCLUDED.locale, revoked_at = NULL
     RETURNING id::text AS id`,
    [party, p.userId ?? null, endpointHash(ctx, s.endpoint), ctx.crypto.encrypt(json), s.locale ?? 'zh-CN', ctx.now()],
  );
  return { id: r.rows[0].id };
}

export async function removeSubscription(ctx: Ctx, p: Principal, endpoint: string): Promise<void> {
  const r = await ctx.db.query('UPDATE push_subscriptions SET revoked_at = $3 WHERE endpoint_hash = $1 AND party = $2 AND revoked_at IS NULL', [endpointHash(ctx, endpoint), partyOf(p), ctx.now()]);
  if (!r.rowCount) throw notFound('推送订阅', '');
}

// ───────────── webhooks of source systems ─────────────

export interface WebhookInput {
  source: string;
  url: string;
  secret: string;
  event_kinds: string[];
}

export async function addWebhook(ctx: Ctx, p: Principal, w: WebhookInput): Promise<{ id: string }> {
  if (!/^https?:\/\//.test(w.url)) throw badInput('body.url', '回调地址应为 http(s) 网址', 'the webhook URL must be http(s)');
  for (const k of w.event_kinds) if (!(EVENT_KINDS as readonly string[]).includes(k)) throw badInput('body.event_kinds', `未知的事件类型 ${k}`, `unknown event kind ${k}`);
  return ctx.db.tx(async (q) => {
    const r = await q.query<{ id: string }>(
      'INSERT INTO push_webhooks (source, url, secret_enc, event_kinds, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id::text AS id',
      [w.source, w.url, ctx.crypto.encrypt(w.secret), w.event_kinds, ctx.now()],
    );
    await appendAudit(q, { actor: actorOf(p), action: 'push.webhook.add', subject: `webhook:${r.rows[0].id}`, detail: { source: w.source, event_kinds: w.event_kinds } });
    return r.rows[0];
  });
}
