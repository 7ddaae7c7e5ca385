// The dispatcher: fans new notices out into deliveries, then claims due deliveries (FOR
// UPDATE SKIP LOCKED, with a lease), holds back what quiet hours or limits forbid, renders
// the template in the recipient's language, hands the message to the channel's adapter and
// records the outcome — retrying with exponential back-off, then failing for good.
// The delivery id travels to the peer as the idempotency key: a delivery left in 'sending'
// by a process that died is sent again with the same id (docs/decisions/0017).
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import type { ChannelAdapter, ChannelName, OutgoingMessage, SendOutcome } from './channel.ts';
import { fanOutAll } from './fanout.ts';
import { DELIVERY_CHANNELS, QUIET_CHANNELS_DEFAULT, QUIET_DEFAULT } from './kinds.ts';
import { afterQuietHours, backoffMs, localDayStart, RateGate, type QuietHours } from './rules.ts';
import { inLocale, loadTemplates, render, templateFor, type Locale, type TemplateSet, type Vars } from './templates.ts';

export interface DispatchOptions {
  channels: Map<ChannelName, ChannelAdapter>;
  /** Messages per second per channel (default: the configuration's, else DEFAULT_RATES). */
  rates?: Partial<Record<ChannelName, number>>;
  /** Deliveries claimed at once. */
  claim?: number;
  /** Sends of one channel in flight at once. */
  concurrency?: number;
  leaseSeconds?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** SMS per party per local day. */
  smsPerDay?: number;
  /** Notices fanned out per transaction. */
  fanOutBatch?: number;
  log?: (msg: string) => void;
}

export const DEFAULT_RATES: Record<ChannelName, number> = { inbox: 1000, webpush: 100, email: 50, sms: 20, webhook: 50 };
export const PUSH_DEFAULTS = { claim: 200, concurrency: 8, leaseSeconds: 60, maxAttempts: 6, backoffBaseMs: 30_000, backoffCapMs: 6 * 3600_000, smsPerDay: 3, fanOutBatch: 5000 };

export interface DispatchStats {
  notices: number;
  deliveries: number;
  sent: number;
  retried: number;
  failed: number;
  deferred: number;
}

interface Claimed {
  id: string;
  channel: Exclude<ChannelName, 'inbox'>;
  target: string;
  party: string;
  event_kind: string;
  attempts: number;
  notice_id: string;
  kind: string;
  title: string;
  body: string;
  item_id: string | null;
  case_id: string | null;
  data: Record<string, unknown>;
  entity_id: string | null;
  created_at: Date | string;
}

// Claimed rows: 'sending' with a lease. Due = queued and due, or sending with a lease run out
// (its process died: sent again under the same id).
const claimSql = (where: string, order: string) => `
WITH c AS (
  UPDATE push_deliveries d SET state = 'sending', attempts = d.attempts + 1, lease_until = $1::timestamptz + make_interval(secs => $3), updated_at = $1
   WHERE d.id IN (SELECT x.id FROM push_deliveries x
                   WHERE x.state IN ('queued', 'sending') AND x.next_attempt_at <= $1
                     AND (x.state = 'queued' OR x.lease_until < $1) AND x.channel = $4 ${where}
                   ORDER BY ${order} LIMIT $2 FOR UPDATE SKIP LOCKED)
  RETURNING d.id, d.channel, d.target, d.party, d.event_kind, d.attempts, d.notice_id)
SELECT c.id::text AS id, c.channel, c.target, c.party, c.event_kind, c.attempts, c.notice_id::text AS notice_id,
       i.kind, i.title, i.body, i.item_id, i.case_id::text AS case_id, i.data, i.entity_id::text AS entity_id, i.created_at
  FROM c JOIN inbox i ON i.id = c.notice_id ORDER BY c.id`;
/** Everything due, the longest waiting first (the due index). */
const CLAIM_DUE = claimSql('', 'x.next_attempt_at, x.id');
/**
 * Onwards from the last row this dispatcher claimed (the primary key). A queue table read
 * from its head walks over every row already sent (dead index entries until a vacuum): at
 * 100,000 deliveries that made each claim slower than the sends it fed.
 */
const CLAIM_NEXT = claimSql('AND x.id > $5', 'x.id');
/** How often the whole queue is looked at (retries and deferred rows behind the cursor). */
const SWEEP_MS = 5000;

interface Address {
  to: string;
  locale: Locale;
}

const dateFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: QUIET_DEFAULT.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
/** YYYY-MM-DD in the city's time zone. */
const localDate = (d: Date) => dateFormat.format(d);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Dispatcher {
  private readonly o: Required<Omit<DispatchOptions, 'rates' | 'log'>> & { log: (m: string) => void };
  private readonly gates = new Map<ChannelName, RateGate>();
  private stopped = false;
  /** Per channel: the last id claimed, and when the whole queue was last looked at. */
  private readonly cursor = new Map<string, { id: string; sweptAt: number }>();
  private wake: (() => void) | undefined;

  constructor(
    private readonly ctx: Ctx,
    opts: DispatchOptions,
  ) {
    this.o = { ...PUSH_DEFAULTS, ...opts, log: opts.log ?? (() => {}) };
    const rates = { ...DEFAULT_RATES, ...(ctx.config.channels?.rates ?? {}), ...(opts.rates ?? {}) };
    for (const [name, perSecond] of Object.entries(rates)) this.gates.set(name as ChannelName, new RateGate(perSecond));
  }

  /** Fans out every new notice and sends every due delivery once; returns what happened. */
  async runOnce(onBatch?: (s: DispatchStats) => void): Promise<DispatchStats> {
    const f = await fanOutAll(this.ctx.db, this.ctx.now(), this.o.fanOutBatch);
    const stats: DispatchStats = { notices: f.notices, deliveries: f.deliveries, sent: 0, retried: 0, failed: 0, deferred: 0 };
    const templates = await loadTemplates(this.ctx.db);
    // Each channel at its own pace: a batch of e-mail does not wait for the SMS gateway.
    await Promise.all(
      DELIVERY_CHANNELS.map(async (channel) => {
        for (;;) {
          const claimed = await this.claim(channel);
          if (!claimed.length) return;
          await this.process(claimed, templates, stats);
          onBatch?.(stats);
          if (this.stopped) return;
        }
      }),
    );
    return stats;
  }

  private async claim(channel: string): Promise<Claimed[]> {
    const args = [this.ctx.now(), this.o.claim, this.o.leaseSeconds, channel];
    const c = this.cursor.get(channel) ?? { id: '0', sweptAt: 0 };
    const sweep = Date.now() - c.sweptAt >= SWEEP_MS;
    let rows = sweep ? [] : (await this.ctx.db.tx((q) => q.query<Claimed>(CLAIM_NEXT, [...args, c.id]))).rows;
    if (!rows.length) {
      rows = (await this.ctx.db.tx((q) => q.query<Claimed>(CLAIM_DUE, args))).rows;
      c.sweptAt = Date.now();
    }
    if (rows.length) c.id = rows[rows.length - 1].id;
    this.cursor.set(channel, c);
    return rows;
  }

  private async process(rows: Claimed[], templates: TemplateSet, stats: DispatchStats): Promise<void> {
    const now = this.ctx.now();
    const [addresses, quiet, smsToday, titles] = await Promise.all([this.addresses(rows), this.quietHours(rows), this.smsSentToday(rows, now), this.itemTitles(rows)]);
    const toSend: { row: Claimed; msg: OutgoingMessage }[] = [];
    for (const row of rows) {
      const q = quiet.get(row.party) ?? defaultQuiet();
      const free = afterQuietHours(now, row.channel, q);
      if (free > now) {
        await this.defer(row, free, 'quiet_hours');
        stats.deferred++;
        continue;
      }
      if (row.channel === 'sms') {
        const n = smsToday.get(row.party) ?? 0;
        if (n >= this.o.smsPerDay) {
          // The next local day; quiet hours, if any, then move it to the morning.
          const next = new Date(localDayStart(now, q.timeZone).getTime() + 24 * 3600_000);
          await this.defer(row, afterQuietHours(next, row.channel, q), 'rate_limit');
          stats.deferred++;
          continue;
        }
        smsToday.set(row.party, n + 1);
      }
      const adapter = this.o.channels.get(row.channel);
      const addr = addresses.get(row.id);
      if (!adapter || !addr) {
        await this.record(row, { status: 'failed', error: !adapter ? `渠道 ${row.channel} 未配置 / channel not configured` : '无收件地址 / no address' });
        stats.failed++;
        continue;
      }
      toSend.push({ row, msg: this.message(row, addr, templates, titles) });
    }
    const byChannel = new Map<ChannelName, typeof toSend>();
    for (const s of toSend) byChannel.set(s.row.channel, [...(byChannel.get(s.row.channel) ?? []), s]);
    await Promise.all([...byChannel].map(([channel, list]) => this.sendAll(channel, list, stats)));
  }

  private async sendAll(channel: ChannelName, list: { row: Claimed; msg: OutgoingMessage }[], stats: DispatchStats): Promise<void> {
    const adapter = this.o.channels.get(channel)!;
    const gate = this.gates.get(channel) ?? new RateGate(DEFAULT_RATES[channel]);
    let next = 0;
    const lane = async () => {
      while (next < list.length) {
        const { row, msg } = list[next++];
        const wait = gate.reserve(Date.now());
        if (wait > 0) await sleep(wait);
        let outcome: SendOutcome;
        try {
          outcome = await adapter.send(msg);
        } catch (e) {
          outcome = { status: 'retry', error: e instanceof Error ? e.message : String(e) };
        }
        const state = await this.record(row, outcome);
        stats[state === 'sent' ? 'sent' : state === 'failed' ? 'failed' : 'retried']++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, list.length) }, lane));
  }

  private message(row: Claimed, addr: Address, templates: TemplateSet, titles: Map<string, string>): OutgoingMessage {
    const vars: Vars = {
      title: inLocale(row.title, addr.locale),
      body: inLocale(row.body, addr.locale),
      item_title: row.item_id ? (titles.get(row.item_id) ?? row.item_id) : '',
      item_id: row.item_id ?? '',
      case_id: row.case_id ?? '',
      date: localDate(new Date(row.created_at)),
      link: `/me/inbox/${row.notice_id}`,
    };
    for (const [k, v] of Object.entries(row.data ?? {})) if (v !== null && v !== undefined) (vars as Record<string, string>)[k] = Array.isArray(v) ? v.join('、') : String(v);
    const t = render(templateFor(templates, row.event_kind, addr.locale), vars);
    return {
      deliveryId: row.id,
      to: addr.to,
      locale: addr.locale,
      title: t.title,
      body: row.channel === 'sms' ? t.body.slice(0, 500) : t.body,
      url: vars.link,
      // For source systems: what happened to whom, no personal data.
      event: { kind: row.event_kind, notice_id: row.notice_id, entity_id: row.entity_id, item_id: row.item_id, case_id: row.case_id, at: new Date(row.created_at).toISOString() },
    };
  }

  /** Decrypted addresses of the claimed deliveries, by delivery id. */
  private async addresses(rows: Claimed[]): Promise<Map<string, Address>> {
    const out = new Map<string, Address>();
    const db = this.ctx.db;
    const c = this.ctx.crypto;
    const parties = [...new Set(rows.filter((r) => r.channel === 'email' || r.channel === 'sms').map((r) => r.party))];
    const subs = rows.filter((r) => r.channel === 'webpush').map((r) => r.target);
    const hooks = rows.filter((r) => r.channel === 'webhook').map((r) => r.target);
    const [contacts, subscriptions, webhooks] = await Promise.all([
      parties.length ? db.query<{ party: string; channel: string; address_enc: string; locale: Locale }>('SELECT party, channel, address_enc, locale FROM push_contacts WHERE party = ANY($1::text[])', [parties]) : { rows: [] },
      subs.length ? db.query<{ id: string; subscription_enc: string; locale: Locale }>('SELECT id::text AS id, subscription_enc, locale FROM push_subscriptions WHERE id = ANY($1::bigint[]) AND revoked_at IS NULL', [subs]) : { rows: [] },
      hooks.length ? db.query<{ id: string; url: string; secret_enc: string | null }>('SELECT id::text AS id, url, secret_enc FROM push_webhooks WHERE id = ANY($1::bigint[]) AND active', [hooks]) : { rows: [] },
    ]);
    const contact = new Map(contacts.rows.map((x) => [`${x.party}|${x.channel}`, x]));
    const sub = new Map(subscriptions.rows.map((x) => [x.id, x]));
    const hook = new Map(webhooks.rows.map((x) => [x.id, x]));
    for (const r of rows) {
      if (r.channel === 'email' || r.channel === 'sms') {
        const x = contact.get(`${r.party}|${r.channel}`);
        if (x) out.set(r.id, { to: c.decrypt(x.address_enc), locale: x.locale });
      } else if (r.channel === 'webpush') {
        const x = sub.get(r.target);
        if (x) out.set(r.id, { to: c.decrypt(x.subscription_enc), locale: x.locale });
      } else {
        const x = hook.get(r.target);
        // Each source system's endpoint is signed with its own secret (the adapter's {url, secret} address).
        if (x) out.set(r.id, { to: x.secret_enc ? JSON.stringify({ url: x.url, secret: c.decrypt(x.secret_enc) }) : x.url, locale: 'zh-CN' });
      }
    }
    return out;
  }

  private async quietHours(rows: Claimed[]): Promise<Map<string, QuietHours>> {
    const parties = [...new Set(rows.filter((r) => r.channel !== 'email' && r.channel !== 'webhook').map((r) => r.party))];
    if (!parties.length) return new Map();
    const r = await this.ctx.db.query<{ party: string; starts: string; ends: string; time_zone: string; channels: string[]; enabled: boolean }>(
      'SELECT party, starts::text AS starts, ends::text AS ends, time_zone, channels, enabled FROM push_quiet_hours WHERE party = ANY($1::text[])',
      [parties],
    );
    return new Map(r.rows.map((x) => [x.party, { starts: x.starts.slice(0, 5), ends: x.ends.slice(0, 5), timeZone: x.time_zone, channels: x.channels, enabled: x.enabled }]));
  }

  private async smsSentToday(rows: Claimed[], now: Date): Promise<Map<string, number>> {
    const parties = [...new Set(rows.filter((r) => r.channel === 'sms').map((r) => r.party))];
    if (!parties.length) return new Map();
    const r = await this.ctx.db.query<{ party: string; n: string }>(
      `SELECT party, count(*)::text AS n FROM push_deliveries
        WHERE channel = 'sms' AND party = ANY($1::text[]) AND sent_at >= $2 AND state IN ('sent', 'delivered') GROUP BY party`,
      [parties, localDayStart(now, QUIET_DEFAULT.timeZone)],
    );
    return new Map(r.rows.map((x) => [x.party, Number(x.n)]));
  }

  private async itemTitles(rows: Claimed[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((r) => r.item_id).filter((x): x is string => !!x))];
    if (!ids.length) return new Map();
    const r = await this.ctx.db.query<{ item_id: string; title: string }>(
      'SELECT DISTINCT ON (v.item_id) v.item_id, v.title FROM item_versions v WHERE v.item_id = ANY($1::text[]) ORDER BY v.item_id, v.version DESC',
      [ids],
    );
    return new Map(r.rows.map((x) => [x.item_id, x.title]));
  }

  /** Held back (not an attempt): queued again for `until`. */
  private async defer(row: Claimed, until: Date, why: 'quiet_hours' | 'rate_limit'): Promise<void> {
    await this.ctx.db.query(
      `UPDATE push_deliveries SET state = 'queued', attempts = attempts - 1, next_attempt_at = $2, deferred = $3, lease_until = NULL, updated_at = $4
        WHERE id = $1 AND state = 'sending' AND attempts = $5`,
      [row.id, until, why, this.ctx.now(), row.attempts],
    );
  }

  /** Records an outcome; returns the state it left. Only the holder of this attempt writes. */
  private async record(row: Claimed, outcome: SendOutcome): Promise<'sent' | 'queued' | 'failed'> {
    const now = this.ctx.now();
    const guard = 'WHERE id = $1 AND state = \'sending\' AND attempts = $2';
    if (outcome.status === 'sent') {
      await this.ctx.db.query(
        `UPDATE push_deliveries SET state = 'sent', provider_id = $3, sent_at = $4, updated_at = $4, lease_until = NULL, deferred = NULL, last_error = NULL ${guard}`,
        [row.id, row.attempts, outcome.providerId ?? null, now],
      );
      return 'sent';
    }
    const final = outcome.status === 'failed' || row.attempts >= this.o.maxAttempts;
    if (final) {
      await this.ctx.db.query(
        `UPDATE push_deliveries SET state = 'failed', last_error = $3, finished_at = $4, updated_at = $4, lease_until = NULL, deferred = NULL ${guard}`,
        [row.id, row.attempts, outcome.error.slice(0, 500), now],
      );
      this.o.log(`delivery ${row.id} (${row.channel}) failed after ${row.attempts} attempt(s)`);
      return 'failed';
    }
    const wait = backoffMs(row.attempts, this.o.backoffBaseMs, this.o.backoffCapMs, outcome.retryAfterMs);
    await this.ctx.db.query(
      `UPDATE push_deliveries SET state = 'queued', last_error = $3, next_attempt_at = $4, deferred = 'retry', updated_at = $5, lease_until = NULL ${guard}`,
      [row.id, row.attempts, outcome.error.slice(0, 500), new Date(now.getTime() + wait), now],
    );
    return 'queued';
  }

  /** Runs until stop(): woken by new notices (NOTIFY) or every pollMs for retries and the deferred. */
  async start(pollMs = 1000): Promise<void> {
    const stopListening = await this.ctx.db.listen('kx_inbox', () => this.wake?.()).catch(() => undefined);
    try {
      while (!this.stopped) {
        try {
          await this.runOnce();
        } catch (e) {
          this.o.log(`push dispatch: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (this.stopped) break;
        await new Promise<void>((r) => {
          const t = setTimeout(r, pollMs);
          this.wake = () => {
            clearTimeout(t);
            r();
          };
        });
        this.wake = undefined;
      }
    } finally {
      await stopListening?.();
    }
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }
}

export function defaultQuiet(): QuietHours {
  return { ...QUIET_DEFAULT, channels: QUIET_CHANNELS_DEFAULT, enabled: true };
}

/** A delivery receipt from the SMS network: the delivery is delivered, or failed after all. */
export async function recordReceipt(q: Queryable, r: { deliveryId?: string; providerId: string; state: 'delivered' | 'failed'; error?: string }, at: Date): Promise<boolean> {
  const u = await q.query(
    `UPDATE push_deliveries SET state = $3, finished_at = $4, updated_at = $4, last_error = COALESCE($5, last_error)
      WHERE (id = $1::bigint OR (channel = 'sms' AND provider_id = $2)) AND state IN ('sent', 'sending')`,
    [r.deliveryId && /^\d{1,18}$/.test(r.deliveryId) ? r.deliveryId : null, r.providerId, r.state, at, r.error ?? null],
  );
  return u.rowCount > 0;
}

/**
 * A receipt listener for createChannels: a receipt can overtake the record of its own send
 * (the SMSC answers before our UPDATE commits), so one that matches nothing is tried again.
 */
export function receiptRecorder(q: Queryable, now: () => Date, tries = 10, waitMs = 500): (r: Parameters<typeof recordReceipt>[1]) => Promise<boolean> {
  return async (r) => {
    for (let i = 0; i < tries; i++) {
      if (await recordReceipt(q, r, now()).catch(() => false)) return true;
      await new Promise((res) => setTimeout(res, waitMs));
    }
    return false;
  };
}
