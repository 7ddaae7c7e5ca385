// The applications API (R6): applicants start, complete, submit and follow applications;
// department clerks and approvers review them; admins keep the working-day calendar and can
// trigger the deadline scan that the worker runs daily.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Ctx } from '../../context.ts';
import { badInput } from '../../errors.ts';
import { principal } from '../../http/access.ts';
import { errors } from '../../http/schemas.ts';
import { calendarYear, replaceCalendarYear } from './calendar.ts';
import { scanDeadlines } from './deadlines.ts';
import { MAX_MATERIAL_BYTES, readMaterial, tooLarge, uploadMaterial } from './materials.ts';
import { reviewQueue } from './queue.ts';
import { approveStep, rejectStep, returnStep } from './review.ts';
import {
  AppParams, ApplicationSummary, ApplicationView, ApproveBody, CalendarDay, CalendarPut, CalendarQuery, FileParams, FormBody, MaterialQuery,
  QueueQuery, RejectBody, ReturnBody, ReviewPage, ScanResult, StartBody, StepParams, type ReturnBody as ReturnInput,
} from './schema.ts';
import { myApplications, readApplication, startApplication, submitApplication, updateForm, withdrawApplication } from './service.ts';

type IdP = { Params: { id: string } };
type StepP = { Params: { stepId: string } };

/** The material's name (form field before the file, or ?material=) and the file, at most MAX_MATERIAL_BYTES. */
async function receiveMaterial(req: FastifyRequest<{ Querystring: { material?: string } }>): Promise<{ material: string; filename: string; content: Buffer }> {
  if (!req.isMultipart()) throw badInput('file', '请以 multipart/form-data 上传材料（字段 material 在前，文件字段 file 在后）', 'upload as multipart/form-data: field material, then the file');
  const part = await req.file({ limits: { fileSize: MAX_MATERIAL_BYTES } });
  if (!part) throw badInput('file', '请求中没有文件', 'no file in the request');
  const field = part.fields.material;
  const named = field && !Array.isArray(field) && field.type === 'field' ? String(field.value) : undefined;
  const material = named ?? req.query.material;
  if (!material) {
    part.file.resume();
    throw badInput('material', '请指明材料名称（字段 material，放在文件之前）', 'name the material (field material, before the file)');
  }
  try {
    const content = await part.toBuffer();
    if (part.file.truncated) throw tooLarge(material);
    return { material, filename: part.filename, content };
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(material);
    throw e;
  }
}

export async function applicationsRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const tags = ['applications'];
  const applicants = { access: ['enterprise', 'resident'] as const };
  const reviewers = { access: ['clerk', 'approver'] as const };

  app.post<{ Body: StartBody }>(
    '/api/v1/applications',
    {
      config: applicants,
      schema: {
        tags, summary: '从匹配结果发起申请（按档案预填）/ start an application from a match, prefilled from the profile',
        description: '仅限网上申请事项，且本主体的匹配结果为符合或待确认。同一事项同一期已有申请时返回该申请（200）。',
        body: StartBody, response: { 200: ApplicationView, 201: ApplicationView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { view, created } = await startApplication(ctx, principal(req), req.body.item_id);
      return reply.status(created ? 201 : 200).send(view);
    },
  );
  app.get('/api/v1/me/applications', { config: applicants, schema: { tags, summary: '我的申请 / my applications', response: { 200: Type.Array(ApplicationSummary), ...errors(401, 403) } } }, async (req) =>
    myApplications(ctx, principal(req)),
  );
  app.get<IdP>(
    '/api/v1/applications/:id',
    { config: { access: 'user' }, schema: { tags, summary: '申请详情与办理进度 / an application with its timeline', description: '申请人、审核部门（及其上级部门）、管理员可见；个人信息脱敏。', params: AppParams, response: { 200: ApplicationView, ...errors(401, 403, 404) } } },
    async (req) => readApplication(ctx, principal(req), req.params.id),
  );
  app.put<IdP & { Body: FormBody }>(
    '/api/v1/applications/:id/form',
    { config: applicants, schema: { tags, summary: '填报或补正申请表 / declare or correct facts on the form', params: AppParams, body: FormBody, response: { 200: ApplicationView, ...errors(400, 401, 403, 404, 409) } } },
    async (req) => updateForm(ctx, principal(req), req.params.id, req.body.fields),
  );
  app.post<IdP & { Querystring: { material?: string } }>(
    '/api/v1/applications/:id/materials',
    {
      config: applicants,
      schema: {
        tags, summary: '上传材料（PDF/JPG/PNG/OFD，≤10 MB）/ upload a material', consumes: ['multipart/form-data'],
        description: '只需上传数据源未提供的材料；按文件内容（而非扩展名）识别类型。字段 material（材料名称）放在文件之前，或用查询参数 material。',
        params: AppParams, querystring: MaterialQuery, response: { 200: ApplicationView, ...errors(400, 401, 403, 404, 409, 413) },
      },
    },
    async (req) => {
      const f = await receiveMaterial(req);
      return uploadMaterial(ctx, principal(req), req.params.id, f.material, f.filename, f.content);
    },
  );
  app.get<{ Params: { id: string; fileId: string } }>(
    '/api/v1/applications/:id/materials/:fileId',
    { config: { access: 'user' }, schema: { tags, summary: '下载材料文件 / download a material', params: FileParams } },
    async (req, reply) => {
      const f = await readMaterial(ctx, principal(req), req.params.id, req.params.fileId);
      return reply.type(f.mime).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`).send(f.content);
    },
  );
  app.post<IdP>(
    '/api/v1/applications/:id/submit',
    { config: applicants, schema: { tags, summary: '提交（或补正后重新提交）/ submit, or resubmit after a return', description: '缺少信息或材料时拒绝并列出缺项（details）。', params: AppParams, response: { 200: ApplicationView, ...errors(400, 401, 403, 404, 409) } } },
    async (req) => submitApplication(ctx, principal(req), req.params.id),
  );
  app.post<IdP>(
    '/api/v1/applications/:id/withdraw',
    { config: applicants, schema: { tags, summary: '撤回申请 / withdraw', params: AppParams, response: { 200: ApplicationView, ...errors(401, 403, 404, 409) } } },
    async (req) => withdrawApplication(ctx, principal(req), req.params.id),
  );

  const rtags = ['reviews'];
  app.get<{ Querystring: QueueQuery }>(
    '/api/v1/reviews',
    { config: reviewers, schema: { tags: rtags, summary: '本部门的审核队列（按截止日期）/ the review queue of my department, by deadline', querystring: QueueQuery, response: { 200: ReviewPage, ...errors(401, 403) } } },
    async (req) => reviewQueue(ctx, principal(req), req.query),
  );
  const decision = (summary: string, description: string) => ({ tags: rtags, summary, description, params: StepParams, response: { 200: ApplicationView, ...errors(400, 401, 403, 404, 409) } });
  app.post<StepP & { Body: { note?: string } | undefined }>(
    '/api/v1/reviews/:stepId/approve',
    { config: reviewers, schema: { ...decision('审核通过 / approve a step', '经办人可通过初审环节；终审环节须审核人。四眼原则：通过上一环节者不得通过本环节。'), body: Type.Optional(ApproveBody) } },
    async (req) => approveStep(ctx, principal(req), req.params.stepId, req.body?.note),
  );
  app.post<StepP & { Body: ReturnInput }>(
    '/api/v1/reviews/:stepId/return',
    { config: reviewers, schema: { ...decision('退回补正 / return for correction', '列出需补正的字段和材料；申请人补正后重新提交，审核从本环节继续。'), body: ReturnBody } },
    async (req) => returnStep(ctx, principal(req), req.params.stepId, req.body),
  );
  app.post<StepP & { Body: { reason: string } }>(
    '/api/v1/reviews/:stepId/reject',
    { config: { access: ['approver'] }, schema: { ...decision('不予批准 / reject', '仅审核人；理由告知申请人。'), body: RejectBody } },
    async (req) => rejectStep(ctx, principal(req), req.params.stepId, req.body.reason),
  );

  const ctags = ['calendar'];
  app.get<{ Querystring: { year: number } }>(
    '/api/v1/calendar',
    { config: { access: 'public' }, schema: { tags: ctags, summary: '工作日历：法定节假日与调休 / holidays and adjusted working days', querystring: CalendarQuery, response: { 200: Type.Array(CalendarDay), ...errors(400) } } },
    async (req) => calendarYear(ctx.db, req.query.year),
  );
  app.put<{ Body: CalendarPut }>(
    '/api/v1/calendar',
    {
      config: { access: ['admin'] },
      schema: { tags: ctags, summary: '替换一年的节假日与调休 / replace a year of the calendar', description: '已开始的审核环节保留其截止日期。', body: CalendarPut, response: { 200: Type.Array(CalendarDay), ...errors(400, 401, 403) } },
    },
    async (req) => ctx.db.tx((q) => replaceCalendarYear(q, req.body.year, req.body.days, principal(req))),
  );
  app.post(
    '/api/v1/admin/deadlines/scan',
    { config: { access: ['admin'] }, schema: { tags: rtags, summary: '立即扫描审核时限（提醒与超期督办）/ scan review deadlines now', response: { 200: ScanResult, ...errors(401, 403) } } },
    async () => scanDeadlines(ctx, 'inline'),
  );
}
