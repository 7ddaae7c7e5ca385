// What the service writes to its log (R14: personal data stays out of logs). Three layers,
// because one is never enough: (1) serializers that keep only method, path and status — no
// bodies, no query strings, no headers with credentials; (2) error messages stripped of
// quoted values, since PostgreSQL echoes the offending input ("invalid input syntax for
// type bigint: \"张三\""); (3) a last filter on every line that masks anything shaped like
// a 身份证号 or a mobile number, whatever code path produced it.
import type { FastifyServerOptions } from 'fastify';

/** 18 characters: 17 digits, then a digit or X (any check character — a typo is still personal). */
export const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
/** Mainland mobile numbers, optionally with the +86 / 86 prefix. */
export const PHONE = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g;

export const MASKED_ID = '[身份证号]';
export const MASKED_PHONE = '[手机号]';

/** Masks ID numbers and mobile numbers in free text. */
export function scrubText(text: string): string {
  return text.replace(ID_NUMBER, MASKED_ID).replace(PHONE, MASKED_PHONE);
}

/** Drops quoted values from an error message: they are the user's input, not the fault. */
export function scrubErrorMessage(message: string): string {
  return scrubText(message.replace(/"[^"]*"|'[^']*'|“[^”]*”|「[^」]*」/g, '"…"'));
}

interface LoggedError {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  code?: unknown;
  statusCode?: unknown;
}

/** Keeps the kind of error and where it happened; never the values it carried (detail, parameters). */
export function serializeError(err: unknown): { type: string; message: string; stack: string; [k: string]: unknown } {
  if (!err || typeof err !== 'object') return { type: typeof err, message: scrubErrorMessage(String(err)), stack: '' };
  const e = err as LoggedError;
  const type = typeof e.name === 'string' ? e.name : 'Error';
  const message = typeof e.message === 'string' ? scrubErrorMessage(e.message) : '';
  const frames = typeof e.stack === 'string' ? e.stack.split('\n').filter((l) => /^\s+at /.test(l)) : [];
  return {
    type,
    message,
    stack: [`${type}: ${message}`, ...frames].join('\n'),
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
  };
}

interface LoggedRequest {
  id?: string;
  method?: string;
  url?: string;
  routeOptions?: { url?: string };
}

export const logSerializers = {
  req: (req: LoggedRequest) => ({ id: req.id, method: req.method, url: (req.url ?? '').split('?')[0] }),
  res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
  err: serializeError,
};

/** Keys that must never reach a log line, at the top level or one level down. */
const REDACT = ['body', 'query', 'payload', 'password', 'token', 'headers.authorization', 'headers.cookie', 'headers["set-cookie"]']
  .flatMap((k) => [k, `*.${k}`]);

export interface LogSink {
  write(line: string): unknown;
}

/** Every line passes through scrubText on its way out. */
export function scrubbingSink(dest: LogSink): LogSink {
  return { write: (line: string) => dest.write(scrubText(line)) };
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';

/** Fastify/pino options for the service; `sink` defaults to stdout (tests pass a capture). */
export function loggerOptions(level: LogLevel, sink: LogSink = process.stdout): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: logSerializers,
    stream: scrubbingSink(sink),
  };
}
