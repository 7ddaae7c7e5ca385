// Errors of JsonLogic interop. Every error names the JSON path of the construct
// (`$.and[2].substr`) so that a rule exported by a query builder can be fixed where
// it is wrong. Two kinds matter to callers:
//   - UNSUPPORTED: the construct has no counterpart in the rule language at all;
//   - a refusal with a `category`: the construct exists, but JavaScript's loose
//     semantics (coercion, truthiness, null) would give it a meaning our typed,
//     three-valued language deliberately does not have.
import { EngineError, type EngineErrorCode } from '../errors.ts';

/** Where our semantics deliberately differ from json-logic-js; see docs/jsonlogic.md. */
export type DifferenceCategory =
  | 'coercion' // "1" == 1, "2" > 1, "1" + 1, +"0": values of different types meet
  | 'truthiness' // 0, "", [], "0" or a non-boolean result where a condition is expected
  | 'unknown_not_null' // an absent fact is unknown, not null (which JavaScript coerces)
  | 'text_ordering' // < on text: JavaScript compares strings, our ordering is for numbers and dates
  | 'mixed_types' // if/var default whose branches have different types
  | 'exact_decimal'; // exact decimal arithmetic where JavaScript rounds binary floats

export const DIFFERENCE_CATEGORIES: readonly DifferenceCategory[] = [
  'coercion',
  'truthiness',
  'unknown_not_null',
  'text_ordering',
  'mixed_types',
  'exact_decimal',
];

export class JsonLogicError extends EngineError {
  /** JSON path of the construct, `$` being the rule itself. */
  readonly path: string;
  /** The operator or literal kind that failed: "substr", "null", "var", … */
  readonly construct: string;
  readonly category?: DifferenceCategory;

  constructor(code: EngineErrorCode, construct: string, path: string, zh: string, en: string, category?: DifferenceCategory) {
    super(code, `${zh}（位置 ${path}）`, `${en} (at ${path})`);
    this.name = 'JsonLogicError';
    this.path = path;
    this.construct = construct;
    if (category) this.category = category;
  }
}

export function unsupported(construct: string, path: string, zh: string, en: string): JsonLogicError {
  return new JsonLogicError('UNSUPPORTED', construct, path, zh, en);
}

export function refused(category: DifferenceCategory, construct: string, path: string, zh: string, en: string): JsonLogicError {
  return new JsonLogicError('TYPE', construct, path, zh, en, category);
}
