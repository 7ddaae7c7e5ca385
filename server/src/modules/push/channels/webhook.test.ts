import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.ts';
import { channelLogCapture } from '../../../../test/peers/channel-log.ts';
import { startWebhookPeer, type WebhookPeer } from '../../../../test/peers/webhook-peer.ts';
import { findPersonalData } from '../../../../test/pii.ts';
import type { ChannelAdapter, OutgoingMessage } from '../channel.ts';
import { closeChannels, createChannels } from './index.ts';
import { createWebhookChannel, signWebhook, verifyWebhookSignature, webhookSecret } from './webhook.ts';

const SECRET = 'liaocheng-rsj-webhook-secret';

function message(over: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    deliveryId: 'w1',
    to: '',
    locale: 'zh-CN',
    title: '新增符合条件对象',
    body: '“高龄津贴”新增 12 名符合条件的居民，请在业务系统中核对。',
    event: { kind: 'newly_eligible', item: 'lc-gaoling-jintie', count: 12 },
    ...over,
  };
}

describe('webhook signatures', () => {
  const body = '{"delivery":"7","event":{"kind":"payout_made"}}';
  const now = new Date('2025-06-30T02:00:00Z');
  const t = Math.floor(now.getTime() / 1000);

  it('accept exactly the signed body, with the right secret, in time', () => {
    const header = signWebhook(SECRET, body, t);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, header, body, 300, now)).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, Buffer.from(body), 300, now)).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, body.replace('7', '8'), 300, now)).toBe(false);
    expect(verifyWebhookSignature('another-secret-of-the-city', header, body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, body, 300, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifyWebhookSignature(SECRET, undefined, body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, 'v1=abc', body, 300, now)).toBe(false);
    // a rotated secret: the sender may sign with both during the change-over
    const both = `${header},v1=${signWebhook('old-secret-of-the-city', body, t).split('v1=')[1]}`;
    expect(verifyWebhookSignature('old-secret-of-the-city', both, body, 300, now)).toBe(true);
  });

  it('reject any change to a signed body (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), fc.integer({ min: 1, max: 0xffff }), (text, pos, code) => {
        const header = signWebhook(SECRET, text, t);
        const i = pos % text.length;
        const changed = text.slice(0, i) + String.fromCharCode((text.charCodeAt(i) + code) % 0x10000) + text.slice(i + 1);
        fc.pre(changed !== text);
        return verifyWebhookSignature(SECRET, header, text, 300, now) && !verifyWebhookSignature(SECRET, header, changed, 300, now);
      }),
    );
  });
});

describe('the webhook channel against a real receiving server', () => {
  let peer: WebhookPeer;
  let channels: ReturnType<typeof createChannels>;
  let webhook: ChannelAdapter;
  const { log, logs } = channelLogCapture('push-webhook');

  beforeAll(async () => {
    peer = await startWebhookPeer(SECRET);
    channels = createChannels(loadConfig({ KX_DATA_DIR: mkdtempSync(join(tmpdir(), 'kx-hook-')), KX_WEBHOOK_SECRET: SECRET, KX_WEBHOOK_TIMEOUT_MS: '500' }), { log });
    webhook = channels.get('webhook')!;
  });
  afterAll(async () => {
    await closeChannels(channels);
    await peer.close();
  });

  it('delivers a signed event the receiver verifies, Chinese text intact', async () => {
    expect(await webhook.send(message({ to: `${peer.url}/hooks/kuaixiang` }))).toEqual({ status: 'sent' });
    expect(peer.accepted).toHaveLength(1);
    expect(peer.accepted[0]).toMatchObject({ delivery: 'w1', event: { kind: 'newly_eligible', count: 12 }, body: message().body, title: '新增符合条件对象' });
    expect(peer.requests[0].headers['x-kuaixiang-delivery']).toBe('w1');
    expect(peer.requests[0].path).toBe('/hooks/kuaixiang');
  });

  it('is refused when the body was tampered with or the secret is wrong', async () => {
    // a man in the middle changes the count but keeps the signature
    const original = peer.requests[0];
    const tampered = original.body.toString('utf8').replace('"count":12', '"count":13');
    const res = await fetch(`${peer.url}/hooks/kuaixiang`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Kuaixiang-Signature': String(original.headers['x-kuaixiang-signature']), 'X-Kuaixiang-Delivery': 'w1' },
      body: tampered,
    });
    expect(res.status).toBe(401);
    expect(peer.rejected()).toBe(1);

    // a subscriber with its own secret that the receiver does not share: 401 is final
    const own = JSON.stringify({ url: `${peer.url}/hooks/kuaixiang`, secret: 'a-different-secret-value' });
    expect(await webhook.send(message({ deliveryId: 'w2', to: own }))).toMatchObject({ status: 'failed', error: expect.stringContaining('401') });
    expect(peer.accepted.map((e) => e.delivery)).toEqual(['w1']);
  });

  it('signs with a subscriber\'s own secret when it has one', async () => {
    const own = await startWebhookPeer('secret-of-the-mzj-system');
    try {
      const to = JSON.stringify({ url: own.url, secret: 'secret-of-the-mzj-system' });
      expect(await webhook.send(message({ deliveryId: 'w3', to }))).toEqual({ status: 'sent' });
      expect(own.accepted.map((e) => e.delivery)).toEqual(['w3']);
    } finally {
      await own.close();
    }
  });

  it('maps 5xx, 429 and timeouts to retry and other 4xx to failed', async () => {
    const to = `${peer.url}/hooks/kuaixiang`;
    peer.answer(503);
    expect(await webhook.send(message({ deliveryId: 'w4', to }))).toMatchObject({ status: 'retry', error: expect.stringContaining('503') });
    peer.answer(429, { 'Retry-After': '30' });
    expect(await webhook.send(message({ deliveryId: 'w4', to }))).toMatchObject({ status: 'retry', retryAfterMs: 30_000 });
    peer.answer(404);
    expect(await webhook.send(message({ deliveryId: 'w4', to }))).toMatchObject({ status: 'failed', error: expect.stringContaining('404') });
    peer.answer(204);
    peer.hang(true);
    expect(await webhook.send(message({ deliveryId: 'w4', to }))).toMatchObject({ status: 'retry', error: expect.stringContaining('timed out') });
    peer.hang(false);
    expect(await webhook.send(message({ deliveryId: 'w4', to }))).toEqual({ status: 'sent' });
    expect(peer.counts.get('w4')).toBe(1);
  });

  it('answers retry when nobody listens and failed for an address that is not http(s)', async () => {
    const gone = await startWebhookPeer(SECRET);
    await gone.close();
    expect(await webhook.send(message({ deliveryId: 'w5', to: gone.url }))).toMatchObject({ status: 'retry', error: 'ECONNREFUSED' });
    expect(await webhook.send(message({ deliveryId: 'w5', to: 'ftp://example.cn/x' }))).toMatchObject({ status: 'failed' });
    expect(await webhook.send(message({ deliveryId: 'w5', to: '{not json' }))).toMatchObject({ status: 'failed' });
  });

  it('keeps a generated secret across restarts when none is configured', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kx-hook-'));
    const config = loadConfig({ KX_DATA_DIR: dataDir });
    const first = webhookSecret(config);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(webhookSecret(loadConfig({ KX_DATA_DIR: dataDir }))).toBe(first);
    expect(readFileSync(join(dataDir, 'webhook-secret.hex'), 'utf8')).toBe(first);
  });

  it('logged nothing personal', () => {
    expect(logs.text()).toContain('"deliveryId":"w4"');
    expect(findPersonalData(logs.text())).toEqual([]);
  });
});

describe('a webhook channel with a pinned clock', () => {
  it('signs with the time it is given, so a receiver rejects a stale replay', async () => {
    const peer = await startWebhookPeer(SECRET, 60);
    try {
      const stale = createWebhookChannel({ secret: SECRET, timeoutMs: 1000, now: () => new Date(Date.now() - 120_000) });
      expect(await stale.send(message({ to: peer.url }))).toMatchObject({ status: 'failed', error: expect.stringContaining('401') });
      expect(peer.accepted).toEqual([]);
    } finally {
      await peer.close();
    }
  });
});
