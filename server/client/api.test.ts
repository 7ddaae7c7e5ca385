import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { addUser, DATABASES, PASSWORD, testEnv, type TestEnv } from '../test/harness.ts';
import type { OpenApiDoc, Operation } from '../test/sample.ts';
import { ApiError, createClient, type ApiClient } from './client.ts';
import { generateApi, OPENAPI_FILE, TYPES_FILE } from './generate.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  const i = la.findIndex((l, k) => l !== lb[k]);
  return i < 0 ? `the committed file has ${lb.length - la.length} more lines` : `line ${i + 1}: committed ${JSON.stringify(lb[i] ?? '')}, generated ${JSON.stringify(la[i])}`;
}

describe('the OpenAPI document and the generated client types', () => {
  let generated: Awaited<ReturnType<typeof generateApi>>;
  beforeAll(async () => {
    // openapi-typescript validates the document while generating (structure, references): it throws on an invalid one.
    generated = await generateApi();
  }, 180_000);

  it('are committed up to date (run `npm run api:generate` after changing routes)', () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    expect(generated.openapi === committed, `docs/openapi.json is out of date — ${firstDifference(generated.openapi, committed)}`).toBe(true);
    const types = readFileSync(TYPES_FILE, 'utf8');
    expect(generated.types === types, `server/client/api-types.ts is out of date — ${firstDifference(generated.types, types)}`).toBe(true);
  });

  it('is a valid OpenAPI 3 document: path parameters declared, responses keyed by status, ids unique', () => {
    const doc = generated.document as unknown as OpenApiDoc & { openapi: string; info: { title: string; version: string } };
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(doc.info.title).toContain('Kuaixiang');
    const problems: string[] = [];
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!path.startsWith('/')) problems.push(`${path}: a path must start with /`);
      const templ = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item as Record<string, Operation & { operationId?: string }>)) {
        if (!METHODS.includes(method)) continue;
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
        for (const name of templ) if (!declared.some((p) => p.name === name && p.required)) problems.push(`${method} ${path}: path parameter {${name}} not declared as required`);
        for (const p of declared) if (!templ.includes(p.name)) problems.push(`${method} ${path}: parameter ${p.name} is not in the path`);
        const codes = Object.keys(op.responses ?? {});
        if (codes.length === 0) problems.push(`${method} ${path}: no responses`);
        for (const c of codes) if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(c)) problems.push(`${method} ${path}: response code ${c} is not an HTTP status`);
        if (op.operationId) {
          if (ids.has(op.operationId)) problems.push(`${method} ${path}: duplicate operationId ${op.operationId}`);
          ids.add(op.operationId);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe.each(DATABASES)('the API docs page and the typed client on %s', (kind) => {
  let env: TestEnv;
  let base: string;
  let api: ApiClient;

  beforeAll(async () => {
    env = await testEnv(kind);
    await addUser(env, 'admin', 'admin');
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    api = createClient({ baseUrl: base });
  });
  afterAll(() => env.close());

  it('documents every route of the app', () => {
    const doc = env.app.swagger() as unknown as OpenApiDoc;
    const missing = env.app.routeTable
      .filter((r) => r.url !== '/api/v1/openapi.json')
      .filter((r) => !doc.paths[r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('serves the docs page to anyone, with its scripts and styles', async () => {
    const page = await fetch(`${base}/api/v1/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => new URL(m[1], `${base}/api/v1/docs/`).href);
    expect(assets.length).toBeGreaterThan(1);
    for (const a of assets) {
      const r = await fetch(a);
      expect(r.status, a).toBe(200);
      // read to the end: a body left unread keeps its connection busy, and the server's close waits for it
      expect((await r.arrayBuffer()).byteLength, a).toBeGreaterThan(0);
    }
    const served = await fetch(`${base}/api/v1/openapi.json`);
    expect(((await served.json()) as { paths: object }).paths).toHaveProperty(['/api/v1/auth/login']);
  });

  it('logs in, reads, lists with a query and deletes through typed calls', async () => {
    const login = await api.post('/api/v1/auth/login', { body: { username: 'admin', password: PASSWORD } });
    expectTypeOf(login.token).toEqualTypeOf<string>();
    const admin = createClient({ baseUrl: base, token: login.token });
    const me = await admin.get('/api/v1/auth/me');
    expectTypeOf(me.role).toEqualTypeOf<'enterprise' | 'resident' | 'clerk' | 'approver' | 'payout' | 'admin' | 'leader'>();
    expect(me).toMatchObject({ username: 'admin', role: 'admin' });
    const page = await admin.get('/api/v1/audit', { query: { action: 'auth.*', page_size: 5 } });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((r) => r.action.startsWith('auth.'))).toBe(true);
    const token = await admin.post('/api/v1/tokens', { body: { name: '客户端测试', source: [...env.ctx.dict.sources.keys()][0] } });
    expect(await admin.delete('/api/v1/tokens/{id}', { params: { id: token.id } })).toBeUndefined();
  });

  it('throws the platform error, with its code and field', async () => {
    const wrong = await api.post('/api/v1/auth/login', { body: { username: 'admin', password: 'not-the-password-1' } }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ApiError);
    expect(wrong).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', zh: '用户名或密码错误' });
    expect(await api.get('/api/v1/auth/me').catch((e: unknown) => e)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const { token } = await api.post('/api/v1/auth/login', { body: { username: 'admin', password: PASSWORD } });
    const bad = await createClient({ baseUrl: base, token }).get('/api/v1/audit', { query: { from: 'last tuesday' } }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, code: 'BAD_INPUT', field: 'from' });
  });

  it('carries the details of an error that has them (every problem of a policy file)', async () => {
    await addUser(env, 'client-clerk', 'clerk', { department: 'lc-gxj' });
    const { token } = await api.post('/api/v1/auth/login', { body: { username: 'client-clerk', password: PASSWORD } });
    const bad = await createClient({ baseUrl: base, token }).post('/api/v1/items', { body: { yaml: 'id: x\ntitle: t\n' } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ApiError);
    const errors = ((bad as ApiError).details as { errors: { field: string; message: string }[] }).errors;
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.map((e) => e.message).join(' ')).toContain('document');
    expect(await api.get('/api/v1/auth/me').catch((e: unknown) => (e as ApiError).details)).toBeUndefined();
  });
});

// Never run: the type checker (npm run check) refuses what the API does not have.
const _compileTimeChecks = (api: ApiClient) => {
  // @ts-expect-error no such path
  void api.get('/api/v1/no-such-route');
  // @ts-expect-error login is POST only
  void api.get('/api/v1/auth/login');
  // @ts-expect-error the body needs a password
  void api.post('/api/v1/auth/login', { body: { username: 'x' } });
  // @ts-expect-error {id} must be given
  void api.delete('/api/v1/tokens/{id}');
};
