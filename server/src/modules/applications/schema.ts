// Request and response schemas of applications, reviews, the calendar and the deadline scan.
import { Type, type Static, type TSchema } from 'typebox';

const N = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.String({ pattern: '^[0-9]{1,18}$' });

export const AppParams = Type.Object({ id: Id });
export const FileParams = Type.Object({ id: Id, fileId: Id });
export const StepParams = Type.Object({ stepId: Id });

export const StartBody = Type.Object({ item_id: Type.String({ minLength: 1, maxLength: 100, description: '政策事项编号 / item id' }) }, { additionalProperties: false });
export type StartBody = Static<typeof StartBody>;

export const FormBody = Type.Object(
  { fields: Type.Record(Type.String({ maxLength: 60 }), Type.Unknown(), { description: '字段 → 申请人填报的值；null 撤销填报 / field → declared value; null removes it' }) },
  { additionalProperties: false },
);
export type FormBody = Static<typeof FormBody>;

export const MaterialQuery = Type.Object({ material: Type.Optional(Type.String({ maxLength: 200, description: '材料名称（也可作为表单字段 material 放在文件之前）/ material name' })) });

export const ApproveBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export const RejectBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500, description: '不予批准的理由（告知申请人）/ reason, shown to the applicant' }) }, { additionalProperties: false });
export const ReturnBody = Type.Object(
  {
    reason: Type.String({ minLength: 2, maxLength: 500, description: '退回理由 / reason' }),
    fields: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50, description: '需补正的申请表字段 / form fields to correct' })),
    materials: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50, description: '需重新上传的材料 / materials to upload again' })),
    extra_materials: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 20, description: '补充材料：本事项材料清单以外、需申请人补充上传的材料 / documents outside the item\'s list the applicant is asked to upload' })),
  },
  { additionalProperties: false },
);
export type ReturnBody = Static<typeof ReturnBody>;

const FieldView = Type.Object({
  field: Type.String(), label: Type.String(), label_en: Type.String(), value: N(Type.String()), source: N(Type.String()), source_label: N(Type.String()),
  as_of: N(Type.String()), declared: Type.Boolean(), sensitive: Type.Boolean(),
});
const Evidence = Type.Object({
  verdict: Type.String(), date: Type.String(), amount: N(Type.String()),
  missing: Type.Array(Type.Object({ field: Type.String(), label: Type.String() })),
  explanation: Type.Unknown({ description: '匹配说明（个人信息的实际值已隐去）/ explanation, personal values left out' }),
});
const MaterialView = Type.Object({
  name: Type.String(), required: Type.Boolean(), supplementary: Type.Boolean({ description: '补充材料（退回补正时要求）/ asked for by a return' }),
  status: Type.Union([Type.Literal('provided'), Type.Literal('uploaded'), Type.Literal('missing'), Type.Literal('optional')], { description: 'provided 零材料（数据源提供）| uploaded | missing | optional' }),
  provided_by: N(Type.String()), source_label: N(Type.String()),
  file: N(Type.Object({ id: Type.String(), filename: Type.String(), type: Type.String(), size: Type.Integer(), sha256: Type.String(), uploaded_at: Type.String() })),
});
const Corrections = N(Type.Object({ fields: Type.Array(Type.String()), materials: Type.Array(Type.String()) }));
export const StepView = Type.Object({
  id: Type.String(), seq: Type.Integer(), stage: Type.Integer(), name: Type.String(), department: Type.String(), department_name: Type.String(),
  status: Type.String(), status_label: Type.String(), round: Type.Integer(), started_on: N(Type.String()), deadline: N(Type.String()),
  remaining_working_days: N(Type.Integer()), remaining_text: N(Type.String()), overdue: Type.Boolean(), decided_at: N(Type.String()), note: N(Type.String()),
  corrections: Corrections,
});
const TimelineEntry = Type.Object({ event: Type.String(), label: Type.String(), label_en: Type.String(), step: N(Type.String()), at: Type.String(), detail: Type.Unknown() });

export const ApplicationView = Type.Object({
  id: Type.String(),
  entity_id: Type.String(),
  item: Type.Object({ id: Type.String(), version: Type.Integer(), title: Type.String(), department: Type.String(), department_name: Type.String(), statutory_days: Type.Integer() }),
  period: Type.String(),
  status: Type.String({ description: 'draft | submitted | in_review | returned | approved | rejected | withdrawn | batched | paid | payment_failed' }),
  status_label: Type.String(),
  round: Type.Integer(),
  amount: N(Type.String({ description: '核定金额（批准时由规则引擎计算）/ amount computed at approval' })),
  amount_unit: N(Type.String()),
  reason: N(Type.String()),
  submitted_at: N(Type.String()),
  decided_at: N(Type.String()),
  created_at: Type.String(),
  form: Type.Array(FieldView),
  evidence: N(Evidence),
  materials: Type.Array(MaterialView),
  steps: Type.Array(StepView),
  timeline: Type.Array(TimelineEntry),
});

export const ApplicationSummary = Type.Object({
  id: Type.String(), item_id: Type.String(), item_title: Type.String(), period: Type.String(), status: Type.String(), status_label: Type.String(),
  amount: N(Type.String()), submitted_at: N(Type.String()), decided_at: N(Type.String()),
  open_steps: Type.Array(Type.Object({ name: Type.String(), deadline: N(Type.String()), remaining_text: N(Type.String()) })),
});

export const QueueQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('decided'), Type.Literal('all')], { default: 'open' })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export type QueueQuery = Static<typeof QueueQuery>;

export const ReviewPage = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      step: Type.Object({
        ...StepView.properties,
        can_decide: Type.Boolean({ description: '当前用户可否通过本环节 / may the reader approve this step now' }),
        can_return: Type.Boolean({ description: '可否退回补正 / may the reader return it' }),
        can_reject: Type.Boolean({ description: '可否不予批准 / may the reader reject it' }),
        why_not: N(Type.Object({ zh: Type.String(), en: Type.String() }, { description: '不能通过的原因（四眼原则、终审须审核人等）/ why the reader may not approve' })),
        deciders: Type.Array(Type.String(), { description: '本部门现可通过本环节的人员 / who in the department may approve it now' }),
      }),
      application: Type.Object({
        id: Type.String(), status: Type.String(), status_label: Type.String(), item_id: Type.String(), item_title: Type.String(),
        applicant: Type.String({ description: '企业名称；个人姓名脱敏 / enterprise name; a person is masked' }), applicant_kind: Type.String(), submitted_at: N(Type.String()), round: Type.Integer(),
      }),
      evidence: Type.Object({ form: Type.Array(FieldView), verdict: N(Evidence) }),
      materials: Type.Array(MaterialView),
    }),
  ),
});

export const CalendarDay = Type.Object({
  day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  working: Type.Boolean({ description: 'true 调休上班 | false 放假 / true: weekend day worked; false: day off' }),
  note: Type.String({ maxLength: 100 }),
});
export const CalendarQuery = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
export const CalendarPut = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }), days: Type.Array(CalendarDay, { maxItems: 366 }) }, { additionalProperties: false });
export type CalendarPut = Static<typeof CalendarPut>;

export const ScanResult = Type.Object({ date: Type.String(), reminded: Type.Integer(), escalated: Type.Integer(), enqueued: Type.Integer() });
