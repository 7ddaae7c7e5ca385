// The amount of each item for each entity of a chunk, with the engine's compiled formula
// on the entity's current facts. Only the fields the formulas read are fetched (jsonb
// extraction in the database, not whole profiles) and only those are decrypted.
import { compileNumber, Dec, itemContext, normalizeValue, parseDate, type Dictionary, type Facts } from '@kx/engine';
import type { FieldCrypto } from '../../crypto/fields.ts';
import type { Queryable } from '../../db/db.ts';
import { unseal } from '../profiles/sensitive.ts';
import type { AutoItem } from './items.ts';

type Formula = (f: Facts) => Dec | undefined;

export class AmountCalculator {
  readonly fields: string[];
  private readonly formulas: Map<string, Formula | null>;

  constructor(
    private readonly dict: Dictionary,
    private readonly crypto: FieldCrypto,
    items: readonly AutoItem[],
    date: string,
  ) {
    const day = parseDate(date)!;
    const fields = new Set<string>();
    this.formulas = new Map();
    for (const it of items) {
      if (!it.body.amount) {
        this.formulas.set(it.id, null);
        continue;
      }
      const ctx = itemContext(it.body, dict, day);
      this.formulas.set(it.id, compileNumber(it.body.amount, ctx));
      for (const f of it.amountFields) fields.add(f);
    }
    this.fields = [...fields].filter((f) => dict.fields.has(f));
  }

  /** Amount text (2 decimals, half up, as evaluateItem shows it) per item, per entity. */
  async amounts(q: Queryable, entities: readonly number[]): Promise<Map<number, Map<string, string | undefined>>> {
    const facts = await this.readFacts(q, entities);
    const out = new Map<number, Map<string, string | undefined>>();
    for (const id of entities) {
      const f = facts.get(id);
      const per = new Map<string, string | undefined>();
      for (const [item, fn] of this.formulas) {
        const v = f && fn ? fn(f) : undefined;
        per.set(item, v === undefined ? undefined : v.toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed());
      }
      out.set(id, per);
    }
    return out;
  }

  private async readFacts(q: Queryable, entities: readonly number[]): Promise<Map<number, Facts>> {
    const cols = this.fields.map((_, i) => `facts -> $${i + 2} AS f${i}`).join(', ');
    const r = await q.query<Record<string, unknown>>(
      `SELECT id, kind${cols ? `, ${cols}` : ''} FROM entities WHERE id = ANY($1::bigint[])`,
      [entities, ...this.fields],
    );
    const out = new Map<number, Facts>();
    for (const row of r.rows) {
      const facts: Facts = { entity_kind: row.kind as string };
      this.fields.forEach((field, i) => {
        const stored = row[`f${i}`];
        if (stored === null || stored === undefined) return;
        // A value that does not decrypt or no longer fits the dictionary is unknown, never a guess.
        try {
          const v = normalizeValue(this.dict, this.dict.fields.get(field)!, unseal(this.crypto, stored)).value;
          if (v !== undefined) facts[field] = v;
        } catch {
          /* unknown */
        }
      });
      out.set(Number(row.id), facts);
    }
    return out;
  }
}
