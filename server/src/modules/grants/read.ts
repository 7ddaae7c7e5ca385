// What a chunk needs from the profiles before its transaction: the amount of each item for
// each entity (the engine's compiled formula on the entity's current facts) and the evidence
// of each fact the rule read — source and as-of date from the facts history row behind it
// (profiles keep one per change), else from the entity's provenance. Only the fields the
// items read are fetched (jsonb extraction in the database, not whole profiles); personal
// values are decrypted for the formula only and never enter the evidence.
import { compileNumber, Dec, itemContext, normalizeValue, parseDate, type Dictionary, type Facts } from '@kx/engine';
import type { FieldCrypto } from '../../crypto/fields.ts';
import type { Queryable } from '../../db/db.ts';
import { unseal } from '../profiles/sensitive.ts';
import type { AutoItem } from './items.ts';

/** One fact as a grant's evidence records it. */
export interface EvidenceFact {
  field: string;
  source: string;
  as_of?: string;
  /** The facts history row (its value is ciphertext where the field is personal). */
  fact_id?: string;
  /** Only for fields that are not personal. */
  value?: unknown;
  sensitive?: true;
}

export interface ChunkFacts {
  /** item → amount text (2 decimals, half up, as evaluateItem shows it), per entity */
  amounts: Map<number, Map<string, string | undefined>>;
  /** field → evidence, per entity */
  evidence: Map<number, Map<string, EvidenceFact>>;
}

type Formula = (f: Facts) => Dec | undefined;

export class ChunkReader {
  private readonly formulas = new Map<string, Formula | null>();
  private readonly amountFields = new Set<string>();
  private readonly fields: string[];

  constructor(
    private readonly dict: Dictionary,
    private readonly crypto: FieldCrypto,
    items: readonly AutoItem[],
    date: string,
  ) {
    const day = parseDate(date)!;
    const fields = new Set<string>();
    for (const it of items) {
      this.formulas.set(it.id, it.body.amount ? compileNumber(it.body.amount, itemContext(it.body, dict, day)) : null);
      for (const f of it.amountFields) this.amountFields.add(f);
      for (const f of it.evidenceFields) fields.add(f);
      for (const f of it.amountFields) fields.add(f);
    }
    this.fields = [...fields].filter((f) => dict.fields.has(f)).sort();
  }

  async read(q: Queryable, entities: readonly number[]): Promise<ChunkFacts> {
    const cols = this.fields.map((_, i) => `e.facts -> $${i + 2} AS f${i}, e.provenance -> $${i + 2} AS p${i}`).join(', ');
    const rows = await q.query<Record<string, unknown>>(`SELECT e.id, e.kind${cols ? `, ${cols}` : ''} FROM entities e WHERE e.id = ANY($1::bigint[])`, [entities, ...this.fields]);
    const history = this.fields.length
      ? await q.query<{ e: string; field: string; id: string; source: string; as_of: string }>(
          `SELECT f.entity_id::text AS e, f.field, f.id::text AS id, f.source, f.as_of::text AS as_of FROM facts f
            WHERE f.entity_id = ANY($1::bigint[]) AND f.field = ANY($2::text[])`,
          [entities, this.fields],
        )
      : { rows: [] };
    // The row behind the current value: the newest as-of date, the last recorded among equals.
    const latest = new Map<string, { id: string; source: string; as_of: string }>();
    for (const h of history.rows) {
      const k = `${h.e}|${h.field}`;
      const cur = latest.get(k);
      if (!cur || h.as_of > cur.as_of || (h.as_of === cur.as_of && BigInt(h.id) > BigInt(cur.id))) latest.set(k, h);
    }
    const out: ChunkFacts = { amounts: new Map(), evidence: new Map() };
    for (const row of rows.rows) {
      const id = Number(row.id);
      const facts: Facts = { entity_kind: row.kind as string };
      const ev = new Map<string, EvidenceFact>();
      this.fields.forEach((field, i) => {
        const def = this.dict.fields.get(field)!;
        const stored = row[`f${i}`];
        const prov = row[`p${i}`] as { s?: string; d?: string } | null;
        const h = latest.get(`${id}|${field}`);
        const e: EvidenceFact = { field, source: h?.source ?? prov?.s ?? def.source };
        const asOf = h?.as_of ?? prov?.d;
        if (asOf) e.as_of = asOf;
        if (h) e.fact_id = h.id;
        if (def.sensitive) e.sensitive = true;
        else if (stored !== null && stored !== undefined) e.value = stored;
        ev.set(field, e);
        if (stored === null || stored === undefined || !this.amountFields.has(field)) return;
        // A value that does not decrypt or no longer fits the dictionary is unknown, never a guess.
        try {
          const v = normalizeValue(this.dict, def, unseal(this.crypto, stored)).value;
          if (v !== undefined) facts[field] = v;
        } catch {
          /* unknown */
        }
      });
      const amounts = new Map<string, string | undefined>();
      for (const [item, fn] of this.formulas) {
        const v = fn ? fn(facts) : undefined;
        amounts.set(item, v === undefined ? undefined : v.toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed());
      }
      out.amounts.set(id, amounts);
      out.evidence.set(id, ev);
    }
    return out;
  }
}
