// An SMSC for the tests: the smpp package's own server on 127.0.0.1. It accepts
// bind_transceiver with the right password, records every submit_sm (decoded text, long
// messages joined from their parts by the concatenation header), answers with a message id,
// and sends a deliver_sm receipt (stat:DELIVRD, or a chosen failure) when one is asked for.
// It can answer ESME_RTHROTTLED, refuse a number, or drop every connection.
import type { AddressInfo } from 'node:net';
import smpp, { type PDU, type Session } from 'smpp';
import { DELIVERY_ID_TLV } from '../../src/modules/push/channels/sms-smpp.ts';

export interface ReceivedSms {
  to: string;
  from: string;
  text: string;
  deliveryId: string | undefined;
  parts: number;
  dataCoding: number;
  messageIds: string[];
}

export interface SmppPeer {
  port: number;
  url: string;
  systemId: string;
  password: string;
  messages: ReceivedSms[];
  /** Every submit_sm accepted (parts count one each). */
  submits: number;
  binds: number;
  /** How many times each delivery id arrived complete. */
  counts: Map<string, number>;
  duplicates(): number;
  /** Answer the next `n` submit_sm with ESME_RTHROTTLED. */
  throttle(n: number): void;
  /** Refuse this number with ESME_RINVDSTADR. */
  refuse(number: string): void;
  /** Receipts for this number say UNDELIV instead of DELIVRD. */
  undeliverable(number: string): void;
  /** Send receipts (default) or keep quiet. */
  receipts(on: boolean): void;
  /** Answer the later parts of a long message only after `ms`, so part 1's receipt comes first. */
  slowLaterParts(ms: number): void;
  /** Close every bound session from the SMSC side. */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startSmppPeer(systemId = 'kx_test', password = 'pw123', listenPort = 0): Promise<SmppPeer> {
  const messages: ReceivedSms[] = [];
  const counts = new Map<string, number>();
  const refused = new Set<string>();
  const undelivered = new Set<string>();
  const partial = new Map<string, { parts: string[]; ids: string[] }>();
  const state = { throttled: 0, nextId: 1, submits: 0, binds: 0, receipts: true, laterPartsMs: 0 };

  const receipt = (session: Session, pdu: PDU, messageId: string) => {
    const to = String(pdu.destination_addr);
    const stat = undelivered.has(to) ? 'UNDELIV' : 'DELIVRD';
    const text = `id:${messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:2506300200 done date:2506300200 stat:${stat} err:000 text:`;
    setTimeout(() => {
      session.deliver_sm({
        source_addr: to, destination_addr: String(pdu.source_addr), esm_class: 0x04, data_coding: 0x00,
        short_message: Buffer.from(text, 'latin1'), receipted_message_id: messageId, message_state: stat === 'DELIVRD' ? 2 : 5,
      });
    }, 5);
  };

  const onSubmit = (session: Session, pdu: PDU) => {
    const seq = (pdu.short_message as { udh?: Buffer[] }).udh?.find((u) => u[0] === 0x00)?.[4] ?? 1;
    if (seq > 1 && state.laterPartsMs > 0) setTimeout(() => answerSubmit(session, pdu), state.laterPartsMs);
    else answerSubmit(session, pdu);
  };

  const answerSubmit = (session: Session, pdu: PDU) => {
    const to = String(pdu.destination_addr);
    if (state.throttled > 0) {
      state.throttled--;
      return session.send(pdu.response({ command_status: smpp.ESME_RTHROTTLED }));
    }
    if (refused.has(to)) return session.send(pdu.response({ command_status: smpp.ESME_RINVDSTADR }));
    state.submits++;
    const messageId = `smsc${state.nextId++}`;
    session.send(pdu.response({ message_id: messageId }));
    const sm = pdu.short_message as { udh?: Buffer[]; message: string };
    const deliveryId = pdu.kx_delivery_id as string | undefined;
    const concat = sm.udh?.find((u) => u[0] === 0x00);
    let text = sm.message;
    let ids = [messageId];
    let parts = 1;
    if (concat) {
      const [ref, total, seq] = [concat[2], concat[3], concat[4]];
      const key = `${to}/${ref}`;
      const p = partial.get(key) ?? { parts: new Array<string>(total).fill(''), ids: [] };
      p.parts[seq - 1] = sm.message;
      p.ids.push(messageId);
      partial.set(key, p);
      if (p.parts.some((x) => x === '')) {
        if ((pdu.registered_delivery as number) & 1 && state.receipts) receipt(session, pdu, messageId);
        return;
      }
      partial.delete(key);
      text = p.parts.join('');
      ids = p.ids;
      parts = total;
    }
    messages.push({ to, from: String(pdu.source_addr), text, deliveryId, parts, dataCoding: pdu.data_coding as number, messageIds: ids });
    if (deliveryId) counts.set(deliveryId, (counts.get(deliveryId) ?? 0) + 1);
    if ((pdu.registered_delivery as number) & 1 && state.receipts) receipt(session, pdu, messageId);
  };

  const server = smpp.createServer({}, (session) => {
    session.on('error', () => {});
    session.on('bind_transceiver', (pdu: PDU) => {
      if (pdu.system_id !== systemId || pdu.password !== password) {
        session.send(pdu.response({ command_status: smpp.ESME_RINVPASWD }));
        session.close();
        return;
      }
      state.binds++;
      session.send(pdu.response({ system_id: 'kx-peer' }));
    });
    session.on('submit_sm', (pdu: PDU) => onSubmit(session, pdu));
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  void DELIVERY_ID_TLV; // importing sms-smpp.ts registers the TLV, so the peer decodes it by name
  return {
    port,
    url: `smpp://${systemId}:${password}@127.0.0.1:${port}`,
    systemId,
    password,
    messages,
    get submits() {
      return state.submits;
    },
    get binds() {
      return state.binds;
    },
    counts,
    duplicates: () => [...counts.values()].reduce((n, c) => n + c - 1, 0),
    throttle: (n) => {
      state.throttled = n;
    },
    refuse: (n) => refused.add(n),
    undeliverable: (n) => undelivered.add(n),
    receipts: (on) => {
      state.receipts = on;
    },
    slowLaterParts: (ms) => {
      state.laterPartsMs = ms;
    },
    dropAll: () => {
      for (const s of [...server.sessions]) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of [...server.sessions]) s.destroy();
        server.close(() => resolve());
      }),
  };
}
