// The matching API (R4): an entity's verdicts on demand, the eligible list of an item for its
// department, pre-publication simulation, and batch runs for operators.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Ctx } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { actorOf, DEPARTMENT_ROLES, principal } from '../../http/access.ts';
import { errors } from '../../http/schemas.ts';
import { appendAudit } from '../audit/audit.ts';
import { enqueue } from '../jobs/queue.ts';
import { eligibleEntities } from './eligible.ts';
import { entityItemMatch, entityMatches } from './ondemand.ts';
import { getRun } from './runs.ts';
import { EligiblePage, EligibleQuery, EntityIdParams, EntityItemParams, ItemIdParams, ItemMatch, ItemMatchQuery, Matches, MatchesQuery, NewRunBody, Run, RunIdParams, SimulateAnswer, SimulateBody, DraftSimulateBody } from './schema.ts';
import { simulate, simulateDraft } from './simulate.ts';

export async function matchingRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const tags = ['matching'];
  app.get<{ Params: { id: string }; Querystring: MatchesQuery }>(
    '/api/v1/entities/:id/matches',
    {
      config: { access: ['enterprise', 'resident', 'clerk', 'approver', 'payout', 'admin'] },
      schema: {
        tags, summary: '主体可享受的政策（实时计算，可按日期重放）/ what an entity is entitled to (computed now; replayable as of a date)',
        description:
          '本主体用户与管理员看到全部事项的结论，符合与待定事项附金额、原因与缺少的事实；逐条件说明与怎样才能符合用 explain=full 一并获取，或逐个事项用 GET /api/v1/entities/{id}/matches/{item}。部门工作人员只看到本部门事项的结论，不含事实。 / Its own user and admins see every verdict, with the amount, reason and missing facts of the eligible and undetermined items; the condition-by-condition explanation and counterfactuals come with explain=full, or per item from GET /api/v1/entities/{id}/matches/{item}. Department staff see verdicts of their own items only, no facts.',
        params: EntityIdParams, querystring: MatchesQuery, response: { 200: Matches, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => entityMatches(ctx, principal(req), req.params.id, req.query),
  );

  app.get<{ Params: { id: string; item: string }; Querystring: ItemMatchQuery }>(
    '/api/v1/entities/:id/matches/:item',
    {
      config: { access: ['enterprise', 'resident', 'clerk', 'approver', 'payout', 'admin'] },
      schema: {
        tags, summary: '主体对一个事项的结论与完整说明（含如何才能符合）/ one item for an entity, fully explained (with what would make it eligible)',
        params: EntityItemParams, querystring: ItemMatchQuery, response: { 200: ItemMatch, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => entityItemMatch(ctx, principal(req), req.params.id, req.params.item, req.query),
  );

  app.get<{ Params: { id: string }; Querystring: EligibleQuery }>(
    '/api/v1/items/:id/eligible',
    {
      config: { access: ['clerk', 'approver', 'payout', 'admin'] },
      schema: {
        tags, summary: '事项的符合名单（本部门）/ who is eligible for an item (its department)',
        description: '主体编号与脱敏名称，不含任何事实（数据可用不可见）。 / Entity ids and masked names, never facts.',
        params: ItemIdParams, querystring: EligibleQuery, response: { 200: EligiblePage, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => eligibleEntities(ctx, principal(req), req.params.id, req.query),
  );

  app.post<{ Params: { id: string }; Body: SimulateBody }>(
    '/api/v1/items/:id/simulate',
    {
      config: { access: ['clerk', 'approver', 'admin'] },
      schema: {
        tags, summary: '发布前模拟：符合与待定人数、总成本对预算、按区县与行业 / pre-publication simulation: counts, cost against budget, by county and industry',
        description: `人口不超过 10 万时直接返回结果；否则排队执行（202），用 GET /api/v1/match-runs/{run_id} 查看。 / Answered at once up to 100,000 entities; beyond, queued (202): follow GET /api/v1/match-runs/{run_id}.`,
        params: ItemIdParams, body: SimulateBody, response: { 200: SimulateAnswer, 202: SimulateAnswer, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const r = await simulate(ctx, principal(req), req.params.id, req.body ?? {});
      return reply.status(r.status === 'queued' ? 202 : 200).send(r);
    },
  );

  app.post<{ Body: DraftSimulateBody }>(
    '/api/v1/simulations',
    {
      config: { access: ['clerk', 'approver', 'admin'] },
      schema: {
        tags, summary: '新事项首次保存前的模拟 / simulate a new item before its first save',
        description: `与 POST /api/v1/items/{id}/simulate 相同的结果，事项尚未保存；仅该事项所属部门的工作人员或管理员。 / The same answer as POST /api/v1/items/{id}/simulate for an item not saved yet; its department's staff or an admin.`,
        body: DraftSimulateBody, response: { 200: SimulateAnswer, 202: SimulateAnswer, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const r = await simulateDraft(ctx, principal(req), req.body);
      return reply.status(r.status === 'queued' ? 202 : 200).send(r);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/match-runs/:id',
    {
      config: { access: ['clerk', 'approver', 'payout', 'admin', 'leader'] },
      schema: { tags, summary: '匹配任务的进度与结果 / a matching run: progress and figures', params: RunIdParams, response: { 200: Run, ...errors(401, 403, 404) } },
    },
    async (req) => {
      const p = principal(req);
      const run = await getRun(ctx.db, req.params.id);
      const dept = (run.stats as { department?: string }).department;
      const staffOfRun = run.kind === 'simulation' && p.role && DEPARTMENT_ROLES.includes(p.role) && p.department === dept;
      const overseer = p.role === 'admin' || (p.role === 'leader' && run.kind !== 'simulation');
      if (!staffOfRun && !overseer) throw new DomainError('FORBIDDEN', '无权查看该匹配任务', 'you may not see this run');
      return run;
    },
  );

  app.post<{ Body: NewRunBody }>(
    '/api/v1/match-runs',
    {
      config: { access: ['admin'] },
      schema: {
        tags, summary: '排队全量重新匹配或某事项版本的匹配 / queue a full re-match, or the match of one item version',
        body: NewRunBody, response: { 202: Type.Object({ job_id: Type.String() }), ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const p = principal(req);
      const body = req.body;
      const jobId = await ctx.db.tx(async (q) => {
        const id =
          body.kind === 'full'
            ? await enqueue(q, 'match.full', { requested_by: p.userId ?? null, reload: body.reload === true }, { key: `match.full:${ctx.today()}:${ctx.now().getTime()}`, maxAttempts: 2 })
            : await enqueue(q, 'match.item', { item_id: body.item_id, version: body.version }, { key: `match.item:${body.item_id}:${body.version}:rerun:${ctx.now().getTime()}` });
        await appendAudit(q, { actor: actorOf(p), action: 'match.queue', subject: body.kind === 'full' ? 'match:full' : `item:${body.item_id}@${body.version}`, detail: { job_id: id } });
        return id;
      });
      return reply.status(202).send({ job_id: jobId });
    },
  );
}
