// Uploaded materials: only for what no source system holds (a material whose proving fact
// the profile has is 零材料 and needs no upload). The content decides the type (magic bytes),
// the extension must agree with it, 10 MB at most; stored encrypted in the database with
// its SHA-256, a re-upload replacing the previous file (which stays for the record).
import { createHash } from 'node:crypto';
import type { Ctx } from '../../context.ts';
import { badInput, DomainError, notFound } from '../../errors.ts';
import { actorOf, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { getApplication, listSteps } from './repo.ts';
import { guarded, requireApplicant, requireReader } from './rules.ts';
import { extensionOf, MATERIAL_TYPES, sniff, type MaterialType } from './sniff.ts';
import { applicationView, STATUS_LABEL, type ApplicationView } from './view.ts';

export const MAX_MATERIAL_BYTES = 10 * 1024 * 1024;
const ACCEPTED = 'PDF、JPG、PNG、OFD';

export function tooLarge(material: string): DomainError {
  return new DomainError('TOO_LARGE', `材料「${material}」的文件超过 ${MAX_MATERIAL_BYTES / 1024 / 1024} MB`, `the file for "${material}" is larger than ${MAX_MATERIAL_BYTES / 1024 / 1024} MB`, 'file');
}

/** The accepted type of a file, or a refusal naming the material, the file and what it really is. */
export function checkFile(material: string, filename: string, content: Buffer): MaterialType {
  if (content.length > MAX_MATERIAL_BYTES) throw tooLarge(material);
  const s = sniff(content);
  if (!s.ok) {
    const [zh, en] = s.what.split(' / ');
    throw badInput('file', `材料「${material}」的文件「${filename}」类型不受支持：内容为${zh}；仅接受 ${ACCEPTED}`, `the file "${filename}" for "${material}" is ${en}; only PDF, JPG, PNG and OFD are accepted`);
  }
  const ext = extensionOf(filename);
  if (!MATERIAL_TYPES[s.type].extensions.includes(ext))
    throw badInput('file', `材料「${material}」的文件「${filename}」扩展名 .${ext} 与内容（${MATERIAL_TYPES[s.type].zh}）不符`, `the extension .${ext} of "${filename}" does not match its content (${s.type})`);
  return s.type;
}

export async function uploadMaterial(ctx: Ctx, by: Principal, id: string, material: string, filename: string, content: Buffer): Promise<ApplicationView> {
  return guarded(ctx, by, 'application.material.upload', `application:${id}`, async (q) => {
    const app = await getApplication(q, id, true);
    requireApplicant(by, app);
    if (app.status !== 'draft' && app.status !== 'returned')
      throw new DomainError('INVALID_STATE', `申请当前状态为「${STATUS_LABEL[app.status]}」，不能上传材料`, `materials can be uploaded only to a draft or a returned application (status: ${app.status})`);
    const slot = app.materials.find((m) => m.name === material);
    if (!slot) throw badInput('material', `材料「${material}」不是本事项的申请材料；应为：${app.materials.map((m) => m.name).join('、')}`, `"${material}" is not a material of this item`);
    const steps = await listSteps(q, id);
    const asked = steps.some((s) => s.status === 'returned' && s.corrections?.materials.includes(material));
    if (slot.provided_by_source && !asked) {
      const src = ctx.dict.sources.get(slot.provided_by_source)?.label ?? { zh: slot.provided_by_source, en: slot.provided_by_source };
      throw badInput('material', `材料「${material}」由${src.zh}提供（零材料），无需上传`, `"${material}" is provided by the source system ${src.en}; no upload needed`);
    }
    const type = checkFile(material, filename, content);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const now = ctx.now();
    await q.query('UPDATE application_materials SET replaced_at = $3 WHERE application_id = $1 AND material = $2 AND replaced_at IS NULL', [id, material, now]);
    await q.query(
      `INSERT INTO application_materials (application_id, material, filename, file_type, size, sha256, content_enc, uploaded_by, uploaded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, material, filename.slice(-200), type, content.length, sha256, ctx.crypto.encrypt(content.toString('base64')), by.userId, now],
    );
    await q.query('UPDATE applications SET updated_at = $2 WHERE id = $1', [id, now]);
    await appendAudit(q, { actor: actorOf(by), action: 'application.material.upload', subject: `application:${id}`, detail: { material, type, size: content.length, sha256 } });
    return applicationView(ctx, q, await getApplication(q, id), { steps });
  });
}

export interface MaterialFile {
  filename: string;
  mime: string;
  content: Buffer;
}

/** One uploaded file, for the applicant or a reviewing department (audited). */
export async function readMaterial(ctx: Ctx, by: Principal, id: string, fileId: string): Promise<MaterialFile> {
  return guarded(ctx, by, 'application.material.read', `application:${id}`, async (q) => {
    const app = await getApplication(q, id);
    await requireReader(q, by, app, await listSteps(q, id));
    if (!/^\d{1,18}$/.test(fileId)) throw notFound('材料文件', fileId);
    const r = await q.query<{ material: string; filename: string; file_type: MaterialType; content_enc: string }>(
      'SELECT material, filename, file_type, content_enc FROM application_materials WHERE id = $1 AND application_id = $2',
      [fileId, id],
    );
    const f = r.rows[0];
    if (!f) throw notFound('材料文件', fileId);
    await appendAudit(q, { actor: actorOf(by), action: 'application.material.read', subject: `application:${id}`, detail: { file: fileId, material: f.material } });
    return { filename: f.filename, mime: MATERIAL_TYPES[f.file_type].mime, content: Buffer.from(ctx.crypto.decrypt(f.content_enc), 'base64') };
  });
}
