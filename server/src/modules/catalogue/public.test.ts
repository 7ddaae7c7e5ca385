import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liaochengDictionary } from '@kx/data';
import type { PolicyItem } from '@kx/engine';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { demoCatalogue, demoDocument } from './fixtures.ts';
import { importDocuments } from './service.ts';

const dict = liaochengDictionary();
const within = (item: PolicyItem, region: string) => item.region_scope.some((s) => dict.regions.contains(s, region) || dict.regions.contains(region, s));
const openOn = (i: PolicyItem, d: string) => i.valid_from <= d && (!i.valid_to || i.valid_to >= d) && (!i.window || (i.window.from <= d && (!i.window.to || i.window.to >= d)));
const sorted = (xs: string[]) => [...xs].sort();

describe.each(DATABASES)('public catalogue on %s', (kind) => {
  let env: TestEnv;
  const all = demoCatalogue().items;
  const get = async (url: string) => {
    const r = await env.app.inject({ method: 'GET', url: `/api/v1${url}` });
    return { status: r.statusCode, body: r.json() };
  };
  /** Every id a filtered listing returns, walking all its pages. */
  const ids = async (query: string) => {
    const out: string[] = [];
    for (let page = 1; ; page++) {
      const r = await get(`/items?${query}&page=${page}&page_size=50`);
      out.push(...r.body.items.map((i: { id: string }) => i.id));
      if (r.body.items.length < 50) return out;
    }
  };

  beforeAll(async () => {
    env = await testEnv(kind);
    const r = await env.db.tx((q) => importDocuments(env.ctx, q, demoCatalogue().documents, { status: 'published' }));
    expect(r.documents.created).toBe(demoCatalogue().documents.length);
  });
  afterAll(() => env.close());

  it('pages the published catalogue with its total', async () => {
    const first = await get('/items');
    expect(first.body).toMatchObject({ total: all.length, page: 1, page_size: 20 });
    expect(first.body.items).toHaveLength(20);
    const lastPage = Math.ceil(all.length / 20);
    const last = await get(`/items?page=${lastPage}`);
    expect(last.body.items).toHaveLength(all.length - 20 * (lastPage - 1));
    expect((await get(`/items?page=${lastPage + 1}`)).body).toMatchObject({ items: [], total: all.length });
    expect(sorted(await ids('x=1'))).toEqual(sorted(all.map((i) => i.id)));
    expect((await get('/items?page_size=500')).status).toBe(400);
  });

  it('filters by department, audience, mode and title', async () => {
    expect(sorted(await ids('department=lc-mzj'))).toEqual(sorted(all.filter((i) => i.department === 'lc-mzj').map((i) => i.id)));
    expect(sorted(await ids('audience=person&mode=auto'))).toEqual(sorted(all.filter((i) => i.audience === 'person' && i.mode === 'auto').map((i) => i.id)));
    const titled = await ids(`q=${encodeURIComponent('低保')}`);
    expect(titled.length).toBeGreaterThan(0);
    expect(sorted(titled)).toEqual(sorted(all.filter((i) => i.title.includes('低保')).map((i) => i.id)));
    expect((await get('/items?q=100%25')).body.total).toBe(0);
  });

  it('filters by region: items whose scope contains the region or lies within it', async () => {
    const dongchangfu = await ids('region=371502');
    expect(sorted(dongchangfu)).toEqual(sorted(all.filter((i) => within(i, '371502')).map((i) => i.id)));
    expect(dongchangfu).toEqual(expect.arrayContaining(['lc-rsj-wgfh', 'dcf-gxj-zjtx-peitao', 'gxq-kjj-gq-award']));
    expect(dongchangfu).not.toContain('cp-gxj-lv-jigai');
    const chiping = await ids('region=371503');
    expect(chiping).toContain('cp-gxj-lv-jigai');
    expect(chiping).not.toContain('dcf-gxj-zjtx-peitao');
    // the whole city: every item lies within it
    expect(await ids('region=371500')).toHaveLength(all.length);
    expect((await get('/items?region=37150X')).body).toMatchObject({ code: 'BAD_INPUT', field: 'region' });
  });

  it('filters by the day an item is open for application', async () => {
    expect(sorted(await ids('open_on=2025-04-15'))).toEqual(sorted(all.filter((i) => openOn(i, '2025-04-15')).map((i) => i.id)));
    expect(await ids('open_on=2025-04-15')).not.toContain('lc-gxj-jsgz');
    expect(await ids('open_on=2025-07-01')).toContain('lc-gxj-jsgz');
    expect((await get('/items?open_on=2025-02-30')).body).toMatchObject({ code: 'BAD_INPUT', field: 'open_on' });
  });

  it('lists documents with filters, and a document with its items', async () => {
    const docs = await get('/documents?page_size=100');
    expect(docs.body.total).toBe(demoCatalogue().documents.length);
    const rsj = await get('/documents?department=lc-rsj&page_size=100');
    expect(rsj.body.items.map((d: { id: string }) => d.id)).toContain('lc-rsj-2025-wgkg');
    expect(rsj.body.items.every((d: { issuers: string[] }) => d.issuers.includes('lc-rsj'))).toBe(true);
    const county = await get('/documents?region=371503&page_size=100');
    expect(county.body.items.map((d: { id: string }) => d.id)).toContain('cp-gxj-2025-lv');
    expect(county.body.items.map((d: { id: string }) => d.id)).not.toContain('lq-gxj-2025-zhoucheng');
    expect((await get(`/documents?q=${encodeURIComponent('稳岗返还')}`)).body.items.map((d: { id: string }) => d.id)).toEqual(['lc-rsj-2025-wgkg']);
    const one = await get('/documents/lc-rsj-2025-wgkg');
    expect(one.body).toMatchObject({ number: '聊人社字〔2025〕12号', item_count: 2 });
    expect(one.body.interpretation).toContain('稳岗返还谁能享受');
    expect(one.body.items.map((i: { id: string }) => i.id)).toEqual(['lc-rsj-kgbz', 'lc-rsj-wgfh']);
    expect((await get('/documents/no-such-doc')).status).toBe(404);
  });

  it('shows an item with its rule as text and in plain Chinese, parameters as of today', async () => {
    const r = await get('/items/lc-mzj-dibao');
    expect(r.status).toBe(200);
    const rule = r.body.current.rule;
    expect(rule.params_on).toBe(env.ctx.today());
    expect(rule.amount_text).toContain('round(');
    expect(rule.eligibility_zh.length).toBeGreaterThan(2);
    // the same checklist in English, line for line, for the portal's English switch
    expect(rule.eligibility_en).toHaveLength(rule.eligibility_zh.length);
    expect(rule.eligibility_en.join('\n')).not.toMatch(/[\u4e00-\u9fff]{2}.*≥/);
    expect(rule.amount_en).toEqual(expect.any(String));
    expect(r.body.current.body.params.map((p: { name: string }) => p.name)).toContain('dibao_urban');
    expect(r.body).toMatchObject({ department: 'lc-mzj', department_name: expect.stringContaining('民政'), document_id: 'lc-mzj-2025-dibao' });
  });

  it('documents every catalogue route in the OpenAPI document, with its answers', async () => {
    const doc = (await get('/openapi.json')).body;
    for (const [path, method] of [['/api/v1/items', 'get'], ['/api/v1/items', 'post'], ['/api/v1/items/{id}', 'get'], ['/api/v1/items/{id}/diff', 'get'],
      ['/api/v1/items/{id}/publish', 'post'], ['/api/v1/documents/{id}', 'get'], ['/api/v1/departments/{code}/notices', 'get']])
      expect(doc.paths[path]?.[method]?.responses?.['200'] ?? doc.paths[path]?.[method]?.responses?.['201'], `${method} ${path}`).toBeDefined();
    expect(doc.paths['/api/v1/items/{id}/publish'].post.responses).toHaveProperty('422');
  });

  it('re-imports an unchanged document as no new version, and a changed one as the next version', async () => {
    const same = await env.db.tx((q) => importDocuments(env.ctx, q, [demoDocument('lc-rsj-2025-wgkg')], { status: 'published' }));
    expect(same.items.map((i) => i.change)).toEqual(['unchanged', 'unchanged']);
    const doc = demoDocument('lc-rsj-2025-wgkg');
    doc.items[0].title = '失业保险稳岗返还（修订）';
    const changed = await env.db.tx((q) => importDocuments(env.ctx, q, [doc], { status: 'published' }));
    expect(changed.items).toEqual([
      { item_id: 'lc-rsj-wgfh', version: 2, status: 'published', change: 'new_version' },
      { item_id: 'lc-rsj-kgbz', version: 1, status: 'published', change: 'unchanged' },
    ]);
    const versions = await get('/items/lc-rsj-wgfh/versions');
    expect(versions.body.map((v: { status: string }) => v.status)).toEqual(['superseded', 'published']);
    const audit = await env.db.query<{ actor: string }>("SELECT actor FROM audit_log WHERE subject = 'item:lc-rsj-wgfh@2' AND action = 'item.import'");
    expect(audit.rows).toEqual([{ actor: 'system' }]);
  });
});
