// Facts as the engine holds them. Input is JSON (from files, the API, imports);
// normalizeFacts checks every value against the dictionary and converts it:
//   int, dec → number (dec: at most 15 significant digits, so exact)
//   date     → days since 1970-01-01
//   enum     → code string;  set → sorted array of codes
//   region   → code string;  bool → boolean;  text → string
// A fact that is absent or null is unknown. Unknown is never zero and never false.
import type { Dictionary, EntityKind, FieldDef } from '../dictionary/types.ts';
import { ENTITY_KIND_FIELD } from '../dictionary/types.ts';
import { isDecimalText, MAX_SIGNIFICANT, numToString, significantDigits } from './decimal.ts';
import { formatDate, parseDate } from './dates.ts';

export type Value = number | boolean | string | string[];
/** Normalized facts of one entity. `entity_kind` is always present. */
export type Facts = Record<string, Value | undefined>;

export interface FactError {
  field: string;
  value: unknown;
  message: string;
}

export interface Entity {
  id?: string;
  kind: EntityKind;
  facts: Facts;
}

function fail(field: string, value: unknown, zh: string, en: string): FactError {
  return { field, value, message: `${zh} / ${en}` };
}

/** Converts one JSON value for a field; returns the value or an error. */
export function normalizeValue(dict: Dictionary, def: FieldDef, raw: unknown): { value?: Value; error?: FactError } {
  const key = def.key;
  if (raw === null || raw === undefined) return {};
  switch (def.type) {
    case 'int': {
      const n = typeof raw === 'string' && /^[-+]?\d+$/.test(raw.trim()) ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isSafeInteger(n))
        return { error: fail(key, raw, `"${key}" 应为整数，实际为 ${JSON.stringify(raw)}`, `"${key}" must be an integer, got ${JSON.stringify(raw)}`) };
      return { value: n };
    }
    case 'dec': {
      const s = typeof raw === 'number' ? numToString(raw) : typeof raw === 'string' ? raw.trim() : '';
      if (!(typeof raw === 'number' ? Number.isFinite(raw) : isDecimalText(s)))
        return { error: fail(key, raw, `"${key}" 应为数值，实际为 ${JSON.stringify(raw)}`, `"${key}" must be a number, got ${JSON.stringify(raw)}`) };
      if (significantDigits(s) > MAX_SIGNIFICANT)
        return { error: fail(key, raw, `"${key}" 有效数字超过 ${MAX_SIGNIFICANT} 位`, `"${key}" has more than ${MAX_SIGNIFICANT} significant digits`) };
      return { value: Number(s) };
    }
    case 'bool': {
      if (typeof raw === 'boolean') return { value: raw };
      if (raw === 'true' || raw === '是' || raw === 1 || raw === '1') return { value: true };
      if (raw === 'false' || raw === '否' || raw === 0 || raw === '0') return { value: false };
      return { error: fail(key, raw, `"${key}" 应为 是/否（true/false），实际为 ${JSON.stringify(raw)}`, `"${key}" must be true or false, got ${JSON.stringify(raw)}`) };
    }
    case 'date': {
      const d = typeof raw === 'string' ? parseDate(raw.trim()) : undefined;
      if (d === undefined)
        return { error: fail(key, raw, `"${key}" 应为 1800-01-01 至 2200-12-31 之间的日期 YYYY-MM-DD，实际为 ${JSON.stringify(raw)}`, `"${key}" must be a date YYYY-MM-DD between 1800-01-01 and 2200-12-31, got ${JSON.stringify(raw)}`) };
      return { value: d };
    }
    case 'enum': {
      const codes = dict.enums.get(def.enum!)!.values;
      if (typeof raw !== 'string' || !codes.some((v) => v.code === raw))
        return { error: fail(key, raw, `"${key}" 的取值 ${JSON.stringify(raw)} 不在代码表 ${def.enum} 中`, `"${key}": ${JSON.stringify(raw)} is not a code of ${def.enum}`) };
      return { value: raw };
    }
    case 'set': {
      const codes = dict.enums.get(def.enum!)!.values;
      const arr = typeof raw === 'string' ? (raw === '' ? [] : raw.split(/[,，;；|]/).map((x) => x.trim())) : raw;
      if (!Array.isArray(arr))
        return { error: fail(key, raw, `"${key}" 应为代码列表`, `"${key}" must be a list of codes`) };
      for (const c of arr)
        if (typeof c !== 'string' || !codes.some((v) => v.code === c))
          return { error: fail(key, raw, `"${key}" 的成员 ${JSON.stringify(c)} 不在代码表 ${def.enum} 中`, `"${key}": member ${JSON.stringify(c)} is not a code of ${def.enum}`) };
      return { value: [...new Set(arr as string[])].sort() };
    }
    case 'region': {
      const s = typeof raw === 'number' ? String(raw) : raw;
      if (typeof s !== 'string' || !dict.regions.isValid(s))
        return { error: fail(key, raw, `"${key}" 的行政区划代码 ${JSON.stringify(raw)} 无效`, `"${key}": ${JSON.stringify(raw)} is not a valid region code`) };
      return { value: s };
    }
    case 'text':
      if (typeof raw !== 'string') return { error: fail(key, raw, `"${key}" 应为文本`, `"${key}" must be text`) };
      return { value: raw };
  }
}

/**
 * Normalizes JSON facts of one entity. Unknown field names and fields of the other
 * entity kind are errors (they would otherwise be silently ignored by every rule).
 */
export function normalizeFacts(
  dict: Dictionary,
  kind: EntityKind,
  json: Record<string, unknown>,
): { entity: Entity; errors: FactError[] } {
  const facts: Facts = { [ENTITY_KIND_FIELD]: kind };
  const errors: FactError[] = [];
  for (const [key, raw] of Object.entries(json)) {
    if (key === ENTITY_KIND_FIELD) {
      if (raw !== kind) errors.push(fail(key, raw, `entity_kind 与主体类型 ${kind} 不一致`, `entity_kind does not match ${kind}`));
      continue;
    }
    const def = dict.fields.get(key);
    if (!def) {
      errors.push(fail(key, raw, `未知字段 "${key}"，请查阅字段字典`, `unknown field "${key}"; see the field dictionary`));
      continue;
    }
    if (!def.kinds.includes(kind)) {
      errors.push(fail(key, raw, `字段 "${key}" 不适用于${kind === 'enterprise' ? '企业' : '个人'}`, `field "${key}" does not apply to ${kind}`));
      continue;
    }
    const r = normalizeValue(dict, def, raw);
    if (r.error) errors.push(r.error);
    else if (r.value !== undefined) facts[key] = r.value;
  }
  return { entity: { kind, facts }, errors };
}

/** The JSON form of one normalized value (inverse of normalizeValue). */
export function valueToJson(def: FieldDef, v: Value): unknown {
  if (def.type === 'date') return formatDate(v as number);
  return v;
}

export function factsToJson(dict: Dictionary, facts: Facts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(facts)) {
    if (v === undefined || k === ENTITY_KIND_FIELD) continue;
    const def = dict.fields.get(k);
    out[k] = def ? valueToJson(def, v) : v;
  }
  return out;
}
