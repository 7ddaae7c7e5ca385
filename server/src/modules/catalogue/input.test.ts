import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { asInput, demoItem, demoYaml } from './fixtures.ts';

// Bad drafts are 400s that say what is wrong and where: line:col in a policy file,
// item.<path>[:line:col] in JSON. Never a 5xx, never a half-saved draft.
describe.each(DATABASES)('catalogue draft input on %s', (kind) => {
  let env: TestEnv;
  let clerk: string;
  const post = async (payload: object) => {
    const r = await env.app.inject({ method: 'POST', url: '/api/v1/items', headers: bearer(clerk), payload });
    return { status: r.statusCode, body: r.json() };
  };
  const item = (over: Record<string, unknown>) => ({ document_id: 'lc-rsj-2025-wgkg', item: { ...asInput(demoItem('lc-rsj-kgbz')), ...over } });
  const versions = async () => Number((await env.db.query<{ n: string }>('SELECT count(*)::text AS n FROM item_versions')).rows[0].n);

  beforeAll(async () => {
    env = await testEnv(kind);
    await addUser(env, 'clerk-rsj', 'clerk', { department: 'lc-rsj' });
    clerk = await env.login('clerk-rsj');
    // the document exists, with one item drafted from the file
    const doc = demoYaml('lc-rsj-2025-wgkg');
    const wgfhOnly = doc.slice(0, doc.indexOf('\n  - id: lc-rsj-kgbz'));
    expect((await post({ yaml: wgfhOnly })).status).toBe(201);
  });
  afterAll(() => env.close());

  it('names the line and column of a YAML syntax error', async () => {
    const r = await post({ yaml: 'document:\n  id: lc-rsj-x\n  title: [unclosed\nitems: []\n' });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('YAML 格式错误');
    expect(r.body.field).toMatch(/^\d+:\d+$/);
  });

  it('names the line and column of an unknown field in a rule of a policy file', async () => {
    const text = demoYaml('lc-rsj-2025-wgkg').replace('and ui_paid_months >= $min_paid_months', 'and ui_paid_monts >= $min_paid_months');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('ui_paid_monts')) + 1;
    const col = lines[line - 1].indexOf('ui_paid_monts') + 1;
    const r = await post({ yaml: text });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe(`${line}:${col}`);
    expect(r.body.message).toContain('ui_paid_monts');
    expect(r.body.message).toContain('ui_paid_months'); // the suggestion
  });

  it('places errors inside JSON rule text at item.eligibility:line:col', async () => {
    const unknown = await post(item({ eligibility: 'ui_insured_local = true\nand new_grad_hires >= 1' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'BAD_INPUT', field: 'item.eligibility:2:5' });
    expect(unknown.body.message).toContain('new_grad_hires');
    const syntax = await post(item({ amount: 'new_graduate_hires * ' }));
    expect(syntax.body.field).toMatch(/^item\.amount:1:\d+$/);
    const typed = await post(item({ amount: 'ui_insured_local' }));
    expect(typed.body).toMatchObject({ field: 'item.amount:1:1' });
    expect(typed.body.message).toContain('金额公式应为数值');
  });

  it('refuses wrong dates with the field named', async () => {
    expect((await post(item({ valid_from: '2025-02-30' }))).body).toMatchObject({ code: 'BAD_INPUT', field: 'item.valid_from' });
    expect((await post(item({ valid_from: '2025/01/01' }))).body).toMatchObject({ code: 'BAD_INPUT', field: 'body.item.valid_from' });
    expect((await post(item({ valid_from: '2025-06-01', valid_to: '2025-01-31' }))).body).toMatchObject({ field: 'item.valid_to' });
    const yaml = demoYaml('lc-rsj-2025-wgkg').replace('valid_to: 2025-12-31', 'valid_to: 2025-13-01');
    const r = await post({ yaml });
    expect(r.status).toBe(400);
    expect(r.body.field).toMatch(/^\d+:\d+$/);
  });

  it('names the region, the case fact and the malformed rule tree', async () => {
    expect((await post(item({ region_scope: ['371500', '37150X'] }))).body).toMatchObject({ field: 'item.region_scope[1]' });
    const cases = structuredClone(demoItem('lc-rsj-kgbz').cases);
    cases[1].facts.new_graduate_hires = 'one';
    const fact = await post(item({ cases }));
    expect(fact.body.field).toBe('item.cases[1].facts.new_graduate_hires');
    expect(fact.body.message).toContain(cases[1].name);
    const tree = await post(item({ eligibility: { op: 'cmp', cmp: '>=', left: { op: 'field', name: 'new_graduate_hires' } } }));
    expect(tree.body).toMatchObject({ code: 'BAD_INPUT', field: 'item.eligibility' });
    expect(tree.body.message).toContain('规则语法树结构无效');
    expect((await post(item({ eligibilty: 'true' }))).body).toMatchObject({ code: 'BAD_INPUT' });
  });

  it('refuses an item of a department that did not issue the document, and a body with both forms', async () => {
    expect((await post(item({ department: 'lc-mzj' }))).status).toBe(403);
    expect((await post({ ...item({}), yaml: demoYaml('lc-rsj-2025-wgkg') })).body).toMatchObject({ code: 'BAD_INPUT', field: 'item' });
    expect((await post({ item: asInput(demoItem('lc-rsj-kgbz')) })).body).toMatchObject({ code: 'BAD_INPUT', field: 'document_id' });
  });

  it('saved nothing from the refused drafts, and accepts a rule given as a tree', async () => {
    expect(await versions()).toBe(1);
    const ast = demoItem('lc-rsj-kgbz');
    const r = await post({ document_id: 'lc-rsj-2025-wgkg', item: { ...asInput(ast), eligibility: ast.eligibility, amount: ast.amount } });
    expect(r.status).toBe(201);
    const v = await env.app.inject({ method: 'GET', url: '/api/v1/items/lc-rsj-kgbz/versions/1', headers: bearer(clerk) });
    expect(v.json().rule.eligibility_text).toBe('legal_form in ["company", "social_org"]\nand ui_insured_local = true\nand new_graduate_hires >= $min_hires');
    expect(JSON.stringify(v.json().body.eligibility)).not.toContain('"loc"');
  });
});
