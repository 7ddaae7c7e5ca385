import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { verifyAudit } from '../audit/audit.ts';
import { asInput, demoItem, demoYaml } from './fixtures.ts';

describe.each(DATABASES)('catalogue review workflow on %s', (kind) => {
  let env: TestEnv;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const call = async (who: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const r = await env.app.inject({ method, url: `/api/v1${url}`, ...(who ? { headers: bearer(tok[who]) } : {}), ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: r.statusCode, body: r.json() };
  };
  const step = (who: string, id: string, action: string, payload: object = {}) => call(who, 'POST', `/items/${id}/${action}`, payload);
  const audit = async (subject: string) =>
    (await env.db.query<{ action: string; outcome: string; actor: string }>('SELECT action, outcome, actor FROM audit_log WHERE subject = $1 ORDER BY id', [subject])).rows;
  const matchJobs = async (id: string) =>
    (await env.db.query<{ payload: { item_id: string; version: number }; idempotency_key: string }>("SELECT payload, idempotency_key FROM jobs WHERE queue = 'match.item' AND payload->>'item_id' = $1 ORDER BY id", [id])).rows;

  beforeAll(async () => {
    env = await testEnv(kind);
    for (const [u, role, department] of [['clerk-rsj', 'clerk', 'lc-rsj'], ['approver-rsj', 'approver', 'lc-rsj'], ['approver-rsj2', 'approver', 'lc-rsj']] as const) {
      ids[u] = await addUser(env, u, role, { department });
      tok[u] = await env.login(u);
    }
    // The clerk uploads the human-resources policy file: one draft per item.
    const r = await call('clerk-rsj', 'POST', '/items', { yaml: demoYaml('lc-rsj-2025-wgkg') });
    expect(r.status).toBe(201);
    expect(r.body.versions.map((v: { item_id: string; version: number; status: string }) => [v.item_id, v.version, v.status])).toEqual([
      ['lc-rsj-wgfh', 1, 'draft'],
      ['lc-rsj-kgbz', 1, 'draft'],
    ]);
  });
  afterAll(() => env.close());

  it('takes a draft through submitted and approved to published, audited at every step', async () => {
    expect((await call(null, 'GET', '/items/lc-rsj-wgfh')).status).toBe(404);
    // a bare POST, no body: the step acts on the latest version
    const bare = await env.app.inject({ method: 'POST', url: '/api/v1/items/lc-rsj-wgfh/submit', headers: bearer(tok['clerk-rsj']) });
    expect(bare.json()).toMatchObject({ status: 'submitted', submitted_by: ids['clerk-rsj'] });
    expect((await step('approver-rsj', 'lc-rsj-wgfh', 'approve')).body).toMatchObject({ status: 'approved', approved_by: ids['approver-rsj'] });
    const pub = await step('approver-rsj', 'lc-rsj-wgfh', 'publish');
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ item_id: 'lc-rsj-wgfh', version: 1, status: 'published' });
    expect(pub.body.match_job_id).toMatch(/^\d+$/);

    const item = await call(null, 'GET', '/items/lc-rsj-wgfh');
    expect(item.status).toBe(200);
    expect(item.body).toMatchObject({ published_version: 1, draft: null, current: { version: 1, status: 'published' } });
    expect(item.body.current.rule.eligibility_text).toContain('ui_paid_months >= $min_paid_months');
    expect(item.body.current.rule.eligibility_zh).toContain('上年度失业保险足额缴费月数 ≥ 12 个月');
    expect(item.body.current.rule.region_names).toEqual(['聊城市']);
    expect(item.body.current.rule.region_names_en).toEqual(['Liaocheng City']);

    expect((await audit('item:lc-rsj-wgfh@1')).map((a) => [a.action, a.outcome])).toEqual([
      ['item.create', 'ok'], ['item.submit', 'ok'], ['item.approve', 'ok'], ['item.publish', 'ok'],
    ]);
    expect(await matchJobs('lc-rsj-wgfh')).toEqual([{ payload: { item_id: 'lc-rsj-wgfh', version: 1, previous_version: null }, idempotency_key: 'match.item:lc-rsj-wgfh:1' }]);
  });

  it('publishes version 2 over version 1, which is superseded, and the diff shows the lowered threshold', async () => {
    const v2 = demoItem('lc-rsj-wgfh');
    v2.params.find((p) => p.name === 'min_paid_months')!.versions[0].value = { kind: 'num', value: '6' };
    const short = v2.cases.find((c) => c.name === '缴费不足12个月')!;
    short.name = '缴费不足6个月';
    short.facts.ui_paid_months = 5;
    const created = await call('clerk-rsj', 'POST', '/items', { document_id: 'lc-rsj-2025-wgkg', item: asInput(v2) });
    expect(created.status).toBe(201);
    expect(created.body.versions[0]).toMatchObject({ version: 2, status: 'draft' });
    // staff see the draft next to the version in force; the public does not
    expect((await call('clerk-rsj', 'GET', '/items/lc-rsj-wgfh')).body).toMatchObject({ current: { version: 1 }, draft: { version: 2, status: 'draft' } });
    expect((await call(null, 'GET', '/items/lc-rsj-wgfh')).body.draft).toBeNull();
    await step('clerk-rsj', 'lc-rsj-wgfh', 'submit', { version: 2 });
    await step('approver-rsj2', 'lc-rsj-wgfh', 'approve', { version: 2 });
    expect((await step('approver-rsj2', 'lc-rsj-wgfh', 'publish', { version: 2 })).status).toBe(200);

    const versions = await call(null, 'GET', '/items/lc-rsj-wgfh/versions');
    expect(versions.body.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[1, 'superseded'], [2, 'published']]);
    expect(versions.body[0].ended_at).not.toBeNull();
    const pub = await call(null, 'GET', '/items/lc-rsj-wgfh');
    expect(pub.body.current.rule.eligibility_zh).toContain('上年度失业保险足额缴费月数 ≥ 6 个月');

    const diff = await call(null, 'GET', '/items/lc-rsj-wgfh/diff?from=1&to=2');
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: 1, to: 2, identical: false, eligibility: null, amount: null, fields: [] });
    expect(diff.body.params).toEqual([
      { name: 'min_paid_months', change: 'changed', label: '上年度足额缴费月数下限', fields: [], versions: [{ from: '2023-01-01', change: 'changed', before: '12〔聊人社字〔2025〕12号〕', after: '6〔聊人社字〔2025〕12号〕' }] },
    ]);
    expect(diff.body.cases).toEqual({ added: ['缴费不足6个月'], removed: ['缴费不足12个月'], changed: [] });
    expect(diff.body.zh).toContain('参数 $min_paid_months（上年度足额缴费月数下限）：2023-01-01 起 12〔聊人社字〔2025〕12号〕 → 6〔聊人社字〔2025〕12号〕');
    // without from/to: the newest version against the one before
    expect((await call(null, 'GET', '/items/lc-rsj-wgfh/diff')).body).toMatchObject({ from: 1, to: 2 });
    expect((await matchJobs('lc-rsj-wgfh')).map((j) => j.payload)).toEqual([
      { item_id: 'lc-rsj-wgfh', version: 1, previous_version: null },
      { item_id: 'lc-rsj-wgfh', version: 2, previous_version: 1 },
    ]);
  });

  it('refuses to publish a version whose case fails, naming the case, and keeps it approved', async () => {
    const v2 = demoItem('lc-rsj-kgbz');
    v2.params.find((p) => p.name === 'per_hire')!.versions[0].value = { kind: 'num', value: '2000' };
    await call('clerk-rsj', 'PUT', '/items/lc-rsj-kgbz/draft', { item: asInput(v2) });
    await step('clerk-rsj', 'lc-rsj-kgbz', 'submit');
    await step('approver-rsj', 'lc-rsj-kgbz', 'approve');
    const r = await step('approver-rsj', 'lc-rsj-kgbz', 'publish');
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'CASES_FAILED', field: 'cases' });
    expect(r.body.message).toContain('「企业新招用4名高校毕业生」');
    expect(r.body.details.failures).toEqual([
      { case: '企业新招用4名高校毕业生', failures: ['金额应为 6000，实际为 8000 / amount: expected 6000, got 8000'] },
      { case: '社会组织招用1名登记失业青年', failures: ['金额应为 1500，实际为 2000 / amount: expected 1500, got 2000'] },
    ]);
    expect((await call('clerk-rsj', 'GET', '/items/lc-rsj-kgbz/versions/1')).body.status).toBe('approved');
    expect(await matchJobs('lc-rsj-kgbz')).toEqual([]);
    expect((await audit('item:lc-rsj-kgbz@1')).at(-1)).toMatchObject({ action: 'item.publish', outcome: 'failed' });
  });

  it('sends a version back with a reason; the author reworks and resubmits it', async () => {
    const back = await step('approver-rsj', 'lc-rsj-kgbz', 'reject', { reason: '补助标准须与文件一致' });
    expect(back.body).toMatchObject({ status: 'rejected', note: '补助标准须与文件一致' });
    expect((await step('approver-rsj', 'lc-rsj-kgbz', 'reject', {})).status).toBe(400);
    const fixed = await call('clerk-rsj', 'PUT', '/items/lc-rsj-kgbz/draft', { item: asInput(demoItem('lc-rsj-kgbz')) });
    expect(fixed.body).toMatchObject({ version: 1, status: 'draft', submitted_by: null, approved_by: null });
    await step('clerk-rsj', 'lc-rsj-kgbz', 'submit');
    await step('approver-rsj', 'lc-rsj-kgbz', 'approve');
    expect((await step('approver-rsj', 'lc-rsj-kgbz', 'publish')).body.status).toBe('published');
    // a published version is no draft: edits need a new version
    expect((await call('clerk-rsj', 'PUT', '/items/lc-rsj-kgbz/draft', { item: asInput(demoItem('lc-rsj-kgbz')) })).body).toMatchObject({ code: 'INVALID_STATE' });
  });

  it('applies the four-eyes rule: whoever wrote or submitted a version may not approve it', async () => {
    const v3 = demoItem('lc-rsj-wgfh');
    v3.title = '失业保险稳岗返还（2025年）';
    await call('approver-rsj', 'POST', '/items', { document_id: 'lc-rsj-2025-wgkg', item: asInput(v3) });
    expect((await step('approver-rsj', 'lc-rsj-wgfh', 'submit')).body.status).toBe('submitted');
    const own = await step('approver-rsj', 'lc-rsj-wgfh', 'approve');
    expect(own.status).toBe(403);
    expect(own.body.message).toContain('四眼原则');
    expect((await step('clerk-rsj', 'lc-rsj-wgfh', 'approve')).status).toBe(403);
    expect((await step('approver-rsj2', 'lc-rsj-wgfh', 'approve')).body.status).toBe('approved');
    expect((await audit('item:lc-rsj-wgfh@3')).map((a) => [a.action, a.outcome])).toContainEqual(['item.approve', 'denied']);
  });

  it('enqueues exactly one match job however often publication is retried', async () => {
    const [a, b] = await Promise.all([step('approver-rsj2', 'lc-rsj-wgfh', 'publish', { version: 3 }), step('approver-rsj2', 'lc-rsj-wgfh', 'publish', { version: 3 })]);
    const again = await step('approver-rsj', 'lc-rsj-wgfh', 'publish', { version: 3 });
    for (const r of [a, b, again]) expect(r.body).toMatchObject({ status: 'published', version: 3 });
    expect(new Set([a.body.match_job_id, b.body.match_job_id, again.body.match_job_id]).size).toBe(1);
    expect((await matchJobs('lc-rsj-wgfh')).filter((j) => j.payload.version === 3)).toHaveLength(1);
    expect((await audit('item:lc-rsj-wgfh@3')).filter((x) => x.action === 'item.publish')).toHaveLength(1);
  });

  it('withdraws the published version: it leaves the public catalogue', async () => {
    const r = await step('approver-rsj', 'lc-rsj-kgbz', 'withdraw', { reason: '政策调整，暂停执行' });
    expect(r.body).toMatchObject({ status: 'withdrawn', note: '政策调整，暂停执行' });
    expect((await call(null, 'GET', '/items/lc-rsj-kgbz')).status).toBe(404);
    expect((await call(null, 'GET', '/items')).body.items.map((i: { id: string }) => i.id)).toEqual(['lc-rsj-wgfh']);
    expect((await call('clerk-rsj', 'GET', '/items/lc-rsj-kgbz/versions')).body.map((v: { status: string }) => v.status)).toEqual(['withdrawn']);
  });

  it('keeps the audit chain intact', async () => {
    expect(await verifyAudit(env.db)).toMatchObject({ ok: true });
  });
});
