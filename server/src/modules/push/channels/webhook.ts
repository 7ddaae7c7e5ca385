// Signed webhooks for source systems. Each POST carries the event as JSON and
//   X-Kuaixiang-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>
//   X-Kuaixiang-Delivery: <delivery id>   (the same on every retry: the receiver's idempotency key)
// The timestamp is inside the signed text, so a captured request cannot be replayed later than
// the receiver's tolerance. Receivers verify with verifyWebhookSignature (docs/push.md).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../../config.ts';
import type { ChannelAdapter, OutgoingMessage } from '../channel.ts';
import { httpOutcome, networkError, readOrCreateFile, scrub, silentLog, type ChannelLog } from './common.ts';

export const SIGNATURE_HEADER = 'X-Kuaixiang-Signature';
export const DELIVERY_HEADER = 'X-Kuaixiang-Delivery';

export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * For receivers: true when `header` (X-Kuaixiang-Signature) signs exactly `body` (the raw
 * request body, before any JSON parsing) with `secret`, at a time within `toleranceSeconds`
 * of `now`. Several v1= values are accepted so that a secret can be rotated.
 */
export function verifyWebhookSignature(secret: string, header: string | undefined, body: string | Buffer, toleranceSeconds = 300, now: Date = new Date()): boolean {
  if (!header) return false;
  let t: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && /^\d+$/.test(v ?? '')) t = Number(v);
    else if (k === 'v1' && /^[0-9a-f]{64}$/.test(v ?? '')) signatures.push(v!);
  }
  if (t === undefined || signatures.length === 0) return false;
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const expected = createHmac('sha256', secret).update(`${t}.${text}`).digest();
  return signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
}

/** KX_WEBHOOK_SECRET, or a secret generated once into the data folder. */
export function webhookSecret(config: Pick<Config, 'dataDir' | 'channels'>): string {
  const configured = config.channels?.webhook.secret;
  if (configured) return configured;
  return readOrCreateFile(config.dataDir, 'webhook-secret.hex', () => randomBytes(32).toString('hex')).trim();
}

/** The subscriber's address: a URL (signed with the platform secret), or JSON {url, secret}
 *  when each source system has its own secret. */
export function webhookTarget(to: string, defaultSecret: string): { url: URL; secret: string } | undefined {
  let url: string;
  let secret = defaultSecret;
  if (to.trimStart().startsWith('{')) {
    try {
      const parsed = JSON.parse(to) as { url?: unknown; secret?: unknown };
      if (typeof parsed.url !== 'string') return undefined;
      url = parsed.url;
      if (typeof parsed.secret === 'string' && parsed.secret) secret = parsed.secret;
    } catch {
      return undefined;
    }
  } else url = to;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? { url: u, secret } : undefined;
  } catch {
    return undefined;
  }
}

export function webhookBody(m: OutgoingMessage, unixSeconds: number): string {
  return JSON.stringify({
    delivery: m.deliveryId,
    created: unixSeconds,
    event: m.event ?? {},
    locale: m.locale,
    title: m.title,
    body: m.body,
    ...(m.url ? { url: m.url } : {}),
  });
}

export function createWebhookChannel(opts: { secret: string; timeoutMs: number; now?: () => Date }, log: ChannelLog = silentLog): ChannelAdapter {
  const now = opts.now ?? (() => new Date());
  return {
    name: 'webhook',
    async send(m) {
      const target = webhookTarget(m.to, opts.secret);
      if (!target) return { status: 'failed', error: 'not an http(s) webhook address' };
      const t = Math.floor(now().getTime() / 1000);
      const body = webhookBody(m, t);
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'User-Agent': 'Kuaixiang-Webhook/1',
            [SIGNATURE_HEADER]: signWebhook(target.secret, body, t),
            [DELIVERY_HEADER]: m.deliveryId,
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
        const text = res.ok ? '' : await res.text().catch(() => '');
        const outcome = httpOutcome(res.status, text, res.headers.get('retry-after'), m.to);
        if (outcome.status !== 'sent') log.warn({ channel: 'webhook', deliveryId: m.deliveryId, outcome: outcome.status, httpStatus: res.status }, 'webhook not accepted');
        return outcome;
      } catch (err) {
        const why = networkError(err, opts.timeoutMs);
        log.warn({ channel: 'webhook', deliveryId: m.deliveryId, outcome: 'retry', error: scrub(why, m.to) }, 'webhook unreachable');
        return { status: 'retry', error: scrub(why, m.to) };
      }
    },
    async close() {},
  };
}
