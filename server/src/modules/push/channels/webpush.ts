// Web push to the installed mobile web app (web-push: VAPID + RFC 8291 aes128gcm). The VAPID
// key pair is generated on first start and kept in dataDir/vapid.json, so subscriptions made
// by browsers (with the public key as applicationServerKey) stay valid across restarts; the
// server and the worker read the same file. A push service answering 404/410 says the
// subscription is gone for good: the outcome is 'failed' and the dispatcher drops it.
import type { Agent } from 'node:https';
import webpush, { type PushSubscription } from 'web-push';
import type { Config } from '../../../config.ts';
import type { ChannelAdapter, OutgoingMessage, SendOutcome } from '../channel.ts';
import { httpOutcome, networkError, readOrCreateFile, scrub, silentLog, type ChannelLog } from './common.ts';

export interface VapidKeys {
  /** Uncompressed P-256 public key, base64url (the browser's applicationServerKey). */
  publicKey: string;
  privateKey: string;
}

/** The platform's VAPID keys: read from dataDir/vapid.json, or generated and written there once. */
export function loadOrCreateVapidKeys(config: Pick<Config, 'dataDir'>): VapidKeys {
  const text = readOrCreateFile(config.dataDir, 'vapid.json', () => {
    const keys = webpush.generateVAPIDKeys();
    return `${JSON.stringify({ publicKey: keys.publicKey, privateKey: keys.privateKey, created: new Date().toISOString() }, null, 2)}\n`;
  });
  const { publicKey, privateKey } = JSON.parse(text) as VapidKeys;
  if (!/^[\w-]{87}$/.test(publicKey) || !/^[\w-]{43}$/.test(privateKey)) throw new Error(`${config.dataDir}/vapid.json: not a VAPID key pair`);
  return { publicKey, privateKey };
}

/** What the service worker receives (JSON): enough to show the notice and open it. */
export interface WebPushPayload {
  deliveryId: string;
  locale: 'zh-CN' | 'en';
  title: string;
  body: string;
  url?: string;
}

export function webPushPayload(m: OutgoingMessage): WebPushPayload {
  return { deliveryId: m.deliveryId, locale: m.locale, title: m.title, body: m.body, ...(m.url ? { url: m.url } : {}) };
}

function parseSubscription(to: string): PushSubscription | undefined {
  try {
    const s = JSON.parse(to) as PushSubscription;
    if (typeof s.endpoint !== 'string' || !s.endpoint.startsWith('https://')) return undefined;
    if (typeof s.keys?.p256dh !== 'string' || typeof s.keys.auth !== 'string') return undefined;
    return { endpoint: s.endpoint, keys: { p256dh: s.keys.p256dh, auth: s.keys.auth } };
  } catch {
    return undefined;
  }
}

/** 404 and 410: the browser unsubscribed or the subscription expired — never retry. */
export function webPushOutcome(err: unknown, to: string, timeoutMs: number): SendOutcome {
  if (err instanceof webpush.WebPushError) {
    if (err.statusCode === 404 || err.statusCode === 410) return { status: 'failed', error: `subscription gone (HTTP ${err.statusCode})` };
    const retryAfter = err.headers?.['retry-after'];
    return httpOutcome(err.statusCode, err.body ?? '', typeof retryAfter === 'string' ? retryAfter : null, to);
  }
  const e = err as Error;
  if (e.message === 'Socket timeout') return { status: 'retry', error: `timed out after ${timeoutMs} ms` };
  // web-push throws plain errors for payloads it cannot encrypt (a malformed key): final
  if (/p256dh|auth|public key|must be/i.test(e.message ?? '')) return { status: 'failed', error: scrub(e.message, to) };
  return { status: 'retry', error: scrub(networkError(err, timeoutMs), to) };
}

export interface WebPushOptions {
  subject: string;
  keys: VapidKeys;
  timeoutMs?: number;
  /** How long a push service keeps a message for an offline device (seconds). */
  ttlSeconds?: number;
  /** For a push service with its own CA (tests, private deployments). */
  agent?: Agent;
}

export function createWebPushChannel(opts: WebPushOptions, log: ChannelLog = silentLog): ChannelAdapter {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const vapidDetails = { subject: opts.subject, publicKey: opts.keys.publicKey, privateKey: opts.keys.privateKey };
  return {
    name: 'webpush',
    async send(m) {
      const subscription = parseSubscription(m.to);
      if (!subscription) return { status: 'failed', error: 'not a web-push subscription' };
      try {
        const res = await webpush.sendNotification(subscription, JSON.stringify(webPushPayload(m)), {
          vapidDetails,
          TTL: opts.ttlSeconds ?? 24 * 3600,
          contentEncoding: 'aes128gcm',
          urgency: 'normal',
          timeout: timeoutMs,
          ...(opts.agent ? { agent: opts.agent } : {}),
        });
        const location = res.headers?.location;
        return typeof location === 'string' && location ? { status: 'sent', providerId: location.split('/').pop()! } : { status: 'sent' };
      } catch (err) {
        const outcome = webPushOutcome(err, m.to, timeoutMs);
        log.warn({ channel: 'webpush', deliveryId: m.deliveryId, outcome: outcome.status, error: 'error' in outcome ? outcome.error : undefined }, 'web push not accepted');
        return outcome;
      }
    },
    async close() {},
  };
}
