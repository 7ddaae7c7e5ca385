// Payouts (R7) over HTTP: batches per department, the export for the finance system, the
// bank's answers, reconciliation — and the time-to-money report.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { principal } from '../../http/access.ts';
import { errors, Id } from '../../http/schemas.ts';
import { createBatch, getBatch, listBatches, listLines } from './batches.ts';
import { exportBatch } from './export.ts';
import { officerOf } from './officer.ts';
import { reconcile } from './reconciliation.ts';
import { importResults } from './results.ts';
import {
  Batch, BatchList, CreatedBatch, ExportQuery, ImportSummary, LineList, ListBatchesQuery, ListLinesQuery, Reconciliation, TimeToMoneyQuery, TimeToMoneyReport,
  type ListLinesQuery as LinesQ, type ListBatchesQuery as BatchesQ, type ExportQuery as ExportQ, type TimeToMoneyQuery as TtmQ,
} from './schema.ts';
import { timeToMoney } from './time-to-money.ts';

const MAX_RESULTS_FILE = 20 * 1024 * 1024;

async function uploadedFile(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) throw new DomainError('BAD_INPUT', '请以 multipart/form-data 上传银行结果文件（CSV 或 XLSX）', 'upload the bank results file (CSV or XLSX) as multipart/form-data', 'file');
  const part = await req.file({ limits: { fileSize: MAX_RESULTS_FILE } });
  if (!part) throw new DomainError('BAD_INPUT', '请求中没有文件', 'no file in the request', 'file');
  try {
    return await part.toBuffer();
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new DomainError('TOO_LARGE', `结果文件超过 ${MAX_RESULTS_FILE / 1024 / 1024} MB`, `the results file exceeds ${MAX_RESULTS_FILE / 1024 / 1024} MB`, 'file');
    throw e;
  }
}

export async function payoutsRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const tags = ['payouts'];
  const readers = ['payout', 'leader', 'admin'] as const;
  app.post<{ Body: { department?: string } | undefined }>(
    '/api/v1/payouts/batches',
    {
      config: { access: ['payout'] },
      schema: {
        tags, summary: '为本部门的待拨付案件建立批次 / batch the department’s payable cases',
        description: '取本部门全部已批准的申请和已发放的免申即享（含上次支付失败的），一次事务写入；同一案件只能在一个有效批次中。',
        // No body schema: a POST with no body at all is the usual call (the officer's own
        // department), and Fastify would validate the missing body against an object schema.
        response: { 201: CreatedBatch, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const p = principal(req);
      const asked = (req.body as { department?: unknown } | undefined | null)?.department;
      if (asked !== undefined && (typeof asked !== 'string' || asked.length > 40))
        throw new DomainError('BAD_INPUT', 'department 应为部门代码', 'department must be a department code', 'body.department');
      return reply.status(201).send(await createBatch(ctx, officerOf(p), asked ?? p.department ?? ''));
    },
  );
  app.get<{ Querystring: BatchesQ }>(
    '/api/v1/payouts/batches',
    { config: { access: readers }, schema: { tags, summary: '拨付批次 / payout batches', querystring: ListBatchesQuery, response: { 200: BatchList, ...errors(400, 401, 403) } } },
    async (req) => listBatches(ctx, officerOf(principal(req)), req.query),
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/payouts/batches/:id',
    { config: { access: readers }, schema: { tags, summary: '拨付批次 / a payout batch', params: Id, response: { 200: Batch, ...errors(401, 403, 404) } } },
    async (req) => getBatch(ctx, officerOf(principal(req)), req.params.id),
  );
  app.get<{ Params: { id: string }; Querystring: LinesQ }>(
    '/api/v1/payouts/batches/:id/lines',
    { config: { access: readers }, schema: { tags, summary: '批次明细（账号脱敏）/ lines of a batch (accounts masked)', params: Id, querystring: ListLinesQuery, response: { 200: LineList, ...errors(400, 401, 403, 404) } } },
    async (req) => listLines(ctx, officerOf(principal(req)), req.params.id, req.query),
  );
  app.get<{ Params: { id: string }; Querystring: ExportQ }>(
    '/api/v1/payouts/batches/:id/export',
    {
      config: { access: ['payout'] },
      schema: {
        tags, summary: '导出拨付文件（CSV / XLSX）/ export the payment file',
        description: '唯一以明文输出收款账号的地方：每次导出均记入审计日志（含文件 SHA-256）。首次导出后批次为 exported，案件记 batched 事件。',
        params: Id, querystring: ExportQuery, response: errors(401, 403, 404),
      },
    },
    async (req, reply) => {
      const f = await exportBatch(ctx, officerOf(principal(req)), req.params.id, req.query.format ?? 'csv');
      return reply
        .header('content-type', f.contentType)
        .header('content-disposition', `attachment; filename="${f.filename}"`)
        .header('x-content-sha256', f.sha256)
        .header('cache-control', 'no-store')
        .send(f.body);
    },
  );
  app.post<{ Params: { id: string } }>(
    '/api/v1/payouts/batches/:id/results',
    {
      config: { access: ['payout'] },
      schema: {
        tags, summary: '导入银行回盘结果 / import the bank’s results', consumes: ['multipart/form-data'],
        description: '列：明细号或参考号、状态（成功/失败 或 paid/failed）、银行流水号、失败原因、支付日期、金额（可选，须与导出一致）。先逐行校验，有错则整份拒绝并逐行说明；重复导入同一文件不产生任何变化。',
        params: Id, response: { 200: ImportSummary, ...errors(400, 401, 403, 404, 409, 413) },
      },
    },
    async (req) => importResults(ctx, officerOf(principal(req)), req.params.id, await uploadedFile(req)),
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/payouts/batches/:id/reconciliation',
    { config: { access: readers }, schema: { tags, summary: '批次对账 / reconciliation of a batch', params: Id, response: { 200: Reconciliation, ...errors(401, 403, 404) } } },
    async (req) => reconcile(ctx, officerOf(principal(req)), req.params.id),
  );
  app.get<{ Querystring: TtmQ }>(
    '/api/v1/stats/time-to-money',
    {
      config: { access: ['leader', 'admin', 'clerk', 'approver', 'payout'] },
      schema: {
        tags: ['stats'], summary: '兑现时效：从符合条件到资金到账 / time to money',
        description: '按事项或部门：案件数、已拨付数、首次符合条件→拨付与申请→批准的中位数和第 90 百分位天数（自然日）、承诺时限（工作日）、当前超期在办案件数。部门工作人员只能看本部门。',
        querystring: TimeToMoneyQuery, response: { 200: TimeToMoneyReport, ...errors(400, 401, 403) },
      },
    },
    async (req) => timeToMoney(ctx, officerOf(principal(req)), req.query),
  );
}
