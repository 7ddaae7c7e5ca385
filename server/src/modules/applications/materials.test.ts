import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { MAX_MATERIAL_BYTES } from './materials.ts';
import { call, dibaoAid, ENTERPRISE_FACTS, EXE, OFD, PDF, PNG, publishItems, seedEntity, upload, wengang } from './fixtures.ts';

interface Materials {
  materials: { name: string; status: string; source_label: string | null; file: { id: string; sha256: string; type: string } | null }[];
}

describe.each(DATABASES)('application materials on %s', (kind) => {
  let env: TestEnv;
  let applicant: string;
  let reviewer: string;
  let outsider: string;
  let appId: string;

  beforeAll(async () => {
    env = await testEnv(kind);
    // The second enterprise's registry feed has not arrived: no uscc, so 营业执照 is uploaded.
    const noLicence = wengang({ id: 'app-test-nolicence', materials: [{ name: '营业执照', provided_by: 'uscc' }, { name: '章程', required: false }] });
    await publishItems(env.ctx, [wengang(), noLicence]);
    const { region, uscc, name, ...hrss } = ENTERPRISE_FACTS;
    const id = await seedEntity(env.ctx, 'enterprise', uscc, { region, uscc, name, ...hrss }, 'market');
    await addUser(env, 'm.applicant', 'enterprise', { entity_id: id });
    await addUser(env, 'm.clerk', 'clerk', { department: 'lc-rsj' });
    await addUser(env, 'm.outsider', 'approver', { department: 'lc-mzj' });
    [applicant, reviewer, outsider] = [await env.login('m.applicant'), await env.login('m.clerk'), await env.login('m.outsider')];
    appId = (await call(env, applicant, 'POST', '/api/v1/applications', { item_id: 'app-test-wengang' })).body.id;
  });
  afterAll(() => env.close());

  it('needs no upload for a material whose fact a source holds (零材料), and refuses one', async () => {
    const v = (await call(env, applicant, 'GET', `/api/v1/applications/${appId}`)).body as Materials;
    expect(v.materials.find((m) => m.name === '营业执照')).toMatchObject({ status: 'provided', file: null });
    const r = await upload(env, applicant, appId, '营业执照', 'licence.pdf', PDF);
    expect([r.status, r.body.field, r.body.message]).toEqual([400, 'material', expect.stringContaining('零材料')]);
  });

  it('asks for the material when the source does not hold the fact; optional ones are optional', async () => {
    const other = await seedEntity(env.ctx, 'enterprise', '91371500MA3C4X7Q2C', { region: '371502', ui_insured_local: true, ui_paid_months: 12, ui_premium_paid: 100 });
    await addUser(env, 'm.other', 'enterprise', { entity_id: other });
    const token = await env.login('m.other');
    const v = (await call(env, token, 'POST', '/api/v1/applications', { item_id: 'app-test-nolicence' })).body as Materials;
    expect(v.materials.map((m) => [m.name, m.status])).toEqual([['营业执照', 'missing'], ['章程', 'optional']]);
  });

  it('refuses an .exe renamed .pdf, naming the field and what the file is', async () => {
    const r = await upload(env, applicant, appId, '银行开户许可证', '开户许可证.pdf', EXE);
    expect([r.status, r.body.code, r.body.field]).toEqual([400, 'BAD_INPUT', 'file']);
    expect(r.body.message).toContain('可执行文件');
    expect(r.body.message).toContain('银行开户许可证');
  });

  it('refuses a file over 10 MB with 413, naming the field', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_MATERIAL_BYTES, 0x20)]);
    const r = await upload(env, applicant, appId, '银行开户许可证', 'big.pdf', big);
    expect([r.status, r.body.code, r.body.field]).toEqual([413, 'TOO_LARGE', 'file']);
    expect(r.body.message).toContain('10 MB');
  });

  it('refuses a material the item does not ask for, naming the materials it does', async () => {
    const r = await upload(env, applicant, appId, '户口簿', 'a.pdf', PDF);
    expect([r.status, r.body.field, r.body.message]).toEqual([400, 'material', expect.stringContaining('银行开户许可证')]);
  });

  it('stores an accepted file encrypted, replaces it on re-upload, and lets the reviewing department read it back', async () => {
    expect((await upload(env, applicant, appId, '银行开户许可证', 'scan.png', PNG)).status).toBe(200);
    const r = await upload(env, applicant, appId, '银行开户许可证', '许可证.ofd', OFD);
    expect(r.status).toBe(200);
    const file = (r.body as Materials).materials.find((m) => m.name === '银行开户许可证')!.file!;
    expect(file).toMatchObject({ type: 'ofd', sha256: createHash('sha256').update(OFD).digest('hex') });
    const rows = await env.db.query<{ replaced: boolean; content_enc: string }>('SELECT replaced_at IS NOT NULL AS replaced, content_enc FROM application_materials WHERE application_id = $1 ORDER BY id', [appId]);
    expect(rows.rows.map((x) => x.replaced)).toEqual([true, false]);
    expect(rows.rows[1].content_enc).not.toContain(OFD.toString('base64').slice(0, 40));

    // Reviewers see it once submitted; another department does not.
    await call(env, applicant, 'PUT', `/api/v1/applications/${appId}/form`, { fields: { layoff_rate: 0.01, bank_account: '6228480012345678' } });
    expect((await call(env, applicant, 'POST', `/api/v1/applications/${appId}/submit`)).status).toBe(200);
    const got = await env.app.inject({ method: 'GET', url: `/api/v1/applications/${appId}/materials/${file.id}`, headers: bearer(reviewer) });
    expect([got.statusCode, got.headers['content-type']]).toEqual([200, 'application/ofd']);
    expect(got.rawPayload.equals(OFD)).toBe(true);
    const denied = await env.app.inject({ method: 'GET', url: `/api/v1/applications/${appId}/materials/${file.id}`, headers: bearer(outsider) });
    expect(denied.statusCode).toBe(403);
    const audit = await env.db.query(`SELECT outcome FROM audit_log WHERE action = 'application.material.read' ORDER BY id`);
    expect(audit.rows).toEqual([{ outcome: 'ok' }, { outcome: 'denied' }]);
    // and no more uploads once it is under review
    expect((await upload(env, applicant, appId, '银行开户许可证', 'x.pdf', PDF)).status).toBe(409);
  });

  it('masks personal facts on a resident form, and the reviewer sees no personal value in the explanation', async () => {
    await publishItems(env.ctx, [dibaoAid()]);
    const person = await seedEntity(env.ctx, 'person', '371502199001010011', { region: '371502', birth_date: '1990-01-01', household_income_pc: 850 }, 'civil');
    await addUser(env, 'm.resident', 'resident', { entity_id: person });
    await addUser(env, 'm.mzj', 'clerk', { department: 'dcf-mzj' });
    const token = await env.login('m.resident');
    const started = await call(env, token, 'POST', '/api/v1/applications', { item_id: 'app-test-aid' });
    expect(started.status).toBe(201);
    const income = started.body.form.find((f: { field: string }) => f.field === 'household_income_pc');
    expect(income).toMatchObject({ value: '***', sensitive: true, source: 'civil' });
    expect(started.body.materials[0]).toMatchObject({ name: '居民身份证', status: 'provided' });
    await call(env, token, 'PUT', `/api/v1/applications/${started.body.id}/form`, { fields: { bank_account: '6228480012345678' } });
    expect((await call(env, token, 'POST', `/api/v1/applications/${started.body.id}/submit`)).status).toBe(200);
    const queue = await call(env, await env.login('m.mzj'), 'GET', '/api/v1/reviews');
    const text = JSON.stringify(queue.body);
    expect(queue.body.items[0].evidence.verdict.verdict).toBe('eligible');
    expect(text).toContain('家庭月人均收入');
    // The reviewer of the case's department sees the fact being decided on (the read is audited);
    // the explanation carries no personal value.
    const shown = queue.body.items[0].evidence.form.find((f: { field: string }) => f.field === 'household_income_pc');
    expect(shown).toMatchObject({ sensitive: true, value: expect.stringContaining('850') });
    expect(JSON.stringify(queue.body.items[0].evidence.verdict)).not.toContain('850');
    const reads = await env.db.query<{ detail: { fields: string[] } }>(`SELECT detail FROM audit_log WHERE action = 'application.personal.read' AND subject = $1`, [`application:${started.body.id}`]);
    expect(reads.rows.map((r) => r.detail.fields)).toEqual([expect.arrayContaining(['household_income_pc'])]);
    // elsewhere (the applicant's own view) it stays masked
    expect((await call(env, token, 'GET', `/api/v1/applications/${started.body.id}`)).body.form.find((f: { field: string }) => f.field === 'household_income_pc').value).toBe('***');
    expect(queue.body.items[0].application.applicant).not.toContain('1990');
  });
});
