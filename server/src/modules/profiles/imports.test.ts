import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeUscc, makeIdNumber } from '@kx/data';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { counts, multipart, population, toCsv, toNdjson, toXlsx } from './fixtures.ts';
import { importFile } from './imports.ts';
import { isSealed } from './sensitive.ts';

const USCC = completeUscc('91371502MA3C0001');
const wrongCheck = (code: string) => code.slice(0, -1) + (code.endsWith('1') ? '2' : '1');

describe.each(DATABASES)('imports on %s', (kind) => {
  let env: TestEnv;
  let admin: string;
  beforeAll(async () => {
    env = await testEnv(kind);
    await addUser(env, 'admin', 'admin');
    admin = await env.login('admin');
  });
  afterAll(() => env.close());

  it('rejects a file with bad rows, reporting each by row and field, and writes nothing', async () => {
    const csv = [
      'kind,key,name,employees,registered_on,size_class',
      `enterprise,${USCC},聊城甲公司,12,2020-03-01,small`,
      `enterprise,${wrongCheck(USCC)},聊城乙公司,5,2021-01-01,micro`,
      `enterprise,${completeUscc('91371502MA3C0002')},丙,many,2021-01-01,micro`,
      `enterprise,${completeUscc('91371502MA3C0003')},丁,3,2024-02-30,micro`,
      `enterprise,${completeUscc('91371502MA3C0004')},戊,3,2022-01-01,huge`,
    ].join('\n');
    const before = await counts(env.db);
    const up = multipart('bad.csv', csv);
    const r = await env.app.inject({ method: 'POST', url: '/api/v1/imports?source=tax&as_of=2025-06-01', headers: { ...bearer(admin), ...up.headers }, payload: up.payload });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body).toMatchObject({ status: 'rejected', rows_total: 5, rows_failed: 4, rows_ok: 1 });
    expect(body.report.map((l: { row: number; field: string }) => [l.row, l.field])).toEqual([
      [3, 'key'], [4, 'employees'], [5, 'registered_on'], [6, 'size_class'],
    ]);
    expect(body.report[0].message).toContain('校验位');
    expect(await counts(env.db)).toEqual(before);
    const again = await env.app.inject({ method: 'GET', url: `/api/v1/imports/${body.id}`, headers: bearer(admin) });
    expect(again.json()).toMatchObject({ status: 'rejected', as_of: '2025-06-01', report: body.report });
  });

  it('reports unknown fields: a header column at row 1, an NDJSON property on its line', async () => {
    const csv = await importFile(env.ctx, undefined, { source: 'hrss', format: 'csv', content: Buffer.from(`kind,key,employes\nenterprise,${USCC},3\n`) });
    expect(csv.report).toEqual([expect.objectContaining({ row: 1, field: 'employes' })]);
    const nd = [
      { kind: 'enterprise', key: USCC, facts: { employees: 3 } },
      { kind: 'enterprise', key: USCC, facts: { employes: 3 } },
      { kind: 'enterprise', key: USCC, facts: { employees: 3 }, extra: 1 },
    ].map((x) => JSON.stringify(x)).join('\n');
    const r = await importFile(env.ctx, undefined, { source: 'hrss', format: 'ndjson', content: Buffer.from(`${nd}\nnot json\n`) });
    expect(r.status).toBe('rejected');
    expect(r.report.map((l) => [l.row, l.field])).toEqual([[2, 'employes'], [3, 'extra'], [4, '']]);
  });

  it('applies a good file, and the same profiles again in CSV and XLSX change nothing', async () => {
    const profiles = population(30, 10);
    const before = await counts(env.db);
    const first = await importFile(env.ctx, undefined, { source: 'market', filename: 'pop.ndjson', content: toNdjson(profiles), asOf: '2025-06-30' });
    expect(first).toMatchObject({ status: 'applied', rows_total: 40, rows_ok: 40, stats: { entities_created: 40, entities_changed: 0 } });
    const after = await counts(env.db);
    expect(after.entities - before.entities).toBe(40);
    expect(after.jobs - before.jobs).toBe(40); // one re-match per new entity
    expect(after.facts - before.facts).toBe(first.stats.history_rows);
    for (const [filename, content] of [['pop.ndjson', toNdjson(profiles)], ['pop.csv', toCsv(profiles)], ['pop.xlsx', await toXlsx(profiles)]] as const) {
      const again = await importFile(env.ctx, undefined, { source: 'market', filename, content, asOf: '2025-06-30' });
      expect({ filename, status: again.status, stats: again.stats }).toMatchObject({ filename, status: 'applied', stats: { entities_created: 0, entities_changed: 0, history_rows: 0 } });
      expect(await counts(env.db)).toEqual(after);
    }
  });

  it('keeps personal fields as ciphertext in the rows themselves, and out of reports and the audit log', async () => {
    const id = makeIdNumber('371502', '1975-04-22', 88);
    const line = JSON.stringify({ kind: 'person', key: id, facts: { name: '杨国辉', household_income_pc: 1832.27, dibao: false } });
    const r = await importFile(env.ctx, undefined, { source: 'civil', format: 'ndjson', content: Buffer.from(line) });
    expect(r.status).toBe('applied');
    const e = await env.db.query<{ id: string; facts: Record<string, unknown>; display_name: string; key_hash: string }>(
      `SELECT id::text AS id, facts, display_name, key_hash FROM entities WHERE facts ? 'household_income_pc' AND display_name = '杨**'`,
    );
    expect(e.rows).toHaveLength(1);
    const row = e.rows[0];
    expect(isSealed(row.facts.id_number) && isSealed(row.facts.name) && isSealed(row.facts.household_income_pc)).toBe(true);
    expect(row.facts.dibao).toBe(false);
    expect(row.facts.birth_date).toBe('1975-04-22'); // derived from the ID number
    const hist = await env.db.query<{ field: string; value: unknown }>('SELECT field, value FROM facts WHERE entity_id = $1', [row.id]);
    for (const h of hist.rows.filter((x) => ['id_number', 'name', 'household_income_pc'].includes(x.field))) expect(isSealed(h.value)).toBe(true);
    const everywhere = await env.db.query<{ t: string }>(
      `SELECT (SELECT string_agg(e::text, '') FROM entities e) || (SELECT string_agg(f::text, '') FROM facts f) || (SELECT string_agg(a::text, '') FROM audit_log a)
              || (SELECT string_agg(i::text, '') FROM imports i) || (SELECT string_agg(j::text, '') FROM jobs j) AS t`,
    );
    for (const secret of [id, '杨国辉', '1832.27']) expect(everywhere.rows[0].t).not.toContain(secret);
  });

  it('applies rows about the same entity in file order, within a chunk and across chunks', async () => {
    const key = completeUscc('91371502MA3C0009');
    const rows = [12, 13, 13, 20, 21].map((n) => `enterprise,${key},${n}`);
    const r = await importFile(env.ctx, undefined, { source: 'stats', format: 'csv', chunkRows: 2, content: Buffer.from(`kind,key,employees\n${rows.join('\n')}\n`) });
    expect(r.stats).toMatchObject({ entities_created: 1 });
    const e = await env.db.query<{ id: string; version: number; facts: { employees: number } }>(`SELECT id::text AS id, version, facts FROM entities WHERE facts->>'uscc' = $1`, [key]);
    expect(e.rows[0]).toMatchObject({ version: 4, facts: { employees: 21 } });
    const h = await env.db.query<{ value: number }>(`SELECT value FROM facts WHERE entity_id = $1 AND field = 'employees' ORDER BY facts.id`, [e.rows[0].id]);
    expect(h.rows.map((x) => x.value)).toEqual([12, 13, 20, 21]);
  });

  it('lets a source token import for its own source only', async () => {
    const tok = (await env.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { name: '统计局', source: 'stats' } })).json().token as string;
    const up = multipart('s.csv', `kind,key,employees\nenterprise,${USCC},15\n`, { as_of: '2025-06-20' });
    const own = await env.app.inject({ method: 'POST', url: '/api/v1/sources/stats/imports', headers: { ...bearer(tok), ...up.headers }, payload: up.payload });
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ status: 'applied', source: 'stats', as_of: '2025-06-20' });
    expect((await env.app.inject({ method: 'GET', url: `/api/v1/sources/stats/imports/${own.json().id}`, headers: bearer(tok) })).statusCode).toBe(200);
    const other = await env.app.inject({ method: 'POST', url: '/api/v1/sources/tax/imports', headers: { ...bearer(tok), ...up.headers }, payload: up.payload });
    expect(other.statusCode).toBe(403);
    // a token is not an admin
    expect((await env.app.inject({ method: 'POST', url: '/api/v1/imports?source=stats', headers: { ...bearer(tok), ...up.headers }, payload: up.payload })).statusCode).toBe(403);
  });
});

describe.each(DATABASES)('imports with SM4 on %s', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv(kind, { config: { cipher: 'sm4-gcm' } });
  });
  afterAll(() => env.close());

  it('seals personal fields with SM4 and reads them back', async () => {
    const profiles = population(3, 0, 'sm4');
    const r = await importFile(env.ctx, undefined, { source: 'police', format: 'ndjson', content: toNdjson(profiles) });
    expect(r.status).toBe('applied');
    const e = await env.db.query<{ facts: { id_number: { enc: string } } }>('SELECT facts FROM entities ORDER BY entities.id LIMIT 1');
    expect(e.rows[0].facts.id_number.enc).toMatch(/^v1\.s\./);
    expect(JSON.parse(env.ctx.crypto.decrypt(e.rows[0].facts.id_number.enc))).toBe(profiles[0].facts.id_number);
  });
});
