import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.ts';
import { channelLogCapture } from '../../../../test/peers/channel-log.ts';
import { reply, startHttpPeer, type HttpPeer, type RecordedRequest } from '../../../../test/peers/http-peer.ts';
import { findPersonalData } from '../../../../test/pii.ts';
import type { ChannelAdapter, OutgoingMessage } from '../channel.ts';
import { closeChannels, createChannels } from './index.ts';
import { createHttpSmsGateway } from './sms-http.ts';

const TOKEN = 'city-sms-token-0001';

function message(over: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return { deliveryId: 'h1', to: '+8613912345678', locale: 'zh-CN', title: '', body: '【政策快享】您的“创业补贴”申请已通过审核，¥5,000.00 将于 3 个工作日内到账。', ...over };
}

/** A typical city gateway: JSON or form in, {"code":0,"data":{"msgId":…}} out, a token header. */
function gateway(mode: { status?: number; code?: number; headers?: Record<string, string> }) {
  return (req: RecordedRequest, res: Parameters<Parameters<typeof startHttpPeer>[0]>[1]) => {
    if (req.headers['x-api-key'] !== TOKEN) return reply(res, 401, { code: 401, msg: 'bad key' });
    const form = String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded');
    const fields = form ? Object.fromEntries(new URLSearchParams(req.body.toString('utf8'))) : (JSON.parse(req.body.toString('utf8')) as Record<string, string>);
    if (mode.status && mode.status !== 200) return reply(res, mode.status, { code: mode.status, msg: 'busy' }, mode.headers);
    if (mode.code) return reply(res, 200, { code: mode.code, msg: `invalid mobile ${fields.mobile}` });
    reply(res, 200, { code: 0, data: { msgId: `gw-${fields.requestId}` } });
  };
}

describe('the SMS channel through a city\'s HTTP gateway', () => {
  let peer: HttpPeer;
  let channels: ReturnType<typeof createChannels>;
  let sms: ChannelAdapter;
  const { log, logs } = channelLogCapture('push-sms-http');
  const env = (over: Record<string, string> = {}) => ({
    KX_DATA_DIR: mkdtempSync(join(tmpdir(), 'kx-smshttp-')),
    KX_SMS_HTTP_URL: `${peer.url}/api/sms/send`,
    KX_SMS_HTTP_TOKEN: TOKEN,
    KX_SMS_HTTP_AUTH_HEADER: 'X-Api-Key',
    KX_SMS_HTTP_FIELDS: 'to=mobile,text=content,id=requestId',
    KX_SMS_HTTP_SUCCESS: 'code=0',
    KX_SMS_HTTP_ID_PATH: 'data.msgId',
    ...over,
  });

  beforeAll(async () => {
    peer = await startHttpPeer(gateway({}));
    channels = createChannels(loadConfig(env()), { log });
    sms = channels.get('sms')!;
  });
  afterAll(async () => {
    await closeChannels(channels);
    await peer.close();
  });

  it('posts JSON with the configured field names and token, and keeps the gateway\'s id', async () => {
    expect(await sms.send(message())).toEqual({ status: 'sent', providerId: 'gw-h1' });
    const req = peer.requests.at(-1)!;
    expect(req.path).toBe('/api/sms/send');
    expect(JSON.parse(req.body.toString('utf8'))).toEqual({ mobile: '13912345678', content: message().body, requestId: 'h1' });
    expect(req.headers['idempotency-key']).toBe('h1');
  });

  it('posts a form when the city\'s gateway wants one, Chinese text intact', async () => {
    const formChannels = createChannels(loadConfig(env({ KX_SMS_HTTP_FORMAT: 'form' })), { log });
    expect(await formChannels.get('sms')!.send(message({ deliveryId: 'h2' }))).toEqual({ status: 'sent', providerId: 'gw-h2' });
    await closeChannels(formChannels);
    const req = peer.requests.at(-1)!;
    expect(req.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(new URLSearchParams(req.body.toString('utf8')).get('content')).toBe(message().body);
  });

  it('sends a bearer token by default', async () => {
    let seen: string | undefined;
    peer.setHandler((req, res) => {
      seen = req.headers.authorization;
      reply(res, 200, { code: 0 });
    });
    const bearer = createChannels(loadConfig(env({ KX_SMS_HTTP_AUTH_HEADER: '' })), { log });
    expect(await bearer.get('sms')!.send(message({ deliveryId: 'h3' }))).toEqual({ status: 'sent' });
    await closeChannels(bearer);
    expect(seen).toBe(`Bearer ${TOKEN}`);
  });

  it('maps 503 and 429 to retry, a refusal in the answer and a bad token to failed — without the number', async () => {
    peer.setHandler(gateway({ status: 503 }));
    expect(await sms.send(message({ deliveryId: 'h4' }))).toMatchObject({ status: 'retry', error: expect.stringContaining('503') });
    peer.setHandler(gateway({ status: 429, headers: { 'Retry-After': '2' } }));
    expect(await sms.send(message({ deliveryId: 'h4' }))).toMatchObject({ status: 'retry', retryAfterMs: 2000 });
    peer.setHandler(gateway({ code: 1001 }));
    const refused = await sms.send(message({ deliveryId: 'h4' }));
    expect(refused).toMatchObject({ status: 'failed', error: expect.stringContaining('invalid mobile ***') });
    expect(JSON.stringify(refused)).not.toContain('13912345678');
    const badToken = createChannels(loadConfig(env({ KX_SMS_HTTP_TOKEN: 'wrong-token' })), { log });
    peer.setHandler(gateway({}));
    expect(await badToken.get('sms')!.send(message({ deliveryId: 'h5' }))).toMatchObject({ status: 'failed', error: expect.stringContaining('401') });
    await closeChannels(badToken);
  });

  it('answers retry on a timeout and when nobody listens', async () => {
    peer.setHandler(() => {}); // never answers
    const slow = createHttpSmsGateway(loadConfig(env()).channels!.smsHttp!, { timeoutMs: 300, log });
    expect(await slow.submit({ deliveryId: 'h6', to: '13912345678', text: '测试' })).toMatchObject({ status: 'retry', error: 'timed out after 300 ms' });
    const gone = await startHttpPeer(() => {});
    await gone.close();
    const down = createHttpSmsGateway({ ...loadConfig(env()).channels!.smsHttp!, url: gone.url }, { log });
    expect(await down.submit({ deliveryId: 'h7', to: '13912345678', text: '测试' })).toMatchObject({ status: 'retry', error: 'ECONNREFUSED' });
  });

  it('logged nothing personal', () => {
    expect(logs.text()).toContain('"deliveryId":"h4"');
    expect(findPersonalData(logs.text())).toEqual([]);
  });
});
