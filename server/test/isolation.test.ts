// Object-level isolation, generically: for EVERY route with the :id of an entity or of a
// policy item (found in app.routeTable, so routes added later are covered), a caller the
// route admits by role but who belongs to another entity or another department gets 403
// or 404 — never the data, never the change. The owner, for comparison, can read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../src/app.ts';
import { DEPARTMENT_ROLES, ENTITY_ROLES, type Role } from '../src/http/access.ts';
import { demoYaml } from '../src/modules/catalogue/fixtures.ts';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from './harness.ts';
import { sampleRequest, type OpenApiDoc } from './sample.ts';

const HOME = 'lc-rsj';
const OTHER = 'lc-mzj';
const ITEM = 'lc-rsj-wgfh';

const rolesOf = (r: RouteInfo, among: readonly Role[]): Role[] => (Array.isArray(r.access) ? (r.access as Role[]).filter((x) => among.includes(x)) : r.access === 'user' ? [...among] : []);

describe.each(DATABASES)('object-level isolation on %s', (kind) => {
  let env: TestEnv;
  let doc: OpenApiDoc;
  /** role → [owner's token, stranger's token]; for entity roles also the owner's entity id. */
  const pair = new Map<Role, { owner: string; stranger: string; entity?: string }>();

  beforeAll(async () => {
    env = await testEnv(kind);
    doc = env.app.swagger() as unknown as OpenApiDoc;
    for (const role of ENTITY_ROLES) {
      const tokens: string[] = [];
      let first: string | undefined;
      for (const who of ['owner', 'stranger']) {
        const k = role === 'enterprise' ? 'enterprise' : 'person';
        const id = (await env.db.query<{ id: string }>('INSERT INTO entities (kind, key_hash) VALUES ($1, $2) RETURNING id::text AS id', [k, `iso-${role}-${who}`])).rows[0].id;
        first ??= id;
        await addUser(env, `iso-${role}-${who}`, role, { entity_id: id });
        tokens.push(await env.login(`iso-${role}-${who}`));
      }
      pair.set(role, { owner: tokens[0], stranger: tokens[1], entity: first });
    }
    for (const role of DEPARTMENT_ROLES) {
      await addUser(env, `iso-${role}-home`, role, { department: HOME });
      await addUser(env, `iso-${role}-other`, role, { department: OTHER });
      pair.set(role, { owner: await env.login(`iso-${role}-home`), stranger: await env.login(`iso-${role}-other`) });
    }
    // An item of HOME, as its clerk creates it: a draft the other department must not touch.
    const created = await env.app.inject({ method: 'POST', url: '/api/v1/items', headers: bearer(pair.get('clerk')!.owner), payload: { yaml: demoYaml('lc-rsj-2025-wgkg') } });
    expect(created.statusCode).toBe(201);
  });
  afterAll(() => env.close());

  async function call(route: RouteInfo, id: string, token: string) {
    const req = sampleRequest(doc, route.method, route.url, { id });
    return env.app.inject({ method: route.method as 'GET', url: req.url, query: req.query, headers: bearer(token), ...(req.payload !== undefined ? { payload: req.payload as object } : {}) });
  }

  it('keeps every entity route to its own entity', async () => {
    const routes = env.app.routeTable.filter((r) => /^\/api\/v1\/entities\/:id(\/|$)/.test(r.url));
    expect(routes.length).toBeGreaterThan(0);
    const leaks: string[] = [];
    for (const route of routes)
      for (const role of rolesOf(route, ENTITY_ROLES)) {
        const p = pair.get(role)!;
        const res = await call(route, p.entity!, p.stranger);
        if (res.statusCode !== 403 && res.statusCode !== 404) leaks.push(`${route.method} ${route.url} as another ${role}: ${res.statusCode} ${res.body.slice(0, 100)}`);
        // The owner reads every GET route addressed by the entity alone; a route that also names
        // another object (…/matches/:item) gets a sample value that need not exist, so 404 there
        // says nothing about isolation.
        if (route.method === 'GET' && !/:(?!id\b)\w+/.test(route.url)) {
          const own = await call(route, p.entity!, p.owner);
          if (own.statusCode === 403 || own.statusCode === 404) leaks.push(`${route.method} ${route.url} as its own ${role}: ${own.statusCode} (the owner should read it)`);
        }
      }
    expect(leaks).toEqual([]);
  });

  it("keeps every department's item routes to that department", async () => {
    const routes = env.app.routeTable.filter((r) => /^\/api\/v1\/items\/:id(\/|$)/.test(r.url) && r.access !== 'public');
    expect(routes.length).toBeGreaterThan(0);
    const leaks: string[] = [];
    for (const route of routes)
      for (const role of rolesOf(route, DEPARTMENT_ROLES)) {
        const p = pair.get(role)!;
        const res = await call(route, ITEM, p.stranger);
        if (res.statusCode !== 403 && res.statusCode !== 404) leaks.push(`${route.method} ${route.url} as a ${role} of ${OTHER}: ${res.statusCode} ${res.body.slice(0, 100)}`);
        if (route.method === 'GET') {
          const own = await call(route, ITEM, p.owner);
          if (own.statusCode === 403 || own.statusCode === 404) leaks.push(`${route.method} ${route.url} as a ${role} of ${HOME}: ${own.statusCode} (the department should read it)`);
        }
      }
    expect(leaks).toEqual([]);
    // Nothing the strangers sent changed the draft.
    const v = await env.db.query<{ status: string; version: number }>('SELECT status, version FROM item_versions WHERE item_id = $1 ORDER BY version', [ITEM]);
    expect(v.rows).toEqual([{ status: 'draft', version: 1 }]);
  });
});
