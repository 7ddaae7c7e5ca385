// Test inputs for the profiles module: synthetic population files in the three import
// formats (the same profiles, so that importing one after another must change nothing),
// multipart uploads for app.inject, and counts of what an import writes.
import ExcelJS from 'exceljs';
import { createPopulation, csvColumns, csvHeader, csvLine, liaochengDictionary, ndjsonLine, type Profile } from '@kx/data';
import type { Queryable } from '../../db/db.ts';

export function population(people: number, enterprises: number, seed = 'profiles-test'): Profile[] {
  const pop = createPopulation({ people, enterprises, seed, asOf: '2025-06-30' });
  return Array.from({ length: pop.size }, (_, k) => pop.profile(k));
}

export const toNdjson = (profiles: Profile[]) => Buffer.from(profiles.map(ndjsonLine).join(''));

export function toCsv(profiles: Profile[]): Buffer {
  const cols = csvColumns(liaochengDictionary());
  return Buffer.from(csvHeader(cols) + profiles.map((p) => csvLine(cols, p)).join(''));
}

/** The first sheet as a clerk would fill it: text cells, sets joined with |, dates as dates. */
export async function toXlsx(profiles: Profile[]): Promise<Buffer> {
  const dict = liaochengDictionary();
  const cols = csvColumns(dict);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('profiles');
  ws.addRow(cols);
  for (const p of profiles)
    ws.addRow(
      cols.map((c) => {
        if (c === 'kind') return p.kind;
        if (c === 'id') return p.id;
        const v = p.facts[c];
        if (v === undefined || v === null) return null;
        if (Array.isArray(v)) return v.join('|');
        if (dict.fields.get(c)?.type === 'date') return new Date(`${String(v)}T00:00:00Z`);
        return v;
      }),
    );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function multipart(filename: string, content: Buffer | string, fields: Record<string, string> = {}): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----kx${Date.now().toString(16)}`;
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function counts(q: Queryable): Promise<{ entities: number; facts: number; jobs: number; versions: number }> {
  const r = await q.query<{ entities: string; facts: string; jobs: string; versions: string }>(
    `SELECT (SELECT count(*) FROM entities)::text AS entities, (SELECT count(*) FROM facts)::text AS facts,
            (SELECT count(*) FROM jobs WHERE queue = 'match.entity')::text AS jobs, (SELECT coalesce(sum(version), 0) FROM entities)::text AS versions`,
  );
  const c = r.rows[0];
  return { entities: Number(c.entities), facts: Number(c.facts), jobs: Number(c.jobs), versions: Number(c.versions) };
}
