// Reading the bank's answer file (CSV or XLSX) into plain rows. Banks name their columns
// in many ways; the ones we know are listed here, in Chinese and English. Nothing is
// judged here: validation happens against the batch (results.ts).
import ExcelJS from 'exceljs';
import { DomainError } from '../../errors.ts';
import { CsvError, parseCsv } from './csv.ts';

export interface BankRow {
  /** Row number in the file; the header is row 1. */
  row: number;
  line_id?: string;
  reference?: string;
  status?: string;
  bank_ref?: string;
  failure_reason?: string;
  paid_date?: string;
  /** Text, or the number a spreadsheet cell held. */
  amount?: string | number;
}

type Column = Exclude<keyof BankRow, 'row'>;

const ALIASES: Record<Column, string[]> = {
  line_id: ['明细号', '明细编号', 'line_id', 'line', 'line id'],
  reference: ['参考号', '附言', '摘要', '业务参考号', 'reference', 'ref'],
  status: ['状态', '结果', '处理结果', '交易状态', 'status', 'result'],
  bank_ref: ['银行流水号', '流水号', '交易流水号', 'bank_ref', 'bank ref', 'transaction id'],
  failure_reason: ['失败原因', '原因', '备注', 'failure_reason', 'reason'],
  paid_date: ['支付日期', '到账日期', '交易日期', 'paid_date', 'paid date', 'paid_at', 'date'],
  amount: ['金额', '交易金额', 'amount'],
};

const norm = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase();

function columnsOf(header: string[]): Map<number, Column> {
  const map = new Map<number, Column>();
  header.forEach((h, i) => {
    const key = (Object.keys(ALIASES) as Column[]).find((k) => ALIASES[k].includes(norm(h)));
    if (key && ![...map.values()].includes(key)) map.set(i, key);
  });
  if (![...map.values()].some((k) => k === 'line_id' || k === 'reference'))
    throw new DomainError('BAD_INPUT', '结果文件缺少“明细号”或“参考号”列', 'the results file has neither a line id nor a reference column', 'file');
  if (![...map.values()].includes('status')) throw new DomainError('BAD_INPUT', '结果文件缺少“状态”列', 'the results file has no status column', 'file');
  return map;
}

function toRows(table: (string | number | undefined)[][]): BankRow[] {
  if (!table.length) throw new DomainError('BAD_INPUT', '结果文件是空的', 'the results file is empty', 'file');
  const cols = columnsOf(table[0].map((h) => String(h ?? '')));
  const out: BankRow[] = [];
  table.slice(1).forEach((cells, i) => {
    const r: BankRow = { row: i + 2 };
    let any = false;
    for (const [idx, key] of cols) {
      const v = cells[idx];
      if (v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
      any = true;
      if (key === 'amount') r.amount = typeof v === 'number' ? v : v.trim();
      else r[key] = String(v).trim();
    }
    if (any) out.push(r);
  });
  return out;
}

const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

function cellValue(v: ExcelJS.CellValue): string | number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  // Excel dates come as JS dates at UTC midnight of the civil date.
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
  if (typeof v === 'object' && 'result' in v) return cellValue(v.result as ExcelJS.CellValue);
  if (typeof v === 'object' && 'text' in v) return String(v.text);
  return String(v);
}

/** CSV (UTF-8) or XLSX, told apart by content, not by the file name. */
export async function readBankFile(body: Buffer): Promise<BankRow[]> {
  if (isZip(body)) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(body as unknown as ArrayBuffer);
    } catch {
      throw new DomainError('BAD_INPUT', '无法读取 XLSX 文件', 'cannot read the XLSX file', 'file');
    }
    const ws = wb.worksheets[0];
    if (!ws) throw new DomainError('BAD_INPUT', 'XLSX 文件没有工作表', 'the XLSX file has no worksheet', 'file');
    const table: (string | number | undefined)[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: (string | number | undefined)[] = [];
      row.eachCell({ includeEmpty: true }, (c, col) => (cells[col - 1] = cellValue(c.value)));
      table[n - 1] = cells;
    });
    // eachRow skips nothing with includeEmpty, but a sheet may start below row 1
    for (let i = 0; i < table.length; i++) table[i] ??= [];
    return toRows(table);
  }
  try {
    return toRows(parseCsv(body));
  } catch (e) {
    if (e instanceof CsvError) throw new DomainError('BAD_INPUT', e.message.split(' / ')[0], e.message.split(' / ')[1] ?? e.message, 'file', { line: e.line });
    throw e;
  }
}
