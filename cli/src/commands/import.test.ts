// `kx import` as an operator runs it: a real child process on a PGlite data folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '@kx/data';
import { keepForLogScan } from '../../../server/test/logs.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const KX = join(ROOT, 'cli', 'bin', 'kx.mjs');

function kx(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL' && !k.startsWith('KX_'))) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KX, ...args], { cwd: ROOT, env: { ...base, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      keepForLogScan(`kx-${args[0]}`, out);
      resolve({ code, out });
    });
  });
}

describe('kx import', () => {
  let dir: string;
  let env: Record<string, string>;
  const id1 = makeIdNumber('371502', '1960-01-02', 11);
  const id2 = makeIdNumber('371502', '1971-08-09', 22);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kx-cli-import-'));
    env = { KX_DATA_DIR: join(dir, 'data'), KX_DATA_KEY: '07'.repeat(32) };
    writeFileSync(join(dir, 'good.csv'), `kind,id_number,name,household_size\nperson,${id1},张三,3\nperson,${id2},李四,2\n`);
    writeFileSync(join(dir, 'bad.csv'), `kind,id_number,name,household_size\nperson,${id1},张三,3\nperson,${id2.slice(0, 17)}0,李四,two\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects a file with a bad row, says which row and field, exits 1 and shows no ID number', async () => {
    const r = await kx(['import', join(dir, 'bad.csv'), '--source', 'civil', '--as-of', '2025-06-01'], env);
    expect(r.code).toBe(1);
    expect(r.out).toContain('已拒绝');
    expect(r.out).toMatch(/第 3 行 row 3 \[id_number\]/);
    expect(r.out).toMatch(/第 3 行 row 3 \[household_size\]/);
    expect(r.out).not.toContain(id2.slice(0, 17));
  });

  it('applies a good file and, run again, changes nothing', async () => {
    const first = await kx(['import', join(dir, 'good.csv'), '--source', 'civil', '--as-of', '2025-06-01'], env);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/新建主体 \/ created 2/);
    expect(first.out).toMatch(/行\/秒 rows\/s/);
    const again = await kx(['import', join(dir, 'good.csv'), '--source', 'civil', '--as-of', '2025-06-01'], env);
    expect(again.out).toMatch(/新建主体 \/ created 0，变更主体 \/ changed 0，历史记录 \/ history rows 0/);
    expect(first.out + again.out).not.toContain(id1);
  });

  it('--bulk loads new entities, skips bad rows and says which, and run again skips what exists', async () => {
    const id3 = makeIdNumber('371502', '1980-05-06', 33);
    const id4 = makeIdNumber('371502', '1985-07-08', 44);
    writeFileSync(join(dir, 'bulk.ndjson'), [
      JSON.stringify({ kind: 'person', facts: { id_number: id3, name: '王五', household_size: 4 } }),
      JSON.stringify({ kind: 'person', facts: { id_number: id4, household_size: 'four' } }),
      'not json',
    ].join('\n'));
    const first = await kx(['import', join(dir, 'bulk.ndjson'), '--source', 'civil', '--as-of', '2025-06-01', '--bulk'], env);
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/新建主体 \/ created 1，已存在而跳过 \/ skipped \(existing\) 0，有误 \/ bad 2/);
    expect(first.out).toMatch(/第 2 行 row 2/);
    expect(first.out).toMatch(/第 3 行 row 3/);
    const again = await kx(['import', join(dir, 'bulk.ndjson'), '--source', 'civil', '--as-of', '2025-06-01', '--bulk'], env);
    expect(again.out).toMatch(/新建主体 \/ created 0，已存在而跳过 \/ skipped \(existing\) 1/);
    expect(first.out + again.out).not.toContain(id3);
    expect(first.out + again.out).not.toContain(id4);
  });

  it('names a wrong source or format before touching the file', async () => {
    const r = await kx(['import', join(dir, 'good.csv'), '--source', 'nasa'], env);
    expect(r.code).toBe(1);
    expect(r.out).toContain('数据源 "nasa" 不存在');
    expect((await kx(['import', join(dir, 'good.csv'), '--source', 'civil', '--format', 'xls'], env)).out).toContain('--format');
  });
});
