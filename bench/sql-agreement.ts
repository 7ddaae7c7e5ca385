// The fourth evaluator in the benchmark's agreement check: the same items over a sample
// of entities, in PGlite (PostgreSQL in WASM), compared with the interpreter.
import { PGlite } from '@electric-sql/pglite';
import { compileInto, evalBool, inValidity, SqlParams, type Dictionary, type Entity, type EvalContext, type Expr, type PolicyItem } from '../engine/src/index.ts';
import { loadEntities } from '../engine/src/sql/testing.ts';

export async function sqlAgreement(
  dict: Dictionary,
  items: PolicyItem[],
  entities: Entity[],
  day: number,
  contexts: EvalContext[],
  rules: Expr[],
): Promise<{ checked: number; disagreements: number }> {
  const db = new PGlite();
  const table = 'bench_entities';
  await loadEntities(db, dict, table, entities.map((e, i) => ({ ...e, id: String(i) })));
  const idx = items.map((_, i) => i).filter((i) => inValidity(items[i], day));
  const p = new SqlParams();
  const cols = idx
    .map((i, j) => `CASE (${compileInto(rules[i], contexts[i], p).bool()}) WHEN TRUE THEN 'T' WHEN FALSE THEN 'F' ELSE 'U' END AS r${j}`)
    .join(', ');
  const res = await db.query<Record<string, string>>(`SELECT id, ${cols} FROM ${table} ORDER BY id::int`, p.values);
  let checked = 0;
  let disagreements = 0;
  for (const row of res.rows) {
    const e = entities[Number(row.id)];
    const facts = { ...e.facts, entity_kind: e.kind };
    idx.forEach((i, j) => {
      checked++;
      if (row[`r${j}`] !== evalBool(rules[i], facts, contexts[i])) disagreements++;
    });
  }
  await db.close();
  return { checked, disagreements };
}
