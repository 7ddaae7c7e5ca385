// The permission matrix: EVERY route of the app (whatever modules are registered in app.ts
// today) × EVERY role, plus anonymous callers and a source system's token, against the
// route's declared access. Routes added later are picked up from app.routeTable.
//
// Expectations, from the declaration alone:
//   anonymous on a non-public route → 401;
//   a principal the declaration leaves out → 403 from the access hook (recorded as access.denied);
//   a principal it admits → neither the hook's 401 nor its 403 (a 403 of an object-level
//   rule — another department's item — or a 401 for a wrong password is the route's business).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../src/app.ts';
import { ROLES, type Role } from '../src/http/access.ts';
import { createApiToken, openSession } from '../src/modules/accounts/service.ts';
import { addUser, DATABASES, testEnv, type TestEnv } from './harness.ts';
import { sampleRequest, type OpenApiDoc } from './sample.ts';

type Who = 'anonymous' | 'source' | Role;
const EVERYONE: Who[] = ['anonymous', 'source', ...ROLES];

function isAccess(a: unknown): boolean {
  if (a === 'public' || a === 'user' || a === 'source') return true;
  return Array.isArray(a) && a.length > 0 && a.every((r) => (ROLES as readonly string[]).includes(r));
}

/** What the declaration says this caller gets: through, 401 or 403. */
export function expected(access: unknown, who: Who): 'through' | 401 | 403 {
  if (access === 'public') return 'through';
  if (who === 'anonymous') return 401;
  if (access === 'source') return who === 'source' ? 'through' : 403;
  if (who === 'source') return 403;
  if (access === 'user') return 'through';
  return (access as Role[]).includes(who) ? 'through' : 403;
}

describe.each(DATABASES)('permission matrix on %s', (kind) => {
  let env: TestEnv;
  let routes: RouteInfo[];
  const users = new Map<Role, string>();
  let sourceToken: string;

  beforeAll(async () => {
    env = await testEnv(kind);
    routes = env.app.routeTable;
    for (const role of ROLES) {
      let entityId: string | undefined;
      if (role === 'enterprise' || role === 'resident') {
        const k = role === 'enterprise' ? 'enterprise' : 'person';
        entityId = (await env.db.query<{ id: string }>('INSERT INTO entities (kind, key_hash) VALUES ($1, $2) RETURNING id::text AS id', [k, `matrix-${role}`])).rows[0].id;
      }
      const dept = role === 'clerk' || role === 'approver' || role === 'payout' ? { department: 'lc-rsj' } : {};
      users.set(role, await addUser(env, `matrix-${role}`, role, { ...dept, ...(entityId ? { entity_id: entityId } : {}) }));
    }
    const source = [...env.ctx.dict.sources.keys()][0];
    sourceToken = (await createApiToken(env.ctx, '权限矩阵测试', source, { kind: 'user', userId: users.get('admin'), role: 'admin' })).token;
  });
  afterAll(() => env.close());

  it('has routes from the registered modules', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/audit']));
  });

  it('declares the access of every route (none falls back to the default)', () => {
    const undeclared = routes.filter((r) => !isAccess(r.access)).map((r) => `${r.method} ${r.url}: ${JSON.stringify(r.access)}`);
    expect(undeclared).toEqual([]);
  });

  it('gives every caller on every route the answer its declaration promises', async () => {
    const doc = env.app.swagger() as unknown as OpenApiDoc;
    const wrong: string[] = [];
    let requests = 0;
    for (const route of routes) {
      const req = sampleRequest(doc, route.method, route.url);
      for (const who of EVERYONE) {
        // A fresh session per request: a route may end the session it was called with (logout).
        const token = who === 'anonymous' ? undefined : who === 'source' ? sourceToken : (await openSession(env.ctx, users.get(who)!, 'matrix')).token;
        const before = (await env.db.query<{ id: string }>('SELECT coalesce(max(id), 0)::text AS id FROM audit_log')).rows[0].id;
        const res = await env.app.inject({
          method: route.method as 'GET',
          url: req.url,
          query: req.query,
          ...(req.payload !== undefined ? { payload: req.payload as object } : {}),
          ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
        });
        requests++;
        const denied = Number((await env.db.query<{ n: string }>(
          "SELECT count(*)::text AS n FROM audit_log WHERE audit_log.id > $1::bigint AND action = 'access.denied' AND subject = $2", [before, `${route.method} ${route.url}`],
        )).rows[0].n) > 0;
        const want = expected(route.access, who);
        const got = `${res.statusCode}${denied ? ' (access.denied)' : ''}`;
        // The hook's own 401 says "login required"; a handler may answer 401 for its own reasons (a wrong password).
        const hook401 = res.statusCode === 401 && (res.json() as { message_en?: string }).message_en === 'login required';
        const ok = want === 401 ? res.statusCode === 401 : want === 403 ? res.statusCode === 403 && denied : !hook401 && !denied;
        if (!ok) wrong.push(`${route.method} ${route.url} as ${who}: expected ${want === 'through' ? 'to pass the access check' : want}, got ${got} ${res.body.slice(0, 120)}`);
      }
    }
    expect(requests).toBe(routes.length * EVERYONE.length);
    expect(wrong).toEqual([]);
  });
});
