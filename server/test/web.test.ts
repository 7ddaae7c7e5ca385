// The service serves the built portal on its own origin: the shell for any browser route
// (deep links survive a reload), hashed assets cached for good, and API paths keep their
// JSON 404 instead of the shell.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { buildWeb, webBuildStale } from '../src/http/web.ts';
import { createCtx } from '../src/context.ts';
import { openPglite } from '../src/db/db.ts';
import { migrate } from '../src/db/migrate.ts';
import { testConfig } from './harness.ts';

describe('the portal served by the service', () => {
  let app: App;
  beforeAll(async () => {
    if (webBuildStale()) await buildWeb(() => {});
    const db = await openPglite(undefined);
    await migrate(db);
    app = await buildApp(createCtx(testConfig(), db), { logger: false, web: true });
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await app.kx.db.close();
  });

  it('answers the shell at / and at a deep link', async () => {
    for (const url of ['/', '/items/LC-001', '/console/reviews']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toMatch(/text\/html/);
      expect(r.body).toContain('<div id="root"></div>');
    }
  });

  it('serves hashed assets as immutable', async () => {
    const shell = (await app.inject({ method: 'GET', url: '/' })).body;
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(shell)?.[1];
    expect(asset).toBeTruthy();
    const r = await app.inject({ method: 'GET', url: asset! });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toContain('immutable');
  });

  it('keeps the JSON 404 for unknown API paths', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
