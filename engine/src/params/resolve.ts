// Dated parameters: every amount, rate and threshold of a policy has a history of
// versions; the one in force on the evaluation date is used. Parameters may be
// expressions over other parameters (特困 standard = 1.3 × 低保 standard); cycles
// are rejected.
import type { Expr, LitValue } from '../ast/ast.ts';
import { paramsOf } from '../ast/ast.ts';
import type { ParamDef, ParamVersion } from '../policy/types.ts';
import { Dec, dec, decToString, divide, roundHalfAway } from '../values/decimal.ts';
import { formatDate, parseDate } from '../values/dates.ts';
import { EngineError } from '../errors.ts';

export type ResolvedParam =
  | { type: 'num'; value: Dec }
  | { type: 'bool'; value: boolean }
  | { type: 'date'; value: number }
  | { type: 'text'; value: string }
  | { type: 'list'; value: string[] }
  | { type: 'tiers'; rows: { min?: Dec; max?: Dec; value: Dec }[] }
  | { type: 'map'; entries: Map<string, Dec>; default?: Dec };

export type ResolvedParams = ReadonlyMap<string, ResolvedParam>;

/** The version of a parameter in force on `day`, or undefined. Later `from` wins on overlap. */
export function versionOn(p: ParamDef, day: number): ParamVersion | undefined {
  let best: ParamVersion | undefined;
  let bestFrom = -Infinity;
  for (const v of p.versions) {
    const from = parseDate(v.from)!;
    const to = v.to ? parseDate(v.to)! : Infinity;
    if (from <= day && day <= to && from >= bestFrom) {
      best = v;
      bestFrom = from;
    }
  }
  return best;
}

/** Throws EngineError PARAM_CYCLE naming the cycle, if any. */
export function checkParamCycles(params: ParamDef[]): void {
  const byName = new Map(params.map((p) => [p.name, p]));
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (name: string) => {
    const s = state.get(name);
    if (s === 2) return;
    if (s === 1) {
      const cycle = [...path.slice(path.indexOf(name)), name].join(' → ');
      throw new EngineError('PARAM_CYCLE', `参数之间存在循环引用：${cycle}`, `parameters refer to each other in a cycle: ${cycle}`);
    }
    const p = byName.get(name);
    if (!p) return;
    state.set(name, 1);
    path.push(name);
    for (const v of p.versions) if (v.value.kind === 'expr') for (const d of paramsOf(v.value.expr)) visit(d);
    path.pop();
    state.set(name, 2);
  };
  for (const p of params) visit(p.name);
}

/** Resolves every parameter for the evaluation day. */
export function resolveParams(params: ParamDef[], day: number): Map<string, ResolvedParam> {
  checkParamCycles(params);
  const byName = new Map(params.map((p) => [p.name, p]));
  const out = new Map<string, ResolvedParam>();
  const get = (name: string): ResolvedParam => {
    const hit = out.get(name);
    if (hit) return hit;
    const p = byName.get(name);
    if (!p) throw new EngineError('UNKNOWN_PARAM', `未定义的参数 $${name}`, `undefined parameter $${name}`);
    const v = versionOn(p, day);
    if (!v)
      throw new EngineError(
        'PARAM_NOT_IN_FORCE',
        `参数 $${name} 在 ${formatDate(day)} 没有生效的取值`,
        `parameter $${name} has no value in force on ${formatDate(day)}`,
      );
    const r = resolveValue(v, get, day);
    out.set(name, r);
    return r;
  };
  for (const p of params) get(p.name);
  return out;
}

function resolveValue(v: ParamVersion, get: (n: string) => ResolvedParam, day: number): ResolvedParam {
  const x = v.value;
  switch (x.kind) {
    case 'num':
      return { type: 'num', value: dec(x.value) };
    case 'bool':
      return { type: 'bool', value: x.value };
    case 'date':
      return { type: 'date', value: parseDate(x.value)! };
    case 'text':
      return { type: 'text', value: x.value };
    case 'list':
      return { type: 'list', value: x.value };
    case 'tiers':
      return {
        type: 'tiers',
        rows: x.rows.map((r) => ({
          ...(r.min !== undefined ? { min: dec(r.min) } : {}),
          ...(r.max !== undefined ? { max: dec(r.max) } : {}),
          value: dec(r.value),
        })),
      };
    case 'map':
      return {
        type: 'map',
        entries: new Map(Object.entries(x.entries).map(([k, val]) => [k, dec(val)])),
        ...(x.default !== undefined ? { default: dec(x.default) } : {}),
      };
    case 'expr':
      return evalParamExpr(x.expr, get, day);
  }
}

/** Parameter expressions: numbers, other parameters, arithmetic, min/max/round. No facts. */
function evalParamExpr(e: Expr, get: (n: string) => ResolvedParam, day: number): ResolvedParam {
  const num = (x: Expr): Dec => {
    const r = evalParamExpr(x, get, day);
    if (r.type !== 'num') throw new EngineError('PARAM_TYPE', '参数表达式只能做数值运算', 'parameter expressions compute numbers only');
    return r.value;
  };
  switch (e.op) {
    case 'lit': {
      const v = e.value;
      if (typeof v === 'object' && 'num' in v) return { type: 'num', value: dec(v.num) };
      if (typeof v === 'boolean') return { type: 'bool', value: v };
      if (typeof v === 'object' && 'date' in v) return { type: 'date', value: parseDate(v.date)! };
      break;
    }
    case 'param':
      return get(e.name);
    case 'today':
      return { type: 'date', value: day };
    case 'neg':
      return { type: 'num', value: num(e.arg).neg() };
    case 'arith': {
      const a = num(e.left);
      const b = num(e.right);
      if (e.arith === '+') return { type: 'num', value: a.plus(b) };
      if (e.arith === '-') return { type: 'num', value: a.minus(b) };
      if (e.arith === '*') return { type: 'num', value: a.times(b) };
      const q = divide(a, b);
      if (!q) throw new EngineError('DIV_ZERO', '参数表达式除数为零', 'division by zero in a parameter expression');
      return { type: 'num', value: q };
    }
    case 'call':
      if (e.fn === 'min' || e.fn === 'max') {
        const xs = e.args.map(num);
        return { type: 'num', value: e.fn === 'min' ? Dec.min(...xs) : Dec.max(...xs) };
      }
      if (e.fn === 'round') return { type: 'num', value: roundHalfAway(num(e.args[0]), Number(decToString(num(e.args[1])))) };
      break;
  }
  throw new EngineError('PARAM_EXPR', `参数表达式中不支持 ${e.op}`, `"${e.op}" is not allowed in a parameter expression`);
}

/** A resolved scalar parameter as a literal, for binding. */
export function paramToLit(r: ResolvedParam): LitValue | undefined {
  switch (r.type) {
    case 'num':
      return { num: decToString(r.value) };
    case 'bool':
      return r.value;
    case 'date':
      return { date: formatDate(r.value) };
    case 'text':
      return r.value;
    case 'list':
      return { list: r.value };
    default:
      return undefined;
  }
}
