// What every channel adapter shares: a logger that never sees personal data, error texts
// scrubbed of addresses before they reach the dispatcher (which stores and may log them),
// and how an HTTP answer becomes an outcome.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SendOutcome } from '../channel.ts';

/** The part of pino the adapters use; tests pass a capture, the server its own logger. */
export interface ChannelLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export const silentLog: ChannelLog = { info: () => {}, warn: () => {} };

const EMAIL = /[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/g;
const PHONE = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g;
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const URL_TOKEN = /(https?:\/\/[^/\s"']+)\/[^\s"']*/g;

/** A transport's error text without the recipient (or anything that looks like personal data),
 *  and short enough to store: SMTP servers echo the address, HTTP gateways echo the number,
 *  push services echo the subscription endpoint (a bearer-like secret). */
export function scrub(text: string, to?: string): string {
  let s = text;
  if (to && to.length >= 3) s = s.split(to).join('***');
  s = s.replace(EMAIL, '***@***').replace(PHONE, '***').replace(ID_NUMBER, '***').replace(URL_TOKEN, '$1/…');
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Why a fetch() threw: its timeout, or the socket error code (ECONNREFUSED …). */
export function networkError(err: unknown, timeoutMs: number): string {
  const e = err as Error & { code?: string; cause?: { code?: string } };
  return e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (e.cause?.code ?? e.code ?? errorText(err));
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** 2xx sent; 408, 429 and 5xx worth another try; any other answer final. */
export function httpOutcome(status: number, text: string, retryAfter: string | null, to: string): SendOutcome {
  if (status >= 200 && status < 300) return { status: 'sent' };
  const error = scrub(`HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`, to);
  if (status >= 500 || status === 408 || status === 429) {
    const after = retryAfterMs(retryAfter);
    return { status: 'retry', error, ...(after !== undefined ? { retryAfterMs: after } : {}) };
  }
  return { status: 'failed', error };
}

/** A file in the data folder written once (a generated key) and read ever after. The server and
 *  the worker may start together: the first to write wins and both read the same content. */
export function readOrCreateFile(dataDir: string, name: string, create: () => string): string {
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, create(), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return readFileSync(file, 'utf8');
}
