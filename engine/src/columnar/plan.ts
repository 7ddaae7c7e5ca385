// Compiling a catalogue for one evaluation day into one shared condition graph. Each
// item's effective rule (entity_kind = audience and region within scope and eligibility)
// is bound to the day, constants are folded, `not` is pushed down to the leaves (Kleene
// logic keeps De Morgan), and equal leaves and equal subtrees are stored once.
import type { Expr } from '../ast/ast.ts';
import { fieldsOf } from '../ast/ast.ts';
import type { Dictionary, FieldType } from '../dictionary/types.ts';
import { EngineError } from '../errors.ts';
import { evalBool, type EvalContext, type Tri } from '../evaluate/interpret.ts';
import { effectiveRule, inValidity } from '../evaluate/item.ts';
import { bindRule } from '../params/bind.ts';
import { resolveParams, type ResolvedParams } from '../params/resolve.ts';
import type { PolicyItem } from '../policy/types.ts';
import { decToString } from '../values/decimal.ts';
import { leafKey, leafOf, negateLeaf, type Leaf, type TableData } from './leaves.ts';
import { fold, splitIf } from './rewrite.ts';

export type PlanNode =
  | { op: 'leaf'; leaf: number }
  | { op: 'const'; value: Tri }
  | { op: 'and' | 'or'; args: number[] }
  | { op: 'atleast'; n: number; args: number[] };

export interface PlanStats {
  items: number;
  /** Items in force on the day; the others are ineligible without evaluation. */
  activeItems: number;
  /** Leaf conditions over all items, before sharing. */
  leavesTotal: number;
  leavesDistinct: number;
  /** Distinct leaves evaluated entity by entity (no bitset form). */
  fallbackLeaves: number;
  nodes: number;
  /** and/or/atleast nodes used more than once, computed once per block. */
  sharedNodes: number;
}

/** The plain-data part of a plan: what a worker thread receives. */
export interface PlanData {
  day: number;
  itemIds: string[];
  /** Root node of each item. */
  roots: number[];
  nodes: PlanNode[];
  leaves: Leaf[];
  /** 1 when the node is an and/or/atleast referenced more than once. */
  shared: Uint8Array;
  fieldTypes: Record<string, FieldType>;
}

export interface ColumnarPlan extends PlanData {
  dict: Dictionary;
  stats: PlanStats;
}

/** A rule to compile directly (tests, previews): already the effective rule. */
export interface RuleInput {
  id: string;
  rule: Expr;
  params?: ResolvedParams;
}

function tableData(params: ResolvedParams, name: string): TableData {
  const p = params.get(name);
  if (p?.type === 'tiers')
    return {
      type: 'tiers',
      rows: p.rows.map((r) => ({ ...(r.min ? { min: decToString(r.min) } : {}), ...(r.max ? { max: decToString(r.max) } : {}), value: decToString(r.value) })),
    };
  if (p?.type === 'map')
    return { type: 'map', entries: [...p.entries].map(([k, v]) => [k, decToString(v)]), ...(p.default ? { default: decToString(p.default) } : {}) };
  throw new EngineError('PARAM_TYPE', `参数 $${name} 不是分档表或对照表`, `parameter $${name} is not a tiers or map table`);
}

/** `if`s lifted per condition; past this the condition is evaluated entity by entity. */
const MAX_IF_LIFTS = 6;

export class PlanBuilder {
  private readonly nodes: PlanNode[] = [];
  private readonly nodeIds = new Map<string, number>();
  private readonly leaves: Leaf[] = [];
  private readonly leafIds = new Map<string, number>();
  private readonly itemIds: string[] = [];
  private readonly roots: number[] = [];
  private leavesTotal = 0;
  private active = 0;

  constructor(
    readonly dict: Dictionary,
    readonly day: number,
  ) {}

  private intern(node: PlanNode): number {
    const key = node.op === 'leaf' ? `l${node.leaf}` : node.op === 'const' ? node.value : `${node.op}${node.op === 'atleast' ? node.n : ''}:${node.args.join(',')}`;
    let id = this.nodeIds.get(key);
    if (id === undefined) {
      id = this.nodes.push(node) - 1;
      this.nodeIds.set(key, id);
    }
    return id;
  }

  private constOf(id: number): Tri | undefined {
    const n = this.nodes[id];
    return n.op === 'const' ? n.value : undefined;
  }

  private junction(op: 'and' | 'or', ids: number[]): number {
    const absorbing: Tri = op === 'and' ? 'F' : 'T';
    const args = new Set<number>();
    for (const id of ids) {
      const n = this.nodes[id];
      const c = this.constOf(id);
      if (c === absorbing) return this.intern({ op: 'const', value: absorbing });
      if (c === (op === 'and' ? 'T' : 'F')) continue;
      if (n.op === op) n.args.forEach((a) => args.add(a));
      else args.add(id);
    }
    if (args.size === 0) return this.intern({ op: 'const', value: op === 'and' ? 'T' : 'F' });
    if (args.size === 1) return [...args][0];
    return this.intern({ op, args: [...args].sort((a, b) => a - b) });
  }

  private atleast(n: number, ids: number[]): number {
    const args: number[] = [];
    for (const id of ids) {
      const c = this.constOf(id);
      if (c === 'T') n--;
      else if (c !== 'F') args.push(id);
    }
    if (n <= 0) return this.intern({ op: 'const', value: 'T' });
    if (n > args.length) return this.intern({ op: 'const', value: 'F' });
    if (n === 1) return this.junction('or', args);
    if (n === args.length) return this.junction('and', args);
    return this.intern({ op: 'atleast', n, args: args.sort((a, b) => a - b) });
  }

  private build(e: Expr, neg: boolean, ctx: EvalContext, lifts = 0): number {
    switch (e.op) {
      case 'and':
      case 'or':
        return this.junction((e.op === 'and') !== neg ? 'and' : 'or', e.args.map((a) => this.build(a, neg, ctx, lifts)));
      case 'not':
        return this.build(e.arg, !neg, ctx, lifts);
      case 'atleast': {
        const args = e.args.map((a) => this.build(a, neg, ctx, lifts));
        return this.atleast(neg ? args.length - e.n + 1 : e.n, args);
      }
    }
    if (fieldsOf(e).length === 0) {
      const t = evalBool(e, {}, ctx);
      return this.intern({ op: 'const', value: neg ? (t === 'T' ? 'F' : t === 'F' ? 'T' : 'U') : t });
    }
    const split = lifts >= MAX_IF_LIFTS ? undefined : e.op === 'if' ? ([e.cond, e.then, e.else] as const) : splitIf(e);
    if (split) return this.choice(split[0], split[1], split[2], neg, ctx, lifts + 1);
    this.leavesTotal++;
    let leaf = leafOf(e, this.dict, this.day, (name) => tableData(ctx.params, name));
    if (neg) leaf = negateLeaf(leaf);
    const key = leafKey(leaf);
    let li = this.leafIds.get(key);
    if (li === undefined) {
      li = this.leaves.push(leaf) - 1;
      this.leafIds.set(key, li);
    }
    return this.intern({ op: 'leaf', leaf: li });
  }

  /**
   * if c then A else B, as bitset logic: (c and A) or (not c and B) or (c and not c).
   * The last term is U exactly when c is, so an unknown c gives U, never F.
   */
  private choice(c: Expr, a: Expr, b: Expr, neg: boolean, ctx: EvalContext, lifts: number): number {
    const yes = this.build(c, false, ctx, lifts);
    const no = this.build(c, true, ctx, lifts);
    return this.junction('or', [
      this.junction('and', [yes, this.build(a, neg, ctx, lifts)]),
      this.junction('and', [no, this.build(b, neg, ctx, lifts)]),
      this.junction('and', [yes, no]),
    ]);
  }

  /** Adds a rule (the effective rule, with $params and today still in it). */
  addRule(id: string, rule: Expr, params: ResolvedParams = new Map()): number {
    const ctx: EvalContext = { dict: this.dict, params, day: this.day };
    const root = this.build(fold(bindRule(rule, params, this.day), ctx), false, ctx);
    this.itemIds.push(id);
    this.active++;
    return this.roots.push(root) - 1;
  }

  /** Adds an item that no entity is eligible for on this day. */
  addIneligible(id: string): number {
    this.itemIds.push(id);
    return this.roots.push(this.intern({ op: 'const', value: 'F' })) - 1;
  }

  finish(): ColumnarPlan {
    const refs = new Uint32Array(this.nodes.length);
    for (const n of this.nodes) if (n.op !== 'leaf' && n.op !== 'const') for (const a of n.args) refs[a]++;
    for (const r of this.roots) refs[r]++;
    const shared = new Uint8Array(this.nodes.length);
    this.nodes.forEach((n, i) => (shared[i] = +(refs[i] > 1 && n.op !== 'leaf' && n.op !== 'const')));
    const fieldTypes: Record<string, FieldType> = {};
    const note = (f: string) => (fieldTypes[f] = this.dict.fields.get(f)?.type ?? 'text');
    for (const l of this.leaves) (l.kind === 'exact' ? l.fields : [l.field]).forEach(note);
    return {
      dict: this.dict,
      day: this.day,
      itemIds: this.itemIds,
      roots: this.roots,
      nodes: this.nodes,
      leaves: this.leaves,
      shared,
      fieldTypes,
      stats: {
        items: this.roots.length,
        activeItems: this.active,
        leavesTotal: this.leavesTotal,
        leavesDistinct: this.leaves.length,
        fallbackLeaves: this.leaves.filter((l) => l.kind === 'exact').length,
        nodes: this.nodes.length,
        sharedNodes: shared.reduce((s, x) => s + x, 0),
      },
    };
  }
}

/** One plan for every item of a catalogue on one evaluation day. */
export function compileCatalogue(dict: Dictionary, items: readonly PolicyItem[], day: number): ColumnarPlan {
  const b = new PlanBuilder(dict, day);
  for (const item of items) {
    if (!inValidity(item, day)) {
      b.addIneligible(item.id);
      continue;
    }
    try {
      b.addRule(item.id, effectiveRule(item), resolveParams(item.params, day));
    } catch (e) {
      if (e instanceof EngineError) throw new EngineError(e.code, `事项 ${item.id}：${e.zh}`, `item ${item.id}: ${e.en}`, e.loc, e.file);
      throw e;
    }
  }
  return b.finish();
}

/** The fields a plan reads: build the snapshot with `{ fields: planFields(plan) }` to hold no more. */
export function planFields(plan: PlanData): string[] {
  return Object.keys(plan.fieldTypes);
}

/** A plan for rules given directly (effective rules; params resolved for the day). */
export function compileRules(dict: Dictionary, rules: readonly RuleInput[], day: number): ColumnarPlan {
  const b = new PlanBuilder(dict, day);
  for (const r of rules) b.addRule(r.id, r.rule, r.params);
  return b.finish();
}
