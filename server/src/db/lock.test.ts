// The embedded database is single-process: while one process (npm start) has a data folder
// open, another (a kx command) is refused with a clear message; a lock left by a killed
// process is taken over.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { DataDirLocked, LOCK_FILE } from './lock.ts';
import { openDatabase } from './open.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');
const OPEN = join(HERE, 'open.ts');
const CONFIG = join(HERE, '..', 'config.ts');

/** A process that opens the data folder as the service does and keeps it open. */
function holder(dir: string): Promise<ChildProcess> {
  const code = `const { openDatabase } = await import(${JSON.stringify(OPEN)}); const { loadConfig } = await import(${JSON.stringify(CONFIG)});
    await openDatabase(loadConfig(process.env), { migrate: false }); process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, env: { ...envOf(dir), PATH: process.env.PATH } });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.on('exit', (c) => reject(new Error(`holder exited ${c}: ${err}`)));
  });
}

const envOf = (dir: string) => ({ KX_DATA_DIR: dir, KX_DATA_KEY: '07'.repeat(32) });

function kx(args: string[], dir: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'cli', 'bin', 'kx.mjs'), ...args], { cwd: ROOT, env: { ...envOf(dir), PATH: process.env.PATH } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('the PGlite data folder lock', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'kx-lock-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('refuses a second process while the first holds the folder, names its pid, and takes over once it is killed', async () => {
    const dir = fresh();
    const child = await holder(dir);
    try {
      const err = await openDatabase(loadConfig(envOf(dir)), { migrate: false }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(DataDirLocked);
      expect((err as Error).message).toContain(`服务正在使用该数据目录（pid ${child.pid}）；请先停止服务，或设置 DATABASE_URL 使用 PostgreSQL`);
      expect((err as Error).message).toContain(`the service is using this data directory (pid ${child.pid})`);
      // The operator's command says the same and exits non-zero, without a stack trace.
      const run = await kx(['audit', 'verify'], dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`pid ${child.pid}`);
      expect(run.stderr).not.toContain('    at ');
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    // The killed process left its lock behind; it is stale and taken over.
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    const db = await openDatabase(loadConfig(envOf(dir)));
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    await db.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 60_000);

  it('takes over a lock whose pid no longer exists or that cannot be read', async () => {
    const dir = fresh();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    const db = await openDatabase(loadConfig(envOf(dir)), { migrate: false });
    await db.close();
    writeFileSync(join(dir, LOCK_FILE), '{half');
    const again = await openDatabase(loadConfig(envOf(dir)), { migrate: false });
    await again.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 60_000);
});
