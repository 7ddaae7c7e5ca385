// Binding a plan to one population: what each leaf means in terms of that snapshot's
// columns. Numeric leaves become pairs of indexes into the field's sorted cut points;
// code leaves become sets of buckets, where a bucket gathers every dictionary code that
// all leaves on the column treat alike (a thousand towns inside the two counties some
// rule names make three buckets: county A, county B, other). The result is plain data,
// sent once to each worker thread.
import type { Expr } from '../ast/ast.ts';
import { children } from '../ast/ast.ts';
import { withinCode } from '../dictionary/dictionary.ts';
import type { Dictionary } from '../dictionary/types.ts';
import { EngineError } from '../errors.ts';
import type { ColumnarPlan, PlanData } from './plan.ts';
import type { PopulationData } from './population.ts';

export interface NumBind {
  field: string;
  /** Sorted distinct cut points, padded with +Infinity to a power of two minus one. */
  cuts: Float64Array;
  /** Number of real cut points. */
  m: number;
}
export interface DictBind {
  field: string;
  codeToBucket: Int32Array;
  buckets: number;
}
export interface SetBind {
  field: string;
  /** Per set word: the bits some leaf reads. */
  refMask: Uint32Array;
  /** Bit (word*32 + bit) → slot, or -1. */
  slotOfBit: Int32Array;
  slots: number;
}

export type LeafOp =
  /** Entity in range r ⇔ ge[pairs[2r]] & ~ge[pairs[2r+1]], ge[j+1] = (x ≥ cuts[j]). */
  | { kind: 'num'; col: number; field: string; pairs: Int32Array }
  /** match = OR of the buckets, or NOT the OR when `complement`. */
  /** `maybe`: buckets whose rows are unknown whatever the rest says (a region that overlaps a `within` without lying in it). */
  | { kind: 'dict'; col: number; field: string; buckets: Int32Array; complement: boolean; negate: boolean; maybe: Int32Array }
  | { kind: 'set'; col: number; field: string; mode: 'any' | 'all' | 'none'; slots: Int32Array; impossible: boolean; negate: boolean }
  | { kind: 'known'; field: string; negate: boolean }
  | { kind: 'exact'; leaf: number; negate: boolean };

export interface BoundProgram {
  plan: PlanData;
  size: number;
  nums: NumBind[];
  dicts: DictBind[];
  sets: SetBind[];
  ops: LeafOp[];
  /** "ancestor\u0000code" pairs that lie within, for `within` inside exact leaves. */
  regionPairs: string[];
  /** "ancestor\u0000code" pairs that overlap without lying within (`within` is unknown there). */
  regionOverlaps: string[];
}

function missingColumn(field: string): EngineError {
  return new EngineError('UNKNOWN_FIELD', `人口快照中没有字段 "${field}" 的列`, `the population snapshot has no column for field "${field}"`);
}

function padCuts(values: number[]): Float64Array {
  let p = 1;
  while (p < values.length + 1) p *= 2;
  const cuts = new Float64Array(p - 1).fill(Infinity);
  cuts.set(values);
  return cuts;
}

function regionsIn(e: Expr, ancestors: Set<string>, literals: Set<string>): void {
  if (e.op === 'within') e.regions.forEach((r) => ancestors.add(r));
  if (e.op === 'lit' && typeof e.value === 'string') literals.add(e.value);
  for (const c of children(e)) regionsIn(c, ancestors, literals);
}

export function bindPlan(plan: ColumnarPlan, pop: PopulationData): BoundProgram {
  const dict: Dictionary = plan.dict;
  const col = (field: string) => pop.columns[field] ?? (() => { throw missingColumn(field); })();
  const byField = new Map<string, number[]>();
  plan.leaves.forEach((l, i) => {
    if (l.kind === 'exact') l.fields.forEach((f) => col(f));
    else byField.set(l.field, [...(byField.get(l.field) ?? []), i]);
  });

  const ops: LeafOp[] = new Array(plan.leaves.length);
  const nums: NumBind[] = [];
  const dicts: DictBind[] = [];
  const sets: SetBind[] = [];
  for (const [field, ids] of byField) {
    const c = col(field);
    const leaves = ids.map((i) => plan.leaves[i]);
    if (c.kind === 'num' || c.kind === 'date') {
      const values = [...new Set(leaves.flatMap((l) => (l.kind === 'num' ? l.ranges.flat().filter(Number.isFinite) : [])))].sort((a, b) => a - b);
      const at = new Map(values.map((v, j) => [v, j + 1]));
      const idx = (v: number) => (v === -Infinity ? 0 : v === Infinity ? values.length + 1 : at.get(v)!);
      const n = nums.push({ field, cuts: padCuts(values), m: values.length }) - 1;
      ids.forEach((i) => {
        const l = plan.leaves[i];
        if (l.kind === 'known') ops[i] = { kind: 'known', field, negate: l.negate };
        else if (l.kind === 'num') ops[i] = { kind: 'num', col: n, field, pairs: Int32Array.from(l.ranges.flatMap(([a, b]) => [idx(a), idx(b)])) };
        else throw new Error(`列 ${field} 的类型与条件不符 / column ${field} does not fit a ${l.kind} condition`);
      });
    } else if (c.kind === 'dict') {
      // A bucket per distinct membership signature; codes no leaf selects share bucket 0.
      // Sparse: a text column may hold a million codes that no leaf names.
      const member = new Map<number, number[]>();
      const add = (k: number, j: number) => (member.get(k) ?? member.set(k, []).get(k)!).push(j);
      const needsIndex = ids.some((i) => plan.leaves[i].kind === 'codes');
      const index = needsIndex ? new Map(c.table.map((code, k) => [code, k])) : new Map<string, number>();
      ids.forEach((i, j) => {
        const l = plan.leaves[i];
        if (l.kind === 'codes') {
          for (const code of l.codes) if (index.has(code)) add(index.get(code)!, j);
        } else if (l.kind === 'within') {
          c.table.forEach((code, k) => {
            const r = withinCode(dict.regions, l.regions, code);
            if (r === 1) add(k, j);
            else if (r === 2) add(k, j + ids.length); // "maybe" gets a member of its own
          });
        }
      });
      const bucketOf = new Map<string, number>([['', 0]]);
      const codeToBucket = new Int32Array(c.table.length);
      for (const [k, m] of [...member].sort((a, b) => a[0] - b[0])) {
        const sig = m.join(',');
        if (!bucketOf.has(sig)) bucketOf.set(sig, bucketOf.size);
        codeToBucket[k] = bucketOf.get(sig)!;
      }
      const sigs = [...bucketOf.keys()].map((s) => new Set(s ? s.split(',').map(Number) : []));
      const d = dicts.push({ field, codeToBucket, buckets: bucketOf.size }) - 1;
      ids.forEach((i, j) => {
        const l = plan.leaves[i];
        if (l.kind === 'known') return void (ops[i] = { kind: 'known', field, negate: l.negate });
        if (l.kind !== 'codes' && l.kind !== 'within') throw new Error(`列 ${field} 的类型与条件不符 / column ${field} does not fit a ${l.kind} condition`);
        const inside = sigs.map((s, b) => (s.has(j) ? b : -1)).filter((b) => b >= 0);
        const outside = sigs.map((s, b) => (s.has(j) ? -1 : b)).filter((b) => b >= 0);
        const maybe = sigs.map((s, b) => (s.has(j + ids.length) ? b : -1)).filter((b) => b >= 0);
        const complement = outside.length < inside.length;
        ops[i] = { kind: 'dict', col: d, field, buckets: Int32Array.from(complement ? outside : inside), complement, negate: l.negate, maybe: Int32Array.from(maybe) };
      });
    } else {
      const refMask = new Uint32Array(c.stride);
      const slotOfBit = new Int32Array(c.stride * 32).fill(-1);
      let slots = 0;
      const bitOf = new Map(c.table.map((code, k) => [code, k]));
      const slotOf = (code: string) => {
        const bit = bitOf.get(code);
        if (bit === undefined) return -1;
        if (slotOfBit[bit] < 0) {
          slotOfBit[bit] = slots++;
          refMask[bit >>> 5] |= 1 << (bit & 31);
        }
        return slotOfBit[bit];
      };
      const s = sets.length;
      ids.forEach((i) => {
        const l = plan.leaves[i];
        if (l.kind === 'known') return void (ops[i] = { kind: 'known', field, negate: l.negate });
        if (l.kind !== 'set') throw new Error(`列 ${field} 的类型与条件不符 / column ${field} does not fit a ${l.kind} condition`);
        const all = l.codes.map(slotOf);
        ops[i] = { kind: 'set', col: s, field, mode: l.mode, slots: Int32Array.from(all.filter((x) => x >= 0)), impossible: l.mode === 'all' && all.includes(-1), negate: l.negate };
      });
      sets.push({ field, refMask, slotOfBit, slots });
    }
  }

  const regionPairs: string[] = [];
  const regionOverlaps: string[] = [];
  const exact = plan.leaves.flatMap((l, i) => (l.kind === 'exact' ? [[l, i] as const] : []));
  for (const [l, i] of exact) ops[i] = { kind: 'exact', leaf: i, negate: l.negate };
  const ancestors = new Set<string>();
  const codes = new Set<string>();
  exact.forEach(([l]) => regionsIn(l.expr, ancestors, codes));
  if (ancestors.size) {
    for (const [f, c] of Object.entries(pop.columns)) if (c.kind === 'dict' && dict.fields.get(f)?.type === 'region') c.table.forEach((x) => codes.add(x));
    for (const a of ancestors)
      for (const code of codes)
        if (dict.regions.contains(a, code)) regionPairs.push(`${a}\u0000${code}`);
        else if (dict.regions.overlaps(a, code)) regionOverlaps.push(`${a}\u0000${code}`);
  }
  const { dict: _d, stats: _s, ...data } = plan;
  return { plan: data, size: pop.size, nums, dicts, sets, ops, regionPairs, regionOverlaps };
}
