// `kx migrate` and `kx audit verify` as an operator runs them: real child processes on a
// PGlite data folder, and on a PostgreSQL database when DATABASE_URL is set.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config.ts';
import { connectPostgres, type Db } from '../../../server/src/db/db.ts';
import { openDatabase } from '../../../server/src/db/open.ts';
import { appendAudit } from '../../../server/src/modules/audit/audit.ts';
import { keepForLogScan } from '../../../server/test/logs.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const KX = join(ROOT, 'cli', 'bin', 'kx.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function kx(args: string[], env: Record<string, string>): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL' && !k.startsWith('KX_'))) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KX, ...args], { cwd: ROOT, env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      keepForLogScan(`kx-${args.join('-')}`, stdout + stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

interface Target {
  env: Record<string, string>;
  open(): Promise<Db>;
  cleanup(): Promise<void>;
}

async function pgliteTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'kx-cli-audit-'));
  const env = { KX_DATA_DIR: dir, KX_DATA_KEY: '07'.repeat(32) };
  return { env, open: () => openDatabase(loadConfig(env), { migrate: false }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function postgresTarget(): Promise<Target> {
  const url = new URL(process.env.DATABASE_URL!);
  const name = `kx_cli_${randomBytes(6).toString('hex')}`;
  const admin = await connectPostgres(url.toString(), 1);
  await admin.query(`CREATE DATABASE ${name}`);
  url.pathname = `/${name}`;
  const dir = mkdtempSync(join(tmpdir(), 'kx-cli-audit-'));
  const env = { DATABASE_URL: url.toString(), KX_DATA_DIR: dir, KX_DATA_KEY: '07'.repeat(32) };
  return {
    env,
    open: () => connectPostgres(url.toString(), 1),
    cleanup: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const TARGETS: [string, () => Promise<Target>][] = [['pglite', pgliteTarget]];
if (process.env.DATABASE_URL) TARGETS.push(['postgres', postgresTarget]);

describe.each(TARGETS)('kx migrate and kx audit verify on %s', (_kind, makeTarget) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget();
  });
  afterAll(() => t.cleanup());

  it('says to migrate first when the database is empty', async () => {
    const r = await kx(['audit', 'verify'], t.env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('kx migrate');
  });

  it('migrates once, then reports the database up to date', async () => {
    const first = await kx(['migrate'], t.env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/\b1_init\b/);
    const again = await kx(['migrate'], t.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('up to date');
  });

  it('passes on an intact log and fails, naming the row, after a direct UPDATE', async () => {
    let db = await t.open();
    try {
      for (let i = 1; i <= 6; i++) await appendAudit(db, { actor: 'user:1:admin', action: 'item.publish', subject: `item:it-${i}` });
    } finally {
      await db.close();
    }
    const ok = await kx(['audit', 'verify'], t.env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('6 rows');

    db = await t.open();
    let target: string;
    try {
      target = (await db.query<{ id: string }>("SELECT id::text AS id FROM audit_log WHERE subject = 'item:it-4'")).rows[0].id;
      await db.query(`UPDATE audit_log SET subject = 'item:it-99' WHERE id = $1`, [target]);
    } finally {
      await db.close();
    }
    const broken = await kx(['audit', 'verify'], t.env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`id=${target}`);
    expect(broken.stderr).toContain('FAILED');
  });

  it('also fails when a row is deleted, at the row after the gap', async () => {
    const db = await t.open();
    let next: string;
    try {
      // Restore the changed row first, so that only the deletion is found.
      await db.query("UPDATE audit_log SET subject = 'item:it-4' WHERE subject = 'item:it-99'");
      await db.query("DELETE FROM audit_log WHERE subject = 'item:it-2'");
      next = (await db.query<{ id: string }>("SELECT id::text AS id FROM audit_log WHERE subject = 'item:it-3'")).rows[0].id;
    } finally {
      await db.close();
    }
    const r = await kx(['audit', 'verify'], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`id=${next}`);
  });
});
