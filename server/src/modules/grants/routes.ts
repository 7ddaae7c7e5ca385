import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.ts';
import { DEPARTMENT_ROLES, ENTITY_ROLES, principal } from '../../http/access.ts';
import { errors } from '../../http/schemas.ts';
import { ContestBody, ContestResult, GrantPage, GrantParams, GrantQuery, GrantView, ItemGrants, ItemParams } from './schema.ts';
import { confirmGrant, contestGrant, getGrant, listItemGrants, listMyGrants } from './service.ts';

export async function grantsRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const tags = ['grants'];
  app.get<{ Querystring: GrantQuery }>(
    '/api/v1/me/grants',
    { config: { access: ENTITY_ROLES }, schema: { tags, summary: '我的免申即享兑现（含依据）/ my auto-grants, with their evidence', querystring: GrantQuery, response: { 200: GrantPage, ...errors(400, 401, 403) } } },
    async (req) => listMyGrants(ctx, principal(req), req.query),
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/grants/:id',
    { config: { access: 'user' }, schema: { tags, summary: '兑现详情（本主体或本部门）/ one grant (own entity or own department)', params: GrantParams, response: { 200: GrantView, ...errors(401, 403, 404) } } },
    async (req) => getGrant(ctx, principal(req), req.params.id),
  );
  app.post<{ Params: { id: string } }>(
    '/api/v1/grants/:id/confirm',
    { config: { access: ENTITY_ROLES }, schema: { tags, summary: '确认领取意愿 / confirm that you wish to receive it', params: GrantParams, response: { 200: GrantView, ...errors(401, 403, 404, 409) } } },
    async (req) => confirmGrant(ctx, principal(req), req.params.id),
  );
  app.post<{ Params: { id: string }; Body: ContestBody }>(
    '/api/v1/grants/:id/contest',
    { config: { access: ENTITY_ROLES }, schema: { tags, summary: '对兑现提出异议 / contest a grant', params: GrantParams, body: ContestBody, response: { 201: ContestResult, ...errors(400, 401, 403, 404, 409) } } },
    async (req, reply) => reply.status(201).send(await contestGrant(ctx, principal(req), req.params.id, req.body)),
  );
  app.get<{ Params: { id: string }; Querystring: GrantQuery }>(
    '/api/v1/items/:id/grants',
    { config: { access: DEPARTMENT_ROLES }, schema: { tags, summary: '事项的兑现统计与名单（本部门）/ an item’s grants: counts and list (own department)', params: ItemParams, querystring: GrantQuery, response: { 200: ItemGrants, ...errors(400, 401, 403, 404) } } },
    async (req) => listItemGrants(ctx, principal(req), req.params.id, req.query),
  );
}
