// Typed engine errors with stable codes. Messages are Chinese first, English second,
// and always say what was found and what was expected.
import type { Loc } from './ast/ast.ts';

export type EngineErrorCode =
  | 'SYNTAX'
  | 'TYPE'
  | 'UNKNOWN_FIELD'
  | 'UNKNOWN_PARAM'
  | 'PARAM_CYCLE'
  | 'PARAM_NOT_IN_FORCE'
  | 'PARAM_TYPE'
  | 'PARAM_EXPR'
  | 'DIV_ZERO'
  | 'LIMIT'
  | 'POLICY_FILE'
  | 'UNSUPPORTED'
  | 'DATE';

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly zh: string;
  readonly en: string;
  readonly loc?: Loc;
  readonly file?: string;

  constructor(code: EngineErrorCode, zh: string, en: string, loc?: Loc, file?: string) {
    const where = `${file ?? ''}${loc ? `${file ? ':' : ''}${loc.line}:${loc.col}` : ''}`;
    super(`${where ? where + ': ' : ''}${zh} / ${en}`);
    this.name = 'EngineError';
    this.code = code;
    this.zh = zh;
    this.en = en;
    if (loc) this.loc = loc;
    if (file) this.file = file;
  }
}

/** The safe form of an operation: a value or an error, never a throw. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: EngineError };

export function attempt<T>(fn: () => T): Result<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof EngineError) return { ok: false, error: e };
    if (e instanceof RangeError)
      return { ok: false, error: new EngineError('LIMIT', '规则过于复杂（嵌套过深）', 'rule too complex (nested too deep)') };
    throw e;
  }
}
