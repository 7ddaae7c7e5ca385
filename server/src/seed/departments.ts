// The 186 publishing departments of the city and its counties (data/src/codes/departments.ts).
import { DEPARTMENTS } from '@kx/data';
import type { Queryable } from '../db/db.ts';

export async function seedDepartments(q: Queryable): Promise<number> {
  // City bureaus first: county bureaus name them as parent.
  const ordered = [...DEPARTMENTS].sort((a, b) => (a.level === b.level ? 0 : a.level === 'city' ? -1 : 1));
  const codes = ordered.map((d) => d.code);
  await q.query(
    `INSERT INTO departments (code, name, short_name, region, level, kind, parent)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
     ON CONFLICT (code) DO NOTHING`,
    [codes, ordered.map((d) => d.name), ordered.map((d) => d.short), ordered.map((d) => d.region), ordered.map((d) => d.level), ordered.map((d) => d.kind), ordered.map((d) => d.parent ?? null)],
  );
  return codes.length;
}
