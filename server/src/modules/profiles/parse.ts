// Import files as a stream of raw records, one at a time, numbered as the person who made
// the file sees them: CSV and XLSX by spreadsheet row (the header is row 1), NDJSON by line.
//   CSV / XLSX (first sheet): a header of dictionary field names plus `kind`, and `key` or
//     the uscc / id_number column; an optional `id` column is the source's record id.
//     Empty cells are absent, not "unknown".
//   NDJSON: {"kind", "key"?, "id"?, "facts": {...}} per line — what `kx generate population`
//     writes. A null fact means the source says the value is unknown.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Dictionary } from '@kx/engine';
import { readCsv } from './csv.ts';
import type { Issue, RawRecord } from './validate.ts';

export const FORMATS = ['csv', 'ndjson', 'xlsx'] as const;
export type Format = (typeof FORMATS)[number];

/** A row, or findings about the row (or, with header, about the file's header). */
export interface ParsedRow {
  row: number;
  raw?: RawRecord;
  issues?: Issue[];
  header?: boolean;
}

/** The file as a whole cannot be read (not UTF-8, not an XLSX, no kind column …). */
export class FileError extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

const SPECIAL = new Set(['kind', 'key', 'id']);

export function formatOf(filename: string | undefined): Format | undefined {
  const ext = filename?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'jsonl') return 'ndjson';
  return FORMATS.find((f) => f === ext);
}

/** Rows of a table whose first row is the header. */
async function* tableRows(dict: Dictionary, rows: AsyncIterable<{ row: number; cells: string[] }>): AsyncGenerator<ParsedRow> {
  let header: string[] | undefined;
  const use: boolean[] = [];
  for await (const { row, cells } of rows) {
    if (!header) {
      header = cells.map((c) => c.trim());
      const issues: Issue[] = [];
      const seen = new Set<string>();
      header.forEach((name, i) => {
        use[i] = false;
        if (name === '') return;
        if (seen.has(name)) issues.push({ field: name, message: `表头列 "${name}" 重复 / column "${name}" appears twice` });
        else if (!SPECIAL.has(name) && name !== 'entity_kind' && !dict.fields.has(name))
          issues.push({ field: name, message: `未知字段 "${name}"（表头第 ${i + 1} 列），请查阅字段字典 / unknown field "${name}" (column ${i + 1}); see the field dictionary` });
        else use[i] = true;
        seen.add(name);
      });
      if (!seen.has('kind')) throw new FileError(row, '表头缺少 kind 列（enterprise 或 person）/ the header has no kind column (enterprise or person)');
      if (issues.length) yield { row, issues, header: true };
      continue;
    }
    if (cells.every((c) => c.trim() === '')) continue;
    if (cells.length > header.length) {
      yield { row, issues: [{ field: '', message: `该行有 ${cells.length} 列，表头只有 ${header.length} 列 / the row has ${cells.length} cells, the header ${header.length}` }] };
      continue;
    }
    const raw: RawRecord = { facts: {} };
    header.forEach((name, i) => {
      const cell = (cells[i] ?? '').trim();
      if (!use[i] || cell === '') return;
      if (name === 'kind') raw.kind = cell;
      else if (name === 'key') raw.key = cell;
      else if (name === 'id') raw.ref = cell;
      else raw.facts[name] = cell;
    });
    yield { row, raw };
  }
  if (!header) throw new FileError(1, '文件为空：没有表头 / the file is empty: no header row');
}

async function* csvCells(input: Readable): AsyncGenerator<{ row: number; cells: string[] }> {
  for await (const r of readCsv(input)) yield { row: r.row, cells: r.fields };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown };
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return String(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

async function* xlsxCells(input: Readable): AsyncGenerator<{ row: number; cells: string[] }> {
  // styles are read so that date cells arrive as dates, not day serials
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
        yield { row: row.number, cells };
      }
      return; // the first sheet only
    }
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(0, `无法读取 XLSX 文件：${e instanceof Error ? e.message : String(e)} / cannot read the XLSX file`);
  }
}

async function* ndjsonRows(input: Readable): AsyncGenerator<ParsedRow> {
  let row = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    row++;
    const text = row === 1 ? line.replace(/^\uFEFF/, '').trim() : line.trim();
    if (text === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      yield { row, issues: [{ field: '', message: '该行不是有效的 JSON / the line is not valid JSON' }] };
      continue;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      yield { row, issues: [{ field: '', message: '每行应为一个 JSON 对象 {kind, key, facts} / each line must be a JSON object {kind, key, facts}' }] };
      continue;
    }
    const { kind, key, id, facts, ...rest } = obj as Record<string, unknown>;
    const issues: Issue[] = Object.keys(rest).map((k) => ({ field: k, message: `未知属性 "${k}"：每行只有 kind、key、id、facts / unknown property "${k}": a line has kind, key, id and facts` }));
    if (typeof facts !== 'object' || facts === null || Array.isArray(facts)) issues.push({ field: 'facts', message: 'facts 应为对象 / facts must be an object' });
    if (issues.length) {
      yield { row, issues };
      continue;
    }
    yield { row, raw: { kind, key, facts: facts as Record<string, unknown>, ...(typeof id === 'string' || typeof id === 'number' ? { ref: String(id) } : {}) } };
  }
}

export function readRows(dict: Dictionary, format: Format, input: Readable): AsyncGenerator<ParsedRow> {
  if (format === 'ndjson') return ndjsonRows(input);
  return tableRows(dict, format === 'csv' ? csvCells(input) : xlsxCells(input));
}
