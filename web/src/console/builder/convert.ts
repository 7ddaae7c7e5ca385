// The visual condition builder's tree and the rule AST, both ways. The AST is the truth
// (engine/src/ast): the text form prints from it and parses to it, the builder edits a tree
// made from it. Anything the builder cannot show as a row (arithmetic, "at least N of", a
// literal on the left …) stays a `raw` node holding its AST, so nothing is ever lost:
// toAst(toTree(e)) is e exactly, for every rule the parser produces.
import type { CmpOp, Expr } from '../../../../engine/src/ast/ast.ts';

/** Functions of a date the builder offers on the left of a condition: age(birth_date) ≥ 18. */
export const SUBJECT_FNS = ['age', 'years_since', 'months_since', 'days_since'] as const;
export type SubjectFn = (typeof SUBJECT_FNS)[number];

export type CondOp =
  | CmpOp
  | 'between'
  | 'in'
  | 'not in'
  | 'contains any'
  | 'contains all'
  | 'contains none'
  | 'within'
  | 'not within'
  | 'known'
  | 'missing';

/** A value on the right: a literal or a dated parameter ($name) — kept as the AST node itself. */
export type Operand = Extract<Expr, { op: 'lit' } | { op: 'param' }>;

export interface Cond {
  kind: 'cond';
  id: string;
  field: string;
  fn?: SubjectFn;
  op: CondOp;
  /** cmp: [value]; between: [low, high]; in / contains: [list]; within, known, missing: []. */
  values: Operand[];
  /** within / not within: region codes. */
  regions?: string[];
}

export interface Group {
  kind: 'group';
  id: string;
  logic: 'all' | 'any';
  /** "none of" / "not all of": the group is wrapped in not(…). */
  negate: boolean;
  children: BNode[];
}

export interface Raw {
  kind: 'raw';
  id: string;
  expr: Expr;
}

export type BNode = Cond | Group | Raw;

let seq = 0;
export const newId = (): string => `n${++seq}`;

const isOperand = (e: Expr): e is Operand => e.op === 'lit' || e.op === 'param';

/** The subject of a condition: a field, or a date function of a field. */
function subjectOf(e: Expr): { field: string; fn?: SubjectFn } | undefined {
  if (e.op === 'field') return { field: e.name };
  if (e.op === 'call' && (SUBJECT_FNS as readonly string[]).includes(e.fn) && e.args.length === 1 && e.args[0].op === 'field')
    return { field: e.args[0].name, fn: e.fn as SubjectFn };
  return undefined;
}

function subjectExpr(c: Pick<Cond, 'field' | 'fn'>): Expr {
  const f: Expr = { op: 'field', name: c.field };
  return c.fn ? { op: 'call', fn: c.fn, args: [f] } : f;
}

/** One node of the AST as a builder node (a condition row, a group, or raw). */
export function nodeOf(e: Expr): BNode {
  const id = newId();
  switch (e.op) {
    case 'and':
    case 'or':
      if (e.args.length >= 2) return { kind: 'group', id, logic: e.op === 'and' ? 'all' : 'any', negate: false, children: e.args.map(nodeOf) };
      break;
    case 'not': {
      const a = e.arg;
      if ((a.op === 'and' || a.op === 'or') && a.args.length >= 2)
        return { kind: 'group', id, logic: a.op === 'and' ? 'all' : 'any', negate: true, children: a.args.map(nodeOf) };
      // not(single condition): a negated group of one row (prints back as not …)
      return { kind: 'group', id, logic: 'all', negate: true, children: [nodeOf(a)] };
    }
    case 'cmp': {
      const s = subjectOf(e.left);
      if (s && isOperand(e.right)) return { kind: 'cond', id, ...s, op: e.cmp, values: [e.right] };
      break;
    }
    case 'between': {
      const s = subjectOf(e.value);
      if (s && isOperand(e.low) && isOperand(e.high)) return { kind: 'cond', id, ...s, op: 'between', values: [e.low, e.high] };
      break;
    }
    case 'in': {
      const s = subjectOf(e.value);
      if (s && isOperand(e.list)) return { kind: 'cond', id, ...s, op: e.negate ? 'not in' : 'in', values: [e.list] };
      break;
    }
    case 'contains': {
      const s = subjectOf(e.set);
      if (s && !s.fn && isOperand(e.list)) return { kind: 'cond', id, field: s.field, op: `contains ${e.mode}`, values: [e.list] };
      break;
    }
    case 'within': {
      const s = subjectOf(e.value);
      if (s && !s.fn && e.regions.length) return { kind: 'cond', id, field: s.field, op: e.negate ? 'not within' : 'within', values: [], regions: [...e.regions] };
      break;
    }
    case 'known': {
      const s = subjectOf(e.value);
      if (s) return { kind: 'cond', id, ...s, op: e.negate ? 'missing' : 'known', values: [] };
      break;
    }
  }
  return { kind: 'raw', id, expr: e };
}

/**
 * The builder's root is always a group: an and/or rule is that group, anything else one row
 * in an "all of" group (which prints as the row alone). An empty rule is an empty group.
 */
export function toTree(e: Expr | undefined): Group {
  if (!e) return { kind: 'group', id: newId(), logic: 'all', negate: false, children: [] };
  const n = nodeOf(e);
  if (n.kind === 'group' && !n.negate) return n;
  return { kind: 'group', id: newId(), logic: 'all', negate: false, children: [n] };
}

/** A condition row as AST; undefined while the row is incomplete (no value typed yet). */
export function condAst(c: Cond): Expr | undefined {
  if (!c.field) return undefined;
  const subject = subjectExpr(c);
  const [a, b] = c.values;
  switch (c.op) {
    case 'between':
      return a && b ? { op: 'between', value: subject, low: a, high: b } : undefined;
    case 'in':
    case 'not in':
      return a ? { op: 'in', value: subject, list: a, ...(c.op === 'not in' ? { negate: true } : {}) } : undefined;
    case 'contains any':
    case 'contains all':
    case 'contains none':
      return a ? { op: 'contains', mode: c.op.slice(9) as 'any' | 'all' | 'none', set: subject, list: a } : undefined;
    case 'within':
    case 'not within':
      return c.regions?.length ? { op: 'within', value: subject, regions: [...c.regions], ...(c.op === 'not within' ? { negate: true } : {}) } : undefined;
    case 'known':
    case 'missing':
      return { op: 'known', value: subject, ...(c.op === 'missing' ? { negate: true } : {}) };
    default:
      return a ? { op: 'cmp', cmp: c.op, left: subject, right: a } : undefined;
  }
}

/** A node as AST; incomplete rows and empty groups are left out (undefined). */
export function nodeAst(n: BNode): Expr | undefined {
  if (n.kind === 'raw') return n.expr;
  if (n.kind === 'cond') return condAst(n);
  const args = n.children.map(nodeAst).filter((x): x is Expr => x !== undefined);
  if (!args.length) return undefined;
  const op = n.logic === 'all' ? 'and' : 'or';
  const inner: Expr = args.length === 1 ? args[0] : { op, args };
  return n.negate ? { op: 'not', arg: inner } : inner;
}

/** The whole tree as the rule; undefined for an empty builder. */
export const toAst = (root: Group): Expr | undefined => nodeAst(root);

/** Rows that are not complete yet (they are left out of the rule until they are). */
export function incompleteRows(n: BNode, out: string[] = []): string[] {
  if (n.kind === 'cond' && !condAst(n)) out.push(n.id);
  if (n.kind === 'group') for (const c of n.children) incompleteRows(c, out);
  return out;
}

// Editing helpers: immutable updates of one node by id.
export function updateNode(root: Group, id: string, fn: (n: BNode) => BNode | null): Group {
  const walk = (n: BNode): BNode | null => {
    if (n.id === id) return fn(n);
    if (n.kind !== 'group') return n;
    const children = n.children.map(walk).filter((x): x is BNode => x !== null);
    return children.length === n.children.length && children.every((c, i) => c === n.children[i]) ? n : { ...n, children };
  };
  return (walk(root) as Group | null) ?? { ...root, children: [] };
}

export function addChild(root: Group, groupId: string, child: BNode): Group {
  return updateNode(root, groupId, (n) => (n.kind === 'group' ? { ...n, children: [...n.children, child] } : n));
}

/** Ids out: the shape alone, for comparing trees. */
export function shapeOf(n: BNode): unknown {
  if (n.kind === 'group') return { kind: 'group', logic: n.logic, negate: n.negate, children: n.children.map(shapeOf) };
  const { id: _id, ...rest } = n;
  void _id;
  return rest;
}
