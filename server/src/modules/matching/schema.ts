import { Type, type Static } from 'typebox';
import { ItemInput } from '../catalogue/schema.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Date = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Verdict = Type.Union([Type.Literal('eligible'), Type.Literal('ineligible'), Type.Literal('undetermined')]);

export const EntityIdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$', description: '主体编号 / entity id' }) });
export const EntityItemParams = Type.Object({ id: EntityIdParams.properties.id, item: Type.String({ minLength: 1, maxLength: 100 }) });
export const ItemIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export const RunIdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });

/** The one-item route's query: it always answers in full. */
export const ItemMatchQuery = Type.Object({
  as_of: Type.Optional({ ...Date, description: '按该日的数据与当日有效的事项版本重放 / replay with the facts and item versions of that date' }),
  lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')], { description: '只返回一种语言的文字 / texts in one language only' })),
});
export type ItemMatchQuery = Static<typeof ItemMatchQuery>;

export const MatchesQuery = Type.Object({
  ...ItemMatchQuery.properties,
  ineligible: Type.Optional(Type.Boolean({ description: '同时列出适用于该主体但不符合的事项（默认只计数）/ also list the items of its audience and region it does not meet (default: counted only)' })),
  explain: Type.Optional(
    Type.Literal('full', {
      description:
        'full：每个符合与待定事项附逐条件说明（explanation），最接近的几个待定事项附怎样才能符合（counterfactuals），较慢。默认不含二者：逐个事项用 GET /api/v1/entities/{id}/matches/{item} 获取。 / full: every eligible and undetermined item with its condition-by-condition explanation, and the closest undetermined ones with counterfactuals (slower). By default neither: get them per item from GET /api/v1/entities/{id}/matches/{item}.',
    }),
  ),
});
export type MatchesQuery = Static<typeof MatchesQuery>;

export const ItemBrief = Type.Object({
  item: Type.String(),
  version: Type.Integer(),
  title: Type.String(),
  department: Type.String(),
  mode: Type.String(),
  verdict: Verdict,
});

/** An explained verdict: the brief plus the engine's ItemVerdict (explanation, amount, missing, counterfactuals). */
export const ItemMatch = Type.Object(
  {
    ...ItemBrief.properties,
    reason: Type.Optional(Type.Unknown({ description: '先于规则判定的原因（如不在有效期内）/ why, when decided before the rule (e.g. outside validity)' })),
    missing: Type.Optional(
      Type.Array(Type.Unknown(), { description: '缺少的事实（字段、名称、来源、补充提示），按作用排序 / missing facts (field, label, source, hint), ranked' }),
    ),
    amount: Type.Optional(Type.Unknown({ description: '金额、公式与输入 / amount, formula and inputs' })),
    explanation: Type.Optional(
      Type.Unknown({ description: '逐条件说明（列表中仅 explain=full 时给出；单个事项接口总是给出）/ condition by condition (in the list only with explain=full; the one-item route: always)' }),
    ),
    counterfactuals: Type.Optional(
      Type.Array(Type.Unknown(), {
        description:
          '怎样才能符合（列表中仅 explain=full 时给出，且只给最接近的几个待定事项；单个事项接口总是给出）/ what would make it eligible (in the list only with explain=full, for the closest undetermined items; the one-item route: always)',
      }),
    ),
  },
  { additionalProperties: true },
);

const Counts = Type.Object({ eligible: Type.Integer(), undetermined: Type.Integer(), ineligible: Type.Integer() });

export const Matches = Type.Object({
  entity_id: Type.String(),
  kind: Type.String(),
  date: Type.String(),
  replay: Type.Boolean(),
  profile_version: Nullable(Type.Integer()),
  scope: Type.Union([Type.Literal('own'), Type.Literal('admin'), Type.Literal('department')], { description: 'department：仅本部门事项的结论，不含事实 / own department items, verdicts only' }),
  catalogue_items: Type.Integer(),
  counts: Counts,
  eligible: Type.Array(ItemMatch),
  undetermined: Type.Array(ItemMatch),
  ineligible: Type.Array(ItemBrief, { description: '?ineligible=true 时：适用于该主体（对象、地区）但不符合的事项 / with ?ineligible=true: items of its audience and region it does not meet' }),
});

export const EligibleQuery = Type.Object({
  verdict: Type.Optional(Type.Union([Type.Literal('eligible'), Type.Literal('undetermined')])),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
});
export type EligibleQuery = Static<typeof EligibleQuery>;

export const EligiblePage = Type.Object({
  item_id: Type.String(),
  version: Nullable(Type.Integer()),
  computed_at: Nullable(Type.String()),
  as_of: Nullable(Type.String()),
  verdict: Type.String(),
  counts: Type.Object({ eligible: Type.Integer(), undetermined: Type.Integer() }),
  total: Type.Integer(),
  page: Type.Integer(),
  page_size: Type.Integer(),
  entities: Type.Array(
    Type.Object({ entity_id: Type.String(), kind: Type.String(), display_name: Nullable(Type.String({ description: '个人姓名已脱敏 / persons masked' })), region: Nullable(Type.String()) }),
  ),
});

export const SimulateBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1, description: '模拟该版本（默认最新版本）/ the version to simulate (default: the latest)' })),
    item: Type.Optional(ItemInput),
    as_of: Type.Optional({ ...Date, description: '评估日期（默认今天或生效日）/ evaluation date (default: today, or the start of validity)' }),
  },
  { additionalProperties: false },
);
export type SimulateBody = Static<typeof SimulateBody>;

export const DraftSimulateBody = Type.Object(
  {
    item: ItemInput,
    document_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '所属政策文件（可未选）/ its policy document, if chosen' })),
    as_of: Type.Optional({ ...Date, description: '评估日期（默认今天或生效日）/ evaluation date (default: today, or the start of validity)' }),
  },
  { additionalProperties: false },
);
export type DraftSimulateBody = Static<typeof DraftSimulateBody>;

const Breakdown = Type.Object({ code: Type.String(), name: Type.String(), eligible: Type.Integer(), undetermined: Type.Integer(), cost: Type.String() });

export const Simulation = Type.Object({
  item_id: Type.String(),
  version: Nullable(Type.Integer()),
  as_of: Type.String(),
  entities: Type.Integer(),
  eligible: Type.Integer(),
  undetermined: Type.Integer(),
  total_cost: Nullable(Type.String()),
  amount_unknown: Type.Integer(),
  budget: Nullable(Type.String()),
  over_budget: Nullable(Type.Boolean()),
  quota_count: Nullable(Type.Integer()),
  over_quota: Nullable(Type.Boolean()),
  by_county: Type.Array(Breakdown),
  by_industry: Type.Array(Breakdown),
  seconds: Type.Number(),
});

export const SimulateAnswer = Type.Union([
  Type.Object({ status: Type.Literal('done'), result: Simulation }),
  Type.Object({ status: Type.Literal('queued'), run_id: Type.String({ description: 'GET /api/v1/match-runs/{run_id}' }) }),
]);

export const Run = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  as_of: Type.String(),
  entities: Nullable(Type.Integer()),
  items: Nullable(Type.Integer()),
  progress: Type.Number(),
  stats: Type.Unknown(),
  started_at: Nullable(Type.String()),
  finished_at: Nullable(Type.String()),
  created_by: Nullable(Type.String()),
  created_at: Type.String(),
});

export const NewRunBody = Type.Union([
  Type.Object(
    { kind: Type.Literal('full'), reload: Type.Optional(Type.Boolean({ description: '从数据库重新加载人口快照 / reload the population snapshot from the database' })) },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('item'), item_id: Type.String({ minLength: 1, maxLength: 100 }), version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
]);
export type NewRunBody = Static<typeof NewRunBody>;
