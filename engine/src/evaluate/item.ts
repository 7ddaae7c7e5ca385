// The verdict of one policy item for one entity on one date, with everything a user
// needs to act on it: why (explanation), what is missing (ranked), how much, and what
// would change the answer (counterfactuals).
import type { Expr } from '../ast/ast.ts';
import { fieldsOf } from '../ast/ast.ts';
import type { Dictionary } from '../dictionary/types.ts';
import { ENTITY_KIND_FIELD } from '../dictionary/types.ts';
import { bindRule } from '../params/bind.ts';
import { resolveParams, type ResolvedParams } from '../params/resolve.ts';
import type { PolicyItem, Verdict } from '../policy/types.ts';
import { parseDate, formatDate } from '../values/dates.ts';
import { decToString } from '../values/decimal.ts';
import type { Entity, Facts, Value } from '../values/facts.ts';
import { describeCondition, describeValue, fmtValue, type DescribeEnv } from '../explain/describe.ts';
import { explainTrace, type ExplainNode } from '../explain/explain.ts';
import type { Text2 } from '../dictionary/types.ts';
import { candidatesFor } from '../explain/candidates.ts';
import { Compiler, type BoolFn } from './compile.ts';
import { evalBool, evalNumber, fieldValue, traceBool, type EvalContext, type Tri, type TraceNode } from './interpret.ts';

export interface MissingFact {
  field: string;
  label: Text2;
  source: string;
  /** Share of candidate values that would settle the verdict on their own (0..1). */
  settles: number;
  /** Some value of this fact alone would make the entity eligible. */
  can_make_eligible: boolean;
  /**
   * What to add when the fact is known but too coarse to decide (a region coarser than a
   * zone or town the rule names: 东昌府区 against 高新区).
   */
  hint?: Text2;
}

/** Asked of a region known only to a level coarser than the rule's (docs/rule-language.md, `within`). */
export const REFINE_REGION: Text2 = { zh: '请补充到乡镇（街道）的所在地', en: 'add the town or street of your address' };

export interface Change {
  field: string;
  label: Text2;
  from: unknown;
  to: unknown;
}

export interface Counterfactual {
  changes: Change[];
  /** "若从业人员 ≤ 300 人则符合" */
  text: Text2;
}

export interface AmountResult {
  value: string | null;
  unit?: string;
  formula: Text2;
  inputs: { label: Text2; value: Text2 }[];
}

export interface ItemVerdict {
  item: string;
  version: number;
  date: string;
  verdict: Verdict;
  /** Set when the verdict was decided before the rule (outside validity). */
  reason?: Text2;
  missing: MissingFact[];
  amount: AmountResult | null;
  explanation: ExplainNode | null;
  counterfactuals: Counterfactual[];
}

export interface EvaluateOptions {
  explain?: boolean;
  counterfactuals?: boolean;
  /** Cap on evaluations spent searching counterfactuals. */
  searchBudget?: number;
}

/** entity_kind = audience and region within scope and eligibility */
export function effectiveRule(item: Pick<PolicyItem, 'audience' | 'region_scope' | 'eligibility'>): Expr {
  const parts: Expr[] = [{ op: 'cmp', cmp: '=', left: { op: 'field', name: ENTITY_KIND_FIELD }, right: { op: 'lit', value: item.audience } }];
  if (item.region_scope.length) parts.push({ op: 'within', value: { op: 'field', name: 'region' }, regions: item.region_scope });
  if (item.eligibility.op === 'and') parts.push(...item.eligibility.args);
  else parts.push(item.eligibility);
  return { op: 'and', args: parts };
}

export function inValidity(item: Pick<PolicyItem, 'valid_from' | 'valid_to'>, day: number): boolean {
  return parseDate(item.valid_from)! <= day && (!item.valid_to || day <= parseDate(item.valid_to)!);
}

export const VERDICT_OF: Record<Tri, Verdict> = { T: 'eligible', F: 'ineligible', U: 'undetermined' };

function label(dict: Dictionary, field: string): Text2 {
  const f = dict.fields.get(field);
  return f ? { zh: f.label.zh, en: f.label.en } : { zh: field, en: field };
}

/**
 * Fields whose unknown value left some condition undetermined, in rule order — and regions
 * that are known but too coarse for a `within` (unknown by overlap), which are as missing.
 */
function unknownFieldsIn(node: TraceNode, facts: Facts, out: string[] = []): string[] {
  if (node.children) {
    for (const c of node.children) if (c.result === 'U') unknownFieldsIn(c, facts, out);
  } else if (node.result === 'U') {
    for (const f of fieldsOf(node.expr)) if ((facts[f] === undefined || coarseIn(node.expr, facts) === f) && !out.includes(f)) out.push(f);
  }
  return out;
}

/** The region field of a `within` left unknown although its value is known (coarser than the rule's regions). */
function coarseIn(e: Expr, facts: Facts): string | undefined {
  return e.op === 'within' && e.value.op === 'field' && facts[e.value.name] !== undefined ? e.value.name : undefined;
}

// A bound rule's candidate values per field (they depend on the rule, field and day only);
// the rules of an item on a day are themselves kept (preparedOn), so this lasts as long.
const candidateCache = new WeakMap<Expr, Map<string, Value[]>>();

function candidatesOf(rule: Expr, field: string, ctx: EvalContext): Value[] {
  let byField = candidateCache.get(rule);
  if (!byField) candidateCache.set(rule, (byField = new Map()));
  const key = `${ctx.day}|${field}`;
  let c = byField.get(key);
  if (!c) byField.set(key, (c = candidatesFor(rule, field, ctx.dict, ctx.day)));
  return c;
}

const TRI: readonly Tri[] = ['F', 'T', 'U'];

/**
 * Ranks the missing facts by how much each would settle on its own. `test` evaluates the rule
 * (the interpreter by default; evaluateItem passes the rule compiled, which agrees with it).
 */
export function rankMissing(rule: Expr, facts: Facts, ctx: EvalContext, fields: string[], test: (f: Facts) => Tri = (f) => evalBool(rule, f, ctx)): MissingFact[] {
  // One copy of the facts, each candidate set in it and the fact put back after (a copy per
  // candidate was most of the cost of listing an entity's undetermined items).
  const probe: Facts = { ...facts };
  const out = fields.map((field, order) => {
    const cands = candidatesOf(rule, field, ctx);
    let settled = 0;
    let eligible = false;
    for (const v of cands) {
      probe[field] = v;
      const r = test(probe);
      if (r !== 'U') settled++;
      if (r === 'T') eligible = true;
    }
    if (field in facts) probe[field] = facts[field];
    else delete probe[field];
    const def = ctx.dict.fields.get(field);
    const m: MissingFact = { field, label: label(ctx.dict, field), source: def?.source ?? '', settles: cands.length ? settled / cands.length : 0, can_make_eligible: eligible };
    if (def?.type === 'region' && facts[field] !== undefined) m.hint = REFINE_REGION;
    return { order, m };
  });
  out.sort((a, b) => b.m.settles - a.m.settles || Number(b.m.can_make_eligible) - Number(a.m.can_make_eligible) || a.order - b.order);
  return out.map((x) => x.m);
}

/** Leaf conditions on `fields` that were not true: what the user would have to meet. */
function conditionsOn(node: TraceNode, fields: string[], out: Expr[] = []): Expr[] {
  if (node.children) for (const c of node.children) conditionsOn(c, fields, out);
  else if (node.result !== 'T' && fieldsOf(node.expr).some((f) => fields.includes(f))) out.push(node.expr);
  return out;
}

/** Rough size of a change, to prefer the smallest one. */
function distance(from: Value | undefined, to: Value): number {
  if (from === undefined) return 1;
  if (typeof from === 'number' && typeof to === 'number') return Math.abs(to - from) / Math.max(Math.abs(from), 1);
  return 1;
}

export function findCounterfactuals(rule: Expr, facts: Facts, ctx: EvalContext, trace: TraceNode, budget = 2000): Counterfactual[] {
  const dict = ctx.dict;
  const env: DescribeEnv = { dict, params: ctx.params };
  // Fields in conditions that failed or were unknown; mutable facts first.
  const blocking: string[] = [];
  const walk = (n: TraceNode) => {
    if (n.children) n.children.forEach((c) => c.result !== 'T' && walk(c));
    else if (n.result !== 'T') for (const f of fieldsOf(n.expr)) if (f !== ENTITY_KIND_FIELD && !blocking.includes(f)) blocking.push(f);
  };
  walk(trace);
  blocking.sort((a, b) => Number(dict.fields.get(b)?.mutable !== false) - Number(dict.fields.get(a)?.mutable !== false));
  const cands = new Map(blocking.map((f) => [f, candidatesFor(rule, f, dict, ctx.day, facts[f])]));
  let spent = 0;
  const found: { changes: [string, Value][]; cost: number }[] = [];
  const tryChanges = (changes: [string, Value][]) => {
    spent++;
    const next = { ...facts };
    for (const [f, v] of changes) next[f] = v;
    if (evalBool(rule, next, ctx) === 'T') {
      const cost = changes.reduce((s, [f, v]) => s + distance(facts[f], v) + (dict.fields.get(f)?.mutable === false ? 10 : 0), 0);
      found.push({ changes, cost });
    }
  };
  for (const f of blocking) for (const v of cands.get(f)!) if (spent < budget) tryChanges([[f, v]]);
  if (found.length === 0) {
    const top = blocking.slice(0, 8);
    for (let i = 0; i < top.length; i++)
      for (let j = i + 1; j < top.length; j++)
        for (const v of cands.get(top[i])!) for (const w of cands.get(top[j])!) if (spent < budget) tryChanges([[top[i], v], [top[j], w]]);
  }
  found.sort((a, b) => a.cost - b.cost);
  // One suggestion per set of fields: the cheapest.
  const seen = new Set<string>();
  const best = found.filter((x) => {
    const key = x.changes.map(([f]) => f).join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return best.slice(0, 3).map(({ changes }) => {
    const fields = changes.map(([f]) => f);
    const conds = conditionsOn(trace, fields);
    const say = (lang: 'zh' | 'en') => conds.map((c) => describeCondition(c, env, lang)).join(lang === 'zh' ? '且' : ' and ');
    return {
      changes: changes.map(([f, v]) => {
        const def = dict.fields.get(f);
        const fmt = (x: Value | undefined) => (x === undefined ? null : fmtValue(fieldValue(ctx, { [f]: x }, f), def, env, 'zh'));
        return { field: f, label: label(dict, f), from: fmt(facts[f]), to: fmt(v) };
      }),
      text: { zh: `若${say('zh')}则符合`, en: `Eligible if ${say('en').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase())}` },
    };
  });
}

function amountOf(item: PolicyItem, facts: Facts, ctx: EvalContext, env: DescribeEnv, formula?: Text2): AmountResult | null {
  if (!item.amount) return null;
  const v = evalNumber(item.amount, facts, ctx);
  const inputs = fieldsOf(item.amount).map((f) => ({
    label: label(ctx.dict, f),
    value: {
      zh: fmtValue(fieldValue(ctx, facts, f), ctx.dict.fields.get(f), env, 'zh'),
      en: fmtValue(fieldValue(ctx, facts, f), ctx.dict.fields.get(f), env, 'en'),
    },
  }));
  return {
    value: v === undefined ? null : decToString(v.toDecimalPlaces(2, 4 /* half up */)),
    ...(item.amount_unit ? { unit: item.amount_unit } : {}),
    formula: formula ?? { zh: describeValue(item.amount, env, 'zh'), en: describeValue(item.amount, env, 'en') },
    inputs,
  };
}

// Items are immutable once loaded, so their parameters on a day are resolved once.
const paramCache = new WeakMap<PolicyItem, Map<number, ResolvedParams>>();

function paramsOn(item: PolicyItem, day: number): ResolvedParams {
  let byDay = paramCache.get(item);
  if (!byDay) paramCache.set(item, (byDay = new Map()));
  let p = byDay.get(day);
  if (!p) {
    p = resolveParams(item.params, day);
    if (byDay.size > 64) byDay.clear();
    byDay.set(day, p);
  }
  return p;
}

interface Prepared {
  rule: Expr;
  bound: Expr;
  amount?: Expr;
  /** Items whose rule and bound rule are the same expression share this number (missingMemo). */
  shape?: number;
  /** The fields the rule reads: what its missing facts depend on. */
  fields?: string[];
  /** Built on first use, for the dictionary they were built with. */
  compiled?: { dict: Dictionary; fn: BoolFn; formula?: Text2 };
}

/** The bound rule compiled (a verdict without a trace) and the amount's formula text: per item and day. */
function compiledOf(item: PolicyItem, p: Prepared, ctx: EvalContext): { fn: BoolFn; formula?: Text2 } {
  if (p.compiled?.dict !== ctx.dict) {
    const env: DescribeEnv = { dict: ctx.dict, params: ctx.params };
    p.compiled = {
      dict: ctx.dict,
      fn: new Compiler(ctx).bool(p.bound),
      ...(item.amount ? { formula: { zh: describeValue(item.amount, env, 'zh'), en: describeValue(item.amount, env, 'en') } } : {}),
    };
  }
  return p.compiled;
}

// The item's rule (audience and region added) and its body and amount bound to a day's
// parameters: the same for every entity, so built once per item and day.
const preparedCache = new WeakMap<PolicyItem, Map<number, Prepared>>();

function preparedOn(item: PolicyItem, ctx: EvalContext): Prepared {
  let byDay = preparedCache.get(item);
  if (!byDay) preparedCache.set(item, (byDay = new Map()));
  let p = byDay.get(ctx.day);
  if (!p) {
    const rule = effectiveRule(item);
    p = { rule, bound: bindRule(rule, ctx.params, ctx.day), ...(item.amount ? { amount: bindRule(item.amount, ctx.params, ctx.day) } : {}) };
    if (byDay.size > 64) byDay.clear();
    byDay.set(ctx.day, p);
  }
  return p;
}

/** Builds the evaluation context of an item on a date (parameters resolved once per day). */
export function itemContext(item: PolicyItem, dict: Dictionary, day: number, params?: ResolvedParams): EvalContext {
  return { dict, day, params: params ?? paramsOn(item, day) };
}

export function evaluateItem(item: PolicyItem, entity: Entity, dict: Dictionary, day: number, opts: EvaluateOptions = {}): ItemVerdict {
  const base = { item: item.id, version: item.version, date: formatDate(day) };
  if (!inValidity(item, day)) {
    return {
      ...base,
      verdict: 'ineligible',
      reason: { zh: `不在政策有效期内（${item.valid_from} 至 ${item.valid_to ?? '长期'}）`, en: `outside the item's validity (${item.valid_from} to ${item.valid_to ?? 'open'})` },
      missing: [],
      amount: null,
      explanation: null,
      counterfactuals: [],
    };
  }
  const ctx = itemContext(item, dict, day);
  // Facts that already say the entity's kind are read as they are (nothing below writes to them).
  const facts: Facts = entity.facts[ENTITY_KIND_FIELD] === entity.kind ? entity.facts : { ...entity.facts, [ENTITY_KIND_FIELD]: entity.kind };
  const prepared = preparedOn(item, ctx);
  const { rule, bound, amount: boundAmount } = prepared;
  const env: DescribeEnv = { dict, params: ctx.params };
  if (opts.explain === false && opts.counterfactuals === false) return summary(item, prepared, facts, ctx, env, base);
  const trace = traceBool(rule, facts, ctx);
  const verdict = VERDICT_OF[trace.result];
  let amount: AmountResult | null = null;
  let missing: MissingFact[] = [];
  if (verdict === 'eligible') {
    amount = amountOf(item, facts, ctx, env);
    if (amount && amount.value === null)
      missing = rankMissing(boundAmount!, facts, ctx, fieldsOf(item.amount!).filter((f) => facts[f] === undefined));
  } else if (verdict === 'undetermined') {
    missing = rankMissing(bound, facts, ctx, unknownFieldsIn(trace, facts));
  }
  const explanation = opts.explain === false ? null : explainTrace(trace, env);
  const counterfactuals = verdict !== 'eligible' && opts.counterfactuals !== false ? findCounterfactuals(bound, facts, ctx, trace, opts.searchBudget) : [];
  return { ...base, verdict, missing, amount, explanation, counterfactuals };
}

// The ranked missing facts of an undetermined verdict depend on the rule and the values of the
// fields it reads, nothing else. Catalogues repeat rules — a county's copy of a city policy, the
// 2024 and 2025 editions of one subsidy — and people share the few values those rules read
// (employment status, disability category …), so a list names the same ranking many times.
// Kept per rule shape and values, bounded (first in, first out); a day change is a new key.
const shapes = new Map<string, number>();
const missingMemos = new WeakMap<Dictionary, Map<string, MissingFact[]>>();
const MISSING_MEMO_MAX = 50_000;

/** The rule, its bound form and the item's parameters on the day (tables are read by name). */
function shapeOf(p: Prepared, ctx: EvalContext): number {
  if (p.shape === undefined) {
    const key = JSON.stringify([p.rule, p.bound, [...ctx.params]]);
    let id = shapes.get(key);
    if (id === undefined) shapes.set(key, (id = shapes.size));
    p.shape = id;
    p.fields = fieldsOf(p.rule);
  }
  return p.shape;
}

function memoMissing(p: Prepared, facts: Facts, ctx: EvalContext, rank: () => MissingFact[]): MissingFact[] {
  let memo = missingMemos.get(ctx.dict);
  if (!memo) missingMemos.set(ctx.dict, (memo = new Map()));
  let key = `${shapeOf(p, ctx)}|${ctx.day}`;
  for (const f of p.fields!) {
    const v = facts[f];
    key += v === undefined ? '|' : `|${typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v)}`;
  }
  let hit = memo.get(key);
  if (!hit) {
    hit = rank();
    if (memo.size >= MISSING_MEMO_MAX) memo.delete(memo.keys().next().value!);
    memo.set(key, hit);
  }
  // A copy of the list (its entries are never changed by readers), so a caller may sort or filter it.
  return hit.slice();
}

/**
 * The verdict, amount and ranked missing facts without explanation or counterfactuals (an
 * entity's list): the compiled rule decides, and only an undetermined verdict is traced (to
 * find the facts it lacks), the ranking's many evaluations compiled too.
 */
function summary(item: PolicyItem, p: Prepared, facts: Facts, ctx: EvalContext, env: DescribeEnv, base: Pick<ItemVerdict, 'item' | 'version' | 'date'>): ItemVerdict {
  const { fn, formula } = compiledOf(item, p, ctx);
  const verdict = VERDICT_OF[TRI[fn(facts)]];
  let amount: AmountResult | null = null;
  let missing: MissingFact[] = [];
  if (verdict === 'eligible') {
    amount = amountOf(item, facts, ctx, env, formula);
    if (amount && amount.value === null) missing = rankMissing(p.amount!, facts, ctx, fieldsOf(item.amount!).filter((f) => facts[f] === undefined));
  } else if (verdict === 'undetermined') {
    missing = memoMissing(p, facts, ctx, () => rankMissing(p.bound, facts, ctx, unknownFieldsIn(traceBool(p.rule, facts, ctx), facts), (f) => TRI[fn(f)]));
  }
  return { ...base, verdict, missing, amount, explanation: null, counterfactuals: [] };
}
