import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvError, CsvParser, readCsv } from './csv.ts';

const cell = (s: string) => (/[",\r\n]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s);
const write = (rows: string[][], eol: string) => rows.map((r) => r.map(cell).join(',')).join(eol) + eol;

async function parse(chunks: (string | Uint8Array)[]): Promise<string[][]> {
  const out: string[][] = [];
  async function* gen() {
    yield* chunks;
  }
  for await (const r of readCsv(gen())) out.push(r.fields);
  return out;
}

describe('CSV reader', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF', async () => {
    const text = 'kind,name,note\r\nperson,"李,四","他说""好""\n第二行"\nenterprise,x,\n';
    expect(await parse([text])).toEqual([
      ['kind', 'name', 'note'],
      ['person', '李,四', '他说"好"\n第二行'],
      ['enterprise', 'x', ''],
    ]);
  });

  it('numbers records as a spreadsheet shows them, not by physical line', () => {
    const p = new CsvParser();
    const rows = [...p.push('a,b\n"x\ny",1\nz,2'), ...p.end()];
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(rows[2].fields).toEqual(['z', '2']);
  });

  it('gives the same records however the bytes are split (property)', async () => {
    const field = fc.string({ unit: fc.constantFrom('a', '李', ',', '"', '\n', '\r', ' ', '1'), maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n'), fc.integer({ min: 1, max: 7 }), async (rows, eol, step) => {
        const bytes = new TextEncoder().encode('\uFEFF' + write(rows, eol));
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < bytes.length; i += step) chunks.push(bytes.subarray(i, i + step));
        expect(await parse(chunks)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a file that is not UTF-8 (a GBK export) instead of garbling it', async () => {
    const gbk = Uint8Array.from([0x6b, 0x69, 0x6e, 0x64, 0x0a, 0xc0, 0xee, 0xcb, 0xc4, 0x0a]); // "kind\n李四" in GBK
    await expect(parse([gbk])).rejects.toThrow(/UTF-8/);
  });

  it('names the record of an unterminated quote', () => {
    const p = new CsvParser();
    p.push('a,b\n"open,1\n');
    expect(() => p.end()).toThrow(CsvError);
    expect(() => new CsvParser().end()).not.toThrow();
  });
});
