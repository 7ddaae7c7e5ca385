// Request and response shapes of the grants API (OpenAPI is generated from these; Fastify
// serialises responses through them, so they list every property a handler returns).
import { Type, type Static } from 'typebox';
import { Page } from '../../http/schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text2 = Type.Object({ zh: Type.String(), en: Type.String() });

export const GRANT_STATUSES = ['pending_confirmation', 'granted', 'superseded', 'blocked_budget', 'blocked_quota', 'cancelled', 'batched', 'paid', 'payment_failed'] as const;
export const GrantStatus = Type.Union(GRANT_STATUSES.map((s) => Type.Literal(s)), {
  description: 'pending_confirmation 待确认 | granted 已发放 | superseded 被同组更高待遇取代 | batched 已入拨付批次 | paid 已到账 | payment_failed 拨付失败 | cancelled 已撤销',
});

export const EvidenceFact = Type.Object({
  field: Type.String({ description: '字段 / field' }),
  label: Text2,
  source: Type.String({ description: '数据来源系统 / source system' }),
  source_label: Text2,
  as_of: Nullable(Type.String({ description: '数据截至日期 / as of' })),
  // Only the entity itself sees values, personal ones masked; department staff see none.
  value: Type.Optional(Type.Unknown({ description: '取值（仅主体本人可见；个人敏感信息脱敏）/ value (the entity only; personal values masked)' })),
  fact_id: Type.Optional(Type.String({ description: '事实记录编号 / facts history row' })),
});

export const Evidence = Type.Object({
  date: Type.String({ description: '发放评估日 / run date' }),
  item_version: Type.Integer(),
  formula: Nullable(Type.String({ description: '金额公式（规则代码，供核查）/ amount formula (rule code, for checking)' })),
  formula_words: Nullable(Text2), // 金额公式的白话说明 / the amount formula in words
  item_amount: Type.String({ description: '本事项测算金额 / the item amount' }),
  cause: Type.Object({
    kind: Type.Union([Type.Literal('match_event'), Type.Literal('item_set')]),
    match_event_id: Type.Optional(Type.String()),
    at: Type.String({ description: '符合条件时间 / eligible since' }),
  }),
  facts: Type.Array(EvidenceFact),
});

export const GrantView = Type.Object({
  id: Type.String(),
  entity_id: Type.String(),
  entity_name: Nullable(Type.String({ description: '主体名称（个人已脱敏）/ entity name (persons masked)' })),
  item_id: Type.String(),
  item_version: Type.Integer(),
  item_title: Type.String(),
  department: Type.String(),
  period_key: Type.String({ description: "期间：'2025'、'2025-06' 或 'once' / period" }),
  amount: Type.String({ description: '本笔发放金额（元）/ amount of this grant' }),
  item_amount: Type.String({ description: '事项测算金额；同组已发部分扣除后为 amount / the item amount before stacking' }),
  status: GrantStatus,
  stacking_group: Nullable(Type.String()),
  superseded_by: Nullable(Type.String()),
  match_event_id: Nullable(Type.String()),
  first_eligible_at: Type.String(),
  confirmed_at: Nullable(Type.String()),
  created_at: Type.String(),
  contested: Type.Boolean(),
  evidence: Evidence,
});
export type GrantView = Static<typeof GrantView>;

export const GrantParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });
export const ItemParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const GrantQuery = Type.Object({
  ...Page.properties,
  status: Type.Optional(GrantStatus),
  period: Type.Optional(Type.String({ maxLength: 10, pattern: '^(once|\\d{4}(-\\d{2})?)$' })),
});
export type GrantQuery = Static<typeof GrantQuery>;

export const GrantPage = Type.Object({ items: Type.Array(GrantView), total: Type.Integer(), page: Type.Integer(), page_size: Type.Integer() });

export const ItemGrants = Type.Object({
  item_id: Type.String(),
  counts: Type.Array(Type.Object({ period_key: Type.String(), status: GrantStatus, count: Type.Integer(), amount: Type.String() })),
  ledger: Type.Array(Type.Object({ period_key: Type.String(), spent: Type.String(), granted_count: Type.Integer() })),
  ...GrantPage.properties,
});

export const ContestBody = Type.Object({
  reason: Type.String({ minLength: 2, maxLength: 2000, description: '异议理由 / why the grant is wrong' }),
});
export type ContestBody = Static<typeof ContestBody>;

export const ContestResult = Type.Object({ contest_id: Type.String(), grant: GrantView });

export const ContestParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });
export const ContestQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('all')], { default: 'open' })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export type ContestQuery = Static<typeof ContestQuery>;
export const ResolveBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('uphold'), Type.Literal('dismiss')], { description: 'uphold 异议成立（撤销或更正兑现）| dismiss 异议不成立' }),
    reason: Type.String({ minLength: 2, maxLength: 2000, description: '处理理由（告知申请主体）/ reason, told to the entity' }),
    amount: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}(\\.[0-9]{1,2})?$', description: '异议成立时的更正金额（元）；不填则撤销该笔兑现 / corrected amount when upheld; without it the grant is cancelled' })),
  },
  { additionalProperties: false },
);
export type ResolveBody = Static<typeof ResolveBody>;
const NS = Type.Union([Type.String(), Type.Null()]);
export const ContestView = Type.Object({
  id: Type.String(), grant_id: Type.String(), entity_id: Type.String(), entity_name: NS, item_id: Type.String(), item_title: Type.String(),
  department: Type.String(), period_key: Type.String(), amount: Type.String({ description: '兑现当前金额 / the grant\'s amount now' }), grant_status: Type.String(),
  reason: Type.String({ description: '异议理由 / the entity\'s reason' }), created_at: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('dismissed')]),
  outcome: Type.Union([Type.Literal('cancelled'), Type.Literal('corrected'), Type.Null()]),
  old_amount: NS, new_amount: NS, resolution: NS, resolved_by: NS, resolved_at: NS,
});
export type ContestView = Static<typeof ContestView>;
export const ContestPage = Type.Object({ total: Type.Integer(), items: Type.Array(ContestView) });
