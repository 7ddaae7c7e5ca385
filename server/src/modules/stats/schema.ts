// Request and response shapes of the leaders' dashboards (智能成图): the catalogue, the uptake
// funnel and the money, each computed from the real tables at the time of asking. Counts only:
// no entity, no name, no personal value ever appears here.
import { Type, type Static } from 'typebox';

const Money = Type.String({ pattern: '^-?[0-9]+\\.[0-9]{2}$', description: '金额（元，两位小数）/ amount in yuan, two decimals' });
const Label = Type.Object({ zh: Type.String(), en: Type.String() });

export const StatsQuery = Type.Object({
  department: Type.Optional(Type.String({ maxLength: 40, description: '部门代码；部门工作人员只能看本部门 / department code; department staff see their own only' })),
});
export type StatsQuery = Static<typeof StatsQuery>;

export const MoneyQuery = Type.Object({
  department: Type.Optional(Type.String({ maxLength: 40 })),
  from: Type.Optional(Type.String({ format: 'date', description: '起始日期（含）/ from (inclusive)' })),
  to: Type.Optional(Type.String({ format: 'date', description: '截止日期（含）/ to (inclusive)' })),
});
export type MoneyQuery = Static<typeof MoneyQuery>;

const Bucket = Type.Object({ key: Type.String(), label: Label, items: Type.Integer() });
export const CatalogueStats = Type.Object({
  department: Type.Union([Type.String(), Type.Null()], { description: '统计范围（null 为全市）/ the scope (null: the whole city)' }),
  total: Type.Integer({ description: '在施事项数（已发布的版本）/ items in force (published version)' }),
  by_department: Type.Array(Bucket),
  by_mode: Type.Array(Bucket),
  by_audience: Type.Array(Bucket),
});
export type CatalogueStats = Static<typeof CatalogueStats>;

const Stages = Type.Object({
  eligible: Type.Integer({ description: '当前符合条件（匹配结果集合，含实时更新）/ eligible now (stored sets with overlays)' }),
  notified: Type.Integer({ description: '收到通知的（主体, 事项）/ (entity, item) pairs notified' }),
  applied: Type.Integer({ description: '提交申请的 / applied' }),
  approved: Type.Integer({ description: '批准或免申发放的 / approved or granted' }),
  paid: Type.Integer({ description: '资金已拨付的 / paid' }),
});
export const FunnelItem = Type.Object({
  item_id: Type.String(),
  title: Type.String(),
  department: Type.String(),
  mode: Type.String(),
  stages: Stages,
});
export const FunnelStats = Type.Object({
  department: Type.Union([Type.String(), Type.Null()]),
  unit: Type.Literal('entity_item', { description: '每级按（主体, 事项）对计数 / every stage counts (entity, item) pairs' }),
  stages: Stages,
  items: Type.Array(FunnelItem, { description: '在施事项，按符合条件数降序 / items in force, most eligible first' }),
});
export type FunnelStats = Static<typeof FunnelStats>;
export type FunnelStages = Static<typeof Stages>;

const MoneyRow = Type.Object({
  key: Type.String(),
  label: Label,
  committed: Money,
  committed_cases: Type.Integer(),
  paid: Money,
  paid_cases: Type.Integer(),
});
export type MoneyRow = Static<typeof MoneyRow>;
export const MoneyStats = Type.Object({
  department: Type.Union([Type.String(), Type.Null()]),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  definitions: Type.Object({
    committed: Type.String(),
    paid: Type.String(),
  }),
  total: MoneyRow,
  by_month: Type.Array(MoneyRow, { description: 'YYYY-MM，按承诺或支付日期 / by the date of the commitment or of the payment' }),
  by_county: Type.Array(MoneyRow, { description: '县市区与功能区（功能区从东昌府区中分出）/ counties and functional zones (zones taken out of 东昌府区)' }),
  by_industry: Type.Array(MoneyRow, { description: '国民经济行业门类；个人为 person / industry section; persons are "person"' }),
});
export type MoneyStats = Static<typeof MoneyStats>;
