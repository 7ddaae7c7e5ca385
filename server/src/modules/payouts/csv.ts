// RFC 4180 CSV, as finance systems and Excel exchange it: UTF-8 with a byte-order mark (so
// that Excel reads 中文), CRLF, fields quoted when they hold a comma, a quote or a line break.
// Values stay text: an account number must never become 6.22848E+15.

export function toCsv(rows: readonly (readonly string[])[]): Buffer {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return Buffer.from('\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n', 'utf8');
}

export class CsvError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

/** Rows of cells; a leading BOM is dropped; blank lines are kept out. GB18030 files are not accepted (UTF-8 only). */
export function parseCsv(input: Buffer | string): string[][] {
  const text = (typeof input === 'string' ? input : input.toString('utf8')).replace(/^\uFEFF/, '');
  if (text.includes('\uFFFD')) throw new CsvError(1, '文件不是 UTF-8 编码（请另存为 CSV UTF-8）/ the file is not UTF-8 (save it as CSV UTF-8)');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0].trim() !== '') rows.push(row);
    row = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      startLine = line;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
    } else field += ch;
  }
  if (quoted) throw new CsvError(startLine, `第 ${startLine} 行的引号没有闭合 / unclosed quote starting on line ${startLine}`);
  if (field !== '' || row.length) endRow();
  return rows;
}
