// The contract between the push dispatcher (which decides who is told what, when, and keeps
// the delivery state) and a channel adapter (which hands one rendered message to a real
// transport: SMTP, SMPP, an HTTP SMS gateway, a webhook, web push). Adapters are stateless
// about deliveries; retries, back-off, rate limits and quiet hours belong to the dispatcher.

export type ChannelName = 'inbox' | 'webpush' | 'email' | 'sms' | 'webhook';

/** One rendered message for one recipient on one channel. */
export interface OutgoingMessage {
  /** The delivery's id: stable across retries, carried to the peer as an idempotency key
   *  (Message-ID for mail, a header for webhooks and HTTP gateways, the SMPP message reference)
   *  so that a retry after a crash can be recognised downstream. */
  deliveryId: string;
  /** Address on this channel, decrypted just before sending and never logged:
   *  e-mail address, phone number (+86…), webhook URL, or a web-push subscription as JSON. */
  to: string;
  locale: 'zh-CN' | 'en';
  /** Subject / title (mail subject, push title). */
  title: string;
  /** Plain-text body (SMS uses this alone; ≤ 500 characters after rendering). */
  body: string;
  /** Link into the portal for this notice, when there is one. */
  url?: string;
  /** Machine-readable event for webhooks: kind, entity, item, case … (no personal data). */
  event?: Record<string, unknown>;
}

export type SendOutcome =
  /** Accepted by the peer. `providerId` is the peer's own id (SMTP queue id, SMPP message_id …). */
  | { status: 'sent'; providerId?: string }
  /** Worth retrying later (timeout, 4xx-transient, throttled, connection refused). */
  | { status: 'retry'; error: string; retryAfterMs?: number }
  /** Will never succeed (bad address, 4xx permanent, subscription gone). */
  | { status: 'failed'; error: string };

export interface ChannelAdapter {
  readonly name: ChannelName;
  /** Sends one message. Must not throw for transport errors: it maps them to an outcome. */
  send(message: OutgoingMessage): Promise<SendOutcome>;
  /** Releases connections (SMPP session, SMTP pool). */
  close(): Promise<void>;
}
