// A question in plain words → chips the user can correct → a match against the catalogue in
// force. Parsing and matching are the library's (data/src/search/question): deterministic,
// and matching evaluates the engine's compiled conditions of each item — no second evaluator
// here. This file adds what a service owes: ID and mobile numbers masked before anything is
// read or echoed, chips labelled in both languages, chips validated field by field, and the
// caller's own profile merged under the chips when asked for.
import { factsFromChips, matchQuestion, parseQuestion, rankEntries, regionNameEn, type Chip, type MatchedItem, type ParsedQuestion } from '@kx/data';
import { normalizeFacts, quantityText, type Dictionary, type EntityKind } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { badInput } from '../../errors.ts';
import { ENTITY_ROLES, type Principal } from '../../http/access.ts';
import { ID_NUMBER, PHONE } from '../../http/logging.ts';
import { storedJson } from '../matching/facts.ts';
import type { MatchAnswer, MatchBody, QuestionAnswer } from './schema.ts';
import { currentIndex, departmentName } from './service.ts';

/** Full-width digits and letters as ASCII, one character for one (offsets stay valid). */
const halfWidth = (t: string) => t.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/**
 * ID and mobile numbers in a question: `masked` shows them masked (same length, so chip spans
 * fit it), `blanked` has spaces there — what the parser reads, so none of it becomes a fact
 * or a keyword.
 */
export function maskPersonal(text: string): { masked: string; blanked: string; found: ('id_number' | 'phone')[] } {
  const plain = halfWidth(text);
  const masked = text.split('');
  const blanked = text.split('');
  const found: ('id_number' | 'phone')[] = [];
  const hide = (re: RegExp, what: 'id_number' | 'phone', stars: (from: number, to: number) => [number, number]) => {
    for (const m of plain.matchAll(new RegExp(re.source, 'g'))) {
      if (!found.includes(what)) found.push(what);
      const [from, to] = [m.index!, m.index! + m[0].length];
      const [a, b] = stars(from, to);
      for (let i = a; i < b; i++) masked[i] = '*';
      for (let i = from; i < to; i++) blanked[i] = ' ';
    }
  };
  hide(ID_NUMBER, 'id_number', (from, to) => [from + 6, to - 4]); // 371502********0018
  hide(PHONE, 'phone', (_from, to) => [to - 8, to - 4]); // 138****1234
  return { masked: masked.join(''), blanked: blanked.join(''), found };
}

const NOTICE: Record<'id_number' | 'phone', string> = {
  id_number: '问题中的身份证号已隐去，未被使用；查询不需要身份证号 / an ID number in the question was masked and not used; search needs none',
  phone: '问题中的手机号已隐去，未被使用 / a mobile number in the question was masked and not used',
};

const SPECIAL: Record<string, { zh: string; en: string }> = { audience: { zh: '主体', en: 'applicant' }, age: { zh: '年龄', en: 'age' } };

function fieldLabel(dict: Dictionary, field: string): { zh: string; en: string } {
  return SPECIAL[field] ?? dict.fields.get(field)?.label ?? { zh: field, en: field };
}

/** The value in English, from the dictionary's labels where it has them. */
function valueLabelEn(dict: Dictionary, field: string, value: unknown, zh: string): string {
  if (field === 'audience') return value === 'enterprise' ? 'enterprise' : 'person';
  if (field === 'age') return `${String(value)} years`;
  const def = dict.fields.get(field);
  if (def?.enum) {
    const values = dict.enums.get(def.enum)?.values ?? [];
    const codes = (Array.isArray(value) ? value : [value]).map(String);
    return codes.map((c) => values.find((v) => v.code === c)?.en ?? c).join(def.type === 'enum' ? ' or ' : ', ');
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (def?.type === 'region') return (Array.isArray(value) ? value : [value]).map((c) => regionNameEn(String(c))).join(', ');
  return def?.unit ? quantityText(String(value), def.unit, 'en') : zh;
}

function chipOut(dict: Dictionary, c: Chip, text: string): QuestionAnswer['chips'][number] {
  const label = fieldLabel(dict, c.field);
  const cut = c.label_zh.indexOf('：');
  const valueLabel = cut >= 0 ? c.label_zh.slice(cut + 1) : c.label_zh;
  return {
    field: c.field, label_zh: label.zh, label_en: label.en, value: c.value, value_label: valueLabel, value_label_en: valueLabelEn(dict, c.field, c.value, valueLabel),
    text: c.label_zh, span: c.span, source_text: text.slice(c.span[0], c.span[1]),
  };
}

export async function readQuestion(ctx: Ctx, text: string): Promise<QuestionAnswer> {
  const t0 = performance.now();
  if (!text.trim()) throw badInput('text', '请输入问题', 'text is empty');
  const { masked, blanked, found } = maskPersonal(text);
  const date = ctx.today();
  const parsed = parseQuestion(blanked, ctx.dict, { date });
  const { index } = await currentIndex(ctx);
  // A leftover word the catalogue never mentions was not understood; the others are searched for.
  const known = (w: string) => rankEntries(index, w, { kind: 'item', minScoreRatio: 0 }).length > 0;
  const keywords = parsed.keywords.filter(known);
  return {
    text: masked, date,
    ...(parsed.audience ? { audience: parsed.audience } : {}),
    ...(parsed.relation ? { relation: parsed.relation } : {}),
    chips: parsed.chips.map((c) => chipOut(ctx.dict, c, masked)),
    keywords,
    not_understood: parsed.keywords.filter((w) => !keywords.includes(w)),
    notices: found.map((f) => NOTICE[f]),
    took_ms: Math.round((performance.now() - t0) * 1000) / 1000,
  };
}

// ───────────── matching the chips ─────────────

const TEXT_REFUSED = '查询不接受姓名、证件号码、账号等文本信息 / a question takes no names, ID or account numbers';

/** The chips checked one by one: a field or value the dictionary does not know is a 400 naming it. */
function checkChips(dict: Dictionary, facts: MatchBody['facts'], date: string): { chips: Chip[]; audience?: EntityKind } {
  let audience: EntityKind | undefined;
  const chips: Chip[] = [];
  facts.forEach((f, i) => {
    const at = `facts[${i}]`;
    if (f.field === 'audience') {
      if (f.value !== 'enterprise' && f.value !== 'person') throw badInput(`${at}.value`, '主体应为 enterprise 或 person', 'audience must be enterprise or person');
      audience = f.value;
    } else if (f.field === 'age') {
      if (!Number.isInteger(f.value) || (f.value as number) < 0 || (f.value as number) > 130) throw badInput(`${at}.value`, '年龄应为 0–130 的整数', 'age must be a whole number from 0 to 130');
    } else {
      const def = dict.fields.get(f.field);
      if (!def) throw badInput(`${at}.field`, `未知字段 "${f.field}"`, `unknown field "${f.field}"`);
      if (def.type === 'text') throw badInput(`${at}.field`, TEXT_REFUSED.split(' / ')[0], TEXT_REFUSED.split(' / ')[1]);
      // An enum chip may hold alternatives ("one of"); each must be a value of the field.
      const values = def.type === 'enum' && Array.isArray(f.value) ? f.value : [f.value];
      if (!values.length) throw badInput(`${at}.value`, `${def.label.zh}：至少需要一个值`, `${def.label.en}: at least one value`);
      if (def.type === 'region' && values.some((v) => typeof v !== 'string' || dict.regions.name(v) === undefined))
        throw badInput(`${at}.value`, `${def.label.zh}：不是本市已知的地区`, `${def.label.en}: not a region of this city`);
      for (const v of values) {
        const kind = def.kinds[0];
        const { errors } = normalizeFacts(dict, kind, factsFromChips([{ field: f.field, value: v, label_zh: '', span: [0, 0] }], date));
        if (errors.length) throw badInput(`${at}.value`, `${def.label.zh}：值无效`, `${def.label.en}: invalid value`);
      }
    }
    chips.push({ field: f.field, value: f.value, label_zh: '', span: [0, 0] });
  });
  return { chips, audience };
}

interface ProfileUse {
  chips: Chip[];
  profile: MatchAnswer['profile'];
}

/** The caller's own profile under the chips: a chip wins over the profile's value of its field. */
async function withProfile(ctx: Ctx, p: Principal | undefined, body: MatchBody, chips: Chip[], audience: EntityKind | undefined): Promise<ProfileUse & { audience?: EntityKind }> {
  const none = (note: string): ProfileUse => ({ chips, profile: { used: false, fields: 0, note } });
  if (!body.use_profile) return none('未使用档案 / profile not used');
  if (!p || p.kind !== 'user' || !p.role || !ENTITY_ROLES.includes(p.role) || !p.entityId)
    return none('只有登录的企业或居民用户可以使用本主体档案 / only a logged-in enterprise or resident user has a profile to use');
  const r = await ctx.db.query<{ kind: EntityKind; facts: Record<string, unknown> }>('SELECT e.kind, e.facts FROM entities e WHERE e.id = $1', [p.entityId]);
  const row = r.rows[0];
  if (!row) return none('未找到本主体档案 / no profile found');
  if (audience && audience !== row.kind)
    return none(`问题所问的是${audience === 'person' ? '个人' : '企业'}，与本主体档案类型不同，未使用档案 / the question is about another kind of entity; profile not used`);
  const given = new Set(chips.map((c) => c.field));
  // An age chip stands for the birth date.
  if (given.has('age')) given.add('birth_date');
  const json = storedJson(ctx, row.facts);
  const fromProfile: Chip[] = Object.entries(json)
    .filter(([k]) => !given.has(k) && ctx.dict.fields.has(k))
    .map(([field, value]) => ({ field, value, label_zh: '', span: [0, 0] }));
  return {
    chips: [...fromProfile, ...chips],
    audience: row.kind,
    profile: { used: true, entity_id: p.entityId, fields: fromProfile.length, note: '以本主体档案为底，标签覆盖同名事实 / the chips over the own profile' },
  };
}

const ADD_EN = (missing: { label_en: string }[]) => `Please add: ${missing.slice(0, 3).map((m) => m.label_en).join(', ')}`;

export async function matchChips(ctx: Ctx, p: Principal | undefined, body: MatchBody): Promise<MatchAnswer> {
  const t0 = performance.now();
  const date = ctx.today();
  const checked = checkChips(ctx.dict, body.facts, date);
  const merged = await withProfile(ctx, p, body, checked.chips, checked.audience);
  const audience = merged.audience ?? checked.audience;
  const ignored = audience
    ? checked.chips
        .filter((c) => c.field !== 'audience' && c.field !== 'age' && !ctx.dict.fields.get(c.field)!.kinds.includes(audience))
        .map((c) => ({ field: c.field, reason: `不适用于${audience === 'person' ? '个人' : '企业'} / does not apply to ${audience === 'person' ? 'a person' : 'an enterprise'}` }))
    : [];
  const { index, catalogue, version } = await currentIndex(ctx);
  const size = body.size ?? 20;
  const parsed: ParsedQuestion = { text: '', ...(audience ? { audience } : {}), facts: {}, chips: merged.chips, keywords: body.keywords ?? [] };
  const m = matchQuestion(parsed, catalogue.items, ctx.dict, date, { index, limit: size, details: 5 });
  const out = (x: MatchedItem): MatchAnswer['eligible'][number] => {
    const i = catalogue.index.get(x.item_id)!;
    const it = catalogue.items[i];
    const dept = catalogue.departments[i];
    const missing = x.missing.map((f) => ({ field: f.field, label_zh: f.label_zh, label_en: ctx.dict.fields.get(f.field)?.label.en ?? f.field }));
    return {
      item_id: it.id, version: it.version, title: it.title, ...(it.title_en ? { title_en: it.title_en } : {}), document_id: it.document_id,
      department: { code: dept, name: departmentName(dept) }, mode: it.mode, verdict: x.verdict as 'eligible' | 'undetermined',
      satisfied: x.satisfied, conditions: x.conditions, relevance: x.relevance, score: x.score, missing,
      ...(x.add_zh ? { add_zh: x.add_zh, add_en: ADD_EN(missing) } : {}),
      ...(x.amount !== undefined ? { amount: x.amount } : {}), ...(x.amount_unit ? { amount_unit: x.amount_unit } : {}),
    };
  };
  return {
    date, ...(audience ? { audience } : {}), profile: merged.profile, ignored,
    counts: { ...m.counts, other_audience: m.skipped },
    eligible: m.eligible.map(out),
    undetermined: m.undetermined.map(out),
    catalogue: { items: catalogue.size, version },
    took_ms: Math.round((performance.now() - t0) * 1000) / 1000,
  };
}
