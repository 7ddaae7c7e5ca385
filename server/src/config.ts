// One typed configuration object, read from the environment once and validated at start.
// A bad value stops start-up with a message that names the variable, the value and why.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  /**
   * HTTP server processes sharing the port (node:cluster), KX_HTTP_PROCESSES; 1 = this process
   * serves. More than one needs PostgreSQL (the embedded PGlite belongs to one process).
   */
  httpProcesses: number;
  /**
   * KX_CLOCK: the instant the platform's clock starts from (then runs on in real time) — a
   * training or demonstration environment, or a benchmark catalogue in force on its own date.
   * Absent: the real time.
   */
  clockStart?: Date;
  /** Folder of the embedded database and generated keys. */
  dataDir: string;
  /** postgres://… to use a PostgreSQL server; undefined = embedded PGlite in dataDir. */
  databaseUrl?: string;
  /** 32-byte master key for personal data at rest (hex), and the cipher to use. */
  dataKey: Buffer;
  cipher: 'aes-256-gcm' | 'sm4-gcm';
  /** Seed demo catalogue, population and accounts on first start. */
  seedDemo: boolean;
  demoPeople: number;
  demoEnterprises: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Secure cookies (HTTPS); off for plain http://127.0.0.1. */
  secureCookies: boolean;
  sessionHours: number;
  oidc?: { issuer: string; clientId: string; clientSecret: string; redirectUri: string };
  /** Push transports (issue 6); absent in tests that do not push. A channel without settings
   *  is absent and the portal inbox alone is used. */
  channels?: ChannelSettings;
  /** Values the browser may see. */
  public: { title: string };
}

/** Settings of the push transports, read from KX_SMTP_URL, KX_SMPP_URL, KX_SMS_HTTP_*,
 *  KX_VAPID_SUBJECT, KX_WEBHOOK_SECRET and KX_CHANNEL_RATES. Secrets stay here, never in logs. */
export interface ChannelSettings {
  smtp?: { host: string; port: number; secure: boolean; user?: string; pass?: string; from: string; maxConnections: number };
  smpp?: { host: string; port: number; systemId: string; password: string; sourceAddr: string; tls: boolean };
  smsHttp?: SmsHttpSettings;
  /** Web push is on when a VAPID subject (mailto: or https:) is set; keys live in dataDir/vapid.json. */
  webpush?: { subject: string };
  /** Webhooks need no settings (each subscriber gives its URL); the signing secret is
   *  KX_WEBHOOK_SECRET or one generated into dataDir/webhook-secret.hex. */
  webhook: { secret?: string; timeoutMs: number };
  /** Messages per second each channel may hand to its transport (the dispatcher's limiter). */
  rates: Record<ChannelRateName, number>;
}

export type ChannelRateName = 'inbox' | 'webpush' | 'email' | 'sms' | 'webhook';

export interface SmsHttpSettings {
  url: string;
  token?: string;
  /** How the token is sent: `Authorization: Bearer <token>` or as the named header. */
  authHeader: string;
  format: 'json' | 'form';
  /** Field names the gateway expects for the phone number, the text and our delivery id. */
  fields: { to: string; text: string; id: string };
  /** Success = 2xx and the value at this dotted JSON path equals `equals` (when a path is given). */
  success: { path?: string; equals?: string };
  /** Dotted JSON path of the gateway's own message id in its answer. */
  providerIdPath?: string;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`配置 ${name}=${JSON.stringify(raw)} 无效：应为 ${min} 到 ${max} 的整数 / ${name}=${JSON.stringify(raw)} must be an integer from ${min} to ${max}`);
  return n;
}

function bool(env: Env, name: string, dflt: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`配置 ${name}=${JSON.stringify(raw)} 无效：应为 true 或 false / ${name} must be true or false`);
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], dflt: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  if (!values.includes(raw as T)) throw new ConfigError(`配置 ${name}=${JSON.stringify(raw)} 无效：可选 ${values.join(' | ')} / ${name} must be one of ${values.join(', ')}`);
  return raw as T;
}

/** The data key comes from KX_DATA_KEY, or is generated once into the data folder (demo use). */
function dataKey(env: Env, dataDir: string): Buffer {
  const raw = env.KX_DATA_KEY;
  if (raw) {
    if (!/^[0-9a-fA-F]{64}$/.test(raw)) throw new ConfigError('配置 KX_DATA_KEY 无效：应为 64 位十六进制（32 字节）/ KX_DATA_KEY must be 64 hex characters (32 bytes)');
    return Buffer.from(raw, 'hex');
  }
  const file = join(dataDir, 'data-key.hex');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}

function url(env: Env, name: string, protocols: readonly string[]): URL | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`配置 ${name}=${JSON.stringify(redactUrl(raw))} 无效：不是网址 / ${name} is not a URL`);
  }
  if (!protocols.includes(u.protocol.slice(0, -1)))
    throw new ConfigError(`配置 ${name}=${JSON.stringify(redactUrl(raw))} 无效：应以 ${protocols.map((p) => `${p}://`).join(' 或 ')} 开头 / ${name} must start with ${protocols.map((p) => `${p}://`).join(' or ')}`);
  if (!u.hostname) throw new ConfigError(`配置 ${name}=${JSON.stringify(redactUrl(raw))} 无效：缺少主机名 / ${name} has no host`);
  return u;
}

/** Error messages name the value but never the password inside it. */
function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

function port(u: URL, name: string, dflt: number): number {
  if (u.port === '') return dflt;
  const n = Number(u.port);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`配置 ${name} 的端口无效 / ${name} has a bad port`);
  return n;
}

const RATE_CHANNELS = ['inbox', 'webpush', 'email', 'sms', 'webhook'] as const;
const DEFAULT_RATES: Record<ChannelRateName, number> = { inbox: 1000, webpush: 100, email: 50, sms: 20, webhook: 50 };

/** KX_CHANNEL_RATES=email=50,sms=20 — messages per second; unnamed channels keep their default. */
function rates(env: Env): Record<ChannelRateName, number> {
  const out = { ...DEFAULT_RATES };
  const raw = env.KX_CHANNEL_RATES;
  if (!raw) return out;
  for (const part of raw.split(',')) {
    const m = /^\s*(\w+)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    const name = m?.[1] as ChannelRateName | undefined;
    if (!m || !name || !RATE_CHANNELS.includes(name) || Number(m[2]) <= 0 || Number(m[2]) > 100_000)
      throw new ConfigError(`配置 KX_CHANNEL_RATES=${JSON.stringify(raw)} 无效：应为 渠道=每秒条数,…（渠道 ${RATE_CHANNELS.join(' | ')}，0 到 100000）/ KX_CHANNEL_RATES must be channel=perSecond,… with channel one of ${RATE_CHANNELS.join(', ')}`);
    out[name] = Number(m[2]);
  }
  return out;
}

/** `to=mobile,text=content,id=requestId` — the HTTP SMS gateway's field names. */
function smsFields(env: Env): SmsHttpSettings['fields'] {
  const fields = { to: 'to', text: 'text', id: 'id' };
  const raw = env.KX_SMS_HTTP_FIELDS;
  if (!raw) return fields;
  for (const part of raw.split(',')) {
    const m = /^\s*(to|text|id)\s*=\s*([\w.-]+)\s*$/.exec(part);
    if (!m) throw new ConfigError(`配置 KX_SMS_HTTP_FIELDS=${JSON.stringify(raw)} 无效：应为 to=…,text=…,id=… / KX_SMS_HTTP_FIELDS must be to=…,text=…,id=…`);
    fields[m[1] as keyof typeof fields] = m[2];
  }
  return fields;
}

function channelSettings(env: Env): ChannelSettings {
  const smtp = url(env, 'KX_SMTP_URL', ['smtp', 'smtps']);
  const smpp = url(env, 'KX_SMPP_URL', ['smpp', 'ssmpp']);
  const smsHttp = url(env, 'KX_SMS_HTTP_URL', ['http', 'https']);
  const subject = env.KX_VAPID_SUBJECT;
  if (subject && !/^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/.test(subject))
    throw new ConfigError(`配置 KX_VAPID_SUBJECT=${JSON.stringify(subject)} 无效：应为 mailto:地址 或 https:// 网址 / KX_VAPID_SUBJECT must be mailto:… or https://…`);
  const success = env.KX_SMS_HTTP_SUCCESS;
  const successMatch = success ? /^([\w.-]+)=(.*)$/.exec(success) : null;
  if (success && !successMatch)
    throw new ConfigError(`配置 KX_SMS_HTTP_SUCCESS=${JSON.stringify(success)} 无效：应为 JSON路径=值，例如 code=0 / KX_SMS_HTTP_SUCCESS must be path=value, e.g. code=0`);
  const mailFrom = env.KX_MAIL_FROM || '政策快享 <noreply@kuaixiang.local>';
  if (!/@/.test(mailFrom)) throw new ConfigError(`配置 KX_MAIL_FROM=${JSON.stringify(mailFrom)} 无效：应含电子邮件地址 / KX_MAIL_FROM must contain an address`);
  if (env.KX_WEBHOOK_SECRET !== undefined && env.KX_WEBHOOK_SECRET !== '' && env.KX_WEBHOOK_SECRET.length < 16)
    throw new ConfigError('配置 KX_WEBHOOK_SECRET 无效：至少 16 个字符 / KX_WEBHOOK_SECRET must have at least 16 characters');
  if (smpp && !smpp.username) throw new ConfigError('配置 KX_SMPP_URL 无效：缺少 system_id（smpp://system_id:password@host:port）/ KX_SMPP_URL needs system_id:password@');
  return {
    ...(smtp
      ? {
          smtp: {
            host: smtp.hostname, port: port(smtp, 'KX_SMTP_URL', smtp.protocol === 'smtps:' ? 465 : 587), secure: smtp.protocol === 'smtps:',
            ...(smtp.username ? { user: decodeURIComponent(smtp.username), pass: decodeURIComponent(smtp.password) } : {}),
            from: mailFrom, maxConnections: int(env, 'KX_SMTP_CONNECTIONS', 5, 1, 100),
          },
        }
      : {}),
    ...(smpp
      ? {
          smpp: {
            host: smpp.hostname, port: port(smpp, 'KX_SMPP_URL', 2775), systemId: decodeURIComponent(smpp.username),
            password: decodeURIComponent(smpp.password), sourceAddr: env.KX_SMS_SENDER || '10690000', tls: smpp.protocol === 'ssmpp:',
          },
        }
      : {}),
    ...(smsHttp
      ? {
          smsHttp: {
            url: smsHttp.toString(), ...(env.KX_SMS_HTTP_TOKEN ? { token: env.KX_SMS_HTTP_TOKEN } : {}),
            authHeader: env.KX_SMS_HTTP_AUTH_HEADER || 'Authorization',
            format: oneOf(env, 'KX_SMS_HTTP_FORMAT', ['json', 'form'] as const, 'json'),
            fields: smsFields(env),
            success: successMatch ? { path: successMatch[1], equals: successMatch[2] } : {},
            ...(env.KX_SMS_HTTP_ID_PATH ? { providerIdPath: env.KX_SMS_HTTP_ID_PATH } : {}),
          },
        }
      : {}),
    ...(subject ? { webpush: { subject } } : {}),
    webhook: { ...(env.KX_WEBHOOK_SECRET ? { secret: env.KX_WEBHOOK_SECRET } : {}), timeoutMs: int(env, 'KX_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000) },
    rates: rates(env),
  };
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(env.KX_DATA_DIR || './data/local');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new ConfigError(`配置 DATABASE_URL=${JSON.stringify(databaseUrl)} 无效：应以 postgres:// 开头 / DATABASE_URL must start with postgres://`);
  const oidcIssuer = env.KX_OIDC_ISSUER;
  const httpProcesses = int(env, 'KX_HTTP_PROCESSES', 1, 1, 64);
  if (httpProcesses > 1 && !databaseUrl)
    throw new ConfigError(
      `配置 KX_HTTP_PROCESSES=${httpProcesses} 无效：多个服务进程需要 PostgreSQL（DATABASE_URL），内嵌数据库只能由一个进程打开 / KX_HTTP_PROCESSES above 1 needs DATABASE_URL: the embedded database belongs to one process`,
    );
  const clock = env.KX_CLOCK;
  const clockStart = clock ? new Date(clock) : undefined;
  if (clock && (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(clock) || Number.isNaN(clockStart!.getTime())))
    throw new ConfigError(`配置 KX_CLOCK=${JSON.stringify(clock)} 无效：应为日期或带时区的时间，如 2025-06-30 或 2025-06-30T10:00:00+08:00 / KX_CLOCK must be a date or a time with its zone`);
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    httpProcesses,
    ...(clockStart ? { clockStart } : {}),
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    dataKey: dataKey(env, dataDir),
    cipher: oneOf(env, 'KX_CIPHER', ['aes-256-gcm', 'sm4-gcm'] as const, 'aes-256-gcm'),
    seedDemo: bool(env, 'KX_SEED_DEMO', true),
    demoPeople: int(env, 'KX_DEMO_PEOPLE', 20_000, 0, 10_000_000),
    demoEnterprises: int(env, 'KX_DEMO_ENTERPRISES', 2_000, 0, 1_000_000),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const, 'info'),
    secureCookies: bool(env, 'KX_SECURE_COOKIES', false),
    sessionHours: int(env, 'KX_SESSION_HOURS', 8, 1, 24 * 30),
    ...(oidcIssuer
      ? {
          oidc: {
            issuer: oidcIssuer,
            clientId: env.KX_OIDC_CLIENT_ID ?? '',
            clientSecret: env.KX_OIDC_CLIENT_SECRET ?? '',
            redirectUri: env.KX_OIDC_REDIRECT_URI ?? `http://127.0.0.1:${env.PORT ?? 3000}/api/v1/auth/oidc/callback`,
          },
        }
      : {}),
    channels: channelSettings(env),
    public: { title: '政策快享 Kuaixiang' },
  };
}
