// Smart search as the platform serves it: the index built from the published catalogue in
// the database, kept fresh across publications, withdrawals and processes; filters, facets
// and highlights; a question read into chips and matched; bad input named; personal numbers
// masked and never logged; and the judged set answered through the service exactly as the
// library answers it from the files.
import { join } from 'node:path';
import { buildSearchIndex, makeIdNumber } from '@kx/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateJudged, loadJudged, ndcgAt, recallAt, type JudgedQuery } from '../../../../data/src/search/evaluate.ts';
import { buildApp, type App } from '../../app.ts';
import { createCtx } from '../../context.ts';
import { addUser, bearer, DATABASES, testConfig, testEnv, type TestEnv } from '../../../test/harness.ts';
import { captureLogs } from '../../../test/logs.ts';
import { asInput, demoCatalogue, demoItem, demoYaml, POLICIES_DIR } from '../catalogue/fixtures.ts';
import { importDocuments } from '../catalogue/service.ts';
import { expireDue } from '../catalogue/expiry.ts';
import { maskPersonal } from './question.ts';
import { marksOf } from './service.ts';

const judged = loadJudged(join(POLICIES_DIR, '..', 'search', 'judged.json'));
/** The judged set's day: questions' ages and items' validity are judged on it. */
const TODAY = new Date(`${judged.date}T02:00:00Z`);
const HELD_BACK = 'lc-rsj-2025-wgkg';

type Hit = { item_id?: string; document_id: string; kind: string; title: string; title_marks: [number, number][]; snippet: string; snippet_marks: [number, number][]; snippet_html: string; departments: { code: string }[]; audience?: string; mode?: string; region_scope?: string[]; amount_max?: number | null };
type Chip = { field: string; value: unknown; label_zh: string; label_en: string; value_label: string; source_text: string; span: [number, number] };
type Matched = { item_id: string; verdict: string; missing: { field: string; label_zh: string }[]; add_zh?: string; amount?: string | null };

describe.each(DATABASES)('smart search on %s', (kind) => {
  let env: TestEnv;
  const tok: Record<string, string> = {};

  const get = async (url: string, app: App = env.app) => {
    const r = await app.inject({ method: 'GET', url: `/api/v1${url}` });
    return { status: r.statusCode, body: r.json() };
  };
  const post = async (url: string, payload: object, token?: string) => {
    const r = await env.app.inject({ method: 'POST', url: `/api/v1${url}`, payload, ...(token ? { headers: bearer(token) } : {}) });
    return { status: r.statusCode, body: r.json(), raw: r.body };
  };
  const search = async (q: string, extra = '', app?: App) => get(`/search?q=${encodeURIComponent(q)}${extra}`, app);
  const itemIds = (body: { hits: Hit[] }) => body.hits.filter((h) => h.kind === 'item').map((h) => h.item_id!);
  const ask = async (text: string) => (await post('/search/question', { text })).body as { chips: Chip[]; keywords: string[]; audience?: string; relation?: string; text: string; not_understood: string[]; notices: string[] };
  const match = async (facts: { field: string; value: unknown }[], extra: object = {}, token?: string) =>
    (await post('/search/question/match', { facts, ...extra }, token)) as { status: number; body: { eligible: Matched[]; undetermined: Matched[]; counts: Record<string, number>; profile: { used: boolean; fields: number }; ignored: { field: string }[] } };
  const chipsOf = (chips: Chip[]) => chips.map(({ field, value }) => ({ field, value }));
  const all = (b: { eligible: Matched[]; undetermined: Matched[] }) => [...b.eligible, ...b.undetermined];

  beforeAll(async () => {
    env = await testEnv(kind);
    env.clock.now = new Date(TODAY);
    const docs = demoCatalogue().documents.filter((d) => d.id !== HELD_BACK);
    await env.db.tx((q) => importDocuments(env.ctx, q, docs, { status: 'published', enqueueMatch: false }));
    for (const [u, role] of [['clerk', 'clerk'], ['approver', 'approver']] as const) {
      await addUser(env, u, role, { department: 'lc-rsj' });
      tok[u] = await env.login(u);
    }
    // The held-back document's items are drafts: not public, not searchable.
    const r = await env.app.inject({ method: 'POST', url: '/api/v1/items', headers: bearer(tok.clerk), payload: { yaml: demoYaml(HELD_BACK) } });
    expect(r.statusCode).toBe(201);
  });
  afterAll(() => env.close());

  it('finds an item once it is published, in this process and in another one on the same database, and loses it when withdrawn', async () => {
    // Another server process: its own context, so its own index.
    const other = await buildApp(createCtx(testConfig(), env.db, () => new Date(env.clock.now)), { logger: false });
    try {
      expect(itemIds((await search('稳岗返还')).body)).not.toContain('lc-rsj-wgfh');
      expect(itemIds((await search('稳岗返还', '', other)).body)).not.toContain('lc-rsj-wgfh');
      for (const [who, step] of [['clerk', 'submit'], ['approver', 'approve'], ['approver', 'publish']] as const)
        expect((await post(`/items/lc-rsj-wgfh/${step}`, {}, tok[who])).status).toBe(200);
      for (const app of [env.app, other]) {
        const r = await search('稳岗返还', '&kind=item', app);
        expect(r.body.hits[0]).toMatchObject({ kind: 'item', item_id: 'lc-rsj-wgfh', title: '失业保险稳岗返还', document_id: HELD_BACK });
        expect(r.body.hits[0].title_marks).toEqual([[4, 8]]);
      }
      expect((await post('/items/lc-rsj-wgfh/withdraw', { reason: '政策调整' }, tok.approver)).status).toBe(200);
      for (const app of [env.app, other]) expect(itemIds((await search('稳岗返还', '', app)).body)).not.toContain('lc-rsj-wgfh');
      // Its document goes too: its other item is still a draft, so nothing of it is in force.
      expect((await search('失业保险稳岗返还', '&kind=document')).body.hits.map((h: Hit) => h.document_id)).not.toContain(HELD_BACK);
    } finally {
      await other.close();
    }
  });

  it('drops an item from search on the day after its end, before the expiry job has run', async () => {
    expect(itemIds((await search('以旧换新', '&size=50')).body)).toContain('lc-swj-yjhx-jd');
    try {
      env.clock.now = new Date('2026-01-01T02:00:00Z'); // 以旧换新 ran until 2025-12-31
      const r = await search('以旧换新', '&size=50');
      expect(itemIds(r.body).filter((id) => id.startsWith('lc-swj-yjhx'))).toEqual([]);
      expect(r.body.date).toBe('2026-01-01');
    } finally {
      env.clock.now = new Date(TODAY);
    }
    expect(itemIds((await search('以旧换新', '&size=50')).body)).toContain('lc-swj-yjhx-jd');
  });

  it('filters by department, region, audience, mode, industry, amount and open now, with facets over every hit', async () => {
    const base = (await search('补贴', '&size=50')).body;
    expect(base.total).toBeGreaterThan(10);
    expect(base.facets.kind.item + base.facets.kind.document).toBe(base.total);
    const byDept = base.facets.department as { value: string; count: number; label: string; label_en: string }[];
    expect(byDept.reduce((s, d) => s + d.count, 0)).toBe(base.facets.kind.item);
    expect(byDept.find((d) => d.value === 'lc-mzj')?.label).toBe('聊城市民政局');
    // English labels are names, never the code (QA 8).
    expect(byDept.find((d) => d.value === 'lc-mzj')).toMatchObject({ label_en: 'Liaocheng Bureau of Civil Affairs' });
    for (const d of byDept) expect(d.label_en).not.toBe(d.value);

    const mzj = (await search('补贴', '&department=lc-mzj&kind=item&size=50')).body;
    expect(mzj.total).toBe(byDept.find((d) => d.value === 'lc-mzj')!.count);
    expect(mzj.hits.every((h: Hit) => h.departments.some((d) => d.code === 'lc-mzj'))).toBe(true);

    const shen = itemIds((await search('救助', '&region=371522&kind=item&size=50')).body);
    expect(shen).toContain('sx-jyj-jyjz');
    const linqing = itemIds((await search('救助', '&region=371581&kind=item&size=50')).body);
    expect(linqing).not.toContain('sx-jyj-jyjz');
    expect(linqing).toContain('lq-mzj-qnjz');

    const people = (await search('补贴', '&audience=person&kind=item&size=50')).body.hits as Hit[];
    expect(people.length).toBeGreaterThan(0);
    expect(people.every((h) => h.audience === 'person')).toBe(true);
    const auto = (await search('补贴', '&mode=auto&kind=item&size=50')).body.hits as Hit[];
    expect(auto.every((h) => h.mode === 'auto')).toBe(true);
    expect(auto.length).toBe(base.facets.mode.find((m: { value: string }) => m.value === 'auto')?.count);

    // Bearings (division 34): the 临清 bearing items, no item for people.
    const bearing = (await search('补贴', '&industry=34&kind=item&size=50')).body.hits as Hit[];
    expect(bearing.map((h) => h.item_id)).toContain('lq-gxj-zc-jigai');
    expect(bearing.every((h) => h.audience === 'enterprise')).toBe(true);

    const rich = (await search('奖励', '&amount_min=1000000&kind=item&size=50')).body.hits as Hit[];
    expect(rich.length).toBeGreaterThan(0);
    expect(rich.every((h) => h.amount_max === null || h.amount_max! >= 1_000_000)).toBe(true);
    const open = (await search('补贴', '&open_now=true&size=50')).body;
    expect(open.facets.kind.item).toBe(base.facets.open_now);
    expect(open.facets.kind.item).toBeLessThanOrEqual(base.facets.kind.item);
  });

  it('highlights safely: escaped HTML with <mark> only, and ranges of the plain text that hold the words', async () => {
    const r = (await search('残障补助', '&kind=item')).body;
    const top = r.hits[0] as Hit;
    expect(top.snippet_html).toMatch(/<mark>/);
    expect(top.snippet_html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    for (const [a, b] of top.snippet_marks) expect(['残疾', '残疾人', '补助', '补贴', '残障', '资金', '奖补', '津贴']).toContain(top.snippet.slice(a, b));
    expect(r.terms.find((t: { word: string }) => t.word === '残障').also).toContain('残疾人');
    expect(marksOf('A&amp;B &lt;x&gt; <mark>稳岗</mark>返还')).toEqual({ text: 'A&B <x> 稳岗返还', marks: [[8, 10]] });
    expect(r.took_ms).toBeGreaterThanOrEqual(0);
  });

  it('suggests titles and words as the user types: Chinese prefix, pinyin, initials', async () => {
    const s = async (q: string) => (await get(`/search/suggest?q=${encodeURIComponent(q)}`)).body.suggestions as { text: string; kind: string; item_id?: string }[];
    expect((await s('高龄'))[0]).toMatchObject({ text: '高龄津贴（含百岁老人长寿补贴）', kind: 'title', item_id: 'lc-mzj-gljt' });
    expect((await s('gljt'))[0].item_id).toBe('lc-mzj-gljt');
    expect((await s('gaoling'))[0].item_id).toBe('lc-mzj-gljt');
    expect((await s('专精')).map((x) => x.text).join(' ')).toContain('专精特新');
  });

  it('reads "我是东昌府区一家做轴承的小微企业，有什么补贴？" into chips, and a corrected place changes the answer', async () => {
    const q = await ask('我是东昌府区一家做轴承的小微企业，有什么补贴？');
    expect(q.audience).toBe('enterprise');
    const chip = (f: string) => q.chips.find((c) => c.field === f)!;
    expect(chip('region')).toMatchObject({ value: '371502', label_zh: '所在地', value_label: '东昌府区', value_label_en: 'Dongchangfu District', source_text: '东昌府区' });
    expect(chip('industry_division')).toMatchObject({ value: '34', value_label: '通用设备制造业', source_text: '轴承' });
    expect(chip('key_chain')).toMatchObject({ value: 'bearing', source_text: '轴承' });
    expect(chip('size_class')).toMatchObject({ value: ['small', 'micro'], label_en: expect.any(String), source_text: '小微企业' });
    expect(q.keywords).toContain('补贴');

    const m = await match(chipsOf(q.chips), { keywords: q.keywords });
    expect(m.status).toBe(200);
    const ids = all(m.body).map((x) => x.item_id);
    // For small firms of 东昌府区: the tax halving and the small-firm guaranteed-loan subsidy.
    expect(ids.slice(0, 5)).toEqual(expect.arrayContaining(['lc-sws-liushui-lianfei', 'lc-rsj-cydb-xw']));
    const open = m.body.undetermined.find((x) => x.item_id === 'lc-rsj-cydb-xw')!;
    expect(open.missing.length).toBeGreaterThan(0);
    expect(open.add_zh).toMatch(/^请补充：/);
    // 临清's bearing-cluster items are for firms in 临清: not this one's.
    expect(ids.filter((id) => id.startsWith('lq-'))).toEqual([]);
    expect(m.body.counts.ineligible).toBeGreaterThan(0);
    expect(m.body.counts.other_audience).toBeGreaterThan(0);

    // The user corrects the place: a bearing maker in 临清 is shown 临清's bearing items.
    const moved = await match(chipsOf(q.chips).map((c) => (c.field === 'region' ? { ...c, value: '371581' } : c)), { keywords: q.keywords });
    expect(all(moved.body).map((x) => x.item_id)).toEqual(expect.arrayContaining(['lq-gxj-zc-jigai']));
  });

  it('reads "我父亲85岁，住在莘县，有什么待遇？": 高龄津贴 asks for the 户籍; naming it makes him eligible', async () => {
    const q = await ask('我父亲85岁，住在莘县，有什么待遇？');
    expect(q).toMatchObject({ audience: 'person', relation: 'father' });
    expect(q.chips.find((c) => c.field === 'age')).toMatchObject({ value: 85, label_zh: '年龄', label_en: 'age', value_label: '85岁', source_text: '85岁', span: [3, 6] });
    expect(q.chips.find((c) => c.field === 'region')).toMatchObject({ value: '371522', source_text: '莘县' });
    expect(q.chips.find((c) => c.field === 'sex')).toMatchObject({ value: 'm' });

    const m = await match(chipsOf(q.chips), { keywords: q.keywords });
    const gljt = m.body.undetermined.find((x) => x.item_id === 'lc-mzj-gljt')!;
    expect(gljt).toBeDefined();
    expect(gljt.missing.map((x) => x.label_zh)).toContain('户籍所在地');
    expect(gljt.add_zh).toContain('户籍所在地');
    expect(m.body.undetermined.slice(0, 3).map((x) => x.item_id)).toContain('lc-mzj-gljt');

    // The chip the item asked for: his 户口 is in 莘县 too.
    const fixed = await match([...chipsOf(q.chips), { field: 'hukou_region', value: '371522' }], { keywords: q.keywords });
    const now = fixed.body.eligible.find((x) => x.item_id === 'lc-mzj-gljt')!;
    expect(now).toBeDefined();
    expect(Number(now.amount)).toBeGreaterThan(0);
    // At 50 the allowance is out of reach, whatever is added.
    const young = await match(chipsOf(q.chips).map((c) => (c.field === 'age' ? { ...c, value: 50 } : c)), { keywords: q.keywords });
    expect(all(young.body).map((x) => x.item_id)).not.toContain('lc-mzj-gljt');
  });

  it('merges the chips over a resident\'s own profile when asked, and says so', async () => {
    const entity = (await env.db.query<{ id: string }>(
      `INSERT INTO entities (kind, key_hash, facts) VALUES ('person', 'search-resident', $1) RETURNING id::text AS id`,
      [JSON.stringify({ hukou_region: '371522', region: '371522', alive: true })],
    )).rows[0].id;
    await addUser(env, 'resident', 'resident', { entity_id: entity });
    tok.resident = await env.login('resident');
    const chips = [{ field: 'audience', value: 'person' }, { field: 'age', value: 85 }];
    const plain = await match(chips, {}, tok.resident);
    expect(plain.body.profile.used).toBe(false);
    expect(plain.body.eligible.map((x) => x.item_id)).not.toContain('lc-mzj-gljt');
    const merged = await match(chips, { use_profile: true }, tok.resident);
    expect(merged.body.profile).toMatchObject({ used: true, entity_id: entity, fields: 3 });
    expect(merged.body.eligible.map((x) => x.item_id)).toContain('lc-mzj-gljt');
    // Anonymous callers have no profile to merge.
    expect((await match(chips, { use_profile: true })).body.profile.used).toBe(false);
  });

  it('masks an ID number or mobile number in a question, uses none of it, and never logs the question', async () => {
    const id = makeIdNumber('371522', '1940-03-01', 3);
    const text = `我父亲身份证${id}，电话13912345678，85岁，住在莘县`;
    const q = await post('/search/question', { text });
    expect(q.status).toBe(200);
    expect(q.raw).not.toContain(id);
    expect(q.raw).not.toContain('13912345678');
    expect(q.body.text).toBe(`我父亲身份证${id.slice(0, 6)}********${id.slice(-4)}，电话139****5678，85岁，住在莘县`);
    expect(q.body.notices).toHaveLength(2);
    expect(q.body.chips.map((c: Chip) => c.field)).not.toContain('employees');
    expect(q.body.keywords.join('')).not.toMatch(/\d{4}/);
    expect(maskPersonal('１３９１２３４５６７８').masked).toBe('１３９****５６７８');

    const logs = captureLogs('search');
    const logged = await buildApp(createCtx(testConfig({ logLevel: 'info' }), env.db, () => new Date(env.clock.now)), { logStream: logs });
    try {
      await logged.inject({ method: 'POST', url: '/api/v1/search/question', payload: { text } });
      await logged.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent('高龄津贴')}` });
      await logged.inject({ method: 'POST', url: '/api/v1/search/question/match', payload: { facts: [{ field: 'age', value: 85 }, { field: 'region', value: '371522' }] } });
    } finally {
      await logged.close();
    }
    const out = logs.text();
    expect(out).toContain('/api/v1/search/question');
    for (const secret of [id, '13912345678', '85岁', '莘县', '高龄', encodeURIComponent('高龄津贴')]) expect(out).not.toContain(secret);
  });

  it('answers bad input with 400 naming the field', async () => {
    const field = async (r: Promise<{ status: number; body: unknown }>) => {
      const x = (await r) as { status: number; body: { field?: string } };
      expect(x.status).toBe(400);
      return x.body.field;
    };
    expect(await field(get('/search?q='))).toBe('querystring.q');
    expect(await field(get('/search'))).toBe('querystring.q');
    expect(await field(get('/search?q=%20%20'))).toBe('q');
    expect(await field(get('/search?q=补贴&audience=martian'))).toBe('querystring.audience');
    expect(await field(get('/search?q=补贴&mode=fax'))).toBe('querystring.mode');
    expect(await field(get('/search?q=补贴&department=lc-nowhere'))).toBe('department');
    expect(await field(get('/search?q=补贴&region=999999'))).toBe('region');
    expect(await field(get('/search?q=补贴&industry=ZZ'))).toBe('industry');
    expect(await field(get('/search?q=补贴&amount_min=5&amount_max=1'))).toBe('amount_min');
    expect(await field(get('/search/suggest?q='))).toBe('querystring.q');
    expect(await field(post('/search/question', { text: '我'.repeat(501) }))).toBe('body.text');
    expect(await field(post('/search/question', { text: '' }))).toBe('body.text');
    expect(await field(post('/search/question', { text: '   ' }))).toBe('text');
    expect(await field(match([{ field: 'audience', value: 'person' }, { field: 'shoe_size', value: 42 }]))).toBe('facts[1].field');
    expect(await field(match([{ field: 'region', value: '999999' }]))).toBe('facts[0].value');
    expect(await field(match([{ field: 'size_class', value: ['small', 'gigantic'] }]))).toBe('facts[0].value');
    expect(await field(match([{ field: 'age', value: 300 }]))).toBe('facts[0].value');
    expect(await field(match([{ field: 'id_number', value: makeIdNumber('371522', '1940-03-01', 3) }]))).toBe('facts[0].field');
  });

  it('answers the judged set through the service exactly as the library does from the files', async () => {
    env.clock.now = new Date(TODAY);
    const cat = demoCatalogue();
    // The held-back document in force as the files have it: its draft published by import,
    // its withdrawn item back as version 2 through the review workflow.
    await env.db.tx((q) => importDocuments(env.ctx, q, cat.documents.filter((d) => d.id === HELD_BACK), { status: 'published', enqueueMatch: false }));
    expect((await post('/items', { document_id: HELD_BACK, item: asInput(demoItem('lc-rsj-wgfh')) }, tok.clerk)).status).toBe(201);
    for (const [who, step] of [['clerk', 'submit'], ['approver', 'approve'], ['approver', 'publish']] as const)
      expect((await post(`/items/lc-rsj-wgfh/${step}`, {}, tok[who])).status).toBe(200);
    const answer = async (jq: JudgedQuery): Promise<string[]> => {
      if (jq.type !== 'question') return itemIds((await search(jq.query, '&kind=item&size=10')).body);
      const q = await ask(jq.query);
      const m = await match(chipsOf(q.chips), { keywords: q.keywords, size: 10 });
      return all(m.body).slice(0, 10).map((x) => x.item_id);
    };
    const files = evaluateJudged(judged, buildSearchIndex(cat.documents, env.ctx.dict), cat.items, env.ctx.dict);
    const served: { id: string; top: string[] }[] = [];
    for (const jq of judged.queries) served.push({ id: jq.id, top: await answer(jq) });
    expect(served).toEqual(files.results.map((r) => ({ id: r.id, top: r.top })));
    const mean = (f: (top: string[], rel: Record<string, number>) => number) => served.reduce((s, r, i) => s + f(r.top, judged.queries[i].relevant), 0) / served.length;
    expect(mean(ndcgAt)).toBeCloseTo(files.ndcg10, 12);
    expect(mean(recallAt)).toBeCloseTo(files.recall10, 12);
    expect(files.ndcg10).toBeGreaterThanOrEqual(0.95);
  });

  it('sees the expiry job\'s change of status as a new catalogue version', async () => {
    env.clock.now = new Date('2026-01-01T02:00:00Z');
    try {
      const before = (await search('以旧换新', '&size=50')).body;
      const r = await expireDue(env.ctx);
      expect(r.expired.map((x) => x.item_id)).toEqual(expect.arrayContaining(['lc-swj-yjhx-jd']));
      const after = (await search('以旧换新', '&size=50')).body;
      expect(after.catalogue.version).not.toBe(before.catalogue.version);
      expect(after.catalogue.items).toBe(before.catalogue.items);
      expect(itemIds(after).filter((id) => id.startsWith('lc-swj-yjhx'))).toEqual([]);
    } finally {
      env.clock.now = new Date(TODAY);
    }
  });
});
