// The canonical form of a rule: a JSON tree. The text form (parse/print) and the
// visual editor both produce and consume exactly this. Every node is plain JSON so
// that it can be stored, diffed and sent to the browser as it is.

/** A position in policy text, 1-based. Optional: ASTs built by hand or imported have none. */
export interface Loc {
  line: number;
  col: number;
}

export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/';

/** Functions of the language. All are pure; the evaluation date is the only clock. */
export type FnName =
  | 'min' // min(a, b, …)            numbers
  | 'max' // max(a, b, …)            numbers
  | 'round' // round(x, places)      half away from zero, places a literal 0..10
  | 'floor' // floor(x)
  | 'ceil' // ceil(x)
  | 'abs' // abs(x)
  | 'age' // age(date)              full years from date to the evaluation date
  | 'years_since' // years_since(date) same as age, reads better for registrations
  | 'months_since' // months_since(date) full months to the evaluation date
  | 'days_since' // days_since(date)   days to the evaluation date
  | 'add_days' // add_days(date, n)
  | 'add_months' // add_months(date, n)  end-of-month clamped
  | 'add_years' // add_years(date, n)    29 Feb → 28 Feb
  | 'count'; // count(set)           number of members

export type Expr =
  | { op: 'lit'; value: LitValue; loc?: Loc }
  | { op: 'field'; name: string; loc?: Loc }
  | { op: 'param'; name: string; loc?: Loc }
  | { op: 'today'; loc?: Loc }
  | { op: 'cmp'; cmp: CmpOp; left: Expr; right: Expr; loc?: Loc }
  | { op: 'between'; value: Expr; low: Expr; high: Expr; loc?: Loc } // inclusive both ends
  | { op: 'in'; value: Expr; list: Expr; negate?: boolean; loc?: Loc } // list: a list literal or a list/set param
  | { op: 'contains'; mode: 'any' | 'all' | 'none'; set: Expr; list: Expr; loc?: Loc }
  | { op: 'within'; value: Expr; regions: string[]; negate?: boolean; loc?: Loc }
  | { op: 'known'; value: Expr; negate?: boolean; loc?: Loc } // negate: "is missing"
  | { op: 'and'; args: Expr[]; loc?: Loc }
  | { op: 'or'; args: Expr[]; loc?: Loc }
  | { op: 'not'; arg: Expr; loc?: Loc }
  | { op: 'atleast'; n: number; args: Expr[]; loc?: Loc }
  | { op: 'arith'; arith: ArithOp; left: Expr; right: Expr; loc?: Loc }
  | { op: 'neg'; arg: Expr; loc?: Loc }
  | { op: 'call'; fn: FnName; args: Expr[]; loc?: Loc }
  | { op: 'if'; cond: Expr; then: Expr; else: Expr; loc?: Loc }
  | { op: 'tier'; value: Expr; table: string; loc?: Loc } // 分档: table is a param of kind 'tiers'
  | { op: 'lookup'; value: Expr; table: string; loc?: Loc }; // by enum: table is a param of kind 'map'

/**
 * Literal values in JSON form:
 *  - numbers: { num: "12" } — decimal string, exact (percentages are already divided: 5.5% → "0.055")
 *  - dates:   { date: "2024-01-01" }
 *  - booleans, strings (enum codes, region codes, text): as themselves
 *  - lists:   { list: [...] } of the above
 */
export type LitValue =
  | boolean
  | string
  | { num: string; pct?: boolean }
  | { date: string }
  | { list: LitValue[] };

export type ExprOp = Expr['op'];
export type NodeOf<K extends ExprOp> = Extract<Expr, { op: K }>;

export const CMP_OPS: readonly CmpOp[] = ['=', '!=', '<', '<=', '>', '>='];
export const LOGIC_OPS = new Set<ExprOp>(['and', 'or', 'not', 'atleast']);

/** Children of a node, in source order. */
export function children(e: Expr): Expr[] {
  switch (e.op) {
    case 'lit':
    case 'field':
    case 'param':
    case 'today':
      return [];
    case 'cmp':
      return [e.left, e.right];
    case 'between':
      return [e.value, e.low, e.high];
    case 'in':
      return [e.value, e.list];
    case 'contains':
      return [e.set, e.list];
    case 'within':
    case 'known':
      return [e.value];
    case 'and':
    case 'or':
    case 'atleast':
      return e.args;
    case 'not':
    case 'neg':
      return [e.arg];
    case 'arith':
      return [e.left, e.right];
    case 'call':
      return e.args;
    case 'if':
      return [e.cond, e.then, e.else];
    case 'tier':
    case 'lookup':
      return [e.value];
  }
}

/** Every field a rule reads, in first-seen order. */
export function fieldsOf(e: Expr, out: string[] = []): string[] {
  if (e.op === 'field') {
    if (!out.includes(e.name)) out.push(e.name);
  } else for (const c of children(e)) fieldsOf(c, out);
  return out;
}

/** Every parameter a rule reads (including tier/lookup tables), in first-seen order. */
export function paramsOf(e: Expr, out: string[] = []): string[] {
  if (e.op === 'param' || e.op === 'tier' || e.op === 'lookup') {
    const name = e.op === 'param' ? e.name : e.table;
    if (!out.includes(name)) out.push(name);
  }
  for (const c of children(e)) paramsOf(c, out);
  return out;
}

/** The same tree without source positions: the form that is stored, compared and hashed. */
export function stripLoc(e: Expr): Expr {
  return JSON.parse(JSON.stringify(e, (k, v) => (k === 'loc' ? undefined : v))) as Expr;
}

/** A stable key for a node (no positions): equal keys ⇔ same computation. */
export function exprKey(e: Expr): string {
  return JSON.stringify(e, (k, v) => (k === 'loc' ? undefined : v));
}

/** Depth of the tree, iteratively (a rule may be hostile: 10,000 levels must not blow the stack). */
export function depthOf(root: Expr): number {
  let max = 0;
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length) {
    const [e, d] = stack.pop()!;
    if (d > max) max = d;
    for (const c of children(e)) stack.push([c, d + 1]);
  }
  return max;
}

/** Number of nodes, iteratively. */
export function sizeOf(root: Expr): number {
  let n = 0;
  const stack: Expr[] = [root];
  while (stack.length) {
    const e = stack.pop()!;
    n++;
    for (const c of children(e)) stack.push(c);
  }
  return n;
}

// Small constructors, used by importers, generators and tests.
export const lit = {
  num: (v: string | number): Expr => ({ op: 'lit', value: { num: String(v) } }),
  date: (v: string): Expr => ({ op: 'lit', value: { date: v } }),
  str: (v: string): Expr => ({ op: 'lit', value: v }),
  bool: (v: boolean): Expr => ({ op: 'lit', value: v }),
  list: (vs: LitValue[]): Expr => ({ op: 'lit', value: { list: vs } }),
};
export const field = (name: string): Expr => ({ op: 'field', name });
export const param = (name: string): Expr => ({ op: 'param', name });
export const cmp = (c: CmpOp, left: Expr, right: Expr): Expr => ({ op: 'cmp', cmp: c, left, right });
export const and = (...args: Expr[]): Expr => ({ op: 'and', args });
export const or = (...args: Expr[]): Expr => ({ op: 'or', args });
export const not = (arg: Expr): Expr => ({ op: 'not', arg });
