// Candidate values for a field, read off the rule itself: the thresholds it compares
// against (and one step either side), the codes it lists, the regions it names. Used
// to rank missing facts ("which one would settle it?") and to find counterfactuals.
import type { Expr } from '../ast/ast.ts';
import { children } from '../ast/ast.ts';
import type { Dictionary, FieldDef } from '../dictionary/types.ts';
import { latestBirthForAge, latestStartForMonths, parseDate } from '../values/dates.ts';
import { dec, numToString } from '../values/decimal.ts';
import type { Value } from '../values/facts.ts';

/** A step just past a threshold: 1 for integers, one unit past the constant's last decimal otherwise. */
function step(def: FieldDef, c: string): number {
  if (def.type === 'int') return 1;
  const places = (c.split('.')[1] ?? '').length;
  return Number(`1e-${Math.min(places + 1, 10)}`);
}

function numLit(e: Expr): string | undefined {
  return e.op === 'lit' && typeof e.value === 'object' && 'num' in e.value ? e.value.num : undefined;
}
function dateLit(e: Expr): number | undefined {
  return e.op === 'lit' && typeof e.value === 'object' && 'date' in e.value ? parseDate(e.value.date) : undefined;
}
function listLit(e: Expr): string[] | undefined {
  return e.op === 'lit' && typeof e.value === 'object' && 'list' in e.value ? e.value.list.filter((x): x is string => typeof x === 'string') : undefined;
}

const add = (out: Value[], v: Value) => {
  if (!out.some((x) => JSON.stringify(x) === JSON.stringify(v))) out.push(v);
};

/** Candidate values for `field` from a rule that is already bound to its date. */
export function candidatesFor(rule: Expr, field: string, dict: Dictionary, day: number, current?: Value): Value[] {
  const def = dict.fields.get(field);
  if (!def) return [];
  const out: Value[] = [];
  const isField = (e: Expr) => e.op === 'field' && e.name === field;
  const around = (c: string) => {
    const n = Number(c);
    const s = step(def, c);
    for (const v of [n, n + s, n - s]) if (def.type === 'dec' || Number.isInteger(v)) add(out, Number(numToString(Number(dec(v).toFixed(10)))));
  };
  const visit = (e: Expr) => {
    if (e.op === 'cmp' || e.op === 'between') {
      const subj = e.op === 'cmp' ? (isField(e.left) ? e.left : isField(e.right) ? e.right : e.left) : e.value;
      const consts = e.op === 'cmp' ? [subj === e.left ? e.right : e.left] : [e.low, e.high];
      if (isField(subj)) {
        for (const c of consts) {
          const n = numLit(c);
          const d = dateLit(c);
          if (n !== undefined && (def.type === 'int' || def.type === 'dec')) around(n);
          else if (d !== undefined && def.type === 'date') [d, d - 1, d + 1].forEach((v) => add(out, v));
          else if (c.op === 'lit' && typeof c.value === 'string') add(out, c.value);
          else if (c.op === 'lit' && typeof c.value === 'boolean') [true, false].forEach((v) => add(out, v));
        }
      } else if (subj.op === 'call' && subj.args[0] && isField(subj.args[0]) && def.type === 'date') {
        // age(birth_date) >= 60 → the birth dates either side of turning 60 on the evaluation day
        for (const c of consts) {
          const n = numLit(c);
          if (n === undefined) continue;
          const k = Math.trunc(Number(n));
          const bound =
            subj.fn === 'age' || subj.fn === 'years_since'
              ? latestBirthForAge(day, k)
              : subj.fn === 'months_since'
                ? latestStartForMonths(day, k)
                : subj.fn === 'days_since'
                  ? day - k
                  : undefined;
          if (bound !== undefined) [bound, bound + 1, bound - 1].forEach((v) => add(out, v));
        }
      }
    } else if (e.op === 'in' && isField(e.value)) {
      const list = listLit(e.list) ?? [];
      list.forEach((v) => add(out, v));
      if (def.type === 'enum') {
        const other = dict.enums.get(def.enum!)!.values.find((v) => !list.includes(v.code));
        if (other) add(out, other.code);
      }
    } else if (e.op === 'contains' && isField(e.set)) {
      const list = listLit(e.list) ?? [];
      const base = Array.isArray(current) ? (current as string[]) : [];
      const sorted = (xs: string[]) => [...new Set(xs)].sort();
      if (e.mode === 'any') list.forEach((m) => add(out, sorted([...base, m])));
      if (e.mode === 'all') add(out, sorted([...base, ...list]));
      if (e.mode === 'none' || e.mode === 'any') add(out, base.filter((m) => !list.includes(m)));
    } else if (e.op === 'within' && isField(e.value)) {
      for (const r of e.regions) add(out, r.startsWith('LC-') || !/^\d/.test(r) ? r : r);
      add(out, '110000'); // somewhere outside (北京市)
    } else if (isField(e) && def.type === 'bool') {
      [true, false].forEach((v) => add(out, v));
    }
    for (const c of children(e)) visit(c);
  };
  visit(rule);
  if (out.length === 0) {
    // The field only feeds arithmetic: try a few values of its type.
    if (def.type === 'bool') [true, false].forEach((v) => add(out, v));
    else if (def.type === 'enum') dict.enums.get(def.enum!)!.values.slice(0, 12).forEach((v) => add(out, v.code));
    else if (def.type === 'int' || def.type === 'dec') [0, 1, 10, 100, 1000, 100000].forEach((v) => add(out, v));
    else if (def.type === 'date') [day, day - 365, day - 3650].forEach((v) => add(out, v));
    else if (def.type === 'set') add(out, []);
  }
  return out.filter((v) => JSON.stringify(v) !== JSON.stringify(current));
}
