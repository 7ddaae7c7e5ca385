// AST → canonical text. What is printed parses back to the same tree (positions
// aside): parentheses only where precedence needs them, numbers as their decimal
// text, and and/or chains that do not fit on a line broken one condition per line.
import type { Expr, LitValue } from '../ast/ast.ts';
import { decToString, dec, isDecimalText } from '../values/decimal.ts';
import { PREC, precOf } from './grammar.ts';

/** Lines longer than this are broken at and/or (and if/then/else). */
export const PRINT_WIDTH = 80;
const INDENT = '  ';

export function printExpr(e: Expr): string {
  return new Printer().print(collapseChains(e), 0, '');
}

/**
 * No text has an and/or of one or zero operands. They print as what they mean: or(a) as a,
 * and() as true, or() as false. Other nodes are rebuilt only when something below changed.
 */
function collapseChains(e: Expr): Expr {
  if (e.op === 'and' || e.op === 'or') {
    if (e.args.length === 0) return { op: 'lit', value: e.op === 'and', ...(e.loc ? { loc: e.loc } : {}) };
    if (e.args.length === 1) return collapseChains(e.args[0]);
  }
  let changed = false;
  const out: Record<string, unknown> = { ...e };
  for (const [k, v] of Object.entries(e)) {
    if (Array.isArray(v) && v.length && typeof v[0] === 'object' && v[0] !== null && 'op' in v[0]) {
      const next = (v as Expr[]).map(collapseChains);
      if (next.some((x, i) => x !== v[i])) {
        out[k] = next;
        changed = true;
      }
    } else if (v && typeof v === 'object' && 'op' in v) {
      const next = collapseChains(v as Expr);
      if (next !== v) {
        out[k] = next;
        changed = true;
      }
    }
  }
  return changed ? (out as Expr) : e;
}

/** A literal as rule text: `12`, `5.5%`, `2025-01-01`, `"zjtx"`, `["a", "b"]`. */
export function printLit(v: LitValue): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return quote(v);
  if ('num' in v) return v.pct ? `${decToString(dec(v.num).times(100))}%` : numText(v.num);
  if ('date' in v) return v.date;
  return `[${v.list.map(printLit).join(', ')}]`;
}

export function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => '\\' + c)}"`;
}

/** Plain numbers print as stored when the lexer can read them back; otherwise in normal form. */
function numText(s: string): string {
  if (LEXABLE_NUM.test(s)) return s;
  if (!isDecimalText(s)) throw new Error(`not a decimal number: ${JSON.stringify(s)}`);
  return decToString(dec(s));
}
const LEXABLE_NUM = /^-?\d+(\.\d+)?$/;

const isNumLit = (e: Expr): boolean => e.op === 'lit' && typeof e.value === 'object' && 'num' in e.value;
const DATEISH_FNS = new Set(['add_days', 'add_months', 'add_years']);
/** `<`/`>` between dates read better as before/after; both parse back to the same node. */
const isDateish = (e: Expr): boolean =>
  e.op === 'today' || (e.op === 'lit' && typeof e.value === 'object' && 'date' in e.value) || (e.op === 'call' && DATEISH_FNS.has(e.fn));

class Printer {
  // Flat (one-line) renderings, so that deciding whether a subtree fits does not redo the work at every level.
  private readonly flatCache = new Map<Expr, string>();

  /** `min`: the weakest binding the context accepts without parentheses. */
  print(e: Expr, min: number, indent: string): string {
    if (precOf(e) < min) return this.parens(e, indent);
    const flat = this.flat(e);
    if (indent.length + flat.length <= PRINT_WIDTH) return flat;
    switch (e.op) {
      case 'and':
      case 'or': {
        const sub = precOf(e) + 1;
        const lead = e.op + ' ';
        // An and-chain inside an or-chain has no parentheses; indenting it under its `or` shows the grouping.
        const argIndent = e.op === 'or' ? indent + ' '.repeat(lead.length) : indent;
        return e.args
          .map((a, i) => (i === 0 ? '' : `\n${indent}${lead}`) + this.print(a, sub, argIndent))
          .join('');
      }
      case 'if':
        return `if ${this.print(e.cond, PREC.or, indent + INDENT)}\n${indent}then ${this.print(e.then, PREC.or, indent + INDENT)}\n${indent}else ${this.print(e.else, PREC.if, indent)}`;
      case 'not':
        return `not ${this.print(e.arg, PREC.not, indent)}`;
      default:
        return flat;
    }
  }

  private parens(e: Expr, indent: string): string {
    const flat = this.flat(e);
    if (indent.length + flat.length + 2 <= PRINT_WIDTH) return `(${flat})`;
    const inner = indent + INDENT;
    return `(\n${inner}${this.print(e, 0, inner)}\n${indent})`;
  }

  private flat(e: Expr): string {
    let s = this.flatCache.get(e);
    if (s === undefined) {
      s = this.render(e);
      this.flatCache.set(e, s);
    }
    return s;
  }

  /** One-line text of a node whose own precedence is already satisfied. */
  private render(e: Expr): string {
    const f = (x: Expr, min: number) => (precOf(x) < min ? `(${this.flat(x)})` : this.flat(x));
    const any = (x: Expr) => f(x, PREC.if);
    switch (e.op) {
      case 'lit':
        return printLit(e.value);
      case 'field':
        return e.name;
      case 'param':
        return '$' + e.name;
      case 'today':
        return 'today';
      case 'cmp': {
        const word = isDateish(e.left) || isDateish(e.right) ? { '<': 'before', '>': 'after' }[e.cmp as '<' | '>'] : undefined;
        return `${f(e.left, PREC.add)} ${word ?? e.cmp} ${f(e.right, PREC.add)}`;
      }
      case 'between':
        return `${f(e.value, PREC.add)} between ${f(e.low, PREC.add)} and ${f(e.high, PREC.add)}`;
      case 'in':
        return `${f(e.value, PREC.add)} ${e.negate ? 'not in' : 'in'} ${f(e.list, PREC.add)}`;
      case 'contains':
        return `${f(e.set, PREC.add)} contains ${e.mode} ${f(e.list, PREC.add)}`;
      case 'within':
        return `${f(e.value, PREC.add)} ${e.negate ? 'not within' : 'within'} [${e.regions.map(quote).join(', ')}]`;
      case 'known':
        return `${f(e.value, PREC.add)} is ${e.negate ? 'missing' : 'known'}`;
      case 'and':
      case 'or':
        return e.args.map((a) => f(a, precOf(e) + 1)).join(` ${e.op} `);
      case 'not':
        return `not ${f(e.arg, PREC.not)}`;
      case 'atleast':
        return `at least ${e.n} of (${e.args.map(any).join(', ')})`;
      case 'arith': {
        const own = precOf(e);
        return `${f(e.left, own)} ${e.arith} ${f(e.right, own + 1)}`;
      }
      case 'neg':
        // `-(3)`, not `-3`: the parser reads `-3` as the literal −3.
        return isNumLit(e.arg) ? `-(${this.flat(e.arg)})` : `-${f(e.arg, PREC.neg)}`;
      case 'call':
        return `${e.fn}(${e.args.map(any).join(', ')})`;
      case 'tier':
      case 'lookup':
        return `${e.op}(${any(e.value)}, $${e.table})`;
      case 'if': {
        // A nested `if` in the condition or the then-branch reads badly without parentheses.
        const inner = (x: Expr) => (x.op === 'if' ? `(${this.flat(x)})` : any(x));
        return `if ${inner(e.cond)} then ${inner(e.then)} else ${any(e.else)}`;
      }
    }
  }
}
