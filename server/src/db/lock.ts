// The embedded PGlite database admits one process: two processes writing one data folder
// corrupt it. Whoever opens it first writes its pid to <data dir>/kx.lock; any other process
// (a `kx` command while `npm start` runs) is refused with a clear message. A lock left by a
// process that no longer exists (killed, crashed) is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'kx.lock';

export class DataDirLocked extends Error {
  constructor(
    readonly pid: number,
    readonly dataDir: string,
  ) {
    super(
      `服务正在使用该数据目录（pid ${pid}）；请先停止服务，或设置 DATABASE_URL 使用 PostgreSQL / ` +
        `the service is using this data directory (pid ${pid}); stop it first, or set DATABASE_URL to use PostgreSQL (${dataDir})`,
    );
    this.name = 'DataDirLocked';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, it is just not ours to signal.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(path: string): number | undefined {
  try {
    const pid = Number(JSON.parse(readFileSync(path, 'utf8')).pid);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // unreadable or half-written: treated as stale
  }
}

/** Takes the data folder's lock for this process; returns its release. */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, started: new Date().toISOString(), argv: process.argv.slice(1, 3) }));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw e;
      const pid = holder(path);
      if (pid !== undefined && pid !== process.pid && alive(pid)) throw new DataDirLocked(pid, dataDir);
      // Stale (or our own, from an open that was never closed): take it over.
      try {
        unlinkSync(path);
      } catch {
        /* another process took it over first; the next attempt sees its lock */
      }
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (holder(path) === process.pid) {
      try {
        unlinkSync(path);
      } catch {
        /* already gone */
      }
    }
  };
  process.on('exit', release);
  return release;
}
