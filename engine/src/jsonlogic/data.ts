// Running a JsonLogic rule on JsonLogic-style data: the data's JSON types become a
// dictionary on the fly (number → int/dec, "YYYY-MM-DD" → date, other strings → text,
// boolean → bool, list of strings → set, nested objects → `a_b` fields), the rule is
// imported against it and evaluated by the reference interpreter. Absent and null data
// are unknown, so a rule may answer "unknown" where JavaScript answers with null.
import { fieldsOf, type Expr } from '../ast/ast.ts';
import { createDictionary, createRegionTree } from '../dictionary/dictionary.ts';
import { ENTITY_KIND_FIELD, type Dictionary, type EnumDef, type FieldDef, type FieldType } from '../dictionary/types.ts';
import { evalValue, type RV } from '../evaluate/interpret.ts';
import { formatDate, parseDate } from '../values/dates.ts';
import { MAX_SIGNIFICANT, numToString, significantDigits } from '../values/decimal.ts';
import { normalizeValue, type Facts } from '../values/facts.ts';
import { unsupported, type DifferenceCategory } from './errors.ts';
import { importJsonLogicDetailed, type JsonLogicImportOptions } from './import.ts';
import { defaultFieldName, isFieldName } from './names.ts';

export interface DataDictionary {
  dict: Dictionary;
  facts: Facts;
  /** Fields whose data cannot be a fact (objects, lists of numbers): a rule reading them is unsupported. */
  unrepresentable: ReadonlySet<string>;
}

function typeOf(v: unknown): FieldType | undefined {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isSafeInteger(v) ? 'int' : significantDigits(numToString(v)) <= MAX_SIGNIFICANT ? 'dec' : undefined;
  if (typeof v === 'string') return parseDate(v) !== undefined ? 'date' : 'text';
  if (Array.isArray(v) && v.every((m) => typeof m === 'string')) return 'set';
  return undefined;
}

/** A dictionary and the facts of one entity, inferred from JsonLogic data. */
export function dictionaryFromData(data: unknown, fieldName: (varPath: string) => string = defaultFieldName): DataDictionary {
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data)))
    throw unsupported('data', '$data', '数据应为对象（按字段名读取），不能是数组或单个值', 'data must be an object read by field name, not a list or a single value');
  const fields: FieldDef[] = [];
  const enums: EnumDef[] = [];
  const raw: Record<string, unknown> = {};
  const unrepresentable = new Set<string>();
  const walk = (obj: object, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${k}` : k;
      const name = fieldName(path);
      if (!isFieldName(name) || name === ENTITY_KIND_FIELD || v === null || fields.some((f) => f.key === name)) continue;
      if (typeof v === 'object' && !Array.isArray(v)) {
        unrepresentable.add(name);
        walk(v, path);
        continue;
      }
      const type = typeOf(v);
      if (!type) {
        unrepresentable.add(name);
        continue;
      }
      const def: FieldDef = { key: name, type, label: { zh: path, en: path }, source: 'platform', kinds: ['person', 'enterprise'] };
      if (type === 'set') {
        def.enum = `jsonlogic_${name}`;
        const codes = [...new Set(v as string[])];
        enums.push({ name: def.enum, label: { zh: path, en: path }, values: codes.map((c) => ({ code: c, zh: c, en: c })) });
      }
      fields.push(def);
      raw[name] = v;
    }
  };
  if (data) walk(data, '');
  const dict = createDictionary({ fields, enums, sources: [], regions: createRegionTree({ names: {} }) });
  const facts: Facts = { [ENTITY_KIND_FIELD]: 'person' };
  for (const f of fields) facts[f.key] = normalizeValue(dict, f, raw[f.key]).value;
  return { dict, facts, unrepresentable };
}

export interface ImportedRun {
  expr: Expr;
  /** The result as JSON; `undefined` when it is unknown. */
  value: unknown;
  approximations: DifferenceCategory[];
}

/** Imports a rule against a dictionary inferred from `data` and evaluates it three-valued. */
export function runImported(rule: unknown, data: unknown, opts: JsonLogicImportOptions = {}): ImportedRun {
  const { dict, facts, unrepresentable } = dictionaryFromData(data, opts.fieldName);
  const { expr, approximations } = importJsonLogicDetailed(rule, dict, { ...opts, openFields: true });
  const bad = fieldsOf(expr).find((f) => unrepresentable.has(f));
  if (bad)
    throw unsupported('var', '$', `数据中的 "${bad}" 是对象或非代码列表，不能作为事实`, `"${bad}" in the data is an object or a list of non-codes; it cannot be a fact`);
  // Imported JsonLogic reads no parameters and no evaluation date.
  const v = evalValue(expr, facts, { dict, params: new Map(), day: 0 });
  return { expr, value: v === undefined ? undefined : rvToJson(v), approximations };
}

/** JsonLogic's `apply(rule, data)`, with our semantics: the JSON result, or `undefined` for unknown. */
export function evaluateImported(rule: unknown, data: unknown, opts: JsonLogicImportOptions = {}): unknown {
  return runImported(rule, data, opts).value;
}

function rvToJson(v: RV): unknown {
  switch (v.t) {
    case 'num':
      return v.v.toNumber();
    case 'date':
      return formatDate(v.v);
    case 'set':
      return [...v.v];
    case 'list':
      return v.v.map(rvToJson);
    default:
      return v.v;
  }
}
