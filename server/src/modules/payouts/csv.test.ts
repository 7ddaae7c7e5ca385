import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv, toCsv } from './csv.ts';
import { formatCents, toCents } from './money.ts';

describe('bank CSV', () => {
  it('reads what Excel and banks write: BOM, CRLF, quoted commas, quotes and line breaks, blank lines', () => {
    const text = '\uFEFF明细号,失败原因\r\n12,"户名不符, 请核对"\r\n\r\n13,"他说""退票"""\n14,"两行\n原因"\n';
    expect(parseCsv(text)).toEqual([['明细号', '失败原因'], ['12', '户名不符, 请核对'], ['13', '他说"退票"'], ['14', '两行\n原因']]);
  });

  it('names the line of an unclosed quote and refuses a file that is not UTF-8', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(CsvError);
    expect(() => parseCsv('a,b\n1,"open\n')).toThrow(/第 2 行/);
    expect(() => parseCsv(Buffer.from([0xc3, 0xf7, 0xcf, 0xb8, 0xba, 0xc5]))).toThrow(/UTF-8/); // 明细号 in GBK
  });

  it('reads back every table it writes, text kept as text', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '1', ',', '"', '\n', '\r\n', ' ', '张', '0') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }), (rows) => {
        // rows of two or more cells, even empty ones, are never taken for blank lines
        expect(parseCsv(toCsv(rows))).toEqual(rows);
      }),
    );
    expect(parseCsv(toCsv([['6217001234567890123', '0012']]))).toEqual([['6217001234567890123', '0012']]);
  });
});

describe('money in cents', () => {
  it('reads amounts as banks write them and as spreadsheet numbers, exactly', () => {
    expect(['1234.5', '1,234.50', '¥1234.50', '1234'].map((s) => toCents(s))).toEqual([123450n, 123450n, 123450n, 123400n]);
    expect(toCents(2500.5)).toBe(250050n);
    expect(toCents(0.1 + 0.2)).toBe(30n);
    expect([toCents('12.345'), toCents('abc'), toCents(''), toCents(undefined)]).toEqual([undefined, undefined, undefined, undefined]);
    expect(formatCents(123405n)).toBe('1234.05');
    expect(formatCents(-5n)).toBe('-0.05');
    expect(formatCents(toCents('99999999999999.99')!)).toBe('99999999999999.99');
  });
});
