// File forms of generated profiles: NDJSON ({"id","kind","facts"} per line) and CSV (a
// header of kind, id and every dictionary field; sets joined with "|"; unknown = empty).
import { ENTITY_KIND_FIELD, type Dictionary } from '@kx/engine';
import type { Profile } from './population.ts';

export type ProfileFormat = 'ndjson' | 'csv';

export function ndjsonLine(p: Profile): string {
  return JSON.stringify(p) + '\n';
}

/** Column order of the CSV form: kind, id, then the dictionary's fields in its order (entity_kind is the kind column). */
export function csvColumns(dict: Dictionary): string[] {
  return ['kind', 'id', ...[...dict.fields.keys()].filter((k) => k !== ENTITY_KIND_FIELD)];
}

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = Array.isArray(v) ? v.join('|') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(columns: string[]): string {
  return columns.map(csvCell).join(',') + '\n';
}

export function csvLine(columns: string[], p: Profile): string {
  const cells = new Array<string>(columns.length);
  cells[0] = p.kind;
  cells[1] = csvCell(p.id);
  for (let c = 2; c < columns.length; c++) cells[c] = csvCell(p.facts[columns[c]]);
  return cells.join(',') + '\n';
}
