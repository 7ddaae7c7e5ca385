// Helpers for the push tests and the benchmark: entities and notices written as the other
// modules write them, and an adapter that records what it was asked to send (for the rules;
// the transports themselves are tested against real peers in channels/).
import type { Db, Queryable } from '../../db/db.ts';
import type { ChannelAdapter, ChannelName, OutgoingMessage, SendOutcome } from './channel.ts';

export async function addEntities(q: Queryable, n: number, prefix = 'push'): Promise<string[]> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO entities (kind, key_hash, display_name) SELECT 'person', $1 || '-' || g, '测试' || g FROM generate_series(1, $2) g RETURNING id::text AS id`,
    [`${prefix}-${Math.random().toString(36).slice(2)}`, n],
  );
  return r.rows.map((x) => x.id);
}

export interface NoticeInput {
  entity?: string;
  department?: string;
  kind: string;
  title?: string;
  body?: string;
  cause?: string;
  item?: string;
  data?: Record<string, unknown>;
  at?: Date;
}

let seq = 0;
export async function addNotice(q: Queryable, n: NoticeInput): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO inbox (entity_id, department, kind, title, body, cause_key, item_id, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, COALESCE($9, now()))
     RETURNING id::text AS id`,
    [n.entity ?? null, n.department ?? null, n.kind, n.title ?? `通知 ${n.kind} / Notice ${n.kind}`, n.body ?? `中文正文 / English body`, n.cause ?? `test:${Date.now()}:${++seq}:${Math.random()}`, n.item ?? null, JSON.stringify(n.data ?? {}), n.at ?? null],
  );
  return r.rows[0].id;
}

/** Sets an address without the HTTP route (crypto as the route does it). */
export async function addContact(db: Db, encrypt: (s: string) => string, party: string, channel: 'email' | 'sms', address: string, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<void> {
  await db.query(
    `INSERT INTO push_contacts (party, channel, address_enc, locale, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (party, channel) DO UPDATE SET address_enc = EXCLUDED.address_enc, locale = EXCLUDED.locale`,
    [party, channel, encrypt(address), locale],
  );
}

export class RecordingAdapter implements ChannelAdapter {
  readonly sent: OutgoingMessage[] = [];
  /** Outcomes to give, in order; then 'sent'. */
  constructor(
    readonly name: ChannelName,
    public script: SendOutcome[] = [],
  ) {}
  async send(m: OutgoingMessage): Promise<SendOutcome> {
    this.sent.push(m);
    return this.script.shift() ?? { status: 'sent', providerId: `p-${m.deliveryId}` };
  }
  async close(): Promise<void> {}
}
