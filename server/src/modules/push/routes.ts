// Push (R8) over HTTP: the inbox (paged, live over server-sent events), a person's channels,
// quiet hours and addresses, web-push subscriptions; for the console, templates with a
// preview and the delivery board.
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.ts';
import { badInput } from '../../errors.ts';
import { principal } from '../../http/access.ts';
import { errors } from '../../http/schemas.ts';
import { loadOrCreateVapidKeys } from './channels/webpush.ts';
import { listDeliveries, listTemplates, previewTemplate, saveTemplate } from './admin.ts';
import { inboxHub, listInbox, markRead, noticesAfter, type NoticeView } from './inbox.ts';
import type { EventKind } from './kinds.ts';
import {
  ContactInput, ContactParams, Contacts, Created, Deliveries, DeliveriesQuery, InboxPage, InboxQuery, Notice, NoticeId, Preferences, PreferencesInput,
  Preview, PreviewInput, SubscriptionInput, SubscriptionQuery, TemplateInput, TemplateParams, Templates, VapidKey, WebhookInput,
} from './schema.ts';
import { addSubscription, addWebhook, deleteContact, getContacts, getPreferences, partyOf, removeSubscription, setContact, setPreferences, type ContactChannel } from './settings.ts';
import type { Locale } from './templates.ts';
import { Type } from 'typebox';

const StreamQuery = Type.Object({
  heartbeat: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, default: 15, description: '心跳间隔（秒）/ heartbeat interval in seconds' })),
});

export async function pushRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const tags = ['push'];
  const me = 'user' as const;

  app.get<{ Querystring: InboxQuery }>(
    '/api/v1/me/inbox',
    { config: { access: me }, schema: { tags, summary: '我的通知（部门工作人员为本部门通知）/ my inbox (staff: their department’s)', querystring: InboxQuery, response: { 200: InboxPage, ...errors(400, 401, 403) } } },
    async (req) => listInbox(ctx, partyOf(principal(req)), req.query),
  );
  app.post<{ Params: { id: string } }>(
    '/api/v1/me/inbox/:id/read',
    { config: { access: me }, schema: { tags, summary: '标为已读 / mark a notice read', params: NoticeId, response: { 200: Notice, ...errors(401, 403, 404) } } },
    async (req) => markRead(ctx, partyOf(principal(req)), req.params.id),
  );
  app.get<{ Querystring: { heartbeat?: number } }>(
    '/api/v1/me/inbox/stream',
    {
      config: { access: me },
      schema: {
        tags, summary: '实时通知（服务器推送事件）/ live notices (server-sent events)',
        description: '以 EventSource 连接（Accept: text/event-stream，会话 Cookie 即可）。事件：ready（未读数）、notice（新通知，id 为通知编号；断线重连带 Last-Event-ID 补发）；注释行为心跳。',
        querystring: StreamQuery,
        response: { ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const party = partyOf(principal(req));
      if (!String(req.headers.accept ?? '').includes('text/event-stream'))
        throw badInput('accept', '请以 EventSource（Accept: text/event-stream）连接', 'connect with EventSource (Accept: text/event-stream)');
      const last = String(req.headers['last-event-id'] ?? '');
      const missed = /^\d{1,18}$/.test(last) ? await noticesAfter(ctx, party, last) : [];
      const unread = (await listInbox(ctx, party, { page: 1, page_size: 1, unread_only: true })).unread;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      raw.write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ unread })}\n\n`);
      const send = (n: NoticeView) => raw.write(`id: ${n.id}\nevent: notice\ndata: ${JSON.stringify(n)}\n\n`);
      for (const n of missed) send(n);
      const unsubscribe = await inboxHub(ctx).subscribe(party, send);
      const beat = setInterval(() => raw.write(`: heartbeat ${new Date().toISOString()}\n\n`), (req.query.heartbeat ?? 15) * 1000);
      const end = () => {
        clearInterval(beat);
        unsubscribe();
      };
      req.raw.on('close', end);
      raw.on('error', end);
    },
  );
  // The feed stops with the app (browsers reconnect to the next one).
  app.addHook('onClose', async () => inboxHub(ctx).stop());

  app.get(
    '/api/v1/me/notification-preferences',
    { config: { access: me }, schema: { tags, summary: '通知设置 / notification preferences', response: { 200: Preferences, ...errors(401, 403) } } },
    async (req) => getPreferences(ctx, partyOf(principal(req))),
  );
  app.put<{ Body: PreferencesInput }>(
    '/api/v1/me/notification-preferences',
    { config: { access: me }, schema: { tags, summary: '修改通知设置（渠道 × 事件、免打扰时段）/ set channels per event and quiet hours', body: PreferencesInput, response: { 200: Preferences, ...errors(400, 401, 403) } } },
    async (req) => setPreferences(ctx, principal(req), req.body),
  );

  app.get(
    '/api/v1/me/contacts',
    { config: { access: me }, schema: { tags, summary: '通知地址（脱敏）/ notice addresses (masked)', response: { 200: Contacts, ...errors(401, 403) } } },
    async (req) => getContacts(ctx, partyOf(principal(req))),
  );
  app.put<{ Params: { channel: ContactChannel }; Body: { address: string; locale?: Locale } }>(
    '/api/v1/me/contacts/:channel',
    { config: { access: me }, schema: { tags, summary: '设置邮箱或手机号 / set the e-mail address or mobile number', params: ContactParams, body: ContactInput, response: { 200: Contacts, ...errors(400, 401, 403) } } },
    async (req) => setContact(ctx, principal(req), req.params.channel, req.body.address, req.body.locale ?? 'zh-CN'),
  );
  app.delete<{ Params: { channel: ContactChannel } }>(
    '/api/v1/me/contacts/:channel',
    { config: { access: me }, schema: { tags, summary: '删除通知地址 / remove an address', params: ContactParams, response: { 200: Contacts, ...errors(401, 403) } } },
    async (req) => deleteContact(ctx, principal(req), req.params.channel),
  );

  app.post<{ Body: SubscriptionInput }>(
    '/api/v1/me/push-subscriptions',
    { config: { access: me }, schema: { tags, summary: '登记本浏览器的推送订阅 / register this browser for web push', body: SubscriptionInput, response: { 201: Created, ...errors(400, 401, 403) } } },
    async (req, reply) => reply.status(201).send(await addSubscription(ctx, principal(req), req.body)),
  );
  app.delete<{ Querystring: { endpoint: string } }>(
    '/api/v1/me/push-subscriptions',
    { config: { access: me }, schema: { tags, summary: '取消推送订阅 / unsubscribe this browser', querystring: SubscriptionQuery, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } } },
    async (req, reply) => {
      await removeSubscription(ctx, principal(req), req.query.endpoint);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/push/vapid-public-key',
    { config: { access: 'public' }, schema: { tags, summary: '网页推送公钥（VAPID）/ the VAPID public key for PushManager.subscribe', response: { 200: VapidKey } } },
    // Generated into the data folder on first use and kept: subscriptions are bound to it.
    async () => ({ public_key: loadOrCreateVapidKeys(ctx.config).publicKey }),
  );

  const admin = ['admin'] as const;
  app.get(
    '/api/v1/push/templates',
    { config: { access: admin }, schema: { tags, summary: '通知模板（中文、英文）/ notice templates', response: { 200: Templates, ...errors(401, 403) } } },
    async () => listTemplates(ctx),
  );
  app.put<{ Params: { kind: EventKind }; Body: TemplateInput }>(
    '/api/v1/push/templates/:kind',
    { config: { access: admin }, schema: { tags, summary: '修改通知模板 / edit a template', params: TemplateParams, body: TemplateInput, response: { 200: Templates, ...errors(400, 401, 403) } } },
    async (req) => saveTemplate(ctx, principal(req), req.params.kind, req.body),
  );
  app.post<{ Params: { kind: EventKind }; Body: PreviewInput }>(
    '/api/v1/push/templates/:kind/preview',
    { config: { access: admin }, schema: { tags, summary: '模板预览 / preview a template with sample values', params: TemplateParams, body: PreviewInput, response: { 200: Preview, ...errors(400, 401, 403) } } },
    async (req) => previewTemplate(ctx, req.params.kind, req.body),
  );
  app.get<{ Querystring: DeliveriesQuery }>(
    '/api/v1/push/deliveries',
    { config: { access: admin }, schema: { tags, summary: '推送投递状态 / delivery board', querystring: DeliveriesQuery, response: { 200: Deliveries, ...errors(400, 401, 403) } } },
    async (req) => listDeliveries(ctx, req.query),
  );
  app.post<{ Body: WebhookInput }>(
    '/api/v1/push/webhooks',
    { config: { access: admin }, schema: { tags, summary: '登记数据源系统的回调地址 / register a source system’s webhook', body: WebhookInput, response: { 201: Created, ...errors(400, 401, 403) } } },
    async (req, reply) => reply.status(201).send(await addWebhook(ctx, principal(req), req.body)),
  );
}

