// Request and response shapes of push (R8): the inbox, preferences, addresses, web-push
// subscriptions, templates and the delivery board. Addresses appear only masked.
import { Type, type Static } from 'typebox';
import { EVENT_KINDS, PERSONAL_CHANNELS } from './kinds.ts';
import { VARIABLES } from './templates.ts';

const lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const EventKind = lit(EVENT_KINDS);
export const PersonalChannel = lit(PERSONAL_CHANNELS);
export const Locale = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);

export const Notice = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: '通知类型（细分）/ notice kind as written' }),
  event_kind: Type.String({ description: '事件：newly_eligible | auto_grant | missing_fact | application_status | review_deadline | payout_made | closing_soon | weekly_digest | other' }),
  title: Type.String(),
  body: Type.String(),
  item_id: Nullable(Type.String()),
  case_type: Nullable(Type.String()),
  case_id: Nullable(Type.String()),
  created_at: Type.String(),
  read_at: Nullable(Type.String()),
});

export const InboxQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  unread_only: Type.Optional(Type.Boolean()),
});
export type InboxQuery = Static<typeof InboxQuery>;

export const InboxPage = Type.Object({
  total: Type.Integer(),
  unread: Type.Integer({ description: '未读数 / unread notices' }),
  page: Type.Integer(),
  page_size: Type.Integer(),
  notices: Type.Array(Notice),
});

export const NoticeId = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });

const PreferenceRow = Type.Object({ channel: PersonalChannel, event_kind: Type.String(), enabled: Type.Boolean(), default: Type.Boolean() });
const QuietHours = Type.Object({
  enabled: Type.Boolean(),
  starts: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
  ends: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
  time_zone: Type.String({ minLength: 1, maxLength: 64 }),
  channels: Type.Array(Type.Union([Type.Literal('sms'), Type.Literal('webpush'), Type.Literal('email')]), { maxItems: 3 }),
});
export const Preferences = Type.Object({ preferences: Type.Array(PreferenceRow), quiet_hours: QuietHours });
export const PreferencesInput = Type.Object({
  preferences: Type.Optional(Type.Array(Type.Object({ channel: PersonalChannel, event_kind: Type.Union([EventKind, Type.Literal('*')]), enabled: Type.Boolean() }), { maxItems: 100 })),
  quiet_hours: Type.Optional(QuietHours),
});
export type PreferencesInput = Static<typeof PreferencesInput>;

export const ContactChannel = Type.Union([Type.Literal('email'), Type.Literal('sms')]);
export const Contact = Type.Object({ channel: ContactChannel, address: Type.String({ description: '脱敏地址 / masked address' }), locale: Locale });
export const Contacts = Type.Array(Contact);
export const ContactParams = Type.Object({ channel: ContactChannel });
export const ContactInput = Type.Object({ address: Type.String({ minLength: 3, maxLength: 254 }), locale: Type.Optional(Locale) });
export type ContactInput = Static<typeof ContactInput>;

export const SubscriptionInput = Type.Object({
  endpoint: Type.String({ minLength: 8, maxLength: 2000 }),
  keys: Type.Object({ p256dh: Type.String({ minLength: 1, maxLength: 200 }), auth: Type.String({ minLength: 1, maxLength: 100 }) }),
  locale: Type.Optional(Locale),
});
export type SubscriptionInput = Static<typeof SubscriptionInput>;
export const SubscriptionQuery = Type.Object({ endpoint: Type.String({ minLength: 8, maxLength: 2000 }) });
export const Created = Type.Object({ id: Type.String() });
export const VapidKey = Type.Object({ public_key: Type.String({ description: 'VAPID 公钥（base64url），浏览器 applicationServerKey / the applicationServerKey' }) });

export const Template = Type.Object({
  event_kind: Type.String(),
  locale: Locale,
  title: Type.String(),
  body: Type.String(),
  edited: Type.Boolean({ description: '管理员改过（否则为默认模板）/ edited by an admin (else the default)' }),
});
export const Templates = Type.Object({ variables: Type.Array(Type.String()), templates: Type.Array(Template) });
export const TemplateParams = Type.Object({ kind: EventKind });
export const TemplateInput = Type.Object({ locale: Locale, title: Type.String({ minLength: 1, maxLength: 200 }), body: Type.String({ minLength: 1, maxLength: 2000 }) });
export type TemplateInput = Static<typeof TemplateInput>;
export const PreviewInput = Type.Object({
  locale: Locale,
  title: Type.Optional(Type.String({ maxLength: 200 })),
  body: Type.Optional(Type.String({ maxLength: 2000 })),
  variables: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 500 }), { description: `示例变量，缺省用内置示例 / sample values: ${VARIABLES.join(', ')}` })),
});
export type PreviewInput = Static<typeof PreviewInput>;
export const Preview = Type.Object({ title: Type.String(), body: Type.String(), sms_length: Type.Integer({ description: '短信正文字数 / SMS body length' }) });

export const DeliveryState = Type.Union(['queued', 'sending', 'sent', 'delivered', 'failed'].map((s) => Type.Literal(s)));
export const DeliveriesQuery = Type.Object({
  state: Type.Optional(DeliveryState),
  channel: Type.Optional(Type.Union(['webpush', 'email', 'sms', 'webhook'].map((s) => Type.Literal(s)))),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type DeliveriesQuery = Static<typeof DeliveriesQuery>;
export const Delivery = Type.Object({
  id: Type.String(),
  notice_id: Type.String(),
  channel: Type.String(),
  event_kind: Type.String(),
  state: Type.String(),
  attempts: Type.Integer(),
  next_attempt_at: Type.String(),
  deferred: Nullable(Type.String()),
  last_error: Nullable(Type.String()),
  provider_id: Nullable(Type.String()),
  created_at: Type.String(),
  sent_at: Nullable(Type.String()),
});
export const Deliveries = Type.Object({
  counts: Type.Array(Type.Object({ channel: Type.String(), state: Type.String(), count: Type.Integer() })),
  undispatched: Type.Integer({ description: '尚未分发的通知 / notices not yet fanned out' }),
  total: Type.Integer(),
  page: Type.Integer(),
  page_size: Type.Integer(),
  deliveries: Type.Array(Delivery),
});

export const WebhookInput = Type.Object({
  source: Type.String({ minLength: 1, maxLength: 60 }),
  url: Type.String({ minLength: 8, maxLength: 2000 }),
  secret: Type.String({ minLength: 16, maxLength: 200 }),
  event_kinds: Type.Array(EventKind, { minItems: 1, maxItems: 8 }),
});
export type WebhookInput = Static<typeof WebhookInput>;
