// "What am I entitled to": every item in force, evaluated now for one entity with the
// compiled catalogue matcher; for the eligible and undetermined ones how much and which facts
// are missing. The condition-by-condition explanation and what would change the answer are a
// second request per item (/matches/{item}), or the whole list with ?explain=full (decision
// 0026: the list is the portal's landing page, the explanations most of its cost). With
// as_of, the answer of that date: the facts known then (history) against the versions in
// force then.
import { ENTITY_KIND_FIELD, evaluateItem, parseDate, type Entity, type EntityKind, type ItemVerdict, type PolicyItem, type Text2 } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { badInput, DomainError, notFound } from '../../errors.ts';
import { actorOf, DEPARTMENT_ROLES, ENTITY_ROLES, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { factsAsOf } from '../profiles/service.ts';
import { EPOCH_EXPR, type Catalogue } from './catalogue.ts';
import { entityFromStored } from './facts.ts';
import { dayOf, matchingState } from './state.ts';

/** Evaluations spent searching counterfactuals per item in the list: enough for one-fact changes. */
export const COUNTERFACTUAL_BUDGET = 120;
/** Undetermined items of the list that get counterfactuals (the closest to an answer). */
export const COUNTERFACTUAL_ITEMS = 8;
/** The search for one item asked for by itself. */
export const ITEM_COUNTERFACTUAL_BUDGET = 2000;

export type Lang = 'zh' | 'en';

export interface MatchesQuery {
  as_of?: string;
  lang?: Lang;
  /** List the ineligible items of the entity's audience and region too (else only counted). */
  ineligible?: boolean;
  /** 'full': every listed item with its explanation and the closest ones with counterfactuals. */
  explain?: 'full';
}

/** The one-item route: always fully explained. */
export type ItemMatchQuery = Omit<MatchesQuery, 'ineligible' | 'explain'>;

type Scope = 'own' | 'admin' | 'department';

async function scopeOf(ctx: Ctx, p: Principal, entityId: string): Promise<Scope> {
  if (p.kind === 'user' && p.role && ENTITY_ROLES.includes(p.role)) {
    if (p.entityId === entityId) return 'own';
  } else if (p.kind === 'user' && p.role === 'admin') return 'admin';
  else if (p.kind === 'user' && p.role && DEPARTMENT_ROLES.includes(p.role) && p.department) return 'department';
  await appendAudit(ctx.db, { actor: actorOf(p), action: 'match.read', subject: `entity:${entityId}`, outcome: 'denied' });
  throw new DomainError('FORBIDDEN', '只能查看本主体的匹配结果', 'you may see only your own matches');
}

function checkDate(ctx: Ctx, asOf: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || parseDate(asOf) === undefined)
    throw badInput('as_of', `日期 "${asOf}" 应为 YYYY-MM-DD 格式的真实日期`, `as_of "${asOf}" must be a real YYYY-MM-DD date`);
  if (asOf > ctx.today()) throw badInput('as_of', `日期 ${asOf} 晚于今天 ${ctx.today()}，不能预知`, `as_of ${asOf} is after today ${ctx.today()}`);
  return asOf;
}

/** Text2 → one language, everywhere in a result. */
export function inLang<T>(v: T, lang: Lang | undefined): T {
  if (!lang) return v;
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 2 && typeof o.zh === 'string' && typeof o.en === 'string') return (o as unknown as Text2)[lang];
      return Object.fromEntries(keys.map((k) => [k, walk(o[k])]));
    }
    return x;
  };
  return walk(v) as T;
}

export interface ItemBrief {
  item: string;
  version: number;
  title: string;
  department: string;
  mode: string;
  verdict: ItemVerdict['verdict'];
}

/** The list's default per item: the brief, how much, which facts are missing (and why, outside validity). */
export type ItemSummary = ItemBrief & Pick<ItemVerdict, 'reason' | 'missing' | 'amount'>;

export type ItemMatch = ItemBrief & Omit<ItemVerdict, 'item' | 'version' | 'verdict' | 'date'>;

export interface Matches {
  entity_id: string;
  kind: EntityKind;
  date: string;
  replay: boolean;
  profile_version: number | null;
  scope: Scope;
  catalogue_items: number;
  counts: { eligible: number; undetermined: number; ineligible: number };
  /** Department staff: briefs; others: summaries, or with explain=full fully explained. */
  eligible: (ItemMatch | ItemSummary | ItemBrief)[];
  undetermined: (ItemMatch | ItemSummary | ItemBrief)[];
  /** With ?ineligible=true: items of the entity's audience and region it does not qualify for (brief). */
  ineligible: ItemBrief[];
}

function brief(it: PolicyItem, department: string, verdict: ItemVerdict['verdict'], lang: Lang | undefined): ItemBrief {
  return { item: it.id, version: it.version, title: lang === 'en' && it.title_en ? it.title_en : it.title, department, mode: it.mode, verdict };
}

function applies(cat: Catalogue, i: number, e: Entity): boolean {
  const region = e.facts.region;
  return cat.items[i].audience === e.kind && (cat.items[i].region_scope.length === 0 || (typeof region === 'string' && cat.inScope(i, region)));
}

interface Subject {
  scope: Scope;
  entity: Entity;
  version: number | null;
  cat: Catalogue;
  date: string;
  day: number;
  replay: boolean;
  /** The read's audit record, written beside the fetch and the evaluation: await it before answering. */
  audited: Promise<void>;
}

/**
 * Who asks, about which entity, as of which date: the entity's facts and the catalogue of that
 * date. A read by anyone but the entity itself is recorded as it is asked for, beside the fetch
 * rather than after it (decision 0030: the audit's commit was most of the answer's wait), so an
 * id that turns out unknown is on record too — as the attempt it was.
 */
async function subjectOf(ctx: Ctx, p: Principal, entityId: string, asOf: string | undefined, item?: string): Promise<Subject> {
  if (!/^\d{1,18}$/.test(entityId)) throw notFound('主体', entityId);
  const scope = await scopeOf(ctx, p, entityId);
  const replay = asOf !== undefined && checkDate(ctx, asOf) < ctx.today();
  const date = asOf ?? ctx.today();
  const audited =
    scope === 'own'
      ? Promise.resolve()
      : appendAudit(ctx.db, { actor: actorOf(p), action: 'match.read', subject: `entity:${entityId}`, detail: { scope, date, replay, ...(item ? { item } : {}) } });
  audited.catch(() => {}); // awaited by the caller; until then its failure is not "unhandled"
  try {
    return { ...(await fetchSubject(ctx, entityId, date, replay)), scope, date, day: dayOf(date), replay, audited };
  } catch (e) {
    await audited.catch(() => {});
    throw e;
  }
}

async function fetchSubject(ctx: Ctx, entityId: string, date: string, replay: boolean): Promise<Pick<Subject, 'entity' | 'version' | 'cat'>> {
  const state = matchingState(ctx);
  let entity: Entity | undefined;
  let version: number | null = null;
  let cat: Catalogue;
  if (replay) {
    // Only what had been recorded by the end of that day: the answer as it was given then.
    entity = await factsAsOf(ctx, entityId, date, { knownAt: new Date(`${date}T23:59:59.999Z`) });
    cat = await state.catalogue.asOf(ctx.db, date);
  } else {
    // The catalogue epoch in the same round trip as the facts (the cache checks it).
    const r = await ctx.db.query<{ kind: EntityKind; version: number; facts: Record<string, unknown>; epoch: string }>(
      `SELECT e.kind, e.version, e.facts, ${EPOCH_EXPR} AS epoch FROM entities e WHERE e.id = $1`,
      [entityId],
    );
    if (!r.rows[0]) throw notFound('主体', entityId);
    entity = entityFromStored(ctx, entityId, r.rows[0].kind, r.rows[0].facts);
    version = r.rows[0].version;
    cat = await state.catalogue.get(ctx.db, r.rows[0].epoch);
  }
  if (!entity) throw notFound('主体', entityId);
  if (replay && Object.keys(entity.facts).every((k) => k === ENTITY_KIND_FIELD))
    throw new DomainError('NOT_FOUND', `主体 ${entityId} 在 ${date} 尚无任何已记录的数据`, `entity ${entityId} had no recorded facts on ${date}`, 'as_of');
  entity.facts[ENTITY_KIND_FIELD] = entity.kind;
  return { entity, version, cat };
}

function explained(ctx: Ctx, s: Subject, i: number, lang: Lang | undefined, opts: { counterfactuals: boolean; budget?: number }): ItemMatch {
  const it = s.cat.items[i];
  const v = evaluateItem(it, s.entity, ctx.dict, s.day, { counterfactuals: opts.counterfactuals, searchBudget: opts.budget ?? COUNTERFACTUAL_BUDGET });
  const detail: Partial<ItemVerdict> = { ...v };
  for (const k of ['item', 'version', 'date', 'verdict'] as const) delete detail[k];
  return { ...brief(it, s.cat.departments[i], v.verdict, lang), ...inLang(detail, lang) } as ItemMatch;
}

/** The list's default: the verdict, its reason, the amount and the missing facts; no explanation tree. */
function summarized(ctx: Ctx, s: Subject, i: number, lang: Lang | undefined): ItemSummary {
  const it = s.cat.items[i];
  const v = evaluateItem(it, s.entity, ctx.dict, s.day, { explain: false, counterfactuals: false });
  const detail: Omit<ItemSummary, keyof ItemBrief> = { ...(v.reason ? { reason: v.reason } : {}), missing: v.missing, amount: v.amount };
  return { ...brief(it, s.cat.departments[i], v.verdict, lang), ...inLang(detail, lang) };
}

export async function entityMatches(ctx: Ctx, p: Principal, entityId: string, query: MatchesQuery = {}): Promise<Matches> {
  const s = await subjectOf(ctx, p, entityId, query.as_of);
  const { scope, entity, cat, day } = s;
  const codes = cat.matcher(day).evaluate(entity);
  const out: Matches = {
    entity_id: entityId, kind: entity.kind, date: s.date, replay: s.replay, profile_version: s.version, scope, catalogue_items: cat.size,
    counts: { eligible: 0, undetermined: 0, ineligible: 0 }, eligible: [], undetermined: [], ineligible: [],
  };
  const lang = query.lang;
  const full = query.explain === 'full';
  const open: { i: number; m: ItemMatch }[] = [];
  for (let i = 0; i < codes.length; i++) {
    const it = cat.items[i];
    const dept = cat.departments[i];
    // Department staff learn verdicts of their own items only, never the facts behind them.
    if (scope === 'department' && dept !== p.department) continue;
    const verdict = codes[i] === 1 ? 'eligible' : codes[i] === 2 ? 'undetermined' : 'ineligible';
    out.counts[verdict]++;
    if (verdict === 'ineligible') {
      if (query.ineligible && (scope === 'department' || applies(cat, i, entity))) out.ineligible.push(brief(it, dept, verdict, lang));
      continue;
    }
    const list = out[verdict];
    if (scope === 'department') {
      list.push(brief(it, dept, verdict, lang));
    } else if (!full) {
      list.push(summarized(ctx, s, i, lang));
    } else {
      const m = explained(ctx, s, i, lang, { counterfactuals: false });
      list.push(m);
      if (verdict === 'undetermined') open.push({ i, m });
    }
  }
  // Counterfactuals are a search: with explain=full, spent on the undetermined items closest to
  // an answer (the fewest missing facts); the others have theirs at /matches/{item}.
  open.sort((a, b) => (a.m.missing?.length ?? 0) - (b.m.missing?.length ?? 0) || a.i - b.i);
  for (const { i, m } of open.slice(0, COUNTERFACTUAL_ITEMS)) m.counterfactuals = explained(ctx, s, i, lang, { counterfactuals: true }).counterfactuals;
  // The amount first: the most money is what a user wants to see first.
  const money = (m: ItemMatch | ItemSummary | ItemBrief) => Number(('amount' in m && m.amount?.value) || 0);
  out.eligible.sort((a, b) => money(b) - money(a) || a.item.localeCompare(b.item));
  await s.audited;
  return out;
}

/** One item for one entity, fully explained (a longer counterfactual search than the list's). */
export async function entityItemMatch(ctx: Ctx, p: Principal, entityId: string, itemId: string, query: ItemMatchQuery = {}): Promise<ItemMatch | ItemBrief> {
  const s = await subjectOf(ctx, p, entityId, query.as_of, itemId);
  await s.audited;
  const i = s.cat.index.get(itemId);
  if (i === undefined || (s.scope === 'department' && s.cat.departments[i] !== p.department))
    throw new DomainError('NOT_FOUND', `事项 ${itemId} 在 ${s.date} 不在有效期内或不可见`, `item ${itemId} is not in force on ${s.date}, or not visible to you`, 'item');
  if (s.scope === 'department') {
    const code = s.cat.matcher(s.day).evaluate(s.entity)[i];
    return brief(s.cat.items[i], s.cat.departments[i], code === 1 ? 'eligible' : code === 2 ? 'undetermined' : 'ineligible', query.lang);
  }
  return explained(ctx, s, i, query.lang, { counterfactuals: true, budget: ITEM_COUNTERFACTUAL_BUDGET });
}
