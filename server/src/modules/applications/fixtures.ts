// Inputs for the application tests, made the way the platform makes them: the item
// published through the catalogue's import, the entity through the profiles module (sealed
// personal facts, provenance), users through accounts, the calendar from @kx/data.
import { parseExpr, type EntityKind, type PolicyDocument, type PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { importDocuments } from '../catalogue/service.ts';
import { applyRecords } from '../profiles/apply.ts';
import { entityKeyHash } from '../profiles/validate.ts';
import { addUser, bearer, type TestEnv } from '../../../test/harness.ts';
import { seedCalendar } from './calendar.ts';

/**
 * 稳岗返还 as an online application: 人社 preliminary review, then 财政 and 税务 in parallel;
 * the layoff rate is a fact no source holds, so the applicant declares it.
 */
export function wengang(over: Partial<PolicyItem> = {}): PolicyItem {
  return {
    id: 'app-test-wengang', version: 1, title: '稳岗返还（网上申请测试）', document_id: 'app-test', department: 'lc-rsj', region_scope: ['371500'],
    audience: 'enterprise', mode: 'online', valid_from: '2025-01-01', valid_to: '2026-12-31',
    eligibility: parseExpr('ui_insured_local = true and ui_paid_months >= 12 and layoff_rate <= 0.05'),
    amount: parseExpr('ui_premium_paid * 0.6'), amount_unit: '元', period: 'year', params: [],
    materials: [{ name: '营业执照', provided_by: 'uscc' }, { name: '银行开户许可证', required: true }],
    review_steps: [
      { name: '人社部门初审', days: 5 },
      { name: '财政部门审核', days: 5, parallel_group: 'final', department: 'lc-czj' },
      { name: '税务部门核验', days: 5, parallel_group: 'final', department: 'lc-sws' },
    ],
    statutory_days: 15, cases: [],
    ...over,
  };
}

/** A resident item whose rule reads a personal fact (household income), one step. */
export function dibaoAid(over: Partial<PolicyItem> = {}): PolicyItem {
  return {
    id: 'app-test-aid', version: 1, title: '临时救助（网上申请测试）', document_id: 'app-test', department: 'dcf-mzj', region_scope: ['371502'],
    audience: 'person', mode: 'online', valid_from: '2025-01-01', eligibility: parseExpr('household_income_pc < 1000'), amount: parseExpr('1000'), amount_unit: '元',
    period: 'once', params: [], materials: [{ name: '居民身份证', provided_by: 'birth_date' }], review_steps: [{ name: '民政审核', days: 3 }], statutory_days: 3, cases: [],
    ...over,
  };
}

export async function publishItems(ctx: Ctx, items: PolicyItem[]): Promise<void> {
  const doc: PolicyDocument = {
    id: 'app-test', title: '网上申请测试文件', number: '测试〔2025〕2号', issuers: [...new Set(items.map((i) => i.department))], published_on: '2025-01-01',
    summary: '', interpretation: '', items,
  };
  await ctx.db.tx((q) => importDocuments(ctx, q, [doc], { status: 'published', enqueueMatch: false }));
}

export async function seedEntity(ctx: Ctx, kind: EntityKind, key: string, facts: Record<string, unknown>, source = 'hrss'): Promise<string> {
  const r = await ctx.db.tx((q) => applyRecords(ctx, q, [{ kind, key, keyHash: entityKeyHash(ctx.crypto, kind, key), facts, derived: {} }], { source, asOf: '2025-06-01' }));
  return r.applied[0].entityId;
}

export const ENTERPRISE_FACTS = { region: '371502', uscc: '91371500MA3C4X7Q1B', name: '聊城稳岗测试有限公司', ui_insured_local: true, ui_paid_months: 12, ui_premium_paid: 20000 };

export interface Cast {
  applicant: string;
  rsjClerk: string;
  rsjClerk2: string;
  rsjApprover: string;
  czjApprover: string;
  swsApprover: string;
  swsClerk: string;
  otherClerk: string;
  admin: string;
}

/** Users of every part in the flow, logged in; returns their tokens. */
export async function cast(env: TestEnv, entityId: string, prefix = ''): Promise<Cast> {
  const u = async (name: string, role: string, extra: { department?: string; entity_id?: string }) => {
    await addUser(env, `${prefix}${name}`, role, extra);
    return env.login(`${prefix}${name}`);
  };
  return {
    applicant: await u('applicant', 'enterprise', { entity_id: entityId }),
    rsjClerk: await u('rsj.clerk', 'clerk', { department: 'lc-rsj' }),
    rsjClerk2: await u('rsj.clerk2', 'clerk', { department: 'lc-rsj' }),
    rsjApprover: await u('rsj.approver', 'approver', { department: 'lc-rsj' }),
    czjApprover: await u('czj.approver', 'approver', { department: 'lc-czj' }),
    swsApprover: await u('sws.approver', 'approver', { department: 'lc-sws' }),
    swsClerk: await u('sws.clerk', 'clerk', { department: 'lc-sws' }),
    otherClerk: await u('mzj.clerk', 'clerk', { department: 'lc-mzj' }),
    admin: await u('admin', 'admin', {}),
  };
}

export async function withCalendar(env: TestEnv): Promise<void> {
  await env.db.tx((q) => seedCalendar(q));
}

/** A multipart body with the material's name before the file, as a browser form sends it. */
export function materialUpload(material: string, filename: string, content: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----kxtest' + Math.random().toString(16).slice(2);
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="material"\r\n\r\n${material}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  return { payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Uploads one material as the applicant's browser would. */
export async function upload(env: TestEnv, token: string, appId: string, material: string, filename: string, content: Buffer) {
  const m = materialUpload(material, filename, content);
  const r = await env.app.inject({ method: 'POST', url: `/api/v1/applications/${appId}/materials`, headers: { ...bearer(token), ...m.headers }, payload: m.payload });
  return { status: r.statusCode, body: r.json() };
}

export const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);

/** Calls the API as a user; returns status and JSON body. */
export async function call(env: TestEnv, token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const r = await env.app.inject({ method, url, headers: bearer(token), ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: r.statusCode, body: r.json() };
}

/** A stored (uncompressed) ZIP with the given entries, as an OFD writer would make one. */
export function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const n = Buffer.from(name);
    const data = Buffer.from(text);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export const OFD = zip({ 'OFD.xml': '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1"/>', 'Doc_0/Document.xml': '<ofd:Document/>' });
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
export const JPG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64)]);
export const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('This program cannot be run in DOS mode.')]);
