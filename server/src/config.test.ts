import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'kx-config-'));

describe('configuration', () => {
  it('has sensible defaults for a fresh machine', () => {
    const c = loadConfig({ KX_DATA_DIR: dir() });
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', httpProcesses: 1, cipher: 'aes-256-gcm', seedDemo: true, demoPeople: 20000, demoEnterprises: 2000 });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataKey).toHaveLength(32);
  });

  it('starts the platform clock at KX_CLOCK and lets it run on', async () => {
    const { createCtx } = await import('./context.ts');
    const ctx = createCtx(loadConfig({ KX_DATA_DIR: dir(), KX_CLOCK: '2025-06-30T10:00:00+08:00' }), undefined as never);
    expect(ctx.today()).toBe('2025-06-30');
    const a = ctx.now().getTime();
    await new Promise((r) => setTimeout(r, 30));
    expect(ctx.now().getTime() - a).toBeGreaterThanOrEqual(25);
    expect(Math.abs(a - Date.parse('2025-06-30T02:00:00Z'))).toBeLessThan(2000);
    expect(createCtx(loadConfig({ KX_DATA_DIR: dir() }), undefined as never).today()).toBe(new Date().toISOString().slice(0, 10));
  });

  it('keeps the generated data key across restarts', () => {
    const d = dir();
    expect(loadConfig({ KX_DATA_DIR: d }).dataKey.equals(loadConfig({ KX_DATA_DIR: d }).dataKey)).toBe(true);
  });

  // env ; the message must name the variable and the value
  const BAD: [Record<string, string>, string][] = [
    [{ PORT: 'eighty' }, 'PORT="eighty"'],
    [{ PORT: '70000' }, 'PORT="70000"'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL="mysql://x"'],
    [{ KX_CIPHER: 'des' }, 'KX_CIPHER="des"'],
    [{ KX_SEED_DEMO: 'maybe' }, 'KX_SEED_DEMO'],
    [{ KX_DATA_KEY: 'abc' }, 'KX_DATA_KEY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud"'],
    [{ KX_SMTP_URL: 'mail.example.cn:25' }, 'KX_SMTP_URL="mail.example.cn:25"'],
    [{ KX_SMTP_URL: 'http://mail.example.cn' }, 'KX_SMTP_URL="http://mail.example.cn"'],
    [{ KX_MAIL_FROM: 'nobody' }, 'KX_MAIL_FROM="nobody"'],
    [{ KX_SMPP_URL: 'smpp://smsc.example.cn:2775' }, 'KX_SMPP_URL'],
    [{ KX_SMPP_URL: 'tcp://kx:secret@smsc:2775' }, 'KX_SMPP_URL="tcp://kx:***@smsc:2775"'],
    [{ KX_SMS_HTTP_URL: 'ftp://gw' }, 'KX_SMS_HTTP_URL="ftp://gw"'],
    [{ KX_SMS_HTTP_URL: 'https://gw.example.cn/send', KX_SMS_HTTP_FORMAT: 'xml' }, 'KX_SMS_HTTP_FORMAT="xml"'],
    [{ KX_SMS_HTTP_URL: 'https://gw.example.cn/send', KX_SMS_HTTP_FIELDS: 'phone' }, 'KX_SMS_HTTP_FIELDS="phone"'],
    [{ KX_SMS_HTTP_URL: 'https://gw.example.cn/send', KX_SMS_HTTP_SUCCESS: 'ok' }, 'KX_SMS_HTTP_SUCCESS="ok"'],
    [{ KX_VAPID_SUBJECT: 'admin@example.cn' }, 'KX_VAPID_SUBJECT="admin@example.cn"'],
    [{ KX_CHANNEL_RATES: 'email=fast' }, 'KX_CHANNEL_RATES="email=fast"'],
    [{ KX_CHANNEL_RATES: 'fax=3' }, 'KX_CHANNEL_RATES="fax=3"'],
    [{ KX_CHANNEL_RATES: 'sms=0' }, 'KX_CHANNEL_RATES="sms=0"'],
    [{ KX_WEBHOOK_SECRET: 'short' }, 'KX_WEBHOOK_SECRET'],
    [{ KX_HTTP_PROCESSES: '0' }, 'KX_HTTP_PROCESSES="0"'],
    [{ KX_CLOCK: '2025-13-01' }, 'KX_CLOCK="2025-13-01"'],
    [{ KX_CLOCK: 'yesterday' }, 'KX_CLOCK="yesterday"'],
    [{ KX_HTTP_PROCESSES: '2' }, 'KX_HTTP_PROCESSES=2'],
  ];
  it('has no push transport until one is configured, and default rates', () => {
    const c = loadConfig({ KX_DATA_DIR: dir() });
    expect(c.channels).toEqual({ webhook: { timeoutMs: 10_000 }, rates: { inbox: 1000, webpush: 100, email: 50, sms: 20, webhook: 50 } });
  });

  it('reads every push transport from its variables', () => {
    const c = loadConfig({
      KX_DATA_DIR: dir(),
      KX_SMTP_URL: 'smtps://notice%40city:p%40ss@mail.example.cn',
      KX_MAIL_FROM: '聊城政策快享 <notice@city.example.cn>',
      KX_SMPP_URL: 'smpp://kx_city:s3cret@127.0.0.1:2776',
      KX_SMS_SENDER: '1069012345',
      KX_SMS_HTTP_URL: 'https://sms.example.cn/api/send',
      KX_SMS_HTTP_TOKEN: 'tok',
      KX_SMS_HTTP_AUTH_HEADER: 'X-Api-Key',
      KX_SMS_HTTP_FORMAT: 'form',
      KX_SMS_HTTP_FIELDS: 'to=mobile,text=content',
      KX_SMS_HTTP_SUCCESS: 'result.code=0',
      KX_SMS_HTTP_ID_PATH: 'result.msgId',
      KX_VAPID_SUBJECT: 'mailto:push@city.example.cn',
      KX_WEBHOOK_SECRET: 'a-long-shared-secret',
      KX_CHANNEL_RATES: 'email=80, sms=5',
    });
    expect(c.channels).toEqual({
      smtp: { host: 'mail.example.cn', port: 465, secure: true, user: 'notice@city', pass: 'p@ss', from: '聊城政策快享 <notice@city.example.cn>', maxConnections: 5 },
      smpp: { host: '127.0.0.1', port: 2776, systemId: 'kx_city', password: 's3cret', sourceAddr: '1069012345', tls: false },
      smsHttp: {
        url: 'https://sms.example.cn/api/send', token: 'tok', authHeader: 'X-Api-Key', format: 'form',
        fields: { to: 'mobile', text: 'content', id: 'id' }, success: { path: 'result.code', equals: '0' }, providerIdPath: 'result.msgId',
      },
      webpush: { subject: 'mailto:push@city.example.cn' },
      webhook: { secret: 'a-long-shared-secret', timeoutMs: 10_000 },
      rates: { inbox: 1000, webpush: 100, email: 80, sms: 5, webhook: 50 },
    });
  });

  it('never repeats a password from a URL in its message', () => {
    expect(() => loadConfig({ KX_DATA_DIR: dir(), KX_SMPP_URL: 'tcp://kx:topsecret@smsc:2775' })).toThrow(/^(?!.*topsecret)/s);
  });

  it.each(BAD)('refuses %j and names it', (env, want) => {
    expect(() => loadConfig({ KX_DATA_DIR: dir(), ...env })).toThrow(want);
  });
});
