// Request and response shapes of the catalogue API. The OpenAPI document is generated
// from these, and Fastify serialises responses through them (unlisted properties are
// dropped), so they list every property a handler returns.
import { Type, type Static } from 'typebox';
import { Page } from '../../http/schemas.ts';

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
const DateText = (description?: string) => Type.String({ pattern: DATE_PATTERN, ...(description ? { description } : {}) });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Audience = Type.Union([Type.Literal('enterprise'), Type.Literal('person')]);
export const Mode = Type.Union([Type.Literal('auto'), Type.Literal('online'), Type.Literal('offline')], { description: 'auto 免申即享 | online 网上申请 | offline 线下办理' });
export const STATUSES = ['draft', 'submitted', 'approved', 'published', 'superseded', 'expired', 'withdrawn', 'rejected'] as const;
export const VersionStatus = Type.Union([
  Type.Literal('draft'), Type.Literal('submitted'), Type.Literal('approved'), Type.Literal('published'),
  Type.Literal('superseded'), Type.Literal('expired'), Type.Literal('withdrawn'), Type.Literal('rejected'),
]);

/** A rule as the engine's AST (docs/rule-language.md); see engine/src/ast/ast.ts. */
const Ast = Type.Object({ op: Type.String() }, { additionalProperties: true, description: '规则语法树 / rule AST (engine/src/ast/ast.ts)' });
const RuleInput = Type.Union([Type.String({ minLength: 1, maxLength: 1_000_000, description: '规则文本 / rule text' }), Ast]);

const ParamValueIn = Type.Union([
  Type.Object({ kind: Type.Literal('num'), value: Type.String() }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('bool'), value: Type.Boolean() }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('date'), value: DateText() }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('text'), value: Type.String() }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('list'), value: Type.Array(Type.String()) }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('tiers'), rows: Type.Array(Type.Object({ min: Type.Optional(Type.String()), max: Type.Optional(Type.String()), value: Type.String() }, { additionalProperties: false })) },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('map'), entries: Type.Record(Type.String(), Type.String()), default: Type.Optional(Type.String()) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('expr'), expr: Type.Optional(Ast), text: Type.Optional(Type.String({ maxLength: 100_000 })) }, { additionalProperties: false }),
]);

const Label = Type.Object({ zh: Type.String(), en: Type.Optional(Type.String()) });
const ParamType = Type.Union([
  Type.Literal('int'), Type.Literal('dec'), Type.Literal('bool'), Type.Literal('date'),
  Type.Literal('text'), Type.Literal('list'), Type.Literal('tiers'), Type.Literal('map'),
]);

const paramDef = <V extends typeof ParamValueIn | ReturnType<typeof Type.Unknown>>(value: V, strict: boolean) =>
  Type.Object(
    {
      name: Type.String({ pattern: '^[a-z_][a-z0-9_]*$' }),
      type: ParamType,
      label: Type.Optional(Label),
      unit: Type.Optional(Type.String()),
      versions: Type.Array(
        Type.Object(
          { from: DateText(), to: Type.Optional(DateText()), value, source: Type.Optional(Type.String()), note: Type.Optional(Type.String()) },
          { additionalProperties: !strict },
        ),
      ),
    },
    { additionalProperties: !strict },
  );

const itemFields = <R extends typeof RuleInput | typeof Ast, V extends typeof ParamValueIn | ReturnType<typeof Type.Unknown>>(rule: R, paramValue: V, strict: boolean) => ({
  id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 100 }),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  title_en: Type.Optional(Type.String({ maxLength: 300 })),
  department: Type.String({ minLength: 1, maxLength: 40 }),
  region_scope: Type.Array(Type.String({ maxLength: 20 }), { minItems: 1, maxItems: 200 }),
  audience: Audience,
  mode: Mode,
  valid_from: DateText('生效日期 / in force from'),
  valid_to: Type.Optional(DateText('失效日期（含）/ in force until, inclusive')),
  window: Type.Optional(Type.Object({ from: DateText(), to: Type.Optional(DateText()) }, { additionalProperties: false })),
  eligibility: rule,
  amount: Type.Optional(rule),
  amount_unit: Type.Optional(Type.String()),
  period: Type.Optional(Type.Union([Type.Literal('once'), Type.Literal('year'), Type.Literal('month')])),
  params: strict ? Type.Optional(Type.Array(paramDef(paramValue, strict))) : Type.Array(paramDef(paramValue, strict)),
  quota: Type.Optional(Type.Object({ count: Type.Optional(Type.Integer({ minimum: 0 })), budget: Type.Optional(Type.String()) }, { additionalProperties: false })),
  stacking_group: Type.Optional(Type.String()),
  materials: strict ? Type.Optional(Type.Array(Material)) : Type.Array(Material),
  review_steps: strict ? Type.Optional(Type.Array(ReviewStep)) : Type.Array(ReviewStep),
  statutory_days: Type.Integer({ minimum: 0 }),
  confirm_intent: Type.Optional(Type.Boolean()),
  tags: Type.Optional(Type.Array(Type.String())),
  summary: Type.Optional(Type.String()),
  source_note: Type.Optional(Type.String()),
  cases: strict ? Type.Optional(Type.Array(TestCase)) : Type.Array(TestCase),
  eligibility_text: Type.Optional(Type.String()),
  amount_text: Type.Optional(Type.String()),
});

const Material = Type.Object({ name: Type.String(), provided_by: Type.Optional(Type.String()), required: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
const ReviewStep = Type.Object(
  { name: Type.String(), department: Type.Optional(Type.String()), days: Type.Integer({ minimum: 0 }), parallel_group: Type.Optional(Type.String()), county: Type.Optional(Type.Boolean({ description: '属地办理：由申请人所在县（市、区）的对口部门办理 / done by the county counterpart in the applicant\'s county' })) },
  { additionalProperties: false },
);
const TestCase = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    date: DateText(),
    facts: Type.Record(Type.String(), Type.Unknown()),
    expect: Type.Object(
      {
        verdict: Type.Union([Type.Literal('eligible'), Type.Literal('ineligible'), Type.Literal('undetermined')]),
        amount: Type.Optional(Nullable(Type.String())),
        missing: Type.Optional(Type.Array(Type.String())),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** A policy item in JSON, as the visual editor sends it: rules as text or as AST. */
export const ItemInput = Type.Object(itemFields(RuleInput, ParamValueIn, true), { additionalProperties: false });
export type ItemInput = Static<typeof ItemInput>;

/** The stored item (engine PolicyItem): rules as AST, positions stripped. */
export const PolicyItemBody = Type.Object({ ...itemFields(Ast, Type.Unknown(), false), document_id: Type.String(), version: Type.Integer() }, { additionalProperties: true });

const YamlText = Type.String({ minLength: 1, maxLength: 10 * 1024 * 1024, description: '政策文件（docs/policy-files.md）/ a policy file' });
/** Either `yaml` (a whole policy file), or `document_id` and `item` (one item as JSON). */
export const DraftBody = Type.Object(
  { yaml: Type.Optional(YamlText), document_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), item: Type.Optional(ItemInput) },
  { additionalProperties: false, description: '二选一：yaml，或 document_id 与 item / either yaml, or document_id with item' },
);
export type DraftBody = Static<typeof DraftBody>;

/** Either `yaml` (a policy file holding this item) or `item` (JSON). */
export const UpdateDraftBody = Type.Object({ yaml: Type.Optional(YamlText), item: Type.Optional(ItemInput) }, { additionalProperties: false });
export type UpdateDraftBody = Static<typeof UpdateDraftBody>;

export const TransitionBody = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1, description: '期望操作的版本（防止并发误操作）/ the version you mean' })) },
  { additionalProperties: false },
);
export const ReasonBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 2000 }), version: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

export const VersionMeta = Type.Object({
  item_id: Type.String(),
  version: Type.Integer(),
  status: VersionStatus,
  title: Type.String(),
  audience: Audience,
  mode: Mode,
  region_scope: Type.Array(Type.String()),
  valid_from: Type.String(),
  valid_to: Nullable(Type.String()),
  created_by: Nullable(Type.String()),
  created_at: Type.String(),
  submitted_by: Nullable(Type.String()),
  submitted_at: Nullable(Type.String()),
  approved_by: Nullable(Type.String()),
  approved_at: Nullable(Type.String()),
  published_at: Nullable(Type.String()),
  ended_at: Nullable(Type.String()),
  note: Nullable(Type.String({ description: '退回或撤回的理由 / reason of a rejection or withdrawal' })),
});
export type VersionMeta = Static<typeof VersionMeta>;

export const RuleView = Type.Object({
  eligibility_text: Type.String({ description: '规则文本（规范形式）/ the rule as canonical text' }),
  eligibility_zh: Type.Array(Type.String(), { description: '资格条件的白话说明 / the conditions in plain Chinese' }),
  amount_text: Nullable(Type.String()),
  eligibility_en: Type.Array(Type.String(), { description: 'the conditions in plain English, one line each (nested groups indented)' }),
  amount_zh: Nullable(Type.String()),
  amount_en: Nullable(Type.String()),
  region_names: Type.Array(Type.String()),
  region_names_en: Type.Array(Type.String(), { description: 'region names in English (Dongchangfu District)' }),
  params_on: Nullable(Type.String({ description: '白话说明中参数取值的日期 / date of the parameter values shown' })),
});

export const VersionView = Type.Object({ ...VersionMeta.properties, body: PolicyItemBody, rule: RuleView });
export type VersionView = Static<typeof VersionView>;

export const ItemSummary = Type.Object({
  id: Type.String(),
  document_id: Type.String(),
  document_title: Type.String(),
  department: Type.String(),
  department_name: Type.String(),
  version: Type.Integer(),
  status: VersionStatus,
  title: Type.String(),
  title_en: Nullable(Type.String()),
  audience: Audience,
  mode: Mode,
  region_scope: Type.Array(Type.String()),
  valid_from: Type.String(),
  valid_to: Nullable(Type.String()),
  window: Nullable(Type.Object({ from: Type.String(), to: Type.Optional(Type.String()) })),
  amount_unit: Nullable(Type.String()),
  summary: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  published_at: Nullable(Type.String()),
});
export type ItemSummary = Static<typeof ItemSummary>;

export const ItemDetail = Type.Object({
  id: Type.String(),
  document_id: Type.String(),
  document_title: Type.String(),
  department: Type.String(),
  department_name: Type.String(),
  published_version: Nullable(Type.Integer()),
  latest_version: Type.Integer(),
  current: Nullable(VersionView),
  draft: Nullable(VersionView),
});

export const DocumentSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  number: Type.String(),
  issuers: Type.Array(Type.String()),
  published_on: Type.String(),
  valid_from: Nullable(Type.String()),
  valid_to: Nullable(Type.String()),
  url: Nullable(Type.String()),
  summary: Type.String(),
  item_count: Type.Integer({ description: '已发布事项数 / published items' }),
});
export const DocumentDetail = Type.Object({ ...DocumentSummary.properties, interpretation: Type.String(), items: Type.Array(ItemSummary) });

const paged = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), page_size: Type.Integer() });
export const DocumentPage = paged(DocumentSummary);
export const ItemPage = paged(ItemSummary);

export const DocumentsQuery = Type.Object({
  ...Page.properties,
  department: Type.Optional(Type.String({ maxLength: 40 })),
  region: Type.Optional(Type.String({ maxLength: 20 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
});
export type DocumentsQuery = Static<typeof DocumentsQuery>;
export const ItemsQuery = Type.Object({
  ...DocumentsQuery.properties,
  audience: Type.Optional(Audience),
  mode: Type.Optional(Mode),
  open_on: Type.Optional(DateText('在此日期处于有效期和申报期内 / in force and open on this date')),
});
export type ItemsQuery = Static<typeof ItemsQuery>;

export const VersionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), version: Type.Integer({ minimum: 1 }) });
export const DiffQuery = Type.Object({ from: Type.Optional(Type.Integer({ minimum: 1 })), to: Type.Optional(Type.Integer({ minimum: 1 })) });

const FieldChange = Type.Object({ field: Type.String(), label: Type.String(), before: Type.Unknown(), after: Type.Unknown() });
const RuleDiff = Type.Object({
  before: Nullable(Type.String()),
  after: Nullable(Type.String()),
  lines: Type.Array(Type.Object({ op: Type.Union([Type.Literal(' '), Type.Literal('-'), Type.Literal('+')]), text: Type.String() })),
});
export const VersionDiff = Type.Object({
  item_id: Type.String(),
  from: Type.Integer(),
  to: Type.Integer(),
  identical: Type.Boolean(),
  fields: Type.Array(FieldChange),
  eligibility: Nullable(RuleDiff),
  amount: Nullable(RuleDiff),
  params: Type.Array(
    Type.Object({
      name: Type.String(),
      change: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
      label: Nullable(Type.String()),
      fields: Type.Array(FieldChange),
      versions: Type.Array(
        Type.Object({
          from: Type.String(),
          change: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
          before: Nullable(Type.String()),
          after: Nullable(Type.String()),
        }),
      ),
    }),
  ),
  cases: Type.Object({ added: Type.Array(Type.String()), removed: Type.Array(Type.String()), changed: Type.Array(Type.String()) }),
  zh: Type.Array(Type.String(), { description: '中文差异说明，一行一条 / the diff in Chinese, one line each' }),
});

export const DraftResult = Type.Object({ document_id: Type.String(), versions: Type.Array(VersionMeta) });
export const PublishResult = Type.Object({ ...VersionMeta.properties, match_job_id: Type.String({ description: '匹配任务 / the match.item job' }) });

export const Notice = Type.Object({
  id: Type.String(),
  department: Type.String(),
  kind: Type.String(),
  subject: Type.String(),
  title: Type.String(),
  body: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
  due_on: Nullable(Type.String()),
  created_at: Type.String(),
  read_at: Nullable(Type.String()),
});
export const NoticePage = paged(Notice);
export const DepartmentParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) });

export const DepartmentItem = Type.Object({
  id: Type.String(),
  document_id: Type.String(),
  title: Type.String(),
  latest_version: Type.Integer(),
  status: VersionStatus,
  published_version: Nullable(Type.Integer()),
  mode: Mode,
  audience: Audience,
  updated_at: Type.String(),
});
export const DepartmentItemPage = paged(DepartmentItem);
export const DepartmentItemsQuery = Type.Object({
  ...Page.properties,
  status: Type.Optional(VersionStatus),
  q: Type.Optional(Type.String({ maxLength: 100 })),
});
