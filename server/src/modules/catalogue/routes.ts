// The catalogue API (R1, R12): the public reads the published catalogue; a department's
// clerks draft and submit its items, its approvers review, publish and withdraw them.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Ctx } from '../../context.ts';
import { principal } from '../../http/access.ts';
import { errors, Id, Page } from '../../http/schemas.ts';
import { DictionaryView, dictionaryView } from './dictionary.ts';
import { listNotices } from './expiry.ts';
import { departmentItems, diffItem, getDocument, getItem, getVersion, listDocuments, listItems, listVersions } from './read.ts';
import {
  DepartmentItemPage, DepartmentItemsQuery, DepartmentParams, DiffQuery, DocumentDetail, DocumentPage, DocumentsQuery, DraftBody, DraftResult, ItemDetail, ItemPage, ItemsQuery,
  NoticePage, PublishResult, ReasonBody, TransitionBody, UpdateDraftBody, VersionDiff, VersionMeta, VersionParams, VersionView,
} from './schema.ts';
import { approve, createDraft, publish, reject, submit, updateDraft, withdraw } from './service.ts';

type IdP = { Params: { id: string } };

export async function catalogueRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const tags = ['catalogue'];
  const pub = { access: 'public' as const };
  const authors = { access: ['clerk', 'approver'] as const };
  // Workflow steps need no body (the version is optional): a bare POST is an empty one.
  const emptyBody = async (req: { body: unknown }) => {
    req.body ??= {};
  };
  const approvers = { access: ['approver'] as const };

  app.get<{ Querystring: DocumentsQuery }>(
    '/api/v1/documents',
    { config: pub, schema: { tags, summary: '政策文件列表 / policy documents', description: '只列出有已发布事项的文件 / documents with at least one published item', querystring: DocumentsQuery, response: { 200: DocumentPage, ...errors(400) } } },
    async (req) => listDocuments(ctx, req.query),
  );
  app.get(
    '/api/v1/dictionary',
    { config: pub, schema: { tags, summary: '字段字典：字段、代码表、数据来源、区划 / the field dictionary: fields, code tables, sources, regions', response: { 200: DictionaryView } } },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return dictionaryView(ctx.dict);
    },
  );
  app.get<IdP>(
    '/api/v1/documents/:id',
    { config: pub, schema: { tags, summary: '政策文件及其已发布事项 / a document with its published items', params: Id, response: { 200: DocumentDetail, ...errors(404) } } },
    async (req) => getDocument(ctx, req.params.id),
  );
  app.get<{ Querystring: ItemsQuery }>(
    '/api/v1/items',
    { config: pub, schema: { tags, summary: '已发布的政策事项（统一政策清单）/ the published catalogue', querystring: ItemsQuery, response: { 200: ItemPage, ...errors(400) } } },
    async (req) => listItems(ctx, req.query),
  );
  app.get<IdP>(
    '/api/v1/items/:id',
    {
      config: pub,
      schema: { tags, summary: '政策事项：现行版本（本部门工作人员另见草稿）/ an item: the version in force (and the draft, for its department)', params: Id, response: { 200: ItemDetail, ...errors(404) } },
    },
    async (req) => getItem(ctx, req.principal, req.params.id),
  );
  app.get<IdP>(
    '/api/v1/items/:id/versions',
    { config: pub, schema: { tags, summary: '事项的版本列表 / versions of an item', params: Id, response: { 200: Type.Array(VersionMeta), ...errors(404) } } },
    async (req) => listVersions(ctx, req.principal, req.params.id),
  );
  app.get<{ Params: { id: string; version: number } }>(
    '/api/v1/items/:id/versions/:version',
    { config: pub, schema: { tags, summary: '事项的某一版本 / one version of an item', params: VersionParams, response: { 200: VersionView, ...errors(403, 404) } } },
    async (req) => getVersion(ctx, req.principal, req.params.id, req.params.version),
  );
  app.get<IdP & { Querystring: { from?: number; to?: number } }>(
    '/api/v1/items/:id/diff',
    { config: pub, schema: { tags, summary: '两个版本的差异 / what changed between two versions', params: Id, querystring: DiffQuery, response: { 200: VersionDiff, ...errors(400, 403, 404) } } },
    async (req) => diffItem(ctx, req.principal, req.params.id, req.query.from, req.query.to),
  );

  app.post<{ Body: DraftBody }>(
    '/api/v1/items',
    {
      config: authors,
      schema: {
        tags, summary: '起草事项（政策文件 YAML，或单个事项 JSON）/ draft items (a policy file, or one item as JSON)', body: DraftBody,
        response: { 201: DraftResult, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createDraft(ctx, principal(req), req.body)),
  );
  app.put<IdP & { Body: UpdateDraftBody }>(
    '/api/v1/items/:id/draft',
    { config: authors, schema: { tags, summary: '修改草稿或被退回的版本 / edit the draft (or a rejected version)', params: Id, body: UpdateDraftBody, response: { 200: VersionMeta, ...errors(400, 401, 403, 404, 409) } } },
    async (req) => updateDraft(ctx, principal(req), req.params.id, req.body),
  );
  const step = (name: string, summary: string, access: { access: readonly ('clerk' | 'approver')[] }, fn: typeof submit, body: typeof TransitionBody | typeof ReasonBody = TransitionBody) =>
    app.post<IdP & { Body: { version?: number; reason?: string } }>(
      `/api/v1/items/:id/${name}`,
      { config: access, preValidation: emptyBody, schema: { tags, summary, params: Id, body, response: { 200: VersionMeta, ...errors(400, 401, 403, 404, 409) } } },
      async (req) => fn(ctx, principal(req), req.params.id, req.body ?? {}),
    );
  step('submit', '提交审核 / submit for review', authors, submit);
  step('approve', '审核通过（四眼原则）/ approve (four eyes)', approvers, approve);
  step('reject', '退回并说明理由 / send back with a reason', approvers, reject as typeof submit, ReasonBody);
  step('withdraw', '撤回已发布的版本 / withdraw the published version', approvers, withdraw as typeof submit, ReasonBody);
  app.post<IdP & { Body: { version?: number } }>(
    '/api/v1/items/:id/publish',
    {
      config: approvers,
      preValidation: emptyBody,
      schema: {
        tags, summary: '发布（先运行测试用例，失败则拒绝）/ publish (runs the cases first; refuses on a failure)', params: Id, body: TransitionBody,
        response: { 200: PublishResult, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => publish(ctx, principal(req), req.params.id, req.body ?? {}),
  );

  app.get<{ Params: { code: string }; Querystring: { status?: string; q?: string; page?: number; page_size?: number } }>(
    '/api/v1/departments/:code/items',
    {
      config: { access: ['clerk', 'approver', 'admin'] },
      schema: { tags, summary: '本部门的全部事项（含草稿）及最新版本状态 / a department\'s items, drafts included, with the latest version\'s status', params: DepartmentParams, querystring: DepartmentItemsQuery, response: { 200: DepartmentItemPage, ...errors(401, 403, 404) } },
    },
    async (req) => departmentItems(ctx, principal(req), req.params.code, req.query),
  );
  app.get<{ Params: { code: string }; Querystring: { page?: number; page_size?: number } }>(
    '/api/v1/departments/:code/notices',
    {
      config: { access: ['clerk', 'approver', 'payout', 'admin'] },
      schema: { tags, summary: '部门提醒（事项到期预警等）/ a department\'s notices (expiry warnings …)', params: DepartmentParams, querystring: Page, response: { 200: NoticePage, ...errors(401, 403, 404) } },
    },
    async (req) => listNotices(ctx, principal(req), req.params.code, req.query.page, req.query.page_size),
  );
}
