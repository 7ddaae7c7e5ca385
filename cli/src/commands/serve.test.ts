// `kx serve` with several HTTP server processes (KX_HTTP_PROCESSES, node:cluster), as an
// operator runs it: a real child process on a fresh PostgreSQL database, real HTTP on
// loopback, connections spread over the processes by the cluster.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config.ts';
import { createCtx } from '../../../server/src/context.ts';
import { connectPostgres } from '../../../server/src/db/db.ts';
import { openDatabase } from '../../../server/src/db/open.ts';
import { createUser } from '../../../server/src/modules/accounts/service.ts';
import { SHUTDOWN_GRACE_MS } from '../../../server/src/app.ts';
import { keepForLogScan } from '../../../server/test/logs.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const KX = join(ROOT, 'cli', 'bin', 'kx.mjs');
const PASSWORD = 'Kuaixiang2025';
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL' && !k.startsWith('KX_'))) as Record<string, string>;

/** One request on a connection of its own, so the cluster hands each to the next process. */
function call(url: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(`${url}${path}`, {
      method, agent: false,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(data ? { 'content-type': 'application/json' } : {}) },
    }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`${method} ${path}: no answer in 5 s`)));
    req.end(data);
  });
}

const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)]).toString().split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
};

/** `kx serve --no-web --no-worker` as a child process, once its output matches `ready` (group 1: the URL). */
async function startServe(env: Record<string, string>, ready = /is running: (http:\/\/\S+)/): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [KX, 'serve', '--no-web', '--no-worker'], { cwd: ROOT, env });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const seen = (d: Buffer) => {
      output += d.toString();
      const m = ready.exec(output);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('exit', (code) => reject(new Error(`kx serve exited ${code}: ${output}`)));
  });
  return { child, url, output: () => output };
}

describe('kx serve with several server processes', () => {
  it('refuses them on the embedded database, naming the setting', async () => {
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(process.execPath, [KX, 'serve', '--no-web'], { cwd: ROOT, env: { ...cleanEnv(), KX_DATA_DIR: mkdtempSync(join(tmpdir(), 'kx-serve-')), KX_HTTP_PROCESSES: '2', PORT: '0' } });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      child.on('close', (code) => resolve({ code, text }));
    });
    expect(out.code).toBe(1);
    expect(out.text).toContain('KX_HTTP_PROCESSES=2');
    expect(out.text).toContain('DATABASE_URL');
  });

  it('stops on SIGTERM within its grace period although a client never reads its answer', async () => {
    const env = { ...cleanEnv(), KX_DATA_DIR: mkdtempSync(join(tmpdir(), 'kx-serve-')), KX_SEED_DEMO: 'false', PORT: '0', LOG_LEVEL: 'warn' };
    const { child: server, url, output } = await startServe(env);
    // The API docs page's script bundle (over a megabyte), asked for and never read.
    const html = await (await fetch(`${url}/api/v1/docs`)).text();
    const bundle = [...html.matchAll(/src="([^"]+\.js)"/g)].map((m) => new URL(m[1], `${url}/api/v1/docs/`).href)[0];
    const unread = await fetch(bundle);
    expect(unread.status).toBe(200);
    const t = Date.now();
    const exited = new Promise<number | null>((r) => server.once('exit', r));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - t).toBeLessThan(SHUTDOWN_GRACE_MS + 5_000);
    keepForLogScan('kx-serve-grace', output());
  }, 60_000);

  describe.runIf(!!process.env.DATABASE_URL)('on PostgreSQL', () => {
    const name = `kx_test_${randomBytes(6).toString('hex')}`;
    const dbUrl = new URL(process.env.DATABASE_URL ?? 'postgres://localhost/x');
    dbUrl.pathname = `/${name}`;
    const env = { ...cleanEnv(), DATABASE_URL: dbUrl.toString(), KX_DATA_DIR: mkdtempSync(join(tmpdir(), 'kx-serve-')), KX_DATA_KEY: '07'.repeat(32), KX_SEED_DEMO: 'false', KX_HTTP_PROCESSES: '2', PORT: '0', LOG_LEVEL: 'warn' };
    let server: ChildProcess;
    let output = () => '';
    let url = '';

    beforeAll(async () => {
      const admin = await connectPostgres(process.env.DATABASE_URL!, 1);
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.close();
      const db = await openDatabase(loadConfig(env));
      const ctx = createCtx(loadConfig(env), db);
      await db.tx((q) => createUser(ctx, q, { username: 'ops-admin', display_name: '运维', role: 'admin', password: PASSWORD } as never, undefined));
      await db.close();
      ({ child: server, url, output } = await startServe(env, /is running: (http:\/\/\S+)[^]*server processes: 2/));
    }, 60_000);

    afterAll(async () => {
      if (server && server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
      }
      keepForLogScan('kx-serve-processes', output());
      const admin = await connectPostgres(process.env.DATABASE_URL!, 1);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    });

    it('serves from two processes, and a logout ends the session in both at once', async () => {
      expect(output()).toContain('server processes: 2');
      expect(childrenOf(server.pid!)).toHaveLength(2);
      const login = await call(url, 'POST', '/api/v1/auth/login', undefined, { username: 'ops-admin', password: PASSWORD });
      expect(login.status).toBe(200);
      const { token } = login.json as { token: string };
      // Every process has now looked the session up, and keeps it for SESSION_TTL_MS.
      for (let k = 0; k < 10; k++) expect((await call(url, 'GET', '/api/v1/auth/me', token)).status).toBe(200);
      expect((await call(url, 'POST', '/api/v1/auth/logout', token)).status).toBe(204);
      await new Promise((r) => setTimeout(r, 200));
      const after = await Promise.all(Array.from({ length: 10 }, () => call(url, 'GET', '/api/v1/auth/me', token)));
      expect(after.map((r) => r.status)).toEqual(Array(10).fill(401));
    });

    it('starts another process when one dies, and keeps answering meanwhile', async () => {
      const [first, second] = childrenOf(server.pid!);
      process.kill(first, 'SIGKILL');
      // (a connection handed over at the very instant of the death is lost with it, as in any cluster)
      await new Promise((r) => setTimeout(r, 300));
      const answers = await Promise.all(Array.from({ length: 10 }, () => call(url, 'GET', '/api/v1/health')));
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      const end = Date.now() + 30_000;
      let now = childrenOf(server.pid!);
      while ((now.length < 2 || now.includes(first)) && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        now = childrenOf(server.pid!);
      }
      expect(now).toHaveLength(2);
      expect(now).toContain(second);
      expect(now).not.toContain(first);
      expect(output()).toContain(`server process ${first} exited (SIGKILL), starting another`);
      const again = await Promise.all(Array.from({ length: 10 }, () => call(url, 'GET', '/api/v1/health')));
      expect(again.map((a) => a.status)).toEqual(Array(10).fill(200));
    }, 40_000);

    it('stops every process on SIGTERM', async () => {
      const children = childrenOf(server.pid!);
      server.kill('SIGTERM');
      const code = await new Promise((r) => server.once('exit', r));
      expect(code).toBe(0);
      for (const pid of children) expect(() => process.kill(pid, 0)).toThrow();
    }, 30_000);
  });
});
