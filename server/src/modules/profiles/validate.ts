// One incoming record (an import row, a pushed record, a declaration) checked against the
// field dictionary before anything is written. Pure apart from the keyed hash: the same
// record always gives the same answer, so an import can validate a whole file first and
// validate it again, chunk by chunk, while it applies it.
//
// The entity is identified by its 统一社会信用代码 (enterprise) or 公民身份号码 (person),
// given as `key` or as the uscc / id_number fact. Feeds from the system that owns the code
// (市场监管 for USCC, 公安 for ID numbers) run lenient: a wrong check character is flagged
// and kept, because the registry is the authority on which codes exist. Everyone else is
// held to the standard.
import { normalizeFacts, factsToJson, type Dictionary, type EntityKind, type FieldDef } from '@kx/engine';
import { USCC_CATEGORIES, validateIdNumber, validateUscc } from '@kx/data';
import type { FieldCrypto } from '../../crypto/fields.ts';
import { maskIdNumber } from '../../crypto/mask.ts';
import { maskMessage, maskValue } from './sensitive.ts';

export interface RawRecord {
  kind?: unknown;
  key?: unknown;
  /** The source system's own id for the record (the id column, a pushed record id). */
  ref?: string;
  facts: Record<string, unknown>;
}

/** One finding about a record; `warning` findings do not stop it. Personal values are masked. */
export interface Issue {
  field: string;
  value?: unknown;
  message: string;
  warning?: boolean;
}

export interface ValidRecord {
  kind: EntityKind;
  /** The code as checked (upper case; a 15-digit ID number upgraded to 18). */
  key: string;
  keyHash: string;
  /** JSON form of each value; null = the source says the value is unknown. */
  facts: Record<string, unknown>;
  /** Facts read off the code (birth date, sex, legal form, region); used only where the entity has none. */
  derived: Record<string, unknown>;
  ref?: string;
}

export interface ValidateOptions {
  source: string;
  /** YYYY-MM-DD: the date the source's data is as of. */
  asOf: string;
}

export const keyFieldOf = (kind: EntityKind): 'uscc' | 'id_number' => (kind === 'enterprise' ? 'uscc' : 'id_number');

/** The blind index an entity is found by; other modules (accounts) link users with it. */
export function entityKeyHash(crypto: FieldCrypto, kind: EntityKind, code: string): string {
  return crypto.blindIndex(`${kind}:${code}`);
}

const ID_PROBLEMS: Record<string, [string, string]> = {
  EMPTY: ['身份号码为空', 'the ID number is empty'],
  FORMAT: ['身份号码应为 18 位（前 17 位为数字，末位为数字或 X）或 15 位数字', 'an ID number has 18 characters (17 digits, then a digit or X) or 15 digits'],
  ADDRESS: ['身份号码前两位不是省级行政区划代码', 'the ID number does not start with a province code'],
  BIRTH_DATE: ['身份号码第 7–14 位不是真实的出生日期', 'positions 7–14 of the ID number are not a real birth date'],
  FUTURE_BIRTH: ['身份号码中的出生日期晚于数据日期', 'the birth date in the ID number is after the as-of date'],
  CHECK: ['身份号码校验位（第 18 位）不正确', 'the check character (position 18) of the ID number is wrong'],
};

/** Splits "中文 / English" messages and joins the halves: "中文；中文 / English; English". */
export function joinMessages(messages: string[]): string {
  const halves = messages.map((m) => {
    const i = m.indexOf(' / ');
    return i < 0 ? [m, m] : [m.slice(0, i), m.slice(i + 3)];
  });
  return `${halves.map((h) => h[0]).join('；')} / ${halves.map((h) => h[1]).join('; ')}`;
}

// The data package's messages quote the number; these say what is wrong without it.
function idMessage(problems: { code: string }[]): string {
  return joinMessages(problems.map((p) => (ID_PROBLEMS[p.code] ?? [p.code, p.code]).join(' / ')));
}

function unknownOrInapplicable(dict: Dictionary, kind: EntityKind, field: string): string | undefined {
  const def = dict.fields.get(field);
  if (!def) return `未知字段 "${field}"，请查阅字段字典 / unknown field "${field}"; see the field dictionary`;
  if (!def.kinds.includes(kind)) return `字段 "${field}" 不适用于${kind === 'enterprise' ? '企业' : '个人'} / field "${field}" does not apply to ${kind}`;
  return undefined;
}

interface KeyCheck {
  code?: string;
  derived: Record<string, unknown>;
  issues: Issue[];
}

function checkKey(dict: Dictionary, kind: EntityKind, raw: unknown, from: string, opts: ValidateOptions): KeyCheck {
  const kf = keyFieldOf(kind);
  const lenient = dict.fields.get(kf)?.source === opts.source;
  const derived: Record<string, unknown> = {};
  if (typeof raw !== 'string' || raw.trim() === '') {
    const what = kind === 'enterprise' ? '统一社会信用代码（key 或 uscc）' : '公民身份号码（key 或 id_number）';
    return { derived, issues: [{ field: from, value: raw, message: `缺少主体标识：应提供${what} / missing the entity key: give ${kind === 'enterprise' ? 'key or uscc' : 'key or id_number'} as text` }] };
  }
  if (kind === 'enterprise') {
    const r = validateUscc(raw, { lenient });
    const msgs = r.problems.map((p) => p.message);
    if (!r.accepted) return { derived, issues: [{ field: from, value: raw, message: joinMessages([`统一社会信用代码 "${r.code}" 无效 / invalid unified social credit code "${r.code}"`, ...msgs]) }] };
    const cat = r.facts && USCC_CATEGORIES[r.facts.category];
    if (cat) derived.legal_form = cat.legal_form;
    if (r.facts && dict.regions.isValid(r.facts.region)) derived.region = r.facts.region;
    const issues: Issue[] = r.flagged ? [{ field: from, value: r.code, warning: true, message: joinMessages(['统一社会信用代码校验位不符，登记机关数据已接收并标记 / check character wrong; accepted from the registry and flagged', ...msgs]) }] : [];
    return { code: r.code, derived, issues };
  }
  const r = validateIdNumber(raw, opts.asOf);
  const onlyCheck = r.facts !== undefined && r.problems.every((p) => p.code === 'CHECK');
  if (!r.valid && !(lenient && onlyCheck)) return { derived, issues: [{ field: from, value: maskIdNumber(raw), message: idMessage(r.problems) }] };
  if (r.facts) Object.assign(derived, { birth_date: r.facts.birth_date, sex: r.facts.sex });
  const issues: Issue[] = r.valid ? [] : [{ field: from, value: maskIdNumber(r.number), warning: true, message: joinMessages(['户籍数据已接收并标记 / accepted from the registry and flagged', idMessage(r.problems)]) }];
  return { code: r.number, derived, issues };
}

/** The least value of a numeric field: its dictionary minimum, 0 when it names none. */
export function minimumOf(def: FieldDef | undefined): number | undefined {
  if (!def || (def.type !== 'int' && def.type !== 'dec') || def.min === null) return undefined;
  return def.min ?? 0;
}

/**
 * Why a (normalized, JSON-form) value is below its field's minimum, or undefined. Money,
 * counts and ages are never negative unless the dictionary says so: a declared expense of
 * −5 would otherwise change verdicts. `shown` replaces the value in the message (a mask).
 */
export function belowMinimum(def: FieldDef | undefined, value: unknown, shown?: unknown): string | undefined {
  const min = minimumOf(def);
  if (min === undefined || value === null || value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n >= min) return undefined;
  const v = String(shown ?? value);
  return `"${def!.label.zh}"（${def!.key}）不能小于 ${min}，填写的是 ${v} / "${def!.key}" (${def!.label.en}) must be at least ${min}; got ${v}`;
}

/** Checks one record; `record` is set when no finding is an error. */
export function validateRecord(dict: Dictionary, crypto: FieldCrypto, raw: RawRecord, opts: ValidateOptions): { record?: ValidRecord; issues: Issue[] } {
  const kind = raw.kind;
  if (kind !== 'enterprise' && kind !== 'person')
    return { issues: [{ field: 'kind', value: kind, message: `主体类型 ${JSON.stringify(kind ?? null)} 无效：应为 enterprise（企业）或 person（个人）/ kind must be enterprise or person, got ${JSON.stringify(kind ?? null)}` }] };
  const kf = keyFieldOf(kind);
  const issues: Issue[] = [];
  const given: Record<string, unknown> = {};
  const nulls: string[] = [];
  for (const [field, v] of Object.entries(raw.facts)) {
    if (field === kf) continue;
    if (v !== null) given[field] = v;
    else {
      const why = field === 'entity_kind' ? 'entity_kind 不能为空 / entity_kind cannot be null' : unknownOrInapplicable(dict, kind, field);
      if (why) issues.push({ field, value: null, message: why });
      else nulls.push(field);
    }
  }

  const fromKey = raw.key !== undefined && raw.key !== null && raw.key !== '';
  const key = checkKey(dict, kind, fromKey ? raw.key : raw.facts[kf], fromKey ? 'key' : kf, opts);
  issues.push(...key.issues);
  if (fromKey && key.code && raw.facts[kf] !== undefined && raw.facts[kf] !== null) {
    const again = checkKey(dict, kind, raw.facts[kf], kf, opts);
    if (again.code !== key.code) {
      const shown = kind === 'person' ? maskIdNumber(String(raw.facts[kf])) : raw.facts[kf];
      issues.push({ field: kf, value: shown, message: `${kf} 与 key 不一致 / ${kf} does not match the key` });
    }
  }

  const { entity, errors } = normalizeFacts(dict, kind, given);
  for (const e of errors) {
    const def = dict.fields.get(e.field);
    const masked = maskValue(def, kind, e.value);
    issues.push({ field: e.field, value: masked, message: maskMessage(e.message, e.value, masked) });
  }
  const json = factsToJson(dict, entity.facts);
  for (const [field, v] of Object.entries(json)) {
    const def = dict.fields.get(field);
    const masked = maskValue(def, kind, v);
    const why = belowMinimum(def, v, masked);
    if (why) issues.push({ field, value: masked, message: why });
  }
  if (!key.code || issues.some((i) => !i.warning)) return { issues };

  const facts: Record<string, unknown> = { ...json, [kf]: key.code };
  for (const f of nulls) facts[f] = null;
  const derived: Record<string, unknown> = {};
  for (const [f, v] of Object.entries(key.derived)) if (!(f in facts) && dict.fields.get(f)?.kinds.includes(kind)) derived[f] = v;
  return {
    record: { kind, key: key.code, keyHash: entityKeyHash(crypto, kind, key.code), facts, derived, ...(raw.ref !== undefined ? { ref: raw.ref } : {}) },
    issues,
  };
}
