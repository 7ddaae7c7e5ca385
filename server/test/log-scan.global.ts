// Vitest global setup: gives the run a folder for log files (server/test/logs.ts writes every
// captured server log line there, and CLI runs their output) and, when the whole run is
// over, scans every file in it: no ID number and no phone number may appear in the logs of
// the test run. A hit fails the run and names the file and the (masked) value.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOG_DIR_ENV } from './logs.ts';
import { findPersonalData } from './pii.ts';

let dir: string | undefined;

export function setup(): void {
  dir = mkdtempSync(join(tmpdir(), 'kx-test-logs-'));
  process.env[LOG_DIR_ENV] = dir;
}

export function scanLogDir(folder: string): { files: number; problems: string[] } {
  const files = readdirSync(folder);
  const problems: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(folder, f), 'utf8');
    for (const hit of findPersonalData(text))
      problems.push(`${f}: ${hit.kind === 'id_number' ? '身份证号 / ID number' : '手机号 / phone number'} ${hit.masked} at offset ${hit.index}`);
  }
  return { files: files.length, problems };
}

export function teardown(): void {
  if (!dir) return;
  const { problems } = scanLogDir(dir);
  if (problems.length) {
    // Keep the folder for inspection when the scan fails. Vitest reports an error thrown
    // here but still exits 0, so the exit code is set as well.
    process.exitCode = 1;
    throw new Error(`测试运行的日志中出现个人信息 / personal data in the logs of the test run (${dir}):\n${problems.slice(0, 20).join('\n')}`);
  }
  rmSync(dir, { recursive: true, force: true });
}
