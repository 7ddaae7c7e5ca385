// What every channel adapter shares: a logger that never sees personal data, error texts
// scrubbed of addresses before they reach the dispatcher (which stores and may log them),
// and the bilingual sign-off.

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

/** Waits at most `ms`, then rejects with a labelled timeout — for transports without one. */
export function withTimeout<T>(p: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
