import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.ts';
import { DEPARTMENT_ROLES, ENTITY_ROLES, principal } from '../../http/access.ts';
import { errors } from '../../http/schemas.ts';
import { listContests, resolveContest } from './contests.ts';
import { ContestBody, ContestPage, ContestParams, ContestQuery, ContestResult, ContestView, GrantPage, GrantParams, GrantQuery, GrantView, ItemGrants, ItemParams, ResolveBody } from './schema.ts';
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
  const reviewers = { access: ['clerk', 'approver'] as const };
  app.get<{ Querystring: ContestQuery }>(
    '/api/v1/contests',
    { config: reviewers, schema: { tags, summary: '本部门兑现的异议 / contests of my department\'s grants', querystring: ContestQuery, response: { 200: ContestPage, ...errors(400, 401, 403) } } },
    async (req) => listContests(ctx, principal(req), req.query),
  );
  app.post<{ Params: { id: string }; Body: ResolveBody }>(
    '/api/v1/contests/:id/resolve',
    {
      config: reviewers,
      schema: {
        tags, summary: '处理异议：成立（撤销或更正兑现）或不成立 / resolve a contest: uphold (cancel or correct the grant) or dismiss',
        description: '理由告知申请主体；已进入拨付的兑现不能在此更改。', params: ContestParams, body: ResolveBody, response: { 200: ContestView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => resolveContest(ctx, principal(req), req.params.id, req.body),
  );
}
