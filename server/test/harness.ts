// Test harness: the real app on a real database — PGlite in memory always, and the
// PostgreSQL server too when DATABASE_URL is set (each test file gets its own database,
// dropped afterwards). The clock is pinned so that deadlines and ages are reproducible.
import { randomBytes } from 'node:crypto';
import { buildApp, type App, type RouteModule } from '../src/app.ts';
import type { Config } from '../src/config.ts';
import { createCtx, type Ctx } from '../src/context.ts';
import { connectPostgres, openPglite, type Db } from '../src/db/db.ts';
import { migrate } from '../src/db/migrate.ts';
import { createUser } from '../src/modules/accounts/service.ts';
import { seedDepartments } from '../src/seed/departments.ts';

export const DATABASES: ('pglite' | 'postgres')[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
export const PASSWORD = 'Kuaixiang2025';
export const TEST_NOW = new Date('2025-06-30T02:00:00Z');

export function testConfig(over: Partial<Config> = {}): Config {
  return {
    port: 0, host: '127.0.0.1', httpProcesses: 1, dataDir: '/tmp/kx-test', dataKey: Buffer.alloc(32, 7), cipher: 'aes-256-gcm', seedDemo: false,
    demoPeople: 0, demoEnterprises: 0, logLevel: 'silent', secureCookies: false, sessionHours: 8, public: { title: 'test' }, ...over,
  };
}

async function freshPostgres(): Promise<{ db: Db; drop: () => Promise<void> }> {
  const url = new URL(process.env.DATABASE_URL!);
  const name = `kx_test_${randomBytes(6).toString('hex')}`;
  const admin = await connectPostgres(url.toString(), 1);
  await admin.query(`CREATE DATABASE ${name}`);
  url.pathname = `/${name}`;
  const db = await connectPostgres(url.toString(), 5);
  return {
    db,
    drop: async () => {
      await db.close();
      // pool.end() returns before its connections are gone; let them close before dropping.
      for (let i = 0; i < 40; i++) {
        const r = await admin.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (r.rows[0].n === '0') break;
        await new Promise((res) => setTimeout(res, 50));
      }
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

export interface TestEnv {
  kind: 'pglite' | 'postgres';
  db: Db;
  ctx: Ctx;
  app: App;
  clock: { now: Date };
  close(): Promise<void>;
  /** Log in as a username (password PASSWORD) and return the session token. */
  login(username: string): Promise<string>;
}

export async function testEnv(kind: 'pglite' | 'postgres', opts: { modules?: RouteModule[]; config?: Partial<Config> } = {}): Promise<TestEnv> {
  let db: Db;
  let drop = async () => {};
  if (kind === 'postgres') ({ db, drop } = await freshPostgres());
  else {
    db = await openPglite(undefined);
    drop = () => db.close();
  }
  await migrate(db);
  await seedDepartments(db);
  const clock = { now: new Date(TEST_NOW) };
  const ctx = createCtx(testConfig(opts.config), db, () => new Date(clock.now));
  const app = await buildApp(ctx, { logger: false, extraModules: opts.modules ?? [] });
  return {
    kind, db, ctx, app, clock,
    close: async () => {
      await app.close();
      await drop();
    },
    login: async (username) => {
      const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
      if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
      return (r.json() as { token: string }).token;
    },
  };
}

/** Creates a user with PASSWORD. Entity roles need an entity id. */
export async function addUser(env: TestEnv, username: string, role: string, extra: { department?: string; entity_id?: string } = {}): Promise<string> {
  const u = await env.db.tx((q) => createUser(env.ctx, q, { username, display_name: username, role: role as never, password: PASSWORD, ...extra }, undefined));
  return u.id;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
