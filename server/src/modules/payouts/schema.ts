// Request and response shapes of payouts (R7) and the time-to-money report. Account numbers
// and persons' names appear here only masked; the clear values leave only in the export file.
import { Type, type Static } from 'typebox';

export const CaseType = Type.Union([Type.Literal('grant'), Type.Literal('application')]);
export type CaseType = Static<typeof CaseType>;

export const BatchStatus = Type.Union([Type.Literal('draft'), Type.Literal('exported'), Type.Literal('reconciled'), Type.Literal('partially_failed')]);
export type BatchStatus = Static<typeof BatchStatus>;

export const LineStatus = Type.Union([Type.Literal('pending'), Type.Literal('exported'), Type.Literal('paid'), Type.Literal('failed')]);
export type LineStatus = Static<typeof LineStatus>;

const Money = Type.String({ pattern: '^-?[0-9]+\\.[0-9]{2}$', description: '金额（元，两位小数）/ amount in yuan, two decimals' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Batch = Type.Object({
  id: Type.String(),
  department: Type.String(),
  status: BatchStatus,
  created_by: Nullable(Type.String()),
  created_at: Type.String(),
  exported_at: Nullable(Type.String()),
  reconciled_at: Nullable(Type.String()),
  file_sha256: Nullable(Type.String()),
  file_format: Nullable(Type.String()),
  line_count: Type.Integer(),
  total_amount: Money,
});
export type Batch = Static<typeof Batch>;

export const Line = Type.Object({
  id: Type.String(),
  batch_id: Type.String(),
  case_type: CaseType,
  case_id: Type.String(),
  attempt: Type.Integer(),
  entity_id: Type.String(),
  item_id: Type.String(),
  payee: Type.String({ description: '收款人（个人姓名脱敏）/ payee (a person’s name masked)' }),
  account: Type.String({ description: '收款账号（脱敏，如 6228 **** **** 8888）/ account, masked' }),
  amount: Money,
  reference: Type.String(),
  status: LineStatus,
  bank_ref: Nullable(Type.String()),
  failure_reason: Nullable(Type.String()),
  paid_at: Nullable(Type.String()),
});
export type Line = Static<typeof Line>;

export const Skipped = Type.Object({
  case_type: CaseType,
  case_id: Type.String(),
  reason: Type.Union([Type.Literal('no_bank_account'), Type.Literal('no_amount')]),
});
export type Skipped = Static<typeof Skipped>;

export const CreatedBatch = Type.Object({
  batch: Batch,
  skipped: Type.Array(Skipped, { description: '未能入批的案件（缺收款账号或金额），下次建批时再取 / cases left out (no account or amount); taken up by a later batch' }),
});

export const BatchList = Type.Object({ items: Type.Array(Batch), total: Type.Integer() });
export const LineList = Type.Object({ items: Type.Array(Line), total: Type.Integer() });

export const ListBatchesQuery = Type.Object({
  department: Type.Optional(Type.String({ maxLength: 40 })),
  status: Type.Optional(BatchStatus),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
});
export type ListBatchesQuery = Static<typeof ListBatchesQuery>;

export const ListLinesQuery = Type.Object({
  status: Type.Optional(LineStatus),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});
export type ListLinesQuery = Static<typeof ListLinesQuery>;

export const ExportQuery = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { default: 'csv' })) });
export type ExportQuery = Static<typeof ExportQuery>;

export const RowError = Type.Object({
  row: Type.Integer({ description: '文件中的行号（表头为第 1 行）/ row number in the file, header = 1' }),
  code: Type.String(),
  field: Type.Optional(Type.String()),
  message: Type.String(),
  message_en: Type.String(),
});
export type RowError = Static<typeof RowError>;

export const ImportSummary = Type.Object({
  batch_id: Type.String(),
  rows: Type.Integer(),
  paid: Type.Integer({ description: '本次新记为已支付 / newly recorded as paid' }),
  failed: Type.Integer({ description: '本次新记为失败 / newly recorded as failed' }),
  unchanged: Type.Integer({ description: '此前已记录同样结果 / already recorded with the same answer' }),
  unanswered: Type.Integer({ description: '批次中仍无银行结果的明细 / lines of the batch still without an answer' }),
  status: BatchStatus,
});
export type ImportSummary = Static<typeof ImportSummary>;

const Tally = Type.Object({ lines: Type.Integer(), amount: Money });
export const Reconciliation = Type.Object({
  batch: Batch,
  exported: Tally,
  paid: Tally,
  failed: Tally,
  unanswered: Tally,
  /** Lines the bank has not answered yet (masked), so the officer can chase them. */
  unanswered_lines: Type.Array(Line),
  failed_lines: Type.Array(Line),
  balanced: Type.Boolean({ description: '已支付 + 失败 + 未回复 = 导出总额 / paid + failed + unanswered = exported' }),
});
export type Reconciliation = Static<typeof Reconciliation>;

export const TimeToMoneyQuery = Type.Object({
  group: Type.Optional(Type.Union([Type.Literal('item'), Type.Literal('department')], { default: 'item' })),
  from: Type.Optional(Type.String({ format: 'date', description: '首次符合条件日期起 / cases first eligible on or after' })),
  to: Type.Optional(Type.String({ format: 'date', description: '首次符合条件日期止 / … on or before' })),
  department: Type.Optional(Type.String({ maxLength: 40 })),
});
export type TimeToMoneyQuery = Static<typeof TimeToMoneyQuery>;

const Days = Nullable(Type.Number());
export const Stage = Type.Object({
  from: Type.String({ description: '起点事件（first_eligible、notified、applied、step:<名称>、approved）/ the stage’s first event' }),
  to: Type.String(),
  cases: Type.Integer(),
  median_days: Days,
  p90_days: Days,
});
export const TimeToMoneyGroup = Type.Object({
  key: Type.String({ description: '事项编号或部门代码 / item id or department code' }),
  department: Type.String(),
  cases: Type.Integer(),
  paid: Type.Integer(),
  eligible_to_paid: Type.Object({ cases: Type.Integer(), median_days: Days, p90_days: Days }),
  applied_to_approved: Type.Object({ cases: Type.Integer(), median_days: Days, p90_days: Days }),
  statutory_days: Type.Array(Type.Integer(), { description: '承诺时限（工作日）；部门为其事项的各值 / statutory working days; for a department, those of its items' }),
  paid_within_statutory: Type.Integer(),
  open: Type.Integer({ description: '计时已开始、尚未拨付的在办案件 / cases whose clock runs and that are not paid yet' }),
  overdue_now: Type.Integer({ description: '其中已超过承诺时限的 / of those, past the statutory limit today' }),
  stages: Type.Array(Stage, { description: '各环节用时（自然日）/ days spent in each stage' }),
});
export type TimeToMoneyGroup = Static<typeof TimeToMoneyGroup>;

export const TimeToMoneyReport = Type.Object({
  group: Type.Union([Type.Literal('item'), Type.Literal('department')]),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  as_of: Type.String(),
  calendar: Type.Literal('working_days', { description: '逾期按工作日历（calendar_days 的节假日与调休）计算 / overdue is counted in working days (holidays and 调休 of calendar_days)' }),
  groups: Type.Array(TimeToMoneyGroup),
});
export type TimeToMoneyReport = Static<typeof TimeToMoneyReport>;
