import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.ts';
import { channelLogCapture } from '../../../../test/peers/channel-log.ts';
import { startWebPushPeer, testPushAgent, type WebPushPeer } from '../../../../test/peers/webpush-peer.ts';
import { findPersonalData } from '../../../../test/pii.ts';
import type { ChannelAdapter, OutgoingMessage } from '../channel.ts';
import { closeChannels, createChannels } from './index.ts';
import { createWebPushChannel, loadOrCreateVapidKeys } from './webpush.ts';

function message(over: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    deliveryId: 'p1',
    to: '',
    locale: 'zh-CN',
    title: '申请状态更新',
    body: '您提交的“失业保险稳岗返还”申请已进入复核，预计 5 个工作日内办结。',
    url: 'http://127.0.0.1:3000/portal/applications/88',
    ...over,
  };
}

describe('VAPID keys', () => {
  it('are generated on first start into the data folder and kept across restarts', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kx-vapid-'));
    expect(existsSync(join(dataDir, 'vapid.json'))).toBe(false);
    const first = loadOrCreateVapidKeys({ dataDir });
    expect(first.publicKey).toMatch(/^B[\w-]{86}$/); // uncompressed P-256 point, base64url
    expect(loadOrCreateVapidKeys({ dataDir })).toEqual(first);
    expect(JSON.parse(readFileSync(join(dataDir, 'vapid.json'), 'utf8'))).toMatchObject(first);
  });
});

describe('the web-push channel against a push service that checks VAPID and a browser that decrypts', () => {
  let peer: WebPushPeer;
  let channels: ReturnType<typeof createChannels>;
  let push: ChannelAdapter;
  let publicKey: string;
  const { log, logs } = channelLogCapture('push-webpush');

  beforeAll(async () => {
    peer = await startWebPushPeer();
    const config = loadConfig({ KX_DATA_DIR: mkdtempSync(join(tmpdir(), 'kx-webpush-')), KX_VAPID_SUBJECT: 'mailto:push@liaocheng.example.cn' });
    publicKey = loadOrCreateVapidKeys(config).publicKey;
    channels = createChannels(config, { log, webPushAgent: testPushAgent() });
    push = channels.get('webpush')!;
  });
  afterAll(async () => {
    await closeChannels(channels);
    await peer.close();
  });

  it('delivers a payload the browser decrypts, Chinese intact, under a valid VAPID signature', async () => {
    const subscription = peer.subscribe(publicKey);
    expect(await push.send(message({ to: subscription }))).toMatchObject({ status: 'sent', providerId: expect.any(String) });
    expect(peer.refused).toEqual([]);
    expect(peer.received).toHaveLength(1);
    const got = peer.received[0];
    expect(got.payload).toEqual({ deliveryId: 'p1', locale: 'zh-CN', title: '申请状态更新', body: message().body, url: message().url });
    expect(got.jwt).toMatchObject({ aud: peer.origin, sub: 'mailto:push@liaocheng.example.cn' });
    expect(got.ttl).toBe(86_400);
  });

  it('is refused by the push service when signed with other keys than the subscription\'s', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'kx-webpush-'));
    const stranger = createWebPushChannel({ subject: 'mailto:x@example.cn', keys: loadOrCreateVapidKeys({ dataDir: otherDir }), agent: testPushAgent() });
    const subscription = peer.subscribe(publicKey);
    expect(await stranger.send(message({ deliveryId: 'p2', to: subscription }))).toMatchObject({ status: 'failed', error: expect.stringContaining('403') });
    expect(peer.refused).toEqual(["key differs from the subscription's applicationServerKey"]);
    expect(peer.received.map((r) => r.payload.deliveryId)).toEqual(['p1']);
  });

  it('answers failed when the subscription is gone (410), retry on 429 and 5xx', async () => {
    const subscription = peer.subscribe(publicKey);
    peer.failWith(429);
    expect(await push.send(message({ deliveryId: 'p3', to: subscription }))).toMatchObject({ status: 'retry', retryAfterMs: 5000 });
    peer.failWith(503);
    expect(await push.send(message({ deliveryId: 'p3', to: subscription }))).toMatchObject({ status: 'retry', error: expect.stringContaining('503') });
    peer.failWith(undefined);
    expect(await push.send(message({ deliveryId: 'p3', to: subscription }))).toMatchObject({ status: 'sent' });
    peer.drop(subscription);
    expect(await push.send(message({ deliveryId: 'p4', to: subscription }))).toEqual({ status: 'failed', error: 'subscription gone (HTTP 410)' });
  });

  it('answers failed for something that is not a subscription, and retry when the service is down', async () => {
    expect(await push.send(message({ deliveryId: 'p5', to: 'not json' }))).toMatchObject({ status: 'failed' });
    expect(await push.send(message({ deliveryId: 'p5', to: JSON.stringify({ endpoint: 'http://insecure.example.cn/x', keys: { p256dh: 'a', auth: 'b' } }) }))).toMatchObject({ status: 'failed' });
    const down = await startWebPushPeer();
    const subscription = down.subscribe(publicKey);
    await down.close();
    const outcome = await push.send(message({ deliveryId: 'p6', to: subscription }));
    expect(outcome).toMatchObject({ status: 'retry', error: 'ECONNREFUSED' });
    expect(JSON.stringify(outcome)).not.toContain('/push/');
  });

  it('logged nothing personal, nor a subscription endpoint', () => {
    expect(logs.text()).toContain('"deliveryId":"p4"');
    expect(logs.text()).not.toContain('/push/');
    expect(findPersonalData(logs.text())).toEqual([]);
  });
});
