// The catalogue (R1, R12): documents and their items, every version kept. Drafts come
// from a policy file or from the visual editor's JSON; the review workflow is in
// workflow.ts; importDocuments loads whole policy files (demo seed, `kx import catalogue`).
import { runItemCases, validateItem, type PolicyDocument, type PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { badInput, DomainError, notFound } from '../../errors.ts';
import type { Principal } from '../../http/access.ts';
import { appendAudit, canonical } from '../audit/audit.ts';
import { canonicalItem, parseItemJson, parsePolicyYaml, type DocumentMeta } from './input.ts';
import {
  departmentExists, getItemRow, getVersionRow, insertItem, insertVersion, OPEN_STATUSES, replaceVersionBody, saveDocument, setStatus,
} from './repo.ts';
import { actor, guarded, requireDepartmentRole, subjectOf } from './rules.ts';
import type { DraftBody, UpdateDraftBody, VersionMeta } from './schema.ts';
import { putInForce } from './workflow.ts';

export { approve, publish, reject, submit, withdraw, MATCH_QUEUE, matchJobKey } from './workflow.ts';

const AUTHORS = ['clerk', 'approver'] as const;
const AUTHOR_WHAT = { zh: '起草或修改该部门的事项', en: 'draft or edit this department\'s items' };

/** Same rule, amount, parameters, cases and metadata: a re-import of it is no new version. */
function sameContent(a: PolicyItem, b: PolicyItem): boolean {
  const key = (x: PolicyItem) => {
    const plain = JSON.parse(JSON.stringify(x)) as Partial<PolicyItem>;
    delete plain.version;
    delete plain.eligibility_text;
    delete plain.amount_text;
    return canonical(plain);
  };
  return key(a) === key(b);
}

async function openVersionConflict(q: Queryable, id: string, latest: number): Promise<VersionMeta | undefined> {
  const v = await getVersionRow(q, id, latest);
  return v && OPEN_STATUSES.includes(v.status) ? v : undefined;
}

async function saveNewDraft(ctx: Ctx, q: Queryable, by: Principal, item: PolicyItem, field: string, issuers: string[]): Promise<VersionMeta> {
  requireDepartmentRole(by, item.department, AUTHORS, AUTHOR_WHAT);
  const row = await getItemRow(q, item.id, true);
  // an existing item is its department's, whatever department the new text claims
  if (row) requireDepartmentRole(by, row.department, AUTHORS, AUTHOR_WHAT);
  if (!(await departmentExists(q, item.department))) throw badInput(`${field}.department`, `部门 "${item.department}" 不存在`, `no department "${item.department}"`);
  // A department drafts items only under documents it issued (or co-issued).
  if (!issuers.includes(item.department))
    throw badInput(`${field}.department`, `部门 ${item.department} 不是政策文件 ${item.document_id} 的发文部门（${issuers.join('、')}）`, `${item.department} is not an issuer of document ${item.document_id} (${issuers.join(', ')})`);
  let version = 1;
  if (row) {
    if (row.department !== item.department)
      throw badInput(`${field}.department`, `事项 ${item.id} 属于 ${row.department}，不能改为 ${item.department}`, `item ${item.id} belongs to ${row.department}; it cannot move to ${item.department}`);
    if (row.document_id !== item.document_id)
      throw badInput('document_id', `事项 ${item.id} 属于政策文件 ${row.document_id}，不能改为 ${item.document_id}`, `item ${item.id} belongs to document ${row.document_id}`);
    const open = await openVersionConflict(q, item.id, row.latest_version);
    if (open)
      throw new DomainError('INVALID_STATE', `事项 ${item.id} 已有未完成的第 ${open.version} 版（${open.status}），请修改或处理该版本`, `item ${item.id} already has version ${open.version} in progress (${open.status}); edit or finish that one`, `${field}.id`);
    version = row.latest_version + 1;
  } else await insertItem(q, item);
  const now = ctx.now();
  await insertVersion(q, canonicalItem(item, version), 'draft', by.userId ?? null, now);
  await appendAudit(q, { actor: actor(by), action: 'item.create', subject: subjectOf(item.id, version), detail: { new_item: !row, document: item.document_id } });
  return (await getVersionRow(q, item.id, version))!;
}

const metaOf = ({ body: _b, ...meta }: VersionMeta & { body?: unknown }): VersionMeta => (void _b, meta);

/** The body holds a policy file or one JSON item, not both and not neither. */
function oneOf(input: { yaml?: string; item?: unknown }, jsonFields: string): 'yaml' | 'item' {
  if ((input.yaml === undefined) === (input.item === undefined))
    throw badInput(input.yaml === undefined ? 'yaml' : 'item', `请提供 yaml（政策文件），或 ${jsonFields}（单个事项），二者选一`, `send either yaml (a policy file) or ${jsonFields} (one item), not both`);
  return input.yaml !== undefined ? 'yaml' : 'item';
}

/**
 * New draft versions: a whole policy file (its document is created if new; an existing
 * document's text changes only by import), or one item as JSON for an existing document.
 */
export async function createDraft(ctx: Ctx, by: Principal, input: DraftBody): Promise<{ document_id: string; versions: VersionMeta[] }> {
  if (oneOf(input, 'document_id 与 item') === 'yaml') {
    const { document, items } = parsePolicyYaml(input.yaml!, ctx.dict);
    return guarded(ctx, by, 'item.create', `document:${document.id}`, async (q) => {
      for (const item of items) requireDepartmentRole(by, item.department, AUTHORS, AUTHOR_WHAT);
      if (await saveDocument(q, document, false, ctx.now()))
        await appendAudit(q, { actor: actor(by), action: 'document.create', subject: `document:${document.id}` });
      const versions: VersionMeta[] = [];
      // an existing document keeps its stored text and issuers: drafts do not change them
      const { issuers } = (await q.query<{ issuers: string[] }>('SELECT issuers FROM documents WHERE id = $1', [document.id])).rows[0];
      for (const [i, item] of items.entries()) versions.push(metaOf(await saveNewDraft(ctx, q, by, item, `items[${i}]`, issuers)));
      return { document_id: document.id, versions };
    });
  }
  if (input.document_id === undefined) throw badInput('document_id', '单个事项须指明所属政策文件 document_id', 'an item needs its document_id');
  const documentId = input.document_id;
  const item = parseItemJson(input.item!, documentId, ctx.dict);
  return guarded(ctx, by, 'item.create', subjectOf(item.id), async (q) => {
    requireDepartmentRole(by, item.department, AUTHORS, AUTHOR_WHAT);
    const doc = await q.query<{ issuers: string[] }>('SELECT issuers FROM documents WHERE id = $1', [documentId]);
    if (!doc.rows[0]) throw badInput('document_id', `政策文件 ${documentId} 不存在`, `no document ${documentId}`);
    return { document_id: documentId, versions: [metaOf(await saveNewDraft(ctx, q, by, item, 'item', doc.rows[0].issuers))] };
  });
}

/** Replaces the open version's content while it is a draft or has been sent back. */
export async function updateDraft(ctx: Ctx, by: Principal, id: string, input: UpdateDraftBody): Promise<VersionMeta> {
  return guarded(ctx, by, 'item.update', subjectOf(id), async (q) => {
    const row = await getItemRow(q, id, true);
    if (!row) throw notFound('事项', id);
    requireDepartmentRole(by, row.department, AUTHORS, AUTHOR_WHAT);
    const v = await getVersionRow(q, id, row.latest_version);
    if (!v || (v.status !== 'draft' && v.status !== 'rejected'))
      throw new DomainError('INVALID_STATE', `事项 ${id} 没有可修改的草稿（最新第 ${row.latest_version} 版为 ${v?.status}）；请新建版本`, `item ${id} has no draft to edit (version ${row.latest_version} is ${v?.status}); create a new version`, 'version');
    let item: PolicyItem;
    if (oneOf(input, 'item') === 'yaml') {
      const found = parsePolicyYaml(input.yaml!, ctx.dict).items.find((x) => x.id === id);
      if (!found) throw badInput('yaml', `政策文件中没有事项 ${id}`, `the policy file has no item ${id}`);
      item = { ...found, document_id: row.document_id };
    } else item = parseItemJson(input.item!, row.document_id, ctx.dict);
    if (item.id !== id) throw badInput('item.id', `事项编号应为 ${id}，实际为 ${item.id}`, `item id must be ${id}, got ${item.id}`);
    if (item.department !== row.department)
      throw badInput('item.department', `事项 ${id} 属于 ${row.department}，不能改为 ${item.department}`, `item ${id} belongs to ${row.department}`);
    await replaceVersionBody(q, canonicalItem(item, v.version));
    await appendAudit(q, { actor: actor(by), action: 'item.update', subject: subjectOf(id, v.version), detail: { was: v.status } });
    return metaOf((await getVersionRow(q, id, v.version))!);
  });
}

export interface ImportOptions {
  status: 'published' | 'draft';
  /** Absent: the platform itself (audited as system). */
  by?: Principal;
  /** Enqueue a match.item job for each publication (default true). */
  enqueueMatch?: boolean;
}

export interface ImportResult {
  documents: { created: number; updated: number };
  items: { item_id: string; version: number; status: string; change: 'created' | 'new_version' | 'draft_updated' | 'published' | 'unchanged' }[];
}

/**
 * Loads policy documents as they are in their files, inside the caller's transaction:
 * documents upserted, each item as version 1 or, when its content changed, as the next
 * version. Published directly for the seed; publication still requires passing cases.
 */
export async function importDocuments(ctx: Ctx, q: Queryable, docs: PolicyDocument[], opts: ImportOptions): Promise<ImportResult> {
  const res: ImportResult = { documents: { created: 0, updated: 0 }, items: [] };
  const who = actor(opts.by);
  const now = ctx.now();
  for (const doc of docs) {
    const { items, ...meta } = doc;
    if (await saveDocument(q, meta as DocumentMeta, true, now)) res.documents.created++;
    else res.documents.updated++;
    for (const raw of items) {
      const field = `${doc.id}/${raw.id}`;
      const problems = validateItem(raw, ctx.dict);
      if (problems.length) throw badInput(field, problems[0].zh, problems[0].en, { errors: problems.map((e) => ({ message: e.zh, message_en: e.en })) });
      if (opts.by && opts.by.role !== 'admin') requireDepartmentRole(opts.by, raw.department, AUTHORS, AUTHOR_WHAT);
      if (!(await departmentExists(q, raw.department))) throw badInput(`${field}.department`, `部门 "${raw.department}" 不存在`, `no department "${raw.department}"`);
      if (opts.status === 'published') {
        const failed = runItemCases(raw, ctx.dict).filter((r) => !r.passed);
        if (failed.length)
          throw new DomainError('CASES_FAILED', `事项 ${raw.id} 的测试用例未通过：${failed.map((f) => `「${f.case}」`).join('、')}`, `item ${raw.id}: cases failed`, field, { failures: failed.map((f) => ({ case: f.case, failures: f.failures })) });
      }
      let row = await getItemRow(q, raw.id, true);
      let version = 1;
      let change: ImportResult['items'][number]['change'] = 'created';
      if (row) {
        await q.query('UPDATE items SET document_id = $2, department = $3 WHERE id = $1', [raw.id, doc.id, raw.department]);
        const latest = (await getVersionRow(q, raw.id, row.latest_version))!;
        const open = OPEN_STATUSES.includes(latest.status);
        if (sameContent(latest.body, canonicalItem({ ...raw, document_id: doc.id }, latest.version))) {
          if (opts.status === 'published' && open) {
            await setStatus(q, raw.id, latest.version, { status: 'published', published: true }, now);
            await putInForce(q, row, latest.version, now, opts.enqueueMatch !== false);
            change = 'published';
          } else change = 'unchanged';
          res.items.push({ item_id: raw.id, version: latest.version, status: change === 'published' ? 'published' : latest.status, change });
          if (change === 'published') await appendAudit(q, { actor: who, action: 'item.import', subject: subjectOf(raw.id, latest.version), detail: { change } });
          continue;
        }
        if (open && !(opts.status === 'draft' && (latest.status === 'draft' || latest.status === 'rejected')))
          throw new DomainError('INVALID_STATE', `事项 ${raw.id} 第 ${latest.version} 版正在审核中（${latest.status}），不能导入新内容`, `item ${raw.id} version ${latest.version} is under review (${latest.status}); import refused`, field);
        if (open) {
          await replaceVersionBody(q, canonicalItem({ ...raw, document_id: doc.id }, latest.version));
          res.items.push({ item_id: raw.id, version: latest.version, status: 'draft', change: 'draft_updated' });
          await appendAudit(q, { actor: who, action: 'item.import', subject: subjectOf(raw.id, latest.version), detail: { change: 'draft_updated' } });
          continue;
        }
        version = row.latest_version + 1;
        change = 'new_version';
      } else {
        await insertItem(q, { ...raw, document_id: doc.id });
        row = (await getItemRow(q, raw.id, true))!;
      }
      await insertVersion(q, canonicalItem({ ...raw, document_id: doc.id }, version), opts.status, opts.by?.userId ?? null, now);
      if (opts.status === 'published') await putInForce(q, row, version, now, opts.enqueueMatch !== false);
      res.items.push({ item_id: raw.id, version, status: opts.status, change });
      await appendAudit(q, { actor: who, action: 'item.import', subject: subjectOf(raw.id, version), detail: { change, status: opts.status } });
    }
  }
  return res;
}
