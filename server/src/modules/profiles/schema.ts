// Request and response shapes of the profiles API (responses list every property: Fastify
// drops unlisted ones when it serialises).
import { Type, type Static } from 'typebox';

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Kind = Type.Union([Type.Literal('enterprise'), Type.Literal('person')]);

export const EntityParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });
export const SourceParams = Type.Object({ source: Type.String({ minLength: 1, maxLength: 40 }) });
export const SourceImportParams = Type.Object({ source: Type.String({ minLength: 1, maxLength: 40 }), id: Type.String({ pattern: '^[0-9]{1,18}$' }) });

export const ReadQuery = Type.Object({
  unmask: Type.Optional(Type.Boolean({ description: '显示未脱敏的个人信息（本人；管理员须填 reason）/ show personal data unmasked (own profile; admins give a reason)' })),
  reason: Type.Optional(Type.String({ maxLength: 200, description: '查看原因，记入审计 / why, recorded in the audit log' })),
});
export type ReadQuery = Static<typeof ReadQuery>;

export const HistoryQuery = Type.Object({
  ...ReadQuery.properties,
  field: Type.Optional(Type.String({ maxLength: 80 })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});
export type HistoryQuery = Static<typeof HistoryQuery>;

export const EntityView = Type.Object({
  id: Type.String(),
  kind: Kind,
  display_name: Nullable(Type.String()),
  region: Nullable(Type.String()),
  version: Type.Integer(),
  updated_at: Type.String(),
  facts: Type.Record(Type.String(), Type.Unknown(), { description: '当前事实（个人信息默认脱敏）/ current facts, personal data masked by default' }),
  masked: Type.Array(Type.String(), { description: '脱敏显示的字段 / fields shown masked' }),
});

export const FactView = Type.Object({
  field: Type.String(),
  label: Type.String(),
  value: Type.Unknown(),
  masked: Type.Boolean(),
  source: Type.String({ description: '数据来源系统 / source system' }),
  as_of: Type.String({ description: '数据日期 / as-of date' }),
});

export const HistoryView = Type.Object({
  id: Type.String(),
  field: Type.String(),
  value: Type.Unknown({ description: 'null：来源告知未知 / null: the source says unknown' }),
  masked: Type.Boolean(),
  source: Type.String(),
  as_of: Type.String(),
  recorded_at: Type.String(),
  import_id: Nullable(Type.String()),
  record_ref: Nullable(Type.String()),
});

export const DeclareBody = Type.Object({
  field: Type.String({ minLength: 1, maxLength: 80 }),
  value: Type.Unknown({ description: '字段值（JSON 形式：数值、YYYY-MM-DD、代码、代码列表…）/ the value in JSON form' }),
});
export type DeclareBody = Static<typeof DeclareBody>;

export const DeclareResult = Type.Object({ entity_id: Type.String(), version: Type.Integer(), changed: Type.Boolean() });

const Issue = Type.Object({
  field: Type.String(),
  value: Type.Optional(Type.Unknown()),
  message: Type.String(),
  warning: Type.Optional(Type.Boolean()),
});

export const PushBody = Type.Object(
  {
    record_id: Type.String({ minLength: 1, maxLength: 200, description: '来源系统中的记录号 / the record id in the source system' }),
    version: Type.Union([Type.String({ minLength: 1, maxLength: 60 }), Type.Integer({ minimum: 0 })], { description: '记录版本 / record version' }),
    kind: Type.String({ description: 'enterprise | person' }),
    key: Type.Optional(Type.String({ maxLength: 40, description: '统一社会信用代码或公民身份号码 / USCC or citizen ID number' })),
    facts: Type.Record(Type.String(), Type.Unknown()),
    as_of: Type.String({ pattern: DATE }),
  },
  { additionalProperties: false },
);
export type PushBody = Static<typeof PushBody>;

export const PushResult = Type.Object({
  duplicate: Type.Boolean({ description: '重复推送，未作任何改变 / a replay; nothing changed' }),
  stale: Type.Boolean({ description: '已收到更新的版本，未作任何改变 / a newer version was received before; nothing changed' }),
  entity_id: Nullable(Type.String()),
  version: Nullable(Type.Integer()),
  changed: Type.Array(Type.String()),
  warnings: Type.Array(Issue),
});

export const ImportQuery = Type.Object({
  source: Type.Optional(Type.String({ maxLength: 40, description: '数据源（管理员上传时必填）/ source system (admins must give it)' })),
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('ndjson'), Type.Literal('xlsx')])),
  as_of: Type.Optional(Type.String({ pattern: DATE, description: '数据日期，默认今天 / as-of date, today by default' })),
});
export type ImportQuery = Static<typeof ImportQuery>;

export const ImportView = Type.Object({
  id: Type.String(),
  source: Type.String(),
  format: Type.String(),
  filename: Nullable(Type.String()),
  status: Type.Union([Type.Literal('running'), Type.Literal('applied'), Type.Literal('rejected'), Type.Literal('failed')]),
  as_of: Nullable(Type.String()),
  rows_total: Type.Integer(),
  rows_ok: Type.Integer(),
  rows_failed: Type.Integer(),
  rows_flagged: Type.Integer(),
  report: Type.Array(Type.Object({ row: Type.Integer({ description: '表格行号或 NDJSON 行号；0 为整个文件 / spreadsheet row or line; 0 = the file' }), ...Issue.properties })),
  report_truncated: Type.Boolean(),
  stats: Type.Record(Type.String(), Type.Unknown()),
  created_at: Type.String(),
  finished_at: Nullable(Type.String()),
});

export const ConnectorView = Type.Object({
  source: Type.String(),
  label: Type.Object({ zh: Type.String(), en: Type.String() }),
  imports: Type.Integer({ description: '导入次数 / imports so far' }),
  last: Nullable(
    Type.Object({
      id: Type.String(), format: Type.String(), filename: Nullable(Type.String()),
      status: Type.Union([Type.Literal('running'), Type.Literal('applied'), Type.Literal('rejected'), Type.Literal('failed')]),
      rows_total: Type.Integer(), rows_ok: Type.Integer(), rows_failed: Type.Integer(),
      created_at: Type.String(), finished_at: Nullable(Type.String()),
      errors: Type.Array(Type.Object({ row: Type.Integer(), field: Type.String(), message: Type.String() }), { description: '最近一次导入的前几条错误（不含取值）/ the first errors of the last import (without values)' }),
    }),
  ),
  last_applied_at: Nullable(Type.String({ description: '最近一次成功导入的时间 / when data last arrived' })),
});
