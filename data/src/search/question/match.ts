// A parsed question → the catalogue items, grouped eligible / undetermined (with what to
// add) / ineligible. The asker is a partial entity built from the chips, so most verdicts
// are undetermined; those are ranked by how many of their conditions the chips already
// satisfy and by how well the item matches the question's keywords. Verdicts are the
// engine's (three-valued, per condition); where a chip offers alternatives (小微 = small or
// micro) every alternative is evaluated and only a verdict they all share is kept.
import {
  compileBool, describeCondition, effectiveRule, evaluateItem, fieldsOf, itemContext, normalizeFacts, parseDate,
  type BoolFn, type Dictionary, type EntityKind, type Expr, type Facts, type PolicyItem, type Verdict,
} from '@kx/engine';
import type { SearchIndex } from '../build.ts';
import { rankEntries } from '../search.ts';
import { factsFromChips, type ParsedQuestion } from './parse.ts';

export interface MatchOptions {
  /** Search index over the same items, for keyword relevance. */
  index?: SearchIndex;
  /** Items per group (default 20). */
  limit?: number;
  /**
   * How many top undetermined items get the engine's full verdict, whose missing facts are
   * ranked by how much each would settle (default 0: they list the unknown facts of their
   * open conditions, most shared first, at a fraction of the cost). Eligible items always
   * get it, for their amount.
   */
  details?: number;
}

export interface MatchedItem {
  item_id: string;
  title: string;
  verdict: Verdict;
  /** Conditions (of the effective rule, audience aside) the chips satisfy, and all of them. */
  satisfied: number;
  conditions: number;
  /** Keyword relevance 0..1: the search score over that of the best match, or of a specific word if higher. */
  relevance: number;
  score: number;
  /** Facts that would decide it, most decisive first (undetermined only). */
  missing: { field: string; label_zh: string }[];
  /** "请补充：户籍所在地、健在" */
  add_zh?: string;
  /** The first condition that fails (ineligible only). */
  reason_zh?: string;
  amount?: string | null;
  amount_unit?: string;
}

export interface QuestionMatch {
  audience?: EntityKind;
  facts: Record<string, unknown>;
  /** Chips whose values the dictionary rejects (named field and value). */
  errors: string[];
  eligible: MatchedItem[];
  undetermined: MatchedItem[];
  ineligible: MatchedItem[];
  /** Eligible then undetermined, best first: the answer list. */
  ranked: MatchedItem[];
  /** Items for the other kind of asker, left out. */
  skipped: number;
  /** How many items are in each group before the limit. */
  counts: Record<Verdict, number>;
  took_ms: number;
}

/** Weight of keyword relevance (0..1) against one satisfied condition. */
export const RELEVANCE_WEIGHT = 2;
/** Weight of the share of conditions met (0..1). */
export const SHARE_WEIGHT = 1;
/** A search score (search.ts) at which a match counts as fully relevant. */
export const RELEVANCE_REFERENCE_SCORE = 8;
/** A region condition holds for everyone in its scope, so it says less than others. */
export const REGION_CONDITION_WEIGHT = 0.5;
const MAX_COMBINATIONS = 32;

interface Compiled {
  conditions: Expr[];
  fns: BoolFn[];
  /** Fields each condition reads. */
  reads: string[][];
  isRegion: boolean[];
}

const alternative = (reads: string[], alts: Set<string>) => alts.size > 0 && reads.some((f) => alts.has(f));

const compiledCache = new WeakMap<PolicyItem, Map<number, Compiled | null>>();

/** The item's conditions compiled for a day; undefined when a parameter has no value then. */
function compiled(item: PolicyItem, dict: Dictionary, day: number): Compiled | undefined {
  let byDay = compiledCache.get(item);
  if (!byDay) compiledCache.set(item, (byDay = new Map()));
  let c = byDay.get(day);
  if (c === undefined) {
    const rule = effectiveRule(item);
    const conditions = (rule.op === 'and' ? rule.args : [rule]).slice(1); // [0] is entity_kind = audience
    try {
      const ctx = itemContext(item, dict, day);
      c = { conditions, fns: conditions.map((e) => compileBool(e, ctx)), reads: conditions.map((e) => fieldsOf(e)), isRegion: conditions.map((e) => e.op === 'within' && fieldsOf(e)[0] === 'region') };
    } catch {
      c = null;
    }
    if (byDay.size > 8) byDay.clear();
    byDay.set(day, c);
  }
  return c ?? undefined;
}

const validityCache = new WeakMap<PolicyItem, [number, number]>();

function inValidity(item: PolicyItem, day: number): boolean {
  let v = validityCache.get(item);
  if (!v) validityCache.set(item, (v = [parseDate(item.valid_from)!, item.valid_to ? parseDate(item.valid_to)! : Infinity]));
  return v[0] <= day && day <= v[1];
}

/** Every combination of the chips' alternatives, as normalized facts for one kind of entity. */
function combinations(json: Record<string, unknown>, kind: EntityKind, dict: Dictionary, errors: string[]): Facts[] {
  const fixed: Record<string, unknown> = {};
  const alts: [string, unknown[]][] = [];
  for (const [k, v] of Object.entries(json)) {
    const def = dict.fields.get(k);
    if (!def || !def.kinds.includes(kind)) continue;
    if (Array.isArray(v) && def.type !== 'set') alts.push([k, v]);
    else if (Array.isArray(v) && def.type === 'set') {
      // "我们是专精特新" names one qualification, not all of them: the set holds these and
      // perhaps any others. The smallest and the largest such set bound every condition
      // that grows or shrinks with the set (contains any / all / none).
      const every = dict.enums.get(def.enum!)!.values.map((x) => x.code).filter((c) => c !== 'none');
      alts.push([k, [v, [...new Set([...(v as string[]), ...every])]]]);
    } else fixed[k] = v;
  }
  // Too many alternatives: the widest stay unknown, which is what they nearly are.
  alts.sort((a, b) => a[1].length - b[1].length);
  while (alts.reduce((n, [, v]) => n * v.length, 1) > MAX_COMBINATIONS) alts.pop();
  let combos: Record<string, unknown>[] = [fixed];
  for (const [k, vs] of alts) combos = combos.flatMap((c) => vs.map((v) => ({ ...c, [k]: v })));
  return combos.map((c) => {
    const { entity, errors: errs } = normalizeFacts(dict, kind, c);
    for (const e of errs) if (!errors.includes(e.message)) errors.push(e.message);
    return entity.facts; // entity_kind included: every item tried with these is of this kind
  });
}

const TRI_T = 1;
const TRI_F = 0;

interface Found {
  item: PolicyItem;
  c: Compiled | undefined;
  rel: number;
  score: number;
  satisfied: number;
  /** Index of the first condition found false, or −1. */
  failed: number;
  /** The facts to explain with: an alternative that left it open, else the first. */
  combo: Facts;
}

/** The best `k` by score, then relevance, then id (code-unit order: localeCompare is slow and thousands tie). */
function top(xs: Found[], k: number): Found[] {
  xs.sort((a, b) => b.score - a.score || b.rel - a.rel || (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0));
  return xs.slice(0, k);
}

export function matchQuestion(parsed: ParsedQuestion, items: readonly PolicyItem[], dict: Dictionary, date: string, opts: MatchOptions = {}): QuestionMatch {
  const t0 = performance.now();
  const day = parseDate(date);
  if (day === undefined) throw new Error(`匹配日期 "${date}" 应为 YYYY-MM-DD / match date "${date}" must be YYYY-MM-DD`);
  const facts = factsFromChips(parsed.chips, date);
  const errors: string[] = [];
  const combosOf = new Map<EntityKind, Facts[]>();
  const kinds: EntityKind[] = parsed.audience ? [parsed.audience] : ['enterprise', 'person'];
  for (const k of kinds) combosOf.set(k, combinations(facts, k, dict, errors));

  const relevance = new Map<string, number>();
  if (opts.index && parsed.keywords.length) {
    const ranked = rankEntries(opts.index, parsed.keywords.join(' '), { kind: 'item', minScoreRatio: 0 });
    // Generic words (待遇, 补贴) score 1–3 however well they match; a specific word (孤独症,
    // 高新技术企业) scores well above the reference. Relative to max(best, reference), a
    // question of generic words leaves the ranking to the conditions the chips satisfy.
    const top = Math.max(ranked[0]?.score ?? 0, RELEVANCE_REFERENCE_SCORE);
    for (const r of ranked) relevance.set(opts.index.entries[r.entry].id, r.score / top);
  }

  const alts = new Set<string>();
  for (const [k, v] of Object.entries(facts)) if (Array.isArray(v)) alts.add(k);
  const verdicts = new Uint8Array(MAX_COMBINATIONS);
  // One small record per item; full results only for the few that are shown.
  const found: Record<Verdict, Found[]> = { eligible: [], undetermined: [], ineligible: [] };
  let skipped = 0;
  for (const item of items) {
    const combos = combosOf.get(item.audience);
    if (!combos) {
      skipped++;
      continue;
    }
    const rel = relevance.get(item.id) ?? 0;
    const c = inValidity(item, day) ? compiled(item, dict, day) : undefined;
    if (!c) {
      found.ineligible.push({ item, c, rel, score: rel, satisfied: 0, failed: -1, combo: combos[0] });
      continue;
    }
    const n = c.fns.length;
    const m = combos.length;
    let allT = (1 << Math.min(n, 30)) - 1; // bit j: condition j holds in every combination
    let failed = -1;
    verdicts.fill(TRI_T, 0, m);
    for (let j = 0; j < n; j++) {
      // A condition that reads no alternative has one answer for all of them.
      const many = m > 1 && alternative(c.reads[j], alts);
      let allFalse = false;
      for (let k = 0; k < (many ? m : 1); k++) {
        const r = c.fns[j](combos[k]);
        if (r === TRI_T) continue;
        if (j < 30) allT &= ~(1 << j);
        if (r === TRI_F && failed < 0) failed = j;
        if (r === TRI_F && !many) allFalse = true;
        for (let x = many ? k : 0; x < (many ? k + 1 : m); x++) if (verdicts[x] !== TRI_F) verdicts[x] = r;
      }
      if (allFalse) break; // ineligible whatever the rest says
    }
    let nT = 0;
    let nF = 0;
    let uCombo: Facts | undefined;
    for (let k = 0; k < m; k++)
      if (verdicts[k] === TRI_T) nT++;
      else if (verdicts[k] === TRI_F) nF++;
      else uCombo ??= combos[k];
    // Alternatives that disagree (small: yes, micro: no) leave the verdict open, like an unknown.
    const verdict: Verdict = nF === combos.length ? 'ineligible' : nT === combos.length ? 'eligible' : 'undetermined';
    let satisfied = 0;
    let weighted = 0;
    let total = 0;
    for (let j = 0; j < n; j++) {
      const w = c.isRegion[j] ? REGION_CONDITION_WEIGHT : 1;
      total += w;
      if (j < 30 && allT & (1 << j)) {
        satisfied++;
        weighted += w;
      }
    }
    // Conditions met, and the share met: of two items meeting two conditions, the one with
    // fewer left open is likelier to be the asker's.
    const score = verdict === 'ineligible' ? rel : weighted + SHARE_WEIGHT * (total ? weighted / total : 0) + RELEVANCE_WEIGHT * rel;
    found[verdict].push({ item, c, rel, score, satisfied, failed, combo: uCombo ?? combos[0] });
  }
  const limit = opts.limit ?? 20;
  const details = opts.details ?? 0;
  const finish = (m: Found, verdict: Verdict, detailed: boolean): MatchedItem => {
    const r: MatchedItem = {
      item_id: m.item.id, title: m.item.title, verdict, satisfied: m.satisfied, conditions: m.c?.fns.length ?? 0,
      relevance: Math.round(m.rel * 1000) / 1000, score: Math.round(m.score * 1000) / 1000, missing: [],
    };
    if (verdict === 'undetermined') r.missing = unknownFields(m.c!, m.combo, dict);
    if (detailed && verdict !== 'ineligible') {
      const v = evaluateItem(m.item, { kind: m.item.audience, facts: m.combo }, dict, day, { explain: false, counterfactuals: false });
      if (v.verdict === 'undetermined') r.missing = v.missing.map((x) => ({ field: x.field, label_zh: x.label.zh }));
      if (v.amount) {
        r.amount = v.amount.value;
        if (v.amount.unit) r.amount_unit = v.amount.unit;
      }
    }
    if (r.missing.length) r.add_zh = `请补充：${r.missing.slice(0, 3).map((x) => x.label_zh).join('、')}`;
    if (verdict === 'ineligible')
      r.reason_zh = m.c && m.failed >= 0
        ? `不符合：${describeCondition(m.c.conditions[m.failed], { dict, params: itemContext(m.item, dict, day).params }, 'zh')}`
        : `不在政策有效期内或参数未生效（${m.item.valid_from} 至 ${m.item.valid_to ?? '长期'}）`;
    return r;
  };
  const eligible = top(found.eligible, limit).map((m) => finish(m, 'eligible', true));
  const undetermined = top(found.undetermined, limit).map((m, i) => finish(m, 'undetermined', i < details));
  const ineligible = top(found.ineligible, limit).map((m) => finish(m, 'ineligible', false));
  return {
    ...(parsed.audience ? { audience: parsed.audience } : {}),
    facts, errors, eligible, undetermined, ineligible,
    ranked: [...eligible, ...undetermined].slice(0, limit),
    skipped,
    counts: { eligible: found.eligible.length, undetermined: found.undetermined.length, ineligible: found.ineligible.length },
    took_ms: Math.round((performance.now() - t0) * 1000) / 1000,
  };
}

/** Unknown facts of the open conditions: those in most open conditions first, then in rule order. */
function unknownFields(c: Compiled, facts: Facts, dict: Dictionary): { field: string; label_zh: string }[] {
  const count = new Map<string, number>();
  c.fns.forEach((fn, j) => {
    if (fn(facts) !== 2) return;
    for (const f of fieldsOf(c.conditions[j])) if (facts[f] === undefined) count.set(f, (count.get(f) ?? 0) + 1);
  });
  return [...count]
    .map(([field, n], order) => ({ field, n, order }))
    .sort((a, b) => b.n - a.n || a.order - b.order)
    .map(({ field }) => ({ field, label_zh: dict.fields.get(field)?.label.zh ?? field }));
}
