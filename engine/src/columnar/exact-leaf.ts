// A leaf with no bitset form, evaluated entity by entity by the compiled evaluator
// (evaluate/compile.ts), so that its semantics are exactly evaluator 2's. The facts it
// reads are copied from the columns into one reused object. Arithmetic comparisons
// first try a certified double-precision shortcut (approx.ts). A worker thread has no
// Dictionary (its region tree is code), so the context is rebuilt from plain data:
// field types, the region pairs bindPlan precomputed, and the tables as decimal text.
import type { Dictionary, FieldDef } from '../dictionary/types.ts';
import { compileBool, type BoolFn } from '../evaluate/compile.ts';
import type { ResolvedParam } from '../params/resolve.ts';
import { dec } from '../values/decimal.ts';
import type { Facts, Value } from '../values/facts.ts';
import { compileApprox, type Approx } from './approx.ts';
import type { BoundProgram } from './bind.ts';
import type { Leaf, TableData } from './leaves.ts';
import type { PopulationData } from './population.ts';

export type Tri = 'T' | 'F' | 'U';
const TRI: Tri[] = ['F', 'T', 'U'];

type Reader = (row: number) => Value | undefined;

function reader(pop: PopulationData, field: string, type: string): Reader {
  const col = pop.columns[field];
  const unknown = col.unknown;
  const known = (row: number) => ((unknown[row >>> 5] >>> (row & 31)) & 1) === 0;
  if (col.kind === 'num' || col.kind === 'date') {
    const values = col.values;
    return (row) => (known(row) ? values[row] : undefined);
  }
  if (col.kind === 'dict') {
    const { codes, table } = col;
    if (type === 'bool') return (row) => (known(row) ? table[codes[row]] === 'true' : undefined);
    return (row) => (known(row) ? table[codes[row]] : undefined);
  }
  const { masks, stride, table } = col;
  const cache = new Map<string, string[]>();
  return (row) => {
    if (!known(row)) return undefined;
    const key = Array.from(masks.subarray(row * stride, row * stride + stride)).join(',');
    let hit = cache.get(key);
    if (!hit) {
      hit = table.filter((_, b) => (masks[row * stride + (b >>> 5)] >>> (b & 31)) & 1).sort();
      if (cache.size < 4096) cache.set(key, hit);
    }
    return hit;
  };
}

function resolvedTable(t: TableData): ResolvedParam {
  if (t.type === 'tiers')
    return {
      type: 'tiers',
      rows: t.rows.map((r) => ({ ...(r.min !== undefined ? { min: dec(r.min) } : {}), ...(r.max !== undefined ? { max: dec(r.max) } : {}), value: dec(r.value) })),
    };
  return { type: 'map', entries: new Map(t.entries.map(([k, v]) => [k, dec(v)])), ...(t.default !== undefined ? { default: dec(t.default) } : {}) };
}

/** Just enough of a Dictionary for the compiled evaluator: field types and region membership. */
export function dictionaryView(prog: BoundProgram): Dictionary {
  const pairs = new Set(prog.regionPairs);
  const overlaps = new Set(prog.regionOverlaps);
  const fields = new Map<string, FieldDef>(
    Object.entries(prog.plan.fieldTypes).map(([key, type]) => [key, { key, type, label: { zh: key, en: key }, source: 'platform', kinds: ['enterprise', 'person'] }]),
  );
  return {
    fields,
    enums: new Map(),
    sources: new Map(),
    regions: {
      contains: (a, c) => a === c || pairs.has(`${a}\u0000${c}`),
      overlaps: (a, c) => a === c || pairs.has(`${a}\u0000${c}`) || overlaps.has(`${a}\u0000${c}`),
      name: () => undefined,
      isValid: () => true,
      zones: () => [],
    },
  };
}

export class ExactLeaf {
  private readonly facts: Facts = {};
  private readonly fields: string[];
  private readonly readers: Reader[];
  private readonly fn: BoolFn;
  private readonly approx: Approx | undefined;

  constructor(leaf: Extract<Leaf, { kind: 'exact' }>, prog: BoundProgram, pop: PopulationData, dict = dictionaryView(prog)) {
    const types = prog.plan.fieldTypes;
    this.fields = leaf.fields;
    this.readers = leaf.fields.map((f) => reader(pop, f, types[f]));
    const params = new Map(Object.entries(leaf.tables).map(([name, t]) => [name, resolvedTable(t)]));
    this.fn = compileBool(leaf.expr, { dict, params, day: prog.plan.day });
    this.approx = compileApprox(leaf.expr, pop, types);
  }

  /** The leaf's value for one row (negation is the caller's). */
  at(row: number): Tri {
    const sure = this.approx?.(row);
    if (sure) return sure;
    const facts = this.facts;
    for (let k = 0; k < this.fields.length; k++) facts[this.fields[k]] = this.readers[k](row);
    return TRI[this.fn(facts)];
  }
}
