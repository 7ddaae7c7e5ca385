// Domain errors with stable codes, in one registry; one place (http/errors.ts) maps them
// to HTTP. Services throw these and never HTTP errors. Messages: 中文 / English.
export const ERROR_CODES = {
  BAD_INPUT: 400,
  UNAUTHENTICATED: 401,
  LOCKED: 423,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  CASES_FAILED: 422,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly zh: string,
    readonly en: string,
    /** The field at fault, when there is one (JSON path or column name). */
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(`${zh} / ${en}`);
    this.name = 'DomainError';
  }
}

export const badInput = (field: string, zh: string, en: string, details?: unknown) => new DomainError('BAD_INPUT', zh, en, field, details);
export const notFound = (what: string, id: string) => new DomainError('NOT_FOUND', `${what} ${id} 不存在`, `${what} ${id} not found`);
export const forbidden = (zh = '无权执行此操作', en = 'not allowed') => new DomainError('FORBIDDEN', zh, en);
