import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { verifyAudit } from '../audit/audit.ts';
import { parseCsv, toCsv } from './csv.ts';
import { seedApplication, seedEntity, seedGrant, seedItem, settleOnClose } from './testing.ts';

const DEPT = 'lc-rsj';
const OTHER = 'lc-czj';
// Clear account numbers of the five payees: none may appear in any response but the export.
const ACCOUNTS = ['6228480012348888', '6217001234567890123', '6222020200112233', '6230580000123456', '6214830101234567'];
const AMOUNTS = ['1000.00', '2500.50', '300.00', '12000.00', '800.25'];

function multipart(filename: string, body: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----kxtest' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  return { payload: Buffer.concat([head, body, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(DATABASES)('payouts on %s', (kind) => {
  let env: TestEnv;
  let officer: string;
  let cases: { type: 'grant' | 'application'; id: string; account: string; amount: string }[];
  let batchId: string;
  let lines: { id: string; reference: string; amount: string; case_type: string; case_id: string; account: string; payee: string }[];

  const count = async (sql: string, params: unknown[] = []) => Number((await env.db.query<{ n: string }>(sql, params)).rows[0].n);
  const get = (url: string, token = officer) => env.app.inject({ method: 'GET', url, headers: bearer(token) });
  const upload = (id: string, filename: string, body: Buffer, token = officer) => {
    const m = multipart(filename, body);
    return env.app.inject({ method: 'POST', url: `/api/v1/payouts/batches/${id}/results`, payload: m.payload, headers: { ...m.headers, ...bearer(token) } });
  };

  beforeAll(async () => {
    env = await testEnv(kind);
    settleOnClose(env);
    await addUser(env, 'pay-rsj', 'payout', { department: DEPT });
    await addUser(env, 'pay-czj', 'payout', { department: OTHER });
    await addUser(env, 'boss', 'leader');
    await addUser(env, 'clerk-rsj', 'clerk', { department: DEPT });
    officer = await env.login('pay-rsj');
    const ctx = env.ctx;
    cases = await env.db.tx(async (q) => {
      await seedItem(q, 'rsj-auto', DEPT, { title: '一次性创业补贴' });
      await seedItem(q, 'rsj-apply', DEPT, { title: '稳岗返还', mode: 'online' });
      await seedItem(q, 'czj-auto', OTHER);
      const out: typeof cases = [];
      const names = ['张三丰', '欧阳娜娜', '李四', '聊城市东昌府区星光科技有限公司', '王五'];
      for (let i = 0; i < 5; i++) {
        const isFirm = i === 3;
        // the 5th applicant declared her account on the form; her profile holds an old one
        const e = await seedEntity(ctx, q, isFirm ? 'enterprise' : 'person', names[i], i === 4 ? '6200000000000000' : ACCOUNTS[i]);
        const id = i < 3 ? await seedGrant(q, e, 'rsj-auto', DEPT, AMOUNTS[i]) : await seedApplication(q, e, 'rsj-apply', DEPT, AMOUNTS[i], { declaredAccount: i === 4 ? { enc: ctx.crypto.encrypt(JSON.stringify(ACCOUNTS[4])) } : undefined });
        out.push({ type: i < 3 ? 'grant' : 'application', id, account: ACCOUNTS[i], amount: AMOUNTS[i] });
      }
      // not payable: another department's grant, a case without an account, one still in review
      await seedGrant(q, await seedEntity(ctx, q, 'person', '赵六', '6228000011112222'), 'czj-auto', OTHER, '99.00');
      await seedGrant(q, await seedEntity(ctx, q, 'person', '钱七'), 'rsj-auto', DEPT, '50.00');
      await seedApplication(q, await seedEntity(ctx, q, 'person', '孙八', '6228000033334444'), 'rsj-apply', DEPT, '70.00', { status: 'in_review' });
      return out;
    });
  });
  afterAll(() => env.close());

  it('batches the department’s approved applications and granted grants, with accounts masked', async () => {
    const r = await env.app.inject({ method: 'POST', url: '/api/v1/payouts/batches', headers: bearer(officer), payload: {} });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body.batch).toMatchObject({ department: DEPT, status: 'draft', line_count: 5, total_amount: '16600.75' });
    expect(body.skipped).toEqual([expect.objectContaining({ case_type: 'grant', reason: 'no_bank_account' })]);
    batchId = body.batch.id;
    const ls = await get(`/api/v1/payouts/batches/${batchId}/lines`);
    expect(ls.statusCode).toBe(200);
    lines = ls.json().items;
    expect(lines.map((l) => `${l.case_type}:${l.case_id}`)).toEqual(cases.map((c) => `${c.type}:${c.id}`));
    expect(lines[0].account).toBe('6228 **** **** 8888');
    expect(lines[1].account).toBe('6217 **** **** *** 0123');
    expect(lines[4].account).toBe('6214 **** **** 4567'); // the declared account, not the profile's
    expect(lines.map((l) => l.payee)).toEqual(['张**', '欧阳**', '李*', '聊城市东昌府区星光科技有限公司', '王*']);
    for (const a of ACCOUNTS) expect(ls.body + r.body).not.toContain(a);
    expect(await count(`SELECT count(*)::text AS n FROM grants WHERE status = 'batched'`)).toBe(3);
    expect(await count(`SELECT count(*)::text AS n FROM applications WHERE status = 'batched'`)).toBe(2);
    // nothing left to batch: a second batch is refused, not empty
    const again = await env.app.inject({ method: 'POST', url: '/api/v1/payouts/batches', headers: bearer(officer), payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('没有待拨付的案件');
  });

  it('keeps other departments and other roles out', async () => {
    const other = await env.login('pay-czj');
    expect((await get(`/api/v1/payouts/batches/${batchId}/export?format=csv`, other)).statusCode).toBe(403);
    expect((await get(`/api/v1/payouts/batches/${batchId}/lines`, other)).statusCode).toBe(403);
    expect((await get(`/api/v1/payouts/batches`, other)).json().items).toEqual([]);
    const clerk = await env.login('clerk-rsj');
    expect((await get(`/api/v1/payouts/batches/${batchId}`, clerk)).statusCode).toBe(403);
    const boss = await env.login('boss');
    expect((await get(`/api/v1/payouts/batches/${batchId}/lines`, boss)).statusCode).toBe(200);
    expect((await get(`/api/v1/payouts/batches/${batchId}/export?format=csv`, boss)).statusCode).toBe(403);
    expect(await count(`SELECT count(*)::text AS n FROM case_events WHERE event = 'batched'`)).toBe(0);
  });

  it('exports CSV with the accounts in clear — once moving the batch, every time audited', async () => {
    const r = await get(`/api/v1/payouts/batches/${batchId}/export?format=csv`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    const rows = parseCsv(r.rawPayload);
    expect(rows[0]).toEqual(['批次号', '明细号', '收款人', '收款账号', '金额', '参考号']);
    expect(rows.slice(1)).toEqual(lines.map((l, i) => [batchId, l.id, ['张三丰', '欧阳娜娜', '李四', '聊城市东昌府区星光科技有限公司', '王五'][i], ACCOUNTS[i], AMOUNTS[i], l.reference]));
    const batch = (await get(`/api/v1/payouts/batches/${batchId}`)).json();
    expect(batch).toMatchObject({ status: 'exported', file_format: 'csv', file_sha256: r.headers['x-content-sha256'] });
    expect(await count(`SELECT count(*)::text AS n FROM payout_lines WHERE batch_id = $1 AND status = 'exported'`, [batchId])).toBe(5);
    expect(await count(`SELECT count(*)::text AS n FROM case_events WHERE event = 'batched'`)).toBe(5);
    const audit = await env.db.query<{ actor: string; detail: { clear_fields: string[]; sha256: string } }>(`SELECT actor, detail FROM audit_log WHERE action = 'payout.export'`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].detail).toMatchObject({ clear_fields: ['payee', 'bank_account'], sha256: r.headers['x-content-sha256'], lines: 5 });
    const log = (await env.db.query<{ t: string }>(`SELECT string_agg(detail::text, ' ') AS t FROM audit_log`)).rows[0].t;
    for (const a of ACCOUNTS) expect(log).not.toContain(a);
  });

  it('exports XLSX that reads back the same (accounts as text, amounts to the cent); batched events stay once', async () => {
    const r = await get(`/api/v1/payouts/batches/${batchId}/export?format=xlsx`);
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const read: string[][] = [];
    ws.eachRow((row) => read.push((row.values as ExcelJS.CellValue[]).slice(1).map((v) => (typeof v === 'number' ? v.toFixed(2) : String(v)))));
    expect(read[0]).toEqual(['批次号', '明细号', '收款人', '收款账号', '金额', '参考号']);
    expect(read.slice(1).map((x) => [x[3], x[4], x[5]])).toEqual(lines.map((l, i) => [ACCOUNTS[i], AMOUNTS[i], l.reference]));
    expect(typeof ws.getCell('D3').value).toBe('string'); // the 19-digit card survives
    expect(await count(`SELECT count(*)::text AS n FROM case_events WHERE event = 'batched'`)).toBe(5);
    expect(await count(`SELECT count(*)::text AS n FROM audit_log WHERE action = 'payout.export'`)).toBe(2);
  });

  it('refuses a results file with an unknown line, a wrong amount or a line twice — every error of every row, nothing applied', async () => {
    const bad = toCsv([
      ['明细号', '状态', '银行流水号', '失败原因', '支付日期', '金额'],
      [lines[0].id, '成功', 'B001', '', '2025-06-30', AMOUNTS[0]],
      ['999999', '成功', 'B002', '', '2025-06-30', '1.00'],
      [lines[1].id, '成功', 'B003', '', '2025-06-30', '2500.00'],
      [lines[0].id, '失败', '', '户名不符', '', ''],
      [lines[2].id, '未知', '', '', '', ''],
      [lines[3].id, '成功', 'B004', '', '2026-13-01', '12x'], // two faults on one row: both reported
    ]);
    const r = await upload(batchId, 'bank.csv', bad);
    expect(r.statusCode).toBe(400);
    const errs = r.json().details.errors as { row: number; code: string; field: string }[];
    expect(errs.map((e) => [e.row, e.code])).toEqual([[3, 'UNKNOWN_LINE'], [4, 'AMOUNT_MISMATCH'], [5, 'DUPLICATE_ROW'], [6, 'BAD_STATUS'], [7, 'BAD_AMOUNT'], [7, 'BAD_DATE']]);
    expect(r.json().message).toContain('未做任何更改');
    expect(await count(`SELECT count(*)::text AS n FROM payout_lines WHERE status <> 'exported'`)).toBe(0);
    expect(await count(`SELECT count(*)::text AS n FROM case_events WHERE event IN ('paid', 'payment_failed')`)).toBe(0);
    expect(await count(`SELECT count(*)::text AS n FROM grants WHERE status = 'paid'`)).toBe(0);
  });

  const answer = () =>
    toCsv([
      ['明细号', '参考号', '状态', '银行流水号', '失败原因', '支付日期', '金额'],
      ...lines.map((l, i) => (i === 2 ? [l.id, l.reference, '失败', '', '账户已销户', '', AMOUNTS[i]] : [l.id, l.reference, '成功', `BK2025063000${i}`, '', '2025/6/30', AMOUNTS[i]])),
    ]);

  it('applies the bank’s answer: four paid, one failed with its reason, cases and events updated once', async () => {
    const r = await upload(batchId, 'bank.csv', answer());
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ batch_id: batchId, rows: 5, paid: 4, failed: 1, unchanged: 0, unanswered: 0, status: 'partially_failed' });
    const ls = (await get(`/api/v1/payouts/batches/${batchId}/lines`)).json().items;
    expect(ls[2]).toMatchObject({ status: 'failed', failure_reason: '账户已销户', paid_at: null });
    expect(ls.filter((l: { status: string }) => l.status === 'paid').map((l: { paid_at: string }) => l.paid_at)).toEqual(['2025-06-30', '2025-06-30', '2025-06-30', '2025-06-30']);
    const status = async (c: (typeof cases)[number]) => (await env.db.query<{ status: string }>(`SELECT status FROM ${c.type}s WHERE id = $1`, [c.id])).rows[0].status;
    expect(await Promise.all(cases.map(status))).toEqual(['paid', 'paid', 'payment_failed', 'paid', 'paid']);
    const ev = await env.db.query<{ event: string; case_id: string; at: Date }>(`SELECT event, case_id::text AS case_id, at FROM case_events WHERE event IN ('paid', 'payment_failed') ORDER BY case_events.id`);
    expect(ev.rows.map((e) => e.event).sort()).toEqual(['paid', 'paid', 'paid', 'paid', 'payment_failed']);
    for (const e of ev.rows.filter((x) => x.event === 'paid')) expect(new Date(e.at).toISOString().slice(0, 10)).toBe('2025-06-30');
    const inbox = await env.db.query<{ entity_id: string | null; department: string | null; body: string }>(`SELECT entity_id::text AS entity_id, department, body FROM inbox WHERE kind = 'payment_failed'`);
    expect(inbox.rows).toHaveLength(2);
    expect(inbox.rows.every((n) => n.body.includes('账户已销户'))).toBe(true);
    expect(inbox.rows.map((n) => n.department)).toContain(DEPT);
    for (const a of ACCOUNTS) expect(inbox.rows.map((n) => n.body).join()).not.toContain(a);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await env.db.query(`SELECT (SELECT count(*) FROM case_events)::text AS e, (SELECT count(*) FROM inbox)::text AS i, (SELECT string_agg(status || coalesce(bank_ref, ''), ',' ORDER BY id) FROM payout_lines) AS l`);
    const r = await upload(batchId, 'bank.csv', answer());
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ paid: 0, failed: 0, unchanged: 5, status: 'partially_failed' });
    const after = await env.db.query(`SELECT (SELECT count(*) FROM case_events)::text AS e, (SELECT count(*) FROM inbox)::text AS i, (SELECT string_agg(status || coalesce(bank_ref, ''), ',' ORDER BY id) FROM payout_lines) AS l`);
    expect(after.rows).toEqual(before.rows);
    // an answer that contradicts the recorded one is refused
    const flip = toCsv([['明细号', '状态', '失败原因'], [lines[0].id, 'failed', '退票']]);
    const f = await upload(batchId, 'flip.csv', flip);
    expect(f.statusCode).toBe(400);
    expect(f.json().details.errors[0]).toMatchObject({ row: 2, code: 'ALREADY_ANSWERED' });
  });

  it('reconciles the batch to the cent', async () => {
    const r = await get(`/api/v1/payouts/batches/${batchId}/reconciliation`);
    expect(r.statusCode).toBe(200);
    const rec = r.json();
    expect(rec).toMatchObject({
      exported: { lines: 5, amount: '16600.75' }, paid: { lines: 4, amount: '16300.75' }, failed: { lines: 1, amount: '300.00' },
      unanswered: { lines: 0, amount: '0.00' }, balanced: true,
    });
    expect(rec.failed_lines[0]).toMatchObject({ case_id: cases[2].id, account: '6222 **** **** 2233', failure_reason: '账户已销户' });
    for (const a of ACCOUNTS) expect(r.body).not.toContain(a);
  });

  it('pays a failed case again in a later batch, as its next attempt', async () => {
    const r = await env.app.inject({ method: 'POST', url: '/api/v1/payouts/batches', headers: bearer(officer), payload: {} });
    expect(r.statusCode).toBe(201);
    const b2 = r.json().batch;
    expect(b2).toMatchObject({ line_count: 1, total_amount: '300.00' });
    const l2 = (await get(`/api/v1/payouts/batches/${b2.id}/lines`)).json().items[0];
    expect(l2).toMatchObject({ case_type: 'grant', case_id: cases[2].id, attempt: 2, reference: `KXG${cases[2].id}-2` });
    // the bank answers in XLSX this time, by reference only
    await get(`/api/v1/payouts/batches/${b2.id}/export?format=xlsx`);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('回盘');
    ws.addRow(['参考号', '处理结果', '交易流水号', '到账日期', '交易金额']);
    ws.addRow([l2.reference, 'paid', 'BK-RETRY-1', new Date('2025-06-30T00:00:00Z'), 300]);
    const res = await upload(b2.id, 'answer.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.json()).toMatchObject({ paid: 1, status: 'reconciled' });
    expect((await env.db.query<{ status: string }>('SELECT status FROM grants WHERE id = $1', [cases[2].id])).rows[0].status).toBe('paid');
    expect(await count(`SELECT count(*)::text AS n FROM case_events WHERE case_type = 'grant' AND case_id = $1 AND event = 'batched'`, [cases[2].id])).toBe(2);
    expect(await count(`SELECT count(*)::text AS n FROM case_events WHERE case_type = 'grant' AND case_id = $1 AND event = 'paid'`, [cases[2].id])).toBe(1);
  });

  it('never puts one case in two batches when two batches are made at once', async () => {
    const ids = await env.db.tx(async (q) => {
      const out: string[] = [];
      for (let i = 0; i < 30; i++) out.push(await seedGrant(q, await seedEntity(env.ctx, q, 'person', `并发${i}`, `62284800000${String(i).padStart(5, '0')}`), 'rsj-auto', DEPT, '10.00'));
      return out;
    });
    await addUser(env, 'pay-rsj-2', 'payout', { department: DEPT });
    const second = await env.login('pay-rsj-2');
    const [a, b] = await Promise.all([officer, second].map((t) => env.app.inject({ method: 'POST', url: '/api/v1/payouts/batches', headers: bearer(t), payload: {} })));
    const made = [a, b].filter((r) => r.statusCode === 201).map((r) => r.json().batch);
    for (const r of [a, b]) expect([201, 409]).toContain(r.statusCode);
    expect(made.reduce((t, x) => t + x.line_count, 0)).toBe(30);
    const per = await env.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM payout_lines WHERE case_type = 'grant' AND case_id = ANY($1::bigint[]) GROUP BY case_id`, [ids]);
    expect(per.rows).toHaveLength(30);
    expect(per.rows.every((r) => r.n === '1')).toBe(true);
  });

  it('keeps an intact audit chain', async () => {
    expect(await verifyAudit(env.db)).toMatchObject({ ok: true });
  });
});
