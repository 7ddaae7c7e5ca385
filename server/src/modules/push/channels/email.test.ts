import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.ts';
import { channelLogCapture } from '../../../../test/peers/channel-log.ts';
import { startSmtpPeer, type SmtpPeer } from '../../../../test/peers/smtp-peer.ts';
import { findPersonalData } from '../../../../test/pii.ts';
import type { ChannelAdapter, OutgoingMessage } from '../channel.ts';
import { closeChannels, createChannels } from './index.ts';

const ADDRESS = 'zhang.wei@example.cn';

function message(over: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    deliveryId: '1001',
    to: ADDRESS,
    locale: 'zh-CN',
    title: '您可以申请：东昌府区小微企业创业担保贷款贴息',
    body: '尊敬的用户：\n根据您的企业情况，您符合“创业担保贷款贴息”的条件，最高可得 ¥30,000.00 元。\n\n请在 2025年7月31日 前申请。',
    url: 'http://127.0.0.1:3000/portal/items/42',
    ...over,
  };
}

describe('the e-mail channel against a real SMTP server', () => {
  let peer: SmtpPeer;
  let email: ChannelAdapter;
  let channels: ReturnType<typeof createChannels>;
  const { log, logs } = channelLogCapture('push-email');

  beforeAll(async () => {
    peer = await startSmtpPeer();
    const config = loadConfig({ KX_DATA_DIR: mkdtempSync(join(tmpdir(), 'kx-mail-')), KX_SMTP_URL: peer.url, KX_MAIL_FROM: '政策快享 <notice@kuaixiang.local>' });
    channels = createChannels(config, { log });
    email = channels.get('email')!;
  });
  afterAll(async () => {
    await closeChannels(channels);
    await peer.close();
  });

  it('delivers a Chinese notice intact, with the delivery id as Message-ID and header', async () => {
    const outcome = await email.send(message());
    expect(outcome).toMatchObject({ status: 'sent', providerId: expect.stringMatching(/^kx\d+$/) });
    const got = peer.messages.find((m) => m.deliveryId === '1001')!;
    expect(got.messageId).toBe('<1001@kuaixiang.local>');
    expect(got.to).toEqual([ADDRESS]);
    expect(got.from).toBe('notice@kuaixiang.local');
    expect(got.subject).toBe(message().title);
    expect(got.text).toContain('您符合“创业担保贷款贴息”的条件，最高可得 ¥30,000.00 元。');
    expect(got.text).toContain('查看详情: http://127.0.0.1:3000/portal/items/42');
    expect(got.html).toContain('<a href="http://127.0.0.1:3000/portal/items/42">查看详情</a>');
    expect(got.html).toContain('<h2 style="font-size:1.2em">您可以申请：东昌府区小微企业创业担保贷款贴息</h2>');
    expect(got.headers.get('content-language')).toBe('zh-CN');
  });

  it('writes English mail for English readers and escapes HTML in the text', async () => {
    await email.send(message({ deliveryId: '1002', locale: 'en', title: 'Eligible: <b>subsidy</b>', body: 'Amount < 5 & more' }));
    const got = peer.messages.find((m) => m.deliveryId === '1002')!;
    expect(got.subject).toBe('Eligible: <b>subsidy</b>');
    expect(got.text).toContain('Open: http://127.0.0.1:3000/portal/items/42');
    expect(got.html).toContain('Amount &#60; 5 &#38; more');
    expect(got.html).not.toContain('<b>subsidy</b>');
  });

  it('answers retry for 451 and failed for 550, without the address in the error or the logs', async () => {
    peer.reject('busy@example.cn', 451);
    peer.reject('gone@example.cn', 550);
    const busy = await email.send(message({ deliveryId: '1003', to: 'busy@example.cn' }));
    const gone = await email.send(message({ deliveryId: '1004', to: 'gone@example.cn' }));
    expect(busy).toMatchObject({ status: 'retry', error: expect.stringContaining('try again later') });
    expect(gone).toMatchObject({ status: 'failed', error: expect.stringContaining('User unknown') });
    expect(JSON.stringify([busy, gone])).not.toContain('example.cn');
    expect(logs.text()).toContain('"deliveryId":"1004"');
    expect(logs.text()).not.toContain('example.cn');
    expect(peer.messages.some((m) => m.deliveryId === '1003' || m.deliveryId === '1004')).toBe(false);

    // the mailbox recovers: the retry of the same delivery goes through
    peer.reject('busy@example.cn', undefined);
    expect(await email.send(message({ deliveryId: '1003', to: 'busy@example.cn' }))).toMatchObject({ status: 'sent' });
  });

  it('delivers a burst through the pool with no loss, and a re-send is recognisable by Message-ID', async () => {
    const before = peer.messages.length;
    const ids = Array.from({ length: 120 }, (_, i) => `b${i}`);
    const outcomes = await Promise.all(ids.map((deliveryId) => email.send(message({ deliveryId, to: `p${deliveryId}@example.cn` }))));
    expect(outcomes.every((o) => o.status === 'sent')).toBe(true);
    expect(peer.messages.length - before).toBe(120);
    expect(peer.duplicates()).toBe(0);
    expect(new Set(ids.map((id) => `<${id}@kuaixiang.local>`))).toEqual(new Set(peer.messages.slice(before).map((m) => m.messageId)));

    // a crash between "sent" and recording it makes the dispatcher send again: same Message-ID
    await email.send(message({ deliveryId: 'b7', to: 'pb7@example.cn' }));
    expect(peer.counts.get('<b7@kuaixiang.local>')).toBe(2);
    expect(peer.duplicates()).toBe(1);
  });

  it('answers retry when the SMTP server cannot be reached', async () => {
    const down = await startSmtpPeer();
    await down.close();
    const config = loadConfig({ KX_DATA_DIR: mkdtempSync(join(tmpdir(), 'kx-mail-')), KX_SMTP_URL: down.url });
    const lonely = createChannels(config, { log });
    const outcome = await lonely.get('email')!.send(message({ deliveryId: '1005' }));
    await closeChannels(lonely);
    expect(outcome).toMatchObject({ status: 'retry', error: expect.stringMatching(/ECONNREFUSED|connect/i) });
  });

  it('logged nothing personal', () => {
    expect(findPersonalData(logs.text())).toEqual([]);
  });
});
