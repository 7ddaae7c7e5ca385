// Leaf conditions in canonical form. A leaf reads one column and becomes a few word
// operations per 32 entities: numeric and date tests become ranges over one sorted list
// of cut points per field (age(birth_date) ≥ 18 becomes birth_date ≤ a day), code tests
// become sets of dictionary codes, set tests masks. Equal leaves get equal keys, so a
// condition shared by a thousand items is computed once per block. What has no such
// form is an `exact` leaf, evaluated entity by entity with exact decimal semantics.
import type { CmpOp, Expr, LitValue } from '../ast/ast.ts';
import { exprKey, fieldsOf } from '../ast/ast.ts';
import type { Dictionary, FieldType } from '../dictionary/types.ts';
import { Dec, dec, significantDigits } from '../values/decimal.ts';
import { latestBirthForAge, latestStartForMonths, parseDate } from '../values/dates.ts';

/** tier/lookup tables of an exact leaf, in a form that survives a trip to a worker thread. */
export type TableData =
  | { type: 'tiers'; rows: { min?: string; max?: string; value: string }[] }
  | { type: 'map'; entries: [string, string][]; default?: string };

/** lo ≤ x < hi; lo may be -Infinity, hi Infinity. Sorted, disjoint, non-empty. */
export type Range = [number, number];

export type Leaf =
  | { kind: 'num'; field: string; ranges: Range[] }
  | { kind: 'codes'; field: string; codes: string[]; negate: boolean }
  | { kind: 'within'; field: string; regions: string[]; negate: boolean }
  | { kind: 'set'; field: string; mode: 'any' | 'all' | 'none'; codes: string[]; negate: boolean }
  | { kind: 'known'; field: string; negate: boolean }
  | { kind: 'exact'; expr: Expr; fields: string[]; tables: Record<string, TableData>; negate: boolean };

export function leafKey(l: Leaf): string {
  switch (l.kind) {
    case 'num':
      return `num|${l.field}|${l.ranges.map((r) => r.join(':')).join(',')}`;
    case 'codes':
      return `codes|${l.field}|${+l.negate}|${JSON.stringify(l.codes)}`;
    case 'within':
      return `within|${l.field}|${+l.negate}|${JSON.stringify(l.regions)}`;
    case 'set':
      return `set|${l.field}|${l.mode}|${+l.negate}|${JSON.stringify(l.codes)}`;
    case 'known':
      return `known|${l.field}|${+l.negate}`;
    case 'exact':
      return `exact|${+l.negate}|${exprKey(l.expr)}|${JSON.stringify(l.tables)}`;
  }
}

export function negateLeaf(l: Leaf): Leaf {
  switch (l.kind) {
    case 'num':
      return { ...l, ranges: complement(l.ranges) };
    case 'set':
      return l.mode === 'all' ? { ...l, negate: !l.negate } : { ...l, mode: l.mode === 'any' ? 'none' : 'any' };
    default:
      return { ...l, negate: !l.negate };
  }
}

export function normalizeRanges(rs: Range[]): Range[] {
  const sorted = rs.filter(([a, b]) => a < b).sort((x, y) => x[0] - y[0]);
  const out: Range[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function complement(rs: Range[]): Range[] {
  const out: Range[] = [];
  let from = -Infinity;
  for (const [a, b] of normalizeRanges(rs)) {
    if (a > from) out.push([from, a]);
    from = b;
  }
  if (from < Infinity) out.push([from, Infinity]);
  return out;
}

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);
/** The least double greater than x: x > t ⇔ x ≥ nextUp(t) for every double x. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  F64[0] = x;
  U64[0] += x > 0 ? 1n : -1n;
  return F64[0];
}

/** Ranges of x for `x op c`. Integer domains (int fields, days, ages) round c inwards. */
function rangesFor(op: CmpOp, c: Dec | number, integer: boolean): Range[] | undefined {
  let lo: number; // least x with x ≥ c
  let above: number; // least x with x > c
  if (typeof c === 'number') [lo, above] = [c, integer ? c + 1 : nextUp(c)];
  else if (integer) [lo, above] = [c.ceil().toNumber(), c.floor().toNumber() + 1];
  else {
    if (significantDigits(c.toFixed()) > 15) return undefined; // not exact as a double
    lo = c.toNumber();
    above = nextUp(lo);
  }
  const eq: Range[] = normalizeRanges([[lo, above]]);
  switch (op) {
    case '>=':
      return [[lo, Infinity]];
    case '>':
      return [[above, Infinity]];
    case '<':
      return normalizeRanges([[-Infinity, lo]]);
    case '<=':
      return normalizeRanges([[-Infinity, above]]);
    case '=':
      return eq;
    case '!=':
      return complement(eq);
  }
}

const FLIP: Record<CmpOp, CmpOp> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
type DateFn = 'age' | 'months' | 'days';

/** What a numeric leaf reads: a field, a function of a date field, or a shifted date field. */
interface Term {
  field: string;
  type: FieldType;
  fn?: DateFn;
  shift?: number;
}

function termOf(e: Expr, dict: Dictionary): Term | undefined {
  if (e.op === 'field') {
    const def = dict.fields.get(e.name);
    return def && { field: e.name, type: def.type };
  }
  if (e.op !== 'call' || e.args[0]?.op !== 'field' || dict.fields.get(e.args[0].name)?.type !== 'date') return undefined;
  const field = e.args[0].name;
  const fn: DateFn | undefined =
    e.fn === 'age' || e.fn === 'years_since' ? 'age' : e.fn === 'months_since' ? 'months' : e.fn === 'days_since' ? 'days' : undefined;
  if (fn) return { field, type: 'int', fn };
  const n = e.fn === 'add_days' && e.args[1]?.op === 'lit' ? e.args[1].value : undefined;
  if (n && typeof n === 'object' && 'num' in n && Number.isSafeInteger(Number(n.num))) return { field, type: 'date', shift: Number(n.num) };
  return undefined;
}

/** A literal as the scale of a numeric term: Dec for numbers, days for dates. */
function scalar(v: LitValue, t: Term): Dec | number | undefined {
  if (typeof v !== 'object' || 'list' in v) return undefined;
  if (t.type === 'date' && 'date' in v) return parseDate(v.date);
  if ((t.type === 'int' || t.type === 'dec') && 'num' in v) return dec(v.num);
  return undefined;
}

/** Maps ranges of a term to ranges of its date field (age is decreasing in the birth date). */
function toField(rs: Range[], t: Term, day: number): Range[] {
  if (t.shift !== undefined) return rs.map(([a, b]) => [a - t.shift!, b - t.shift!]);
  if (!t.fn) return rs;
  const cap = t.fn === 'age' ? 5000 : t.fn === 'months' ? 60000 : Infinity;
  // latest(x): the latest date at which the term is ≥ x.
  const latest = (x: number): number => {
    if (x > cap || x === Infinity) return -Infinity;
    if (x < -cap || x === -Infinity) return Infinity;
    return t.fn === 'age' ? latestBirthForAge(day, x) : t.fn === 'months' ? latestStartForMonths(day, x) : day - x;
  };
  return normalizeRanges(rs.map(([a, b]) => [latest(b) + 1, latest(a) + 1]));
}

function numLeaf(t: Term, rs: Range[] | undefined, day: number): Leaf | undefined {
  return rs && { kind: 'num', field: t.field, ranges: toField(rs, t, day) };
}

const isNumeric = (t: Term) => t.type === 'int' || t.type === 'dec' || t.type === 'date';
const isCoded = (t: Term) => !t.fn && t.shift === undefined && (t.type === 'enum' || t.type === 'region' || t.type === 'text' || t.type === 'bool');

/** A code literal for a coded field: strings, and true/false for bool fields. */
function codeOf(v: LitValue, t: Term): string | undefined {
  if (t.type === 'bool') return typeof v === 'boolean' ? String(v) : undefined;
  return typeof v === 'string' ? v : undefined;
}

function listOf(e: Expr): LitValue[] | undefined {
  return e.op === 'lit' && typeof e.value === 'object' && 'list' in e.value ? e.value.list : undefined;
}

function fast(e: Expr, dict: Dictionary, day: number): Leaf | undefined {
  switch (e.op) {
    case 'field': {
      const t = termOf(e, dict);
      return t?.type === 'bool' ? { kind: 'codes', field: t.field, codes: ['true'], negate: false } : undefined;
    }
    case 'cmp': {
      let [l, r, op] = [e.left, e.right, e.cmp];
      if (l.op === 'lit') [l, r, op] = [r, l, FLIP[op]];
      const t = termOf(l, dict);
      if (!t || r.op !== 'lit') return undefined;
      if (isNumeric(t)) {
        const c = scalar(r.value, t);
        return c === undefined ? undefined : numLeaf(t, rangesFor(op, c, t.type !== 'dec'), day);
      }
      const code = isCoded(t) && (op === '=' || op === '!=') ? codeOf(r.value, t) : undefined;
      return code === undefined ? undefined : { kind: 'codes', field: t.field, codes: [code], negate: op === '!=' };
    }
    case 'between': {
      const t = termOf(e.value, dict);
      if (!t || !isNumeric(t) || e.low.op !== 'lit' || e.high.op !== 'lit') return undefined;
      const [a, b] = [scalar(e.low.value, t), scalar(e.high.value, t)];
      if (a === undefined || b === undefined) return undefined;
      const [ra, rb] = [rangesFor('>=', a, t.type !== 'dec'), rangesFor('<=', b, t.type !== 'dec')];
      if (!ra || !rb) return undefined;
      return numLeaf(t, normalizeRanges([[ra[0][0], rb[0][1]]]), day);
    }
    case 'in': {
      const t = termOf(e.value, dict);
      const list = listOf(e.list);
      if (!t || !list) return undefined;
      if (isNumeric(t)) {
        const parts: Range[] = [];
        for (const v of list) {
          const c = scalar(v, t);
          const rs = c === undefined ? undefined : rangesFor('=', c, t.type !== 'dec');
          if (!rs) return undefined;
          parts.push(...rs);
        }
        const rs = normalizeRanges(parts);
        return numLeaf(t, e.negate ? complement(rs) : rs, day);
      }
      const codes = isCoded(t) ? list.map((v) => codeOf(v, t)) : [undefined];
      if (codes.some((c) => c === undefined)) return undefined;
      return { kind: 'codes', field: t.field, codes: [...new Set(codes as string[])].sort(), negate: !!e.negate };
    }
    case 'contains': {
      const list = listOf(e.list);
      if (e.set.op !== 'field' || dict.fields.get(e.set.name)?.type !== 'set' || !list || list.some((v) => typeof v !== 'string')) return undefined;
      return { kind: 'set', field: e.set.name, mode: e.mode, codes: [...new Set(list as string[])].sort(), negate: false };
    }
    case 'within':
      if (e.value.op !== 'field' || dict.fields.get(e.value.name)?.type !== 'region') return undefined;
      return { kind: 'within', field: e.value.name, regions: [...new Set(e.regions)].sort(), negate: !!e.negate };
    case 'known': {
      const t = termOf(e.value, dict);
      return t ? { kind: 'known', field: t.field, negate: !!e.negate } : undefined;
    }
    default:
      return undefined;
  }
}

function tablesOf(e: Expr, table: (name: string) => TableData, out: Record<string, TableData> = {}): Record<string, TableData> {
  if (e.op === 'tier' || e.op === 'lookup') out[e.table] = table(e.table);
  for (const k of Object.values(e)) {
    if (Array.isArray(k)) for (const c of k) if (c && typeof c === 'object' && 'op' in c) tablesOf(c as Expr, table, out);
    if (k && typeof k === 'object' && 'op' in k) tablesOf(k as Expr, table, out);
  }
  return out;
}

/** The leaf for a condition that holds no and/or/not/atleast (bound to the day, constants folded). */
export function leafOf(e: Expr, dict: Dictionary, day: number, table: (name: string) => TableData): Leaf {
  return fast(e, dict, day) ?? { kind: 'exact', expr: e, fields: fieldsOf(e), tables: tablesOf(e, table), negate: false };
}
