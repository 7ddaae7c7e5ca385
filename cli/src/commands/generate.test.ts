import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPopulation, csvColumns, csvHeader, liaochengDictionary, loadCatalogue, ndjsonLine } from '@kx/data';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'kx-generate-'));
const kx = (...args: string[]) => main(['node', 'kx', ...args]);

afterEach(() => vi.restoreAllMocks());

describe('kx generate population', () => {
  it('writes the same NDJSON bytes as the in-process generator, and reports progress on stderr', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = join(dir, 'p.ndjson');
    await kx('generate', 'population', '--people', '300', '--enterprises', '50', '--seed', '12', '--out', out);
    const expected = [...createPopulation({ people: 300, enterprises: 50, seed: '12' }).profiles()].map(ndjsonLine).join('');
    expect(readFileSync(out, 'utf8')).toBe(expected);
    expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/350\/350/);
  });

  it('writes CSV with a header of every field and one row per profile, and can write a slice', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = join(dir, 'p.csv');
    await kx('generate', 'population', '--people', '40', '--enterprises', '10', '--seed', '3', '--format', 'csv', '--out', out);
    const lines = readFileSync(out, 'utf8').split('\n').filter(Boolean);
    expect(lines[0] + '\n').toBe(csvHeader(csvColumns(liaochengDictionary())));
    expect(lines).toHaveLength(51);
    expect(lines[1].startsWith('person,P00000000,')).toBe(true);
    expect(lines[50].startsWith('enterprise,E00000009,')).toBe(true);
    const slice = join(dir, 'slice.csv');
    await kx('generate', 'population', '--people', '40', '--enterprises', '10', '--seed', '3', '--format', 'csv', '--from', '20', '--to', '30', '--out', slice);
    expect(readFileSync(slice, 'utf8').split('\n').filter(Boolean)).toEqual(lines.slice(21, 31));
  });
});

describe('kx generate catalogue', () => {
  it('writes one policy file per document that loads and type-checks, and prints the counts', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const out = join(dir, 'cat');
    await kx('generate', 'catalogue', '--items', '40', '--documents', '20', '--seed', '2', '--out', out);
    expect(JSON.parse(String(log.mock.calls.at(-1)?.[0]))).toMatchObject({ documents: 20, items: 40, auto_grant: 7, online: 31, offline: 2 });
    expect(readdirSync(out)).toHaveLength(20);
    const loaded = loadCatalogue(out, liaochengDictionary());
    expect(loaded.errors.map((e) => e.message)).toEqual([]);
    expect(loaded.items).toHaveLength(40);
  });
});
