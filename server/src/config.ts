// One typed configuration object, read from the environment once and validated at start.
// A bad value stops start-up with a message that names the variable, the value and why.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
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
  /** Values the browser may see. */
  public: { title: string };
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

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(env.KX_DATA_DIR || './data/local');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new ConfigError(`配置 DATABASE_URL=${JSON.stringify(databaseUrl)} 无效：应以 postgres:// 开头 / DATABASE_URL must start with postgres://`);
  const oidcIssuer = env.KX_OIDC_ISSUER;
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
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
    public: { title: '政策快享 Kuaixiang' },
  };
}
