// A source system receiving webhooks: a real HTTP server that checks every request the way
// docs/push.md tells cities to (verifyWebhookSignature over the raw body), answers 401 when the
// signature is wrong, and counts events by delivery id so that a duplicate would show.
import { DELIVERY_HEADER, SIGNATURE_HEADER, verifyWebhookSignature } from '../../src/modules/push/channels/webhook.ts';
import { reply, startHttpPeer, type HttpPeer } from './http-peer.ts';

export interface WebhookEvent {
  delivery: string;
  created: number;
  event: Record<string, unknown>;
  locale: string;
  title: string;
  body: string;
  url?: string;
}

export interface WebhookPeer extends HttpPeer {
  accepted: WebhookEvent[];
  /** Requests refused for a bad or missing signature. */
  rejected(): number;
  counts: Map<string, number>;
  /** Status to answer for valid requests (default 204). */
  answer(status: number, headers?: Record<string, string>): void;
  /** Stop answering (to exercise the sender's timeout). */
  hang(on: boolean): void;
}

export async function startWebhookPeer(secret: string, toleranceSeconds = 300): Promise<WebhookPeer> {
  const accepted: WebhookEvent[] = [];
  const counts = new Map<string, number>();
  let status = 204;
  let extra: Record<string, string> = {};
  let hanging = false;
  const state = { rejected: 0 };
  const peer = await startHttpPeer((req, res) => {
    if (hanging) return;
    const signature = req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined;
    if (!verifyWebhookSignature(secret, signature, req.body, toleranceSeconds)) {
      state.rejected++;
      return reply(res, 401, 'bad signature');
    }
    if (status >= 200 && status < 300) {
      const event = JSON.parse(req.body.toString('utf8')) as WebhookEvent;
      if (event.delivery !== req.headers[DELIVERY_HEADER.toLowerCase()]) return reply(res, 400, 'delivery header and body differ');
      accepted.push(event);
      counts.set(event.delivery, (counts.get(event.delivery) ?? 0) + 1);
      res.writeHead(status, extra).end();
      return;
    }
    reply(res, status, 'not now', extra);
  });
  return Object.assign(peer, {
    accepted,
    counts,
    rejected: () => state.rejected,
    answer(s: number, headers: Record<string, string> = {}) {
      status = s;
      extra = headers;
    },
    hang(on: boolean) {
      hanging = on;
    },
  });
}
