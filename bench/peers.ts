// Peer engines for the side-by-side benchmark. Each peer gets the same bound rules
// (parameters and the date already substituted), translated into its own idiomatic
// form: JsonLogic for json-logic-js and json-logic-engine, condition trees with a few
// custom operators for json-rules-engine, one JDM expression node per decision for ZEN.
// Ages and durations become date thresholds (days), as a user of those engines would
// precompute them. A rule a peer cannot express is left out of that peer's figures and
// counted, never faked.
import type { Expr } from '../engine/src/index.ts';
import { children, fieldsOf, latestBirthForAge, latestStartForMonths, parseDate, regionPrefix } from '../engine/src/index.ts';

export class Untranslatable extends Error {}

/** Rewrites age/years_since/months_since/days_since compared with a constant into date thresholds. */
export function datesToThresholds(e: Expr, day: number): Expr {
  if (e.op === 'cmp' && e.left.op === 'call' && ['age', 'years_since', 'months_since', 'days_since'].includes(e.left.fn)) {
    const n = e.right.op === 'lit' && typeof e.right.value === 'object' && 'num' in e.right.value ? Number(e.right.value.num) : NaN;
    if (!Number.isInteger(n)) throw new Untranslatable('date function against a non-integer');
    const field = e.left.args[0];
    // f(d) >= n ⇔ d <= bound(n);  f(d) > n ⇔ f(d) >= n+1;  f(d) < n ⇔ not (f(d) >= n) …
    const bound = (k: number) =>
      e.left.op === 'call' && e.left.fn === 'months_since' ? latestStartForMonths(day, k) : e.left.op === 'call' && e.left.fn === 'days_since' ? day - k : latestBirthForAge(day, k);
    const le = (k: number): Expr => ({ op: 'cmp', cmp: '<=', left: field, right: { op: 'lit', value: { num: String(bound(k)) } } });
    const gt = (k: number): Expr => ({ op: 'cmp', cmp: '>', left: field, right: { op: 'lit', value: { num: String(bound(k)) } } });
    switch (e.cmp) {
      case '>=': return le(n);
      case '>': return le(n + 1);
      case '<': return gt(n);
      case '<=': return gt(n + 1);
      case '=': return { op: 'and', args: [le(n), gt(n + 1)] };
      case '!=': return { op: 'or', args: [gt(n), le(n + 1)] };
    }
  }
  if (e.op === 'lit' && typeof e.value === 'object' && 'date' in e.value) return { op: 'lit', value: { num: String(parseDate(e.value.date)) } };
  const out: Record<string, unknown> = { ...e };
  for (const [k, v] of Object.entries(e)) {
    if (Array.isArray(v) && v.length && typeof v[0] === 'object' && v[0] && 'op' in v[0]) out[k] = (v as Expr[]).map((x) => datesToThresholds(x, day));
    else if (v && typeof v === 'object' && 'op' in (v as object)) out[k] = datesToThresholds(v as Expr, day);
  }
  if (e.op !== 'cmp' && e.op !== 'lit' && children(e).some((c) => c.op === 'call' && ['age', 'years_since', 'months_since', 'days_since'].includes(c.fn)))
    throw new Untranslatable('date function used as a value');
  return out as Expr;
}

/** Region scope → the prefixes a string test needs (zones expand to their member towns). */
export type ZoneMembers = (code: string) => string[] | undefined;
const prefixesOf = (regions: string[], zones: ZoneMembers) => regions.flatMap((r) => zones(r) ?? [regionPrefix(r)]);

function litJs(e: Expr): unknown {
  if (e.op !== 'lit') throw new Untranslatable('expected a literal');
  const v = e.value;
  if (typeof v === 'object' && 'num' in v) return Number(v.num);
  if (typeof v === 'object' && 'list' in v) return v.list.map((m) => (typeof m === 'object' && 'num' in m ? Number(m.num) : m));
  if (typeof v === 'object' && 'date' in v) return parseDate(v.date);
  return v;
}

// ───────────────────────── JsonLogic (json-logic-js, json-logic-engine) ─────────────────────────
export function toJsonLogic(e: Expr, zones: ZoneMembers): unknown {
  const r = (x: Expr) => toJsonLogic(x, zones);
  switch (e.op) {
    case 'lit': return litJs(e);
    case 'field': return { var: e.name };
    case 'cmp': return { [e.cmp === '=' ? '==' : e.cmp]: [r(e.left), r(e.right)] };
    case 'between': return { '<=': [r(e.low), r(e.value), r(e.high)] };
    case 'in': { const x = { in: [r(e.value), r(e.list)] }; return e.negate ? { '!': x } : x; }
    case 'contains': {
      const members = (litJs(e.list) as string[]).map((m) => ({ in: [m, r(e.set)] }));
      if (e.mode === 'all') return { and: members };
      const any = members.length ? { or: members } : false;
      return e.mode === 'any' ? any : { '!': any };
    }
    case 'within': {
      // substr throws on a null region in json-logic-engine, so guard it as a user would.
      const tests = prefixesOf(e.regions, zones).map((p) => ({ '==': [{ substr: [r(e.value), 0, p.length] }, p] }));
      const x = { and: [{ '!=': [r(e.value), null] }, { or: tests }] };
      return e.negate ? { '!': x } : x;
    }
    case 'known': return { [e.negate ? '==' : '!=']: [r(e.value), null] };
    case 'and': return { and: e.args.map(r) };
    case 'or': return { or: e.args.map(r) };
    case 'not': return { '!': r(e.arg) };
    case 'atleast': return { '>=': [{ '+': e.args.map((a) => ({ if: [r(a), 1, 0] })) }, e.n] };
    case 'arith': return { [e.arith]: [r(e.left), r(e.right)] };
    case 'neg': return { '-': [r(e.arg)] };
    case 'if': return { if: [r(e.cond), r(e.then), r(e.else)] };
    case 'call':
      if (e.fn === 'min' || e.fn === 'max') return { [e.fn]: e.args.map(r) };
      throw new Untranslatable(`function ${e.fn}`);
    default: throw new Untranslatable(e.op);
  }
}

// ───────────────────────── json-rules-engine ─────────────────────────
type JreCondition = { all: JreCondition[] } | { any: JreCondition[] } | { not: JreCondition } | { fact: string; operator: string; value: unknown };
const JRE_OP: Record<string, string> = { '=': 'equal', '!=': 'notEqual', '<': 'lessThan', '<=': 'lessThanInclusive', '>': 'greaterThan', '>=': 'greaterThanInclusive' };

export function toJsonRulesEngine(e: Expr, zones: ZoneMembers): JreCondition {
  const r = (x: Expr) => toJsonRulesEngine(x, zones);
  const fieldOf = (x: Expr) => { if (x.op !== 'field') throw new Untranslatable('json-rules-engine compares facts with values'); return x.name; };
  switch (e.op) {
    case 'and': return { all: e.args.map(r) };
    case 'or': return { any: e.args.map(r) };
    case 'not': return { not: r(e.arg) };
    case 'cmp':
      if (e.left.op === 'field' && e.right.op === 'lit') return { fact: e.left.name, operator: JRE_OP[e.cmp], value: litJs(e.right) };
      throw new Untranslatable('comparison of computed values');
    case 'between': return { all: [{ fact: fieldOf(e.value), operator: 'greaterThanInclusive', value: litJs(e.low) }, { fact: fieldOf(e.value), operator: 'lessThanInclusive', value: litJs(e.high) }] };
    case 'in': return { fact: fieldOf(e.value), operator: e.negate ? 'notIn' : 'in', value: litJs(e.list) };
    case 'contains': {
      const op = { any: 'containsAny', all: 'containsAll', none: 'containsNone' }[e.mode];
      return { fact: fieldOf(e.set), operator: op, value: litJs(e.list) };
    }
    case 'within': return { fact: fieldOf(e.value), operator: e.negate ? 'notWithinPrefixes' : 'withinPrefixes', value: prefixesOf(e.regions, zones) };
    case 'known': return { fact: fieldOf(e.value), operator: e.negate ? 'equal' : 'notEqual', value: null };
    case 'field': return { fact: e.name, operator: 'equal', value: true };
    default: throw new Untranslatable(e.op);
  }
}

/** The custom operators the translation uses, registered the way json-rules-engine documents. */
export const JRE_OPERATORS: [string, (fact: unknown, value: unknown) => boolean][] = [
  ['containsAny', (f, v) => Array.isArray(f) && (v as string[]).some((m) => f.includes(m))],
  ['containsAll', (f, v) => Array.isArray(f) && (v as string[]).every((m) => f.includes(m))],
  ['containsNone', (f, v) => Array.isArray(f) && !(v as string[]).some((m) => f.includes(m))],
  ['withinPrefixes', (f, v) => typeof f === 'string' && (v as string[]).some((p) => f.startsWith(p))],
  ['notWithinPrefixes', (f, v) => typeof f === 'string' && !(v as string[]).some((p) => f.startsWith(p))],
];

// ───────────────────────── GoRules ZEN expression language ─────────────────────────
const zq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
function zlit(e: Expr): string {
  const v = litJs(e);
  if (Array.isArray(v)) return `[${v.map((m) => (typeof m === 'string' ? zq(m) : String(m))).join(', ')}]`;
  if (typeof v === 'string') return zq(v);
  return String(v);
}

/** ZEN's VM fails on null operands, so every leaf first checks the facts it reads are present. */
function zenGuard(e: Expr, text: string): string {
  const fields = fieldsOf(e);
  return fields.length ? `(${fields.map((f) => `${f} != null`).join(' and ')} and ${text})` : text;
}

const ZEN_LEAVES = new Set(['cmp', 'between', 'in', 'contains', 'within']);

export function toZen(e: Expr, zones: ZoneMembers): string {
  const text = toZenBare(e, zones);
  return ZEN_LEAVES.has(e.op) ? zenGuard(e, text) : text;
}

function toZenBare(e: Expr, zones: ZoneMembers): string {
  const r = (x: Expr) => toZen(x, zones);
  switch (e.op) {
    case 'lit': return zlit(e);
    case 'field': return e.name;
    case 'cmp': return `(${r(e.left)} ${e.cmp === '=' ? '==' : e.cmp} ${r(e.right)})`;
    case 'between': return `(${r(e.value)} in [${r(e.low)}..${r(e.high)}])`;
    case 'in': return e.negate ? `not(${r(e.value)} in ${r(e.list)})` : `(${r(e.value)} in ${r(e.list)})`;
    case 'contains': {
      const list = r(e.list);
      if (e.mode === 'all') return `all(${list}, # in ${r(e.set)})`;
      const any = `some(${r(e.set)}, # in ${list})`;
      return e.mode === 'any' ? any : `not(${any})`;
    }
    case 'within': {
      const x = prefixesOf(e.regions, zones).map((p) => `startsWith(${r(e.value)}, ${zq(p)})`).join(' or ');
      return e.negate ? `not(${x})` : `(${x})`;
    }
    case 'known': return `(${r(e.value)} ${e.negate ? '==' : '!='} null)`;
    case 'and': return `(${e.args.map(r).join(' and ')})`;
    case 'or': return `(${e.args.map(r).join(' or ')})`;
    case 'not': return `not(${r(e.arg)})`;
    case 'atleast': return `((${e.args.map((a) => `(${r(a)} ? 1 : 0)`).join(' + ')}) >= ${e.n})`;
    case 'arith': return `(${r(e.left)} ${e.arith} ${r(e.right)})`;
    case 'neg': return `(-${r(e.arg)})`;
    case 'if': return `(${r(e.cond)} ? ${r(e.then)} : ${r(e.else)})`;
    case 'call':
      if (e.fn === 'min' || e.fn === 'max') return `${e.fn}([${e.args.map(r).join(', ')}])`;
      throw new Untranslatable(`function ${e.fn}`);
    default: throw new Untranslatable(e.op);
  }
}

/** A JDM graph: request → one expression node computing every item → response. */
export function zenGraph(expressions: { key: string; value: string }[]): object {
  return {
    nodes: [
      { id: 'in', type: 'inputNode', name: 'Request', position: { x: 0, y: 0 } },
      { id: 'expr', type: 'expressionNode', name: 'Items', position: { x: 200, y: 0 }, content: { expressions: expressions.map((x, i) => ({ id: `e${i}`, ...x })) } },
      { id: 'out', type: 'outputNode', name: 'Response', position: { x: 400, y: 0 } },
    ],
    edges: [
      { id: 'a', type: 'edge', sourceId: 'in', targetId: 'expr' },
      { id: 'b', type: 'edge', sourceId: 'expr', targetId: 'out' },
    ],
  };
}
