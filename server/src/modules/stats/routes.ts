// The dashboards' figures over HTTP (R10): catalogue, uptake funnel, money. The time-to-money
// report is the payouts module's (/api/v1/stats/time-to-money); the dashboards read it too.
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.ts';
import { principal } from '../../http/access.ts';
import { errors } from '../../http/schemas.ts';
import { CatalogueStats, FunnelStats, MoneyQuery, MoneyStats, StatsQuery, type MoneyQuery as MoneyQ, type StatsQuery as StatsQ } from './schema.ts';
import { catalogueStats, funnelStats, moneyStats, scopeOf } from './service.ts';

const access = ['leader', 'admin', 'clerk', 'approver', 'payout'] as const;
const tags = ['stats'];
const scopeNote = '领导和管理员看全市（可按部门筛选）；部门工作人员只能看本部门。/ Leaders and admins see the city (or one department); department staff their own.';

export async function statsRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get<{ Querystring: StatsQ }>(
    '/api/v1/stats/catalogue',
    { config: { access }, schema: { tags, summary: '在施事项：按部门、办理方式、对象 / items in force by department, mode and audience', description: scopeNote, querystring: StatsQuery, response: { 200: CatalogueStats, ...errors(400, 401, 403) } } },
    async (req) => catalogueStats(ctx, scopeOf(principal(req), req.query.department)),
  );
  app.get<{ Querystring: StatsQ }>(
    '/api/v1/stats/funnel',
    {
      config: { access },
      schema: {
        tags, summary: '兑现漏斗：符合条件→已通知→已申请→已批准→已拨付 / uptake funnel',
        description: `每级为（主体, 事项）对的个数；符合条件取匹配结果集合（含实时更新）。${scopeNote}`,
        querystring: StatsQuery, response: { 200: FunnelStats, ...errors(400, 401, 403) },
      },
    },
    async (req) => funnelStats(ctx, scopeOf(principal(req), req.query.department)),
  );
  app.get<{ Querystring: MoneyQ }>(
    '/api/v1/stats/money',
    { config: { access }, schema: { tags, summary: '资金：按月份、县市区、行业 / money by month, county and industry', description: scopeNote, querystring: MoneyQuery, response: { 200: MoneyStats, ...errors(400, 401, 403) } } },
    async (req) => moneyStats(ctx, scopeOf(principal(req), req.query.department), req.query),
  );
}
