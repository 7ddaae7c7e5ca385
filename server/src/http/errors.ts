// The one place where errors become HTTP answers: {code, message, field}. Bad input is
// 4xx, never 5xx; an unexpected error is 500 with no detail leaked (logged, without PII).
import type { FastifyError, FastifyInstance } from 'fastify';
import { EngineError } from '@kx/engine';
import { DomainError, ERROR_CODES } from '../errors.ts';

export interface ErrorBody {
  code: string;
  message: string;
  message_en?: string;
  field?: string;
  details?: unknown;
}

// Fastify's own refusals (before our handlers run) in our shape and both languages.
const FASTIFY_ERRORS: Record<string, { status: number; code: string; zh: string; en: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'BAD_INPUT', zh: '请求体不是有效的 JSON', en: 'the request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'BAD_INPUT', zh: '请求体为空，但声明为 JSON', en: 'the request body is empty but declared as JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'TOO_LARGE', zh: '请求体过大', en: 'the request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', zh: '不支持的请求内容类型；请使用 application/json', en: 'unsupported content type; send application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_INPUT', zh: '请求体长度与 Content-Length 不符', en: 'the request body does not match its Content-Length' },
  FST_ERR_CTP_INVALID_TYPE: { status: 400, code: 'BAD_INPUT', zh: '请求内容类型无效', en: 'invalid content type' },
};

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DomainError | EngineError | Error, req, reply) => {
    if (err instanceof DomainError) {
      const body: ErrorBody = { code: err.code, message: err.zh, message_en: err.en, ...(err.field ? { field: err.field } : {}), ...(err.details !== undefined ? { details: err.details } : {}) };
      return reply.status(ERROR_CODES[err.code]).send(body);
    }
    if (err instanceof EngineError) {
      const body: ErrorBody = { code: err.code, message: err.zh, message_en: err.en, ...(err.loc ? { field: `${err.loc.line}:${err.loc.col}` } : {}) };
      return reply.status(400).send(body);
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const v = fe.validation[0];
      const field = `${fe.validationContext ?? 'body'}${v?.instancePath ? v.instancePath.replace(/\//g, '.') : ''}`;
      const params = v?.params as { missingProperty?: string; additionalProperty?: string } | undefined;
      const missing = params?.missingProperty ?? params?.additionalProperty;
      return reply.status(400).send({
        code: 'BAD_INPUT',
        message: `请求参数无效：${field}${missing ? '.' + missing : ''} ${v?.message ?? ''}`.trim(),
        message_en: `invalid request: ${field}${missing ? '.' + missing : ''} ${v?.message ?? ''}`.trim(),
        field: missing ? `${field}.${missing}` : field,
      } satisfies ErrorBody);
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      const known = fe.code ? FASTIFY_ERRORS[fe.code] : undefined;
      if (known) return reply.status(known.status).send({ code: known.code, message: known.zh, message_en: known.en, field: 'body' } satisfies ErrorBody);
      return reply.status(fe.statusCode).send({ code: fe.statusCode === 413 ? 'TOO_LARGE' : 'BAD_INPUT', message: `请求无效（${fe.code ?? fe.statusCode}）`, message_en: `invalid request (${fe.code ?? fe.statusCode})` } satisfies ErrorBody);
    }
    req.log.error({ err }, 'unexpected error');
    return reply.status(500).send({ code: 'INTERNAL', message: '服务器内部错误', message_en: 'internal error' } satisfies ErrorBody);
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ code: 'NOT_FOUND', message: `接口不存在：${req.method} ${req.url.split('?')[0]}`, message_en: 'no such route' } satisfies ErrorBody));
}
