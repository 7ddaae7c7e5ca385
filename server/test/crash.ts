// A database for a crash test: child processes are killed with SIGKILL and restarted against it,
// so it must outlive them — a PGlite data folder, or a fresh PostgreSQL database when
// DATABASE_URL is set. `env` is what the children get; `open` is the test's own connection.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPostgres, openPglite, type Db } from '../src/db/db.ts';

export interface CrashTarget {
  env: Record<string, string | undefined>;
  open(): Promise<Db>;
  drop(): Promise<void>;
}

export async function crashTarget(kind: 'pglite' | 'postgres', name: string, key: Buffer, extraEnv: Record<string, string> = {}): Promise<CrashTarget> {
  const dir = mkdtempSync(join(tmpdir(), `kx-${name}-`));
  const base = { ...process.env, KX_DATA_DIR: dir, KX_DATA_KEY: key.toString('hex'), DATABASE_URL: undefined, ...extraEnv };
  if (kind === 'pglite') return { env: base, open: () => openPglite(join(dir, 'pgdata')), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  const url = new URL(process.env.DATABASE_URL!);
  const db = `kx_${name.replace(/-/g, '_')}_${randomBytes(5).toString('hex')}`;
  const admin = await connectPostgres(url.toString(), 1);
  await admin.query(`CREATE DATABASE ${db}`);
  url.pathname = `/${db}`;
  return {
    env: { ...base, DATABASE_URL: url.toString() },
    open: () => connectPostgres(url.toString(), 3),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
