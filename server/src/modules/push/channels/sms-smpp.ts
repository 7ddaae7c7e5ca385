// SMS over SMPP 3.4 (the `smpp` package) to an operator's SMSC: one transceiver session,
// bound with system_id and password, re-established with back-off whenever it drops.
// Each message asks for a delivery receipt (registered_delivery); receipts arrive as deliver_sm
// and are handed to onReceipt so the dispatcher can mark the delivery 'delivered'.
// Chinese text goes as UCS2 (70 characters, 67 per part of a long message), text the GSM
// alphabet can carry as the SMSC default alphabet (160 / 153); long messages are split with a
// concatenation header (UDH 00 03 ref total seq) that handsets join back together.
import smpp, { type PDU, type Session } from 'smpp';
import type { ChannelSettings } from '../../../config.ts';
import type { SendOutcome } from '../channel.ts';
import { silentLog, type ChannelLog } from './common.ts';
import type { ReceiptListener, Sms, SmsGateway } from './sms.ts';

/** Vendor-specific TLV carrying our delivery id (SMPP 3.4 §5.3.2: 0x1400–0x3FFF); SMSCs that do
 *  not know it ignore it, ours and the test peer record it. */
export const DELIVERY_ID_TLV = 0x1400;
smpp.addTLV('kx_delivery_id', { id: DELIVERY_ID_TLV, type: smpp.types.tlv.cstring });

const DC_DEFAULT = 0x00;
const DC_UCS2 = 0x08;
const ESM_UDHI = 0x40;
const ESM_RECEIPT = 0x04;

/** Status codes that mean "not now" rather than "never". */
const TRANSIENT = new Set([
  smpp.errors.ESME_RSYSERR, smpp.errors.ESME_RMSGQFUL, smpp.errors.ESME_RSUBMITFAIL, smpp.errors.ESME_RTHROTTLED, smpp.errors.ESME_RX_T_APPN,
]);

export interface SmppSegment {
  dataCoding: number;
  /** short_message bytes, with the UDH in front for parts of a long message. */
  bytes: Buffer;
  udh: boolean;
}

/** Encodes and, if needed, splits a text into submit_sm payloads. */
export function smppSegments(text: string, reference: number): SmppSegment[] {
  const gsm = smpp.encodings.ASCII.match(text);
  const encoded = gsm ? smpp.encodings.ASCII.encode(text) : smpp.encodings.UCS2.encode(text);
  const single = gsm ? 160 : 140;
  if (encoded.length <= single) return [{ dataCoding: gsm ? DC_DEFAULT : DC_UCS2, bytes: encoded, udh: false }];
  const partSize = gsm ? 153 : 134;
  const chunks: Buffer[] = [];
  for (let at = 0; at < encoded.length; ) {
    let end = Math.min(at + partSize, encoded.length);
    if (end < encoded.length) {
      // never cut a GSM escape pair, nor a UTF-16 surrogate pair, in half
      if (gsm && encoded[end - 1] === 0x1b) end -= 1;
      if (!gsm && (encoded.readUInt16BE(end - 2) & 0xfc00) === 0xd800) end -= 2;
    }
    chunks.push(encoded.subarray(at, end));
    at = end;
  }
  if (chunks.length > 255) throw new Error('text too long for one SMS');
  return chunks.map((chunk, i) => ({
    dataCoding: gsm ? DC_DEFAULT : DC_UCS2,
    bytes: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, reference & 0xff, chunks.length, i + 1]), chunk]),
    udh: true,
  }));
}

/** The status word of a receipt's text ("id:… stat:DELIVRD err:000 …"). */
export function receiptState(pdu: PDU): { providerId?: string; stat?: string } {
  const sm = pdu.short_message as { message?: string | Buffer } | Buffer | undefined;
  const text = Buffer.isBuffer(sm) ? sm.toString('latin1') : Buffer.isBuffer(sm?.message) ? sm.message.toString('latin1') : (sm?.message ?? '');
  const providerId = (pdu.receipted_message_id as string | undefined) || /\bid:(\S+)/i.exec(text)?.[1];
  const stat = /\bstat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
  return { ...(providerId ? { providerId } : {}), ...(stat ? { stat } : {}) };
}

interface Pending {
  deliveryId: string;
  /** Parts acknowledged by the SMSC whose final receipt has not come yet. */
  parts: Set<string>;
  /** True while later parts are still being submitted: a fast receipt for part 1 must wait. */
  submitting: boolean;
  lastProviderId?: string;
  failed?: string;
}

export interface SmppGatewayOptions {
  onReceipt?: ReceiptListener;
  log?: ChannelLog;
  /** How long to wait for a submit_sm_resp (and for a bind) before answering retry. */
  responseTimeoutMs?: number;
  /** Longest pause between reconnect attempts. */
  maxBackoffMs?: number;
  enquireLinkMs?: number;
}

export function createSmppGateway(settings: NonNullable<ChannelSettings['smpp']>, opts: SmppGatewayOptions = {}): SmppGateway {
  return new SmppGateway(settings, opts);
}

export class SmppGateway implements SmsGateway {
  readonly kind = 'smpp' as const;
  private session: Session | undefined;
  private bound: Promise<Session> | undefined;
  private closed = false;
  private backoffMs = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reference = 0;
  /** SMSC message id of each part → what it belongs to, until its final receipt (bounded). */
  private readonly parts = new Map<string, Pending>();
  private readonly inFlight = new Set<(reason: string) => void>();
  private readonly log: ChannelLog;
  private readonly timeoutMs: number;

  constructor(
    private readonly settings: NonNullable<ChannelSettings['smpp']>,
    private readonly opts: SmppGatewayOptions,
  ) {
    this.log = opts.log ?? silentLog;
    this.timeoutMs = opts.responseTimeoutMs ?? 10_000;
  }

  /** True while a bound session is up (for health checks and tests). */
  get isBound(): boolean {
    return this.session !== undefined && this.bound !== undefined;
  }

  /** Binds now rather than at the first message, so receipts for earlier submissions arrive. */
  async connect(): Promise<void> {
    try {
      await this.ensureBound();
    } catch (err) {
      this.scheduleReconnect();
      throw err;
    }
  }

  private ensureBound(): Promise<Session> {
    if (this.closed) return Promise.reject(new Error('gateway closed'));
    this.bound ??= this.bind().catch((err: unknown) => {
      this.bound = undefined;
      throw err;
    });
    return this.bound;
  }

  private bind(): Promise<Session> {
    return new Promise<Session>((resolve, reject) => {
      const { host, port, tls, systemId, password } = this.settings;
      const session = smpp.connect({ host, port, tls, auto_enquire_link_period: this.opts.enquireLinkMs ?? 30_000 });
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        session.destroy();
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail(`bind timed out after ${this.timeoutMs} ms`), this.timeoutMs);
      session.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
      session.on('close', () => {
        fail('connection closed before bind');
        this.dropped(session);
      });
      session.on('connect', () => {
        session.bind_transceiver({ system_id: systemId, password, interface_version: 0x34 }, (pdu) => {
          if (pdu.command_status !== 0) return fail(`bind refused (status 0x${pdu.command_status.toString(16)})`);
          settled = true;
          clearTimeout(timer);
          this.session = session;
          this.backoffMs = 0;
          this.log.info({ channel: 'sms', gateway: 'smpp' }, 'smpp bound');
          resolve(session);
        });
      });
      session.on('deliver_sm', (pdu: PDU) => this.onDeliver(session, pdu));
      session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
      session.on('unbind', (pdu: PDU) => {
        session.send(pdu.response());
        session.close();
      });
    });
  }

  /** The session is gone: fail what waits for it and reconnect with back-off (for receipts). */
  private dropped(session: Session): void {
    if (this.session !== session) return;
    this.session = undefined;
    this.bound = undefined;
    for (const abort of [...this.inFlight]) abort('connection lost');
    if (this.closed) return;
    this.log.warn({ channel: 'sms', gateway: 'smpp' }, 'smpp connection lost, reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 200), this.opts.maxBackoffMs ?? 30_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.ensureBound().catch(() => this.scheduleReconnect());
    }, this.backoffMs);
    this.reconnectTimer.unref();
  }

  private onDeliver(session: Session, pdu: PDU): void {
    session.send(pdu.response());
    if (((pdu.esm_class as number) & ESM_RECEIPT) === 0) return; // a mobile-originated message: not ours to read
    const { providerId, stat } = receiptState(pdu);
    if (!providerId || !stat || ['ENROUTE', 'ACCEPTD', 'UNKNOWN'].includes(stat)) return;
    const pending = this.parts.get(providerId);
    this.parts.delete(providerId);
    if (!pending) {
      // submitted before a restart: the dispatcher finds the delivery by its provider id
      this.opts.onReceipt?.({ providerId, state: stat === 'DELIVRD' ? 'delivered' : 'failed', ...(stat === 'DELIVRD' ? {} : { error: stat }) });
      return;
    }
    pending.parts.delete(providerId);
    pending.lastProviderId = providerId;
    if (stat !== 'DELIVRD') pending.failed ??= stat;
    this.settle(pending);
  }

  /** Reports the delivery once every part is submitted and every part's receipt is in. */
  private settle(pending: Pending): void {
    if (pending.submitting || pending.parts.size > 0 || !pending.lastProviderId) return;
    this.opts.onReceipt?.({
      deliveryId: pending.deliveryId, providerId: pending.lastProviderId, state: pending.failed ? 'failed' : 'delivered', ...(pending.failed ? { error: pending.failed } : {}),
    });
  }

  private submitOne(session: Session, params: Record<string, unknown>): Promise<PDU> {
    return new Promise<PDU>((resolve, reject) => {
      const abort = (why: string) => {
        clearTimeout(timer);
        this.inFlight.delete(abort);
        reject(new Error(why));
      };
      const timer = setTimeout(() => abort(`no submit_sm_resp within ${this.timeoutMs} ms`), this.timeoutMs);
      this.inFlight.add(abort);
      const written = session.submit_sm(params, (pdu) => {
        clearTimeout(timer);
        this.inFlight.delete(abort);
        resolve(pdu);
      });
      if (!written) abort('connection not writable');
    });
  }

  async submit(sms: Sms): Promise<SendOutcome> {
    let session: Session;
    try {
      session = await this.ensureBound();
    } catch (err) {
      this.scheduleReconnect();
      return { status: 'retry', error: `SMSC unavailable: ${(err as Error).message}` };
    }
    this.reference = (this.reference + 1) & 0xff;
    const segments = smppSegments(sms.text, this.reference);
    const ids: string[] = [];
    // each part is remembered as soon as it is acknowledged: its receipt may come before the next part's answer
    const pending: Pending = { deliveryId: sms.deliveryId, parts: new Set(), submitting: true };
    const forget = () => {
      for (const id of ids) this.parts.delete(id);
    };
    for (const seg of segments) {
      let resp: PDU;
      try {
        resp = await this.submitOne(session, {
          source_addr_ton: 0x05, source_addr_npi: 0x00, source_addr: this.settings.sourceAddr,
          dest_addr_ton: 0x01, dest_addr_npi: 0x01, destination_addr: `86${sms.to}`,
          esm_class: seg.udh ? ESM_UDHI : 0x00,
          registered_delivery: 0x01,
          data_coding: seg.dataCoding,
          short_message: seg.bytes,
          user_message_reference: userMessageReference(sms.deliveryId),
          kx_delivery_id: sms.deliveryId,
        });
      } catch (err) {
        forget();
        return { status: 'retry', error: (err as Error).message };
      }
      const status = resp.command_status;
      if (status !== 0) {
        const name = Object.entries(smpp.errors).find(([, v]) => v === status)?.[0] ?? `0x${status.toString(16)}`;
        const error = `SMSC answered ${name}${ids.length ? ` after ${ids.length} of ${segments.length} parts` : ''}`;
        this.log.warn({ channel: 'sms', gateway: 'smpp', deliveryId: sms.deliveryId, status: name }, 'submit_sm refused');
        forget(); // the delivery is retried or failed as a whole; receipts of parts already sent are not its answer
        if (status === smpp.errors.ESME_RTHROTTLED) return { status: 'retry', error, retryAfterMs: 1000 };
        return TRANSIENT.has(status) ? { status: 'retry', error } : { status: 'failed', error };
      }
      const id = String(resp.message_id);
      ids.push(id);
      this.remember(id, pending);
    }
    pending.submitting = false;
    this.settle(pending);
    return { status: 'sent', providerId: ids[0] };
  }

  private remember(providerId: string, pending: Pending): void {
    pending.parts.add(providerId);
    this.parts.set(providerId, pending);
    // receipts that never come must not grow the map without end: forget the oldest
    while (this.parts.size > 200_000) this.parts.delete(this.parts.keys().next().value!);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const session = this.session;
    this.session = undefined;
    this.bound = undefined;
    if (!session) return;
    // a polite unbind, but never wait more than a second for an SMSC that does not answer
    await new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(done);
        session.destroy();
        resolve();
      };
      const done = setTimeout(finish, 1000);
      if (!session.unbind(finish)) finish();
    });
  }
}

/** SMPP's 16-bit user_message_reference: a stable fold of the delivery id (the full id is in the TLV). */
export function userMessageReference(deliveryId: string): number {
  let h = 0;
  for (let i = 0; i < deliveryId.length; i++) h = (h * 31 + deliveryId.charCodeAt(i)) & 0xffff;
  return h;
}
