// Binding a rule to an evaluation date: `$param` and `today` become literals, so that
// the fast evaluators (compiled, columnar, SQL) see constants they can fold and share.
// tier/lookup keep their table names; evaluators read the tables from the resolved map.
import type { Expr } from '../ast/ast.ts';
import { EngineError } from '../errors.ts';
import { formatDate } from '../values/dates.ts';
import { paramToLit, type ResolvedParams } from './resolve.ts';

export function bindRule(e: Expr, params: ResolvedParams, day: number): Expr {
  const rec = (x: Expr): Expr => {
    switch (x.op) {
      case 'param': {
        const r = params.get(x.name);
        if (!r) throw new EngineError('UNKNOWN_PARAM', `未定义的参数 $${x.name}`, `undefined parameter $${x.name}`, x.loc);
        const v = paramToLit(r);
        if (v === undefined)
          throw new EngineError('PARAM_TYPE', `参数 $${x.name} 是表格，只能用于 tier/lookup`, `parameter $${x.name} is a table; use it with tier/lookup`, x.loc);
        return { op: 'lit', value: v, ...(x.loc ? { loc: x.loc } : {}) };
      }
      case 'today':
        return { op: 'lit', value: { date: formatDate(day) }, ...(x.loc ? { loc: x.loc } : {}) };
      case 'lit':
      case 'field':
        return x;
      default: {
        const out: Record<string, unknown> = { ...x };
        for (const [k, v] of Object.entries(x)) {
          if (k === 'loc') continue;
          if (Array.isArray(v) && v.length && typeof v[0] === 'object' && v[0] && 'op' in v[0]) out[k] = (v as Expr[]).map(rec);
          else if (v && typeof v === 'object' && 'op' in (v as object)) out[k] = rec(v as Expr);
        }
        return out as Expr;
      }
    }
  };
  return rec(e);
}
