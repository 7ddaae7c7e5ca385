import type { Dictionary, EnumDef, FieldDef, RegionTree, SourceDef } from './types.ts';
import { ENTITY_KIND_FIELD } from './types.ts';

export interface ZoneDef {
  code: string;
  name: string;
  /** Codes (usually 9-digit towns) that make up the zone. */
  members: string[];
}

export interface RegionTreeInput {
  /** code → Chinese name, for GB/T 2260 and town codes. */
  names: Record<string, string>;
  /** code → English name (pinyin: Dongchangfu District), zones included; Chinese where missing. */
  namesEn?: Record<string, string>;
  zones?: ZoneDef[];
}

/** GB/T 2260 prefix of a code: 370000 → 37, 371500 → 3715, 371502 → 371502, 371502008 → 371502008. */
export function regionPrefix(code: string): string {
  if (/^\d{6}$/.test(code)) {
    if (code.endsWith('0000')) return code.slice(0, 2);
    if (code.endsWith('00')) return code.slice(0, 4);
  }
  return code;
}

/**
 * A region tree by GB/T 2260 prefixes plus functional zones defined by their members.
 * Historical codes (371523 茌平县) stay inside their prefecture, as ID numbers need.
 */
export function createRegionTree(input: RegionTreeInput): RegionTree {
  const zones = new Map((input.zones ?? []).map((z) => [z.code, z]));
  const memo = new Map<string, boolean>();
  function contains(ancestor: string, code: string): boolean {
    if (ancestor === code) return true;
    const key = ancestor + '|' + code;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let result: boolean;
    const zone = zones.get(ancestor);
    if (zone) result = zone.members.some((m) => code === m || code.startsWith(m));
    else if (zones.has(code)) {
      // A zone lies within an ancestor when all its members do.
      result = zones.get(code)!.members.every((m) => contains(ancestor, m));
    } else result = code.startsWith(regionPrefix(ancestor));
    if (memo.size < 100_000) memo.set(key, result);
    return result;
  }
  const overlapMemo = new Map<string, boolean>();
  function overlaps(a: string, b: string): boolean {
    if (contains(a, b) || contains(b, a)) return true;
    const key = a + '|' + b;
    const hit = overlapMemo.get(key);
    if (hit !== undefined) return hit;
    // Prefix regions overlap only by containment; a zone through its members.
    const za = zones.get(a);
    const zb = zones.get(b);
    const result = za ? za.members.some((m) => overlaps(m, b)) : zb ? zb.members.some((m) => overlaps(a, m)) : false;
    if (overlapMemo.size < 100_000) overlapMemo.set(key, result);
    return result;
  }
  return {
    contains,
    overlaps,
    name: (code, lang = 'zh') => (lang === 'en' ? input.namesEn?.[code] : undefined) ?? input.names[code] ?? zones.get(code)?.name,
    zones: () => [...zones.values()],
    isValid: (code) =>
      zones.has(code) || code in input.names || /^\d{2}(\d{2}){0,2}$/.test(code) || /^\d{9}(\d{3})?$/.test(code),
  };
}

export interface DictionaryInput {
  fields: FieldDef[];
  enums: EnumDef[];
  sources: SourceDef[];
  regions: RegionTree;
}

const KIND_ENUM: EnumDef = {
  name: 'entity_kind',
  label: { zh: '主体类型', en: 'Entity kind' },
  values: [
    { code: 'enterprise', zh: '企业', en: 'Enterprise' },
    { code: 'person', zh: '个人', en: 'Person' },
  ],
};

const KIND_FIELD: FieldDef = {
  key: ENTITY_KIND_FIELD,
  type: 'enum',
  enum: 'entity_kind',
  label: { zh: '主体类型', en: 'Entity kind' },
  source: 'platform',
  kinds: ['enterprise', 'person'],
  mutable: false,
};

/** Builds a dictionary, checking that every enum and source a field names exists. */
export function createDictionary(input: DictionaryInput): Dictionary {
  const enums = new Map<string, EnumDef>([[KIND_ENUM.name, KIND_ENUM]]);
  for (const e of input.enums) {
    if (enums.has(e.name)) throw new Error(`字典中枚举重复: "${e.name}" / duplicate enum "${e.name}"`);
    enums.set(e.name, e);
  }
  const sources = new Map<string, SourceDef>([['platform', { id: 'platform', label: { zh: '平台', en: 'Platform' } }]]);
  for (const s of input.sources) sources.set(s.id, s);
  const fields = new Map<string, FieldDef>([[KIND_FIELD.key, KIND_FIELD]]);
  for (const f of input.fields) {
    if (fields.has(f.key)) throw new Error(`字典中字段重复: "${f.key}" / duplicate field "${f.key}"`);
    if ((f.type === 'enum' || f.type === 'set') && !(f.enum && enums.has(f.enum)))
      throw new Error(`字段 "${f.key}" 引用的枚举 "${f.enum}" 不存在 / field "${f.key}" names unknown enum "${f.enum}"`);
    if (!sources.has(f.source))
      throw new Error(`字段 "${f.key}" 的数据来源 "${f.source}" 不存在 / field "${f.key}" names unknown source "${f.source}"`);
    fields.set(f.key, f);
  }
  return { fields, enums, sources, regions: input.regions };
}

export function enumLabel(dict: Dictionary, enumName: string, code: string, lang: 'zh' | 'en' = 'zh'): string {
  const v = dict.enums.get(enumName)?.values.find((x) => x.code === code);
  return v ? v[lang] : code;
}

/**
 * `code within regions` in three values (1 T, 0 F, 2 U): T when one of them contains the code;
 * U when the code only overlaps one (a county asked about a zone inside it: the entity may or
 * may not be in the zone); else F. Negation swaps T and F and keeps U.
 */
export function withinCode(tree: RegionTree, regions: readonly string[], code: string, negate = false): 0 | 1 | 2 {
  if (regions.some((r) => tree.contains(r, code))) return negate ? 0 : 1;
  if (regions.some((r) => tree.overlaps(r, code))) return 2;
  return negate ? 1 : 0;
}
