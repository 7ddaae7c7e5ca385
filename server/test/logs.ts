// Captures what the server logs during a test: the very lines it would write to stdout
// (after the logger's own filters). When the suite runs under the log-scan global setup,
// every captured line is also appended to a file in KX_TEST_LOG_DIR, so that the whole
// run's logs are scanned for ID numbers and phone numbers at the end.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildApp, type App, type RouteModule } from '../src/app.ts';
import type { Ctx } from '../src/context.ts';

export const LOG_DIR_ENV = 'KX_TEST_LOG_DIR';

export interface LogCapture {
  write(line: string): void;
  /** Every line written so far, as written. */
  lines(): string[];
  /** The lines parsed as JSON (pino writes one object per line). */
  records(): Record<string, unknown>[];
  text(): string;
}

/** A sink for log lines; `name` labels the file the lines are kept in for the final scan. */
export function captureLogs(name = 'capture'): LogCapture {
  const lines: string[] = [];
  const dir = process.env[LOG_DIR_ENV];
  const file = dir ? join(dir, `${name}-${process.pid}-${randomBytes(4).toString('hex')}.log`) : undefined;
  return {
    write(chunk: string) {
      for (const l of chunk.split('\n')) if (l.trim()) lines.push(l);
      if (file) appendFileSync(file, chunk.endsWith('\n') ? chunk : `${chunk}\n`);
    },
    lines: () => [...lines],
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => lines.join('\n'),
  };
}

/** Keeps output of something other than the server (a CLI run, say) for the final scan. */
export function keepForLogScan(name: string, text: string): void {
  const dir = process.env[LOG_DIR_ENV];
  if (dir && text) appendFileSync(join(dir, `${name}-${process.pid}-${randomBytes(4).toString('hex')}.log`), text);
}

/**
 * A second app on the same context (same database and clock) that logs at debug level
 * into a capture — the production logger configuration, only the destination differs.
 */
export async function appWithLogs(ctx: Ctx, modules: RouteModule[] = [], name = 'app'): Promise<{ app: App; logs: LogCapture }> {
  const logs = captureLogs(name);
  const app = await buildApp({ ...ctx, config: { ...ctx.config, logLevel: 'debug' } }, { logStream: logs, extraModules: modules });
  return { app, logs };
}
