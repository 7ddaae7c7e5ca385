// The profiles API (R3, R14). Reads answer masked by default; only the entity's own user
// and admins read facts at all (department staff learn eligibility from matching). Source
// systems import files and push records under their own source id only.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Ctx } from '../../context.ts';
import { badInput, DomainError } from '../../errors.ts';
import { principal, type Principal } from '../../http/access.ts';
import { errors } from '../../http/schemas.ts';
import { connectorStatus, getImport, importFile, type ImportResult } from './imports.ts';
import type { Format } from './parse.ts';
import { pushRecord } from './push.ts';
import {
  ConnectorView, DeclareBody, DeclareResult, EntityParams, EntityView, FactView, HistoryQuery, HistoryView, ImportQuery, ImportView, PushBody, PushResult, ReadQuery,
  SourceImportParams, SourceParams,
} from './schema.ts';
import { declareFact, factHistory, getEntity, listFacts } from './service.ts';

type IdP = { Params: { id: string } };

/** The uploaded file goes to a private temporary file: the import reads it twice, streaming. */
async function receiveUpload(req: FastifyRequest): Promise<{ path: string; filename: string; fields: Record<string, string>; cleanup: () => Promise<void> }> {
  if (!req.isMultipart()) throw badInput('file', '请以 multipart/form-data 上传文件（字段 file）', 'upload the file as multipart/form-data (field file)');
  const part = await req.file();
  if (!part) throw badInput('file', '请求中没有文件', 'no file in the request');
  const dir = await mkdtemp(join(tmpdir(), 'kx-import-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const path = join(dir, 'upload');
    await pipeline(part.file, createWriteStream(path, { mode: 0o600 }));
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(part.fields)) if (v && !Array.isArray(v) && v.type === 'field') fields[k] = String(v.value);
    return { path, filename: part.filename, fields, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

export async function profilesRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const tags = ['profiles'];
  const readers = { access: ['enterprise', 'resident', 'admin'] as const };
  const selves = { access: ['enterprise', 'resident'] as const };

  const runImport = async (req: FastifyRequest<{ Querystring: ImportQuery }>, p: Principal, source: string | undefined): Promise<ImportResult> => {
    const up = await receiveUpload(req);
    try {
      const src = source ?? req.query.source ?? up.fields.source;
      if (!src) throw badInput('source', '请指定数据源 source', 'give the source system (source)');
      const format = (req.query.format ?? up.fields.format) as Format | undefined;
      return await importFile(ctx, p, { source: src, filename: up.filename, content: { path: up.path }, ...(format ? { format } : {}), ...((req.query.as_of ?? up.fields.as_of) ? { asOf: req.query.as_of ?? up.fields.as_of } : {}) });
    } finally {
      await up.cleanup();
    }
  };
  const importDoc = '多部分上传，字段 file；整批校验，任何一行有误则整批拒绝并给出逐行报告 / multipart upload (field file); the whole file is validated and rejected with a per-row report if any row is bad';
  app.post<{ Querystring: ImportQuery }>(
    '/api/v1/imports',
    { config: { access: ['admin'] }, schema: { tags, summary: '导入数据文件（CSV / NDJSON / XLSX）/ import a data file', description: importDoc, consumes: ['multipart/form-data'], querystring: ImportQuery, response: { 201: ImportView, ...errors(400, 401, 403, 413) } } },
    async (req, reply) => reply.status(201).send(await runImport(req, principal(req), undefined)),
  );
  app.post<{ Params: { source: string }; Querystring: ImportQuery }>(
    '/api/v1/sources/:source/imports',
    { config: { access: 'source' }, schema: { tags, summary: '数据源系统导入文件 / a source system imports a file', description: importDoc, consumes: ['multipart/form-data'], params: SourceParams, querystring: ImportQuery, response: { 201: ImportView, ...errors(400, 401, 403, 413) } } },
    async (req, reply) => {
      const p = principal(req);
      if (p.source !== req.params.source) throw new DomainError('FORBIDDEN', `此令牌属于数据源 ${p.source}，不能导入 ${req.params.source} 的数据`, `this token speaks for ${p.source}, not ${req.params.source}`);
      return reply.status(201).send(await runImport(req, p, req.params.source));
    },
  );
  app.get(
    '/api/v1/sources',
    { config: { access: ['admin'] }, schema: { tags, summary: '数据源接入状态：最近一次导入、行数、错误 / connector status: last import, rows, errors', response: { 200: Type.Array(ConnectorView), ...errors(401, 403) } } },
    async () => connectorStatus(ctx),
  );
  app.get<IdP>(
    '/api/v1/imports/:id',
    { config: { access: ['admin'] }, schema: { tags, summary: '导入状态与逐行报告 / an import and its per-row report', params: EntityParams, response: { 200: ImportView, ...errors(401, 403, 404) } } },
    async (req) => getImport(ctx, principal(req), req.params.id),
  );
  app.get<{ Params: { source: string; id: string } }>(
    '/api/v1/sources/:source/imports/:id',
    { config: { access: 'source' }, schema: { tags, summary: '本数据源的导入报告 / an import of this source', params: SourceImportParams, response: { 200: ImportView, ...errors(401, 403, 404) } } },
    async (req) => {
      const p = principal(req);
      if (p.source !== req.params.source) throw new DomainError('FORBIDDEN', '只能查看本数据源的导入', 'a source may see only its own imports');
      return getImport(ctx, p, req.params.id);
    },
  );
  app.post<{ Params: { source: string }; Body: PushBody }>(
    '/api/v1/sources/:source/records',
    {
      config: { access: 'source' },
      schema: {
        tags, summary: '数据源推送一条记录（按 来源+记录号+版本 幂等）/ a source system pushes one record (idempotent on source, record id, version)',
        params: SourceParams, body: PushBody, response: { 200: PushResult, ...errors(400, 401, 403) },
      },
    },
    async (req) => pushRecord(ctx, principal(req), req.params.source, req.body),
  );

  app.get<IdP & { Querystring: ReadQuery }>(
    '/api/v1/entities/:id',
    { config: readers, schema: { tags, summary: '主体档案（默认脱敏）/ an entity profile, masked by default', params: EntityParams, querystring: ReadQuery, response: { 200: EntityView, ...errors(400, 401, 403, 404) } } },
    async (req) => getEntity(ctx, principal(req), req.params.id, req.query),
  );
  app.get<IdP & { Querystring: ReadQuery }>(
    '/api/v1/entities/:id/facts',
    { config: readers, schema: { tags, summary: '当前事实及其来源与数据日期 / current facts with source and as-of date', params: EntityParams, querystring: ReadQuery, response: { 200: Type.Array(FactView), ...errors(400, 401, 403, 404) } } },
    async (req) => listFacts(ctx, principal(req), req.params.id, req.query),
  );
  app.get<IdP & { Querystring: HistoryQuery }>(
    '/api/v1/entities/:id/history',
    { config: readers, schema: { tags, summary: '事实的历史 / the history of facts', params: EntityParams, querystring: HistoryQuery, response: { 200: Type.Array(HistoryView), ...errors(400, 401, 403, 404) } } },
    async (req) => {
      const { field, page, page_size, ...read } = req.query;
      return factHistory(ctx, principal(req), req.params.id, { ...read, ...(field ? { field } : {}), ...(page ? { page } : {}), ...(page_size ? { pageSize: page_size } : {}) });
    },
  );
  app.post<IdP & { Body: DeclareBody }>(
    '/api/v1/entities/:id/facts',
    { config: selves, schema: { tags, summary: '申报本主体缺少的信息 / declare a missing fact about yourself', params: EntityParams, body: DeclareBody, response: { 200: DeclareResult, ...errors(400, 401, 403, 404, 409) } } },
    async (req) => declareFact(ctx, principal(req), req.params.id, req.body.field, req.body.value),
  );
  app.get<{ Querystring: ReadQuery }>(
    '/api/v1/me/entity',
    { config: selves, schema: { tags, summary: '我的档案（默认脱敏）/ my own profile, masked by default', querystring: ReadQuery, response: { 200: EntityView, ...errors(401, 403, 404) } } },
    async (req) => {
      const p = principal(req);
      return getEntity(ctx, p, p.entityId ?? '0', req.query);
    },
  );
}
