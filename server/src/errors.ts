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
/** What can be missing, in both languages: message_en is English throughout (QA 7). */
export const THINGS = {
  主体: 'entity', 事项: 'item', 事项版本: 'item version', 令牌: 'token', 兑现记录: 'grant', 匹配任务: 'matching run',
  审核环节: 'review step', 导入: 'import', 已发布的政策事项: 'published item', 拨付批次: 'payout batch', 推送订阅: 'push subscription',
  政策事项: 'policy item', 政策事项版本: 'policy item version', 政策文件: 'policy document', 材料文件: 'material file', 用户: 'user',
  申请: 'application', 通知: 'notice', 部门: 'department',
} as const;
export type Thing = keyof typeof THINGS;

export const notFound = (what: Thing, id: string) => new DomainError('NOT_FOUND', `${what} ${id} 不存在`, `${THINGS[what]} ${id} not found`);
export const forbidden = (zh = '无权执行此操作', en = 'not allowed') => new DomainError('FORBIDDEN', zh, en);
