// The most an item can pay, read from its amount formula and parameters, for the amount
// filter ("at least 10,000 元"): $award → the award; min(x × rate, $cap) → the cap;
// tier/lookup → the largest row; if → the larger branch. A formula that grows with a fact
// and has no cap (per 亩, per person, the gap to the 低保 standard) has no maximum.
// Amounts are assumed not negative, which holds for every grant in the catalogue.
import { decToString, resolveParams, type Dec, type Expr, type PolicyItem, type ResolvedParams } from '@kx/engine';

const n = (d: Dec) => Number(decToString(d));

function upper(e: Expr, p: ResolvedParams): number | undefined {
  switch (e.op) {
    case 'lit':
      return typeof e.value === 'object' && 'num' in e.value ? Number(e.value.num) : undefined;
    case 'param': {
      const r = p.get(e.name);
      return r?.type === 'num' ? n(r.value) : undefined;
    }
    case 'arith': {
      const a = upper(e.left, p);
      const b = upper(e.right, p);
      if (e.arith === '+') return a !== undefined && b !== undefined ? a + b : undefined;
      if (e.arith === '-') return a;
      if (e.arith === '*') return a !== undefined && b !== undefined ? a * b : undefined;
      // x / c with a positive constant c; any other divisor could be tiny.
      const c = e.right.op === 'lit' || e.right.op === 'param' ? b : undefined;
      return a !== undefined && c !== undefined && c > 0 ? a / c : undefined;
    }
    case 'call': {
      const xs = e.args.map((a) => upper(a, p));
      if (e.fn === 'min') {
        const known = xs.filter((x): x is number => x !== undefined);
        return known.length ? Math.min(...known) : undefined;
      }
      if (e.fn === 'max') return xs.every((x) => x !== undefined) ? Math.max(...(xs as number[])) : undefined;
      if (e.fn === 'round' || e.fn === 'ceil') return xs[0] === undefined ? undefined : Math.ceil(xs[0]);
      if (e.fn === 'floor') return xs[0];
      return undefined;
    }
    case 'if': {
      const a = upper(e.then, p);
      const b = upper(e.else, p);
      return a !== undefined && b !== undefined ? Math.max(a, b) : undefined;
    }
    case 'tier': {
      const r = p.get(e.table);
      return r?.type === 'tiers' ? Math.max(0, ...r.rows.map((row) => n(row.value))) : undefined;
    }
    case 'lookup': {
      const r = p.get(e.table);
      if (r?.type !== 'map') return undefined;
      const vals = [...r.entries.values()].map(n);
      if (r.default) vals.push(n(r.default));
      return Math.max(0, ...vals);
    }
    default:
      return undefined;
  }
}

/**
 * The largest amount the item can pay on `day` (its parameters then), or null when the
 * formula has no upper bound; undefined when the item pays no money (a service).
 */
export function maxAmount(item: PolicyItem, day: number): number | null | undefined {
  if (!item.amount) return undefined;
  let params: ResolvedParams;
  try {
    params = resolveParams(item.params, day);
  } catch {
    return null; // a parameter not in force on that day: nothing can be said
  }
  const u = upper(item.amount, params);
  return u === undefined || !Number.isFinite(u) ? null : Math.round(u * 100) / 100;
}
