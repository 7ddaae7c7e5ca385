// The field dictionary (字段字典): every fact a rule may read, with its type, its
// Chinese and English label, its unit and the source system that supplies it.

export type EntityKind = 'enterprise' | 'person';
export const ENTITY_KINDS: readonly EntityKind[] = ['enterprise', 'person'];

/** Value types of the language. `list` is only for literals and list parameters. */
export type FieldType = 'int' | 'dec' | 'bool' | 'date' | 'enum' | 'set' | 'region' | 'text';

export interface Text2 {
  zh: string;
  en: string;
}

export interface EnumValue {
  code: string;
  zh: string;
  en: string;
}

export interface EnumDef {
  name: string;
  label: Text2;
  values: EnumValue[];
}

export interface FieldDef {
  key: string;
  type: FieldType;
  /** For enum and set fields: the name of the enum in the dictionary. */
  enum?: string;
  label: Text2;
  /** Unit shown after values: 人, 元, 万元, 月, 亩, % … */
  unit?: Text2;
  /** Source system id (see Dictionary.sources): 市场监管, 税务, 人社 … */
  source: string;
  /** Which kinds of entity carry this fact. */
  kinds: EntityKind[];
  /** Values are ratios shown as percentages (0.055 → 5.5%). */
  percent?: boolean;
  /** Whether a person could change it (used to rank counterfactuals); birth dates cannot. */
  mutable?: boolean;
  description?: string;
  /**
   * Personal information (PIPL, GB/T 35273): encrypted at rest, masked in API answers by
   * default, never written to logs or the audit log.
   */
  sensitive?: boolean;
  /**
   * The least value an int or dec fact may take. Absent: 0 (amounts, counts, ages, areas and
   * years are never negative); null: no lower bound (a loss year's taxable income).
   */
  min?: number | null;
}

export interface SourceDef {
  id: string;
  label: Text2;
}

/**
 * Region codes: GB/T 2260 (6 digits), NBS towns (9 digits) and platform-internal
 * functional zones (e.g. LC-JKQ) that are defined by lists of member codes.
 */
export interface RegionTree {
  /** Does `ancestor` contain `code` (or equal it)? */
  contains(ancestor: string, code: string): boolean;
  /**
   * Could a place lie in both? True when either contains the other, or a functional zone
   * shares a member with the other region (371502 and LC-GXQ; LC-JKQ and one of its towns).
   * `within` is unknown, not false, for a region that overlaps without lying within.
   */
  overlaps(a: string, b: string): boolean;
  /** Chinese name, if known. */
  /** The region's name; in English when asked and known. */
  name(code: string, lang?: 'zh' | 'en'): string | undefined;
  /** Is this a code rules may refer to? */
  isValid(code: string): boolean;
  /** Functional zones (platform-internal regions defined by member codes). */
  zones(): readonly { code: string; name: string; members: string[] }[];
}

export interface Dictionary {
  fields: ReadonlyMap<string, FieldDef>;
  enums: ReadonlyMap<string, EnumDef>;
  sources: ReadonlyMap<string, SourceDef>;
  regions: RegionTree;
}

/** The built-in field every entity has: what kind of entity it is. */
export const ENTITY_KIND_FIELD = 'entity_kind';
