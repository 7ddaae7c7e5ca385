// The channel registry: one adapter per transport the configuration names. A channel without
// settings is simply absent (the dispatcher then keeps the portal inbox alone); the inbox
// itself is the dispatcher's own table and has no adapter here.
import type { Agent } from 'node:https';
import type { Config } from '../../../config.ts';
import type { ChannelAdapter, ChannelName } from '../channel.ts';
import { silentLog, type ChannelLog } from './common.ts';
import { createEmailChannel } from './email.ts';
import { createSmsChannel, type ReceiptListener } from './sms.ts';
import { createHttpSmsGateway } from './sms-http.ts';
import { SmppGateway } from './sms-smpp.ts';
import { createWebhookChannel, webhookSecret } from './webhook.ts';
import { createWebPushChannel, loadOrCreateVapidKeys } from './webpush.ts';

export interface ChannelOptions {
  /** Where adapters report trouble (never with addresses or numbers). */
  log?: ChannelLog;
  /** Delivery receipts from the SMS network. A process that passes this binds the SMPP session
   *  at once (not at its first message), so that receipts held by the SMSC reach it. */
  onSmsReceipt?: ReceiptListener;
  /** HTTPS agent for push services with their own CA (the test push service). */
  webPushAgent?: Agent;
}

export type Channels = Map<ChannelName, ChannelAdapter>;

export function createChannels(config: Config, opts: ChannelOptions = {}): Channels {
  const settings = config.channels;
  const log = opts.log ?? silentLog;
  const channels: Channels = new Map();
  if (!settings) return channels;
  if (settings.smtp) channels.set('email', createEmailChannel(settings.smtp, log));
  if (settings.smpp) {
    const gateway = new SmppGateway(settings.smpp, { log, ...(opts.onSmsReceipt ? { onReceipt: opts.onSmsReceipt } : {}) });
    if (opts.onSmsReceipt) gateway.connect().catch(() => {}); // it keeps retrying in the background
    channels.set('sms', createSmsChannel(gateway));
  } else if (settings.smsHttp) {
    // one SMS gateway per city: an SMSC account when there is one, else the HTTP service
    channels.set('sms', createSmsChannel(createHttpSmsGateway(settings.smsHttp, { log })));
  }
  if (settings.webpush) {
    const keys = loadOrCreateVapidKeys(config);
    channels.set('webpush', createWebPushChannel({ subject: settings.webpush.subject, keys, ...(opts.webPushAgent ? { agent: opts.webPushAgent } : {}) }, log));
  }
  // Webhooks need nothing but a signing secret: each source system gives its own URL.
  channels.set('webhook', createWebhookChannel({ secret: webhookSecret(config), timeoutMs: settings.webhook.timeoutMs }, log));
  return channels;
}

/** Closes every adapter (SMTP pool, SMPP session …); one failing close does not stop the others. */
export async function closeChannels(channels: Channels): Promise<void> {
  await Promise.allSettled([...channels.values()].map((c) => c.close()));
  channels.clear();
}
