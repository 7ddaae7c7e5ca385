// A small typed fetch wrapper over the generated API types, for the portal and the CLI:
//
//   const api = createClient({ baseUrl: 'http://127.0.0.1:3000', token });
//   const me = await api.get('/api/v1/auth/me');                      // typed as the User schema
//   await api.delete('/api/v1/tokens/{id}', { params: { id: '7' } });
//
// Paths, path parameters, query, body and the success response all come from
// api-types.ts; an error answer is thrown as ApiError with the platform's code and field.
import type { paths } from './api-types.ts';

export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

type Op<P extends keyof paths, M extends Method> = Exclude<paths[P][M], undefined>;
/** The paths that have an operation for this method. */
export type PathsFor<M extends Method> = { [P in keyof paths]-?: [Op<P, M>] extends [never] ? never : P }[keyof paths];

type Params<O> = O extends { parameters: infer X } ? X : object;
type PathParams<O> = Params<O> extends { path: infer X } ? X : undefined;
type Query<O> = Params<O> extends { query?: infer X } ? ([X] extends [never] ? undefined : X) : undefined;
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : undefined;
type Body<O> = O extends { requestBody: infer R } ? Json<R> : O extends { requestBody?: infer R } ? ([R] extends [never] ? undefined : Json<Exclude<R, undefined>>) : undefined;
type Success = 200 | 201 | 202 | 204;

/** The body of the operation's success answer (undefined for 204, text for non-JSON answers). */
export type ResponseOf<P extends keyof paths, M extends Method> =
  Op<P, M> extends { responses: infer R } ? { [C in keyof R & Success]: C extends 204 ? undefined : R[C] extends { content: { 'application/json': infer B } } ? B : string }[keyof R & Success] : never;

export type RequestOptions<P extends keyof paths, M extends Method> = ([PathParams<Op<P, M>>] extends [undefined] ? { params?: undefined } : { params: PathParams<Op<P, M>> }) &
  ([Query<Op<P, M>>] extends [undefined] ? { query?: undefined } : { query?: Query<Op<P, M>> }) &
  ([Body<Op<P, M>>] extends [undefined] ? { body?: undefined } : { body: Body<Op<P, M>> });

/** Optional when nothing is required. */
type Args<P extends keyof paths, M extends Method> = object extends RequestOptions<P, M> ? [options?: RequestOptions<P, M>] : [options: RequestOptions<P, M>];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly zh: string,
    readonly en: string | undefined,
    readonly field: string | undefined,
    /** What the platform adds to some errors: every problem of a file, the failing test cases of a publish … */
    readonly details?: unknown,
  ) {
    super(en ? `${zh} / ${en}` : zh);
    this.name = 'ApiError';
  }
}

export interface ClientOptions {
  /** http://host:port of the service (the portal passes its own origin, or ''). */
  baseUrl: string;
  /** A session token (kxs_…) or a source system's token (kxt_…); browsers use the session cookie instead. */
  token?: string;
  fetch?: typeof fetch;
}

type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

function urlOf(baseUrl: string, path: string, params: Record<string, unknown> | undefined, query: Record<string, QueryValue> | undefined): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null) throw new TypeError(`缺少路径参数 ${name} / missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(v));
  });
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {}))
    if (Array.isArray(v)) for (const x of v) qs.append(k, String(x));
    else if (v !== undefined && v !== null) qs.append(k, String(v));
  const q = qs.toString();
  return `${baseUrl.replace(/\/$/, '')}${filled}${q ? `?${q}` : ''}`;
}

export function createClient(opts: ClientOptions) {
  const doFetch = opts.fetch ?? fetch;
  async function request<M extends Method, P extends PathsFor<M>>(method: M, path: P, ...[options]: Args<P, M>): Promise<ResponseOf<P, M>> {
    const o = (options ?? {}) as { params?: Record<string, unknown>; query?: Record<string, QueryValue>; body?: unknown };
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const res = await doFetch(urlOf(opts.baseUrl, path, o.params, o.query), {
      method: method.toUpperCase(),
      headers,
      credentials: 'same-origin',
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    });
    const isJson = res.headers.get('content-type')?.includes('application/json') ?? false;
    if (!res.ok) {
      const e = (isJson ? await res.json() : { code: 'HTTP_' + res.status, message: await res.text() }) as { code: string; message: string; message_en?: string; field?: string; details?: unknown };
      throw new ApiError(res.status, e.code, e.message, e.message_en, e.field, e.details);
    }
    if (res.status === 204) return undefined as ResponseOf<P, M>;
    return (isJson ? await res.json() : await res.text()) as ResponseOf<P, M>;
  }
  return {
    request,
    get: <P extends PathsFor<'get'>>(path: P, ...args: Args<P, 'get'>) => request('get', path, ...args),
    post: <P extends PathsFor<'post'>>(path: P, ...args: Args<P, 'post'>) => request('post', path, ...args),
    put: <P extends PathsFor<'put'>>(path: P, ...args: Args<P, 'put'>) => request('put', path, ...args),
    patch: <P extends PathsFor<'patch'>>(path: P, ...args: Args<P, 'patch'>) => request('patch', path, ...args),
    delete: <P extends PathsFor<'delete'>>(path: P, ...args: Args<P, 'delete'>) => request('delete', path, ...args),
  };
}

export type ApiClient = ReturnType<typeof createClient>;
