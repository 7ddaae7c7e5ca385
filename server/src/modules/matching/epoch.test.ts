// The catalogue epoch (migration 050): every worker compares it with the catalogue compiled in
// memory, so it must move with every change to what is published — and only then, since each
// move makes every process recompile the catalogue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { importDocuments } from '../catalogue/service.ts';
import { demoDocument } from '../catalogue/fixtures.ts';
import { catalogueEpoch } from './catalogue.ts';

describe.each(DATABASES)('catalogue epoch (%s)', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv(kind);
  });
  afterAll(async () => env?.close());

  const epoch = () => catalogueEpoch(env.db);
  const load = (status: 'draft' | 'published') =>
    env.db.tx((q) => importDocuments(env.ctx, q, [demoDocument('lc-rsj-2025-wgkg')], { status, enqueueMatch: false }));

  it('moves when versions are published or withdrawn, not when a draft is saved', async () => {
    const e0 = await epoch();
    await load('draft');
    expect(await epoch()).toBe(e0);
    await load('published');
    const e1 = await epoch();
    expect(e1).not.toBe(e0);
    await env.db.query(`UPDATE item_versions SET status = 'withdrawn' WHERE status = 'published'`);
    const e2 = await epoch();
    expect(e2).not.toBe(e1);
    await env.db.query(`UPDATE item_versions SET status = 'draft' WHERE status = 'draft'`);
    expect(await epoch()).toBe(e2);
  });
});
