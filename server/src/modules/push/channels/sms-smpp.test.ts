import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.ts';
import { channelLogCapture } from '../../../../test/peers/channel-log.ts';
import { startSmppPeer, type SmppPeer } from '../../../../test/peers/smpp-peer.ts';
import { findPersonalData } from '../../../../test/pii.ts';
import type { ChannelAdapter, OutgoingMessage } from '../channel.ts';
import { closeChannels, createChannels } from './index.ts';
import type { SmsReceipt } from './sms.ts';
import { SmppGateway, smppSegments } from './sms-smpp.ts';
import smpp from 'smpp';

const PHONE = '13912345678';

function message(over: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    deliveryId: 's1',
    to: `+86 ${PHONE}`,
    locale: 'zh-CN',
    title: '',
    body: '【政策快享】您已符合“高龄津贴”条件，每月 ¥100.00 将自动发放，无需申请。',
    ...over,
  };
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('splitting SMS text', () => {
  it('keeps one part up to 70 Chinese or 160 GSM characters, and joins back to the same text (property)', () => {
    expect(smppSegments('政'.repeat(70), 1)).toHaveLength(1);
    expect(smppSegments('政'.repeat(71), 1)).toHaveLength(2);
    expect(smppSegments('a'.repeat(160), 1)).toHaveLength(1);
    expect(smppSegments('a'.repeat(161), 1)).toHaveLength(2);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 600 }), fc.stringMatching(/^[a-z 0-9{}€[\]]{0,500}$/), fc.string({ unit: 'grapheme', maxLength: 300 })), (text) => {
        const segs = smppSegments(text, 9);
        const back = segs
          .map((s) => {
            const body = s.udh ? s.bytes.subarray(6) : s.bytes;
            return s.dataCoding === 8 ? smpp.encodings.UCS2.decode(body) : smpp.encodings.ASCII.decode(body);
          })
          .join('');
        const fits = segs.every((s) => s.bytes.length <= 140 + (s.dataCoding === 0 ? 20 : 0));
        return back === text && fits && segs.every((s, i) => !s.udh || (s.bytes[4] === segs.length && s.bytes[5] === i + 1));
      }),
    );
  });
});

describe('the SMS channel over SMPP against the smpp package\'s server', () => {
  let peer: SmppPeer;
  let channels: ReturnType<typeof createChannels>;
  let sms: ChannelAdapter;
  const receipts: SmsReceipt[] = [];
  const { log, logs } = channelLogCapture('push-smpp');

  beforeAll(async () => {
    peer = await startSmppPeer();
    const config = loadConfig({ KX_DATA_DIR: mkdtempSync(join(tmpdir(), 'kx-smpp-')), KX_SMPP_URL: peer.url, KX_SMS_SENDER: '1069012345' });
    channels = createChannels(config, { log, onSmsReceipt: (r) => receipts.push(r) });
    sms = channels.get('sms')!;
    await until(() => peer.binds === 1);
  });
  afterAll(async () => {
    await closeChannels(channels);
    await peer.close();
  });

  it('binds at once when receipts are wanted, submits Chinese text intact and reports the receipt', async () => {
    const outcome = await sms.send(message());
    expect(outcome).toEqual({ status: 'sent', providerId: 'smsc1' });
    expect(peer.messages[0]).toMatchObject({ to: `86${PHONE}`, from: '1069012345', text: message().body, deliveryId: 's1', parts: 1, dataCoding: 8 });
    await until(() => receipts.length === 1);
    expect(receipts[0]).toEqual({ deliveryId: 's1', providerId: 'smsc1', state: 'delivered' });
  });

  it('splits a long Chinese notice into parts the handset joins, and reports delivered once all parts are', async () => {
    const long = `【政策快享】${'您的企业符合“专精特新中小企业一次性奖补”的全部条件。'.repeat(8)}详情请登录门户查看。`;
    expect(long.length).toBeGreaterThan(200);
    const before = receipts.length;
    expect(await sms.send(message({ deliveryId: 's2', body: long }))).toMatchObject({ status: 'sent' });
    const got = peer.messages.find((m) => m.deliveryId === 's2')!;
    expect(got.text).toBe(long);
    expect(got.parts).toBe(Math.ceil(long.length / 67));
    await until(() => receipts.length === before + 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(receipts.slice(before)).toEqual([{ deliveryId: 's2', providerId: got.messageIds.at(-1), state: 'delivered' }]);
  });

  it('holds a part\'s receipt that comes before the next part is acknowledged, and reports the delivery once', async () => {
    peer.slowLaterParts(80);
    try {
      const long = `【政策快享】${'您已符合“一次性创业补贴”条件。'.repeat(6)}`;
      const before = receipts.length;
      expect(await sms.send(message({ deliveryId: 's2b', body: long }))).toMatchObject({ status: 'sent' });
      const got = peer.messages.find((m) => m.deliveryId === 's2b')!;
      expect(got.parts).toBeGreaterThan(1);
      await until(() => receipts.length > before);
      await new Promise((r) => setTimeout(r, 50));
      expect(receipts.slice(before)).toEqual([{ deliveryId: 's2b', providerId: got.messageIds.at(-1), state: 'delivered' }]);
    } finally {
      peer.slowLaterParts(0);
    }
  });

  it('sends English text in the GSM alphabet', async () => {
    const body = 'Kuaixiang: you are eligible for the elderly allowance (CNY 100.00/month) {auto}.';
    await sms.send(message({ deliveryId: 's3', locale: 'en', body }));
    expect(peer.messages.find((m) => m.deliveryId === 's3')).toMatchObject({ text: body, dataCoding: 0 });
  });

  it('answers retry when throttled, failed for a refused number, and reports an undelivered receipt', async () => {
    peer.throttle(1);
    expect(await sms.send(message({ deliveryId: 's4' }))).toMatchObject({ status: 'retry', error: expect.stringContaining('ESME_RTHROTTLED'), retryAfterMs: 1000 });
    expect(await sms.send(message({ deliveryId: 's4' }))).toMatchObject({ status: 'sent' });
    expect(peer.counts.get('s4')).toBe(1);

    peer.refuse('8613800000000');
    expect(await sms.send(message({ deliveryId: 's5', to: '13800000000' }))).toMatchObject({ status: 'failed', error: expect.stringContaining('ESME_RINVDSTADR') });

    peer.undeliverable('8613700000000');
    const before = receipts.length;
    await sms.send(message({ deliveryId: 's6', to: '13700000000' }));
    await until(() => receipts.length > before && receipts.some((r) => r.deliveryId === 's6'));
    expect(receipts.find((r) => r.deliveryId === 's6')).toMatchObject({ state: 'failed', error: 'UNDELIV' });

    expect(await sms.send(message({ deliveryId: 's7', to: '010-12345678' }))).toMatchObject({ status: 'failed', error: 'not a mainland mobile number' });
  });

  it('reconnects after the SMSC drops the session, and no message is lost or doubled', async () => {
    const binds = peer.binds;
    peer.dropAll();
    await until(() => peer.binds === binds + 1);
    const ids = Array.from({ length: 50 }, (_, i) => `r${i}`);
    const outcomes = await Promise.all(ids.map((deliveryId, i) => sms.send(message({ deliveryId, to: `139000000${String(i).padStart(2, '0')}` }))));
    expect(outcomes.every((o) => o.status === 'sent')).toBe(true);
    expect(ids.every((id) => peer.counts.get(id) === 1)).toBe(true);
    expect(peer.duplicates()).toBe(0);
  });

  it('logged nothing personal', () => {
    expect(logs.text()).toContain('submit_sm refused');
    expect(logs.text()).not.toContain('13800000000');
    expect(findPersonalData(logs.text())).toEqual([]);
  });
});

describe('an SMPP gateway that cannot reach its SMSC', () => {
  it('answers retry when nothing listens, and when the password is refused', async () => {
    const peer = await startSmppPeer('kx_city', 'right');
    const settings = { host: '127.0.0.1', port: peer.port, systemId: 'kx_city', password: 'wrong', sourceAddr: '10690', tls: false };
    const wrong = new SmppGateway(settings, { responseTimeoutMs: 2000, maxBackoffMs: 200 });
    expect(await wrong.submit({ deliveryId: 'x1', to: PHONE, text: '测试' })).toMatchObject({ status: 'retry', error: expect.stringContaining('bind refused') });
    await wrong.close();
    await peer.close();
    const down = new SmppGateway({ ...settings, password: 'right' }, { responseTimeoutMs: 2000, maxBackoffMs: 200 });
    expect(await down.submit({ deliveryId: 'x2', to: PHONE, text: '测试' })).toMatchObject({ status: 'retry', error: expect.stringContaining('ECONNREFUSED') });
    await down.close();
    expect(peer.messages).toEqual([]);
  });

  it('picks up again when the SMSC comes back', async () => {
    const first = await startSmppPeer();
    const port = first.port;
    const gw = new SmppGateway({ host: '127.0.0.1', port, systemId: first.systemId, password: first.password, sourceAddr: '10690', tls: false }, { maxBackoffMs: 100 });
    expect(await gw.submit({ deliveryId: 'y1', to: PHONE, text: '一' })).toMatchObject({ status: 'sent' });
    await first.close();
    await until(() => !gw.isBound);
    expect(await gw.submit({ deliveryId: 'y2', to: PHONE, text: '二' })).toMatchObject({ status: 'retry' });
    const again = await startSmppPeerOn(port);
    await until(() => gw.isBound, 5000);
    expect(await gw.submit({ deliveryId: 'y2', to: PHONE, text: '二' })).toMatchObject({ status: 'sent' });
    expect(again.messages.map((m) => m.text)).toEqual(['二']);
    await gw.close();
    await again.close();
  });
});

/** The same SMSC address again (a restart of the operator's side). */
async function startSmppPeerOn(port: number): Promise<SmppPeer> {
  for (let i = 0; i < 50; i++) {
    try {
      return await startSmppPeer('kx_test', 'pw123', port);
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`port ${port} stayed busy`);
}
