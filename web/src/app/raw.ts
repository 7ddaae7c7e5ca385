// Calls to routes that the typed client cannot describe: multipart uploads, and routes that
// are being added on the server side at the same time (their types reach api-types.ts with
// the next `npm run api:generate`). Errors are the same ApiError as the typed client's.
import { ApiError } from './api.ts';

type QueryValue = string | number | boolean | undefined | null;

export async function rawApi<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, opts: { query?: Record<string, QueryValue>; body?: unknown; form?: FormData } = {}): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== null && v !== '') qs.append(k, String(v));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${path}${qs.size ? `?${qs}` : ''}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(opts.form ? { body: opts.form } : opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const isJson = res.headers.get('content-type')?.includes('application/json') ?? false;
  if (!res.ok) {
    const e = (isJson ? await res.json() : { code: `HTTP_${res.status}`, message: `请求失败（${res.status}）` }) as { code: string; message: string; message_en?: string; field?: string };
    throw new ApiError(res.status, e.code, e.message, e.message_en, e.field);
  }
  if (res.status === 204) return undefined as T;
  return (isJson ? await res.json() : await res.text()) as T;
}
