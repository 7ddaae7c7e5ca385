// Profiles (R3, R14): entities and their facts, each with source system and as-of date; the
// history that lets a verdict be replayed as of a date; reads that show personal data
// masked unless the entity itself (or an admin with a reason) asks, every read audited.
// Department staff never read facts: they learn eligibility from matching (数据可用不可见).
import { normalizeFacts, parseDate, valueToJson, type Entity, type EntityKind } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { DomainError, badInput, notFound } from '../../errors.ts';
import { actorOf, ENTITY_ROLES, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { applyRecords, type Applied, type Provenance } from './apply.ts';
import { isSensitive, maskMessage, maskValue, unseal } from './sensitive.ts';
import { belowMinimum, joinMessages, keyFieldOf, validateRecord, type Issue } from './validate.ts';

export { entityKeyHash } from './validate.ts';

export function checkSource(ctx: Pick<Ctx, 'dict'>, source: string): void {
  if (!ctx.dict.sources.has(source))
    throw badInput('source', `数据源 "${source}" 不存在；可选：${[...ctx.dict.sources.keys()].join('、')}`, `unknown source system "${source}"; one of ${[...ctx.dict.sources.keys()].join(', ')}`);
}

/** A data date: a real YYYY-MM-DD date, not after today (a feed cannot know the future). */
export function checkAsOf(ctx: Ctx, asOf: string, field = 'as_of'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || parseDate(asOf) === undefined)
    throw badInput(field, `数据日期 "${asOf}" 应为 YYYY-MM-DD 格式的真实日期`, `the as-of date "${asOf}" must be a real YYYY-MM-DD date`);
  if (asOf > ctx.today()) throw badInput(field, `数据日期 ${asOf} 晚于今天 ${ctx.today()}`, `the as-of date ${asOf} is after today ${ctx.today()}`);
  return asOf;
}

/** The first error of a record as a 400 naming its field; all findings in details. */
export function invalidRecord(issues: Issue[]): DomainError {
  const errors = issues.filter((i) => !i.warning);
  const [zh, en] = joinMessages(errors.map((i) => i.message)).split(' / ');
  return new DomainError('BAD_INPUT', zh, en ?? zh, errors[0]?.field, { issues: errors });
}

export interface FactsInput {
  kind: string;
  /** 统一社会信用代码 or 公民身份号码; else the uscc / id_number fact. */
  key?: string;
  facts: Record<string, unknown>;
  source: string;
  as_of: string;
  import_id?: string;
  record_ref?: string;
}

/**
 * Creates or updates the entity a source reports on, in the caller's transaction: history
 * rows for the values that changed, new current facts, version + 1 and a re-match job.
 */
export async function applyFacts(ctx: Ctx, q: Queryable, input: FactsInput): Promise<Applied & { warnings: Issue[] }> {
  checkSource(ctx, input.source);
  checkAsOf(ctx, input.as_of);
  const { record, issues } = validateRecord(ctx.dict, ctx.crypto, { kind: input.kind, key: input.key, facts: input.facts, ...(input.record_ref ? { ref: input.record_ref } : {}) }, { source: input.source, asOf: input.as_of });
  if (!record) throw invalidRecord(issues);
  const { applied } = await applyRecords(ctx, q, [record], { source: input.source, asOf: input.as_of, ...(input.import_id ? { importId: input.import_id } : {}) });
  return { ...applied[0], warnings: issues };
}
export const upsertEntity = applyFacts;

/** Normalized facts from their JSON form; a value the dictionary no longer accepts counts as unknown. */
function toEntity(ctx: Ctx, id: string, kind: EntityKind, json: Record<string, unknown>): Entity {
  return { id, kind, facts: normalizeFacts(ctx.dict, kind, json).entity.facts };
}

/**
 * The facts as known for a date: per field, the latest history row with as_of ≤ date. With
 * knownAt, only what had been recorded by then — to replay a verdict exactly as it was made.
 * Undefined when there is no such entity. (No access check: for matching and grants.)
 */
export async function factsAsOf(ctx: Ctx, entityId: string, date: string, opts: { knownAt?: Date; q?: Queryable } = {}): Promise<Entity | undefined> {
  const q = opts.q ?? ctx.db;
  const e = await q.query<{ kind: EntityKind }>('SELECT kind FROM entities WHERE id = $1', [entityId]);
  if (!e.rows[0]) return undefined;
  const r = await q.query<{ field: string; value: unknown }>(
    `SELECT DISTINCT ON (facts.field) facts.field, facts.value FROM facts
      WHERE facts.entity_id = $1 AND facts.as_of <= $2 ${opts.knownAt ? 'AND facts.recorded_at <= $3' : ''}
      ORDER BY facts.field, facts.as_of DESC, facts.id DESC`,
    opts.knownAt ? [entityId, date, opts.knownAt] : [entityId, date],
  );
  const json: Record<string, unknown> = {};
  for (const row of r.rows) {
    const v = unseal(ctx.crypto, row.value);
    if (v !== null) json[row.field] = v;
  }
  return toEntity(ctx, entityId, e.rows[0].kind, json);
}

/** Current facts of entities, decrypted and normalized. (No access check: for matching and grants.) */
export async function currentFacts(ctx: Ctx, q: Queryable, ids: string[]): Promise<Map<string, Entity>> {
  const r = await q.query<{ id: string; kind: EntityKind; facts: Record<string, unknown> }>('SELECT id::text AS id, kind, facts FROM entities WHERE id = ANY($1::bigint[])', [ids]);
  return new Map(r.rows.map((row) => [row.id, toEntity(ctx, row.id, row.kind, decodeFacts(ctx, row.facts))]));
}

/** The JSON facts of a stored entities.facts value, personal fields decrypted. */
export function decodeFacts(ctx: Ctx, stored: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(stored)) out[k] = unseal(ctx.crypto, v);
  return out;
}

export interface ReadOptions {
  /** Show personal values in clear: the entity's own user, or an admin who gives a reason. */
  unmask?: boolean;
  reason?: string;
}

/**
 * Who may read an entity's facts: its own enterprise or resident user, and admins; every
 * refusal is audited. Department staff are refused: they see verdicts, not data.
 */
export async function authorizeRead(ctx: Ctx, p: Principal, entityId: string, opts: ReadOptions): Promise<{ unmask: boolean }> {
  const deny = async (zh: string, en: string) => {
    await appendAudit(ctx.db, { actor: actorOf(p), action: 'profile.read', subject: `entity:${entityId}`, outcome: 'denied' });
    return new DomainError('FORBIDDEN', zh, en);
  };
  if (p.kind === 'user' && p.role && ENTITY_ROLES.includes(p.role)) {
    if (p.entityId !== entityId) throw await deny('只能查看本主体的数据', 'you may read only your own profile');
    return { unmask: opts.unmask === true };
  }
  if (p.kind === 'user' && p.role === 'admin') {
    if (opts.unmask && (opts.reason ?? '').trim().length < 2)
      throw badInput('reason', '查看未脱敏的个人信息须说明理由', 'give a reason to see personal data unmasked');
    return { unmask: opts.unmask === true };
  }
  throw await deny('部门工作人员不能查看主体原始数据（数据可用不可见），资格信息请查看匹配结果', 'department staff cannot read raw facts; see the matching results for eligibility');
}

async function auditRead(q: Queryable, p: Principal, entityId: string, what: string, fields: string[], unmask: boolean, reason?: string): Promise<void> {
  await appendAudit(q, {
    actor: actorOf(p), action: 'profile.read', subject: `entity:${entityId}`,
    detail: { what, personal_fields: fields, unmasked: unmask, ...(unmask && reason ? { reason: reason.slice(0, 200) } : {}) },
  });
}

/** An entities row as the service reads it. */
export interface EntityRow {
  id: string;
  key_hash: string;
  kind: EntityKind;
  display_name: string | null;
  region: string | null;
  facts: Record<string, unknown>;
  provenance: Record<string, Provenance>;
  version: number;
  created_at: Date;
  updated_at: Date;
}

async function loadEntity(q: Queryable, id: string, lock = false): Promise<EntityRow> {
  if (!/^\d{1,18}$/.test(id)) throw notFound('主体', id);
  const r = await q.query<EntityRow>(`SELECT id::text AS id, key_hash, kind, display_name, region, facts, provenance, version, created_at, updated_at FROM entities WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (!r.rows[0]) throw notFound('主体', id);
  return r.rows[0];
}

/** One value as the caller may see it. */
function shown(ctx: Ctx, kind: EntityKind, field: string, stored: unknown, unmask: boolean): { value: unknown; masked: boolean } {
  const value = unseal(ctx.crypto, stored);
  if (unmask || !isSensitive(ctx.dict, field)) return { value, masked: false };
  const m = maskValue(ctx.dict.fields.get(field), kind, value);
  return { value: m, masked: m !== value };
}

export interface EntityView {
  id: string;
  kind: EntityKind;
  display_name: string | null;
  region: string | null;
  version: number;
  updated_at: string;
  facts: Record<string, unknown>;
  /** Fields whose value is shown masked. */
  masked: string[];
}

export async function getEntity(ctx: Ctx, p: Principal, id: string, opts: ReadOptions = {}): Promise<EntityView> {
  const { unmask } = await authorizeRead(ctx, p, id, opts);
  return ctx.db.tx(async (q) => {
    const e = await loadEntity(q, id);
    const facts: Record<string, unknown> = {};
    const masked: string[] = [];
    for (const [field, stored] of Object.entries(e.facts)) {
      const s = shown(ctx, e.kind, field, stored, unmask);
      facts[field] = s.value;
      if (s.masked) masked.push(field);
    }
    await auditRead(q, p, id, 'entity', Object.keys(e.facts).filter((f) => isSensitive(ctx.dict, f)), unmask, opts.reason);
    return { id: e.id, kind: e.kind, display_name: e.display_name, region: e.region, version: e.version, updated_at: new Date(e.updated_at).toISOString(), facts, masked };
  });
}

export interface FactView {
  field: string;
  label: string;
  value: unknown;
  masked: boolean;
  source: string;
  as_of: string;
}

/** Current facts with their source system and as-of date. */
export async function listFacts(ctx: Ctx, p: Principal, id: string, opts: ReadOptions = {}): Promise<FactView[]> {
  const { unmask } = await authorizeRead(ctx, p, id, opts);
  return ctx.db.tx(async (q) => {
    const e = await loadEntity(q, id);
    const out: FactView[] = Object.entries(e.facts)
      .map(([field, stored]) => ({ field, label: ctx.dict.fields.get(field)?.label.zh ?? field, ...shown(ctx, e.kind, field, stored, unmask), source: e.provenance[field]?.s ?? '', as_of: e.provenance[field]?.d ?? '' }))
      .sort((a, b) => a.field.localeCompare(b.field));
    await auditRead(q, p, id, 'facts', out.filter((f) => isSensitive(ctx.dict, f.field)).map((f) => f.field), unmask, opts.reason);
    return out;
  });
}

export interface HistoryView {
  id: string;
  field: string;
  value: unknown;
  masked: boolean;
  source: string;
  as_of: string;
  recorded_at: string;
  import_id: string | null;
  record_ref: string | null;
}

/** Every value ever received, newest as-of first per field. */
export async function factHistory(ctx: Ctx, p: Principal, id: string, opts: ReadOptions & { field?: string; page?: number; pageSize?: number } = {}): Promise<HistoryView[]> {
  if (opts.field !== undefined && !ctx.dict.fields.has(opts.field)) throw badInput('field', `未知字段 "${opts.field}"`, `unknown field "${opts.field}"`);
  const { unmask } = await authorizeRead(ctx, p, id, opts);
  const size = opts.pageSize ?? 50;
  return ctx.db.tx(async (q) => {
    const e = await loadEntity(q, id);
    const r = await q.query<{ id: string; field: string; value: unknown; source: string; as_of: string; recorded_at: Date; import_id: string | null; record_ref: string | null }>(
      `SELECT facts.id::text AS id, facts.field, facts.value, facts.source, facts.as_of, facts.recorded_at, facts.import_id::text AS import_id, facts.record_ref
         FROM facts WHERE facts.entity_id = $1 AND ($2::text IS NULL OR facts.field = $2)
        ORDER BY facts.field, facts.as_of DESC, facts.id DESC LIMIT $3 OFFSET $4`,
      [id, opts.field ?? null, size, ((opts.page ?? 1) - 1) * size],
    );
    const out = r.rows.map((h) => ({ ...h, ...shown(ctx, e.kind, h.field, h.value, unmask), as_of: String(h.as_of), recorded_at: new Date(h.recorded_at).toISOString() }));
    await auditRead(q, p, id, 'history', [...new Set(out.filter((h) => isSensitive(ctx.dict, h.field)).map((h) => h.field))], unmask, opts.reason);
    return out;
  });
}

/**
 * A resident or enterprise supplies a fact about itself that no source holds (or corrects
 * its own earlier declaration); it is recorded with source 'declared' and re-matched at once.
 */
export async function declareFact(ctx: Ctx, p: Principal, entityId: string, field: string, value: unknown): Promise<{ entity_id: string; version: number; changed: boolean }> {
  if (!(p.kind === 'user' && p.role && ENTITY_ROLES.includes(p.role) && p.entityId === entityId)) {
    await appendAudit(ctx.db, { actor: actorOf(p), action: 'profile.declare', subject: `entity:${entityId}`, outcome: 'denied', detail: { field } });
    throw new DomainError('FORBIDDEN', '只能为本主体申报信息', 'you may declare facts only about yourself');
  }
  const def = ctx.dict.fields.get(field);
  return ctx.db.tx(async (q) => {
    // locked, so that a source's value cannot land between the check below and the write
    const e = await loadEntity(q, entityId, true);
    if (!def || !def.kinds.includes(e.kind)) throw badInput('field', `字段 "${field}" 不存在或不适用于${e.kind === 'enterprise' ? '企业' : '个人'}`, `field "${field}" is unknown or does not apply to ${e.kind}`);
    if (field === keyFieldOf(e.kind)) throw badInput('field', `主体标识 ${field} 不能自行申报`, `the entity key ${field} cannot be declared`);
    const prov = e.provenance[field];
    if (field in e.facts && prov && prov.s !== 'declared') {
      const src = ctx.dict.sources.get(prov.s)?.label ?? { zh: prov.s, en: prov.s };
      throw new DomainError('CONFLICT', `"${def.label.zh}" 已由数据源「${src.zh}」提供（数据日期 ${prov.d}），不能自行申报；如有误请联系该部门更正`, `"${def.label.en}" is supplied by the source system ${src.en} (as of ${prov.d}); ask that department to correct it`, 'field');
    }
    if (value === null || value === undefined) throw badInput('value', '申报的值不能为空', 'the declared value cannot be empty');
    const { entity, errors } = normalizeFacts(ctx.dict, e.kind, { [field]: value });
    if (errors.length) {
      const [zh, en] = maskMessage(errors[0].message, value, maskValue(def, e.kind, value)).split(' / ');
      throw badInput('value', zh, en ?? zh, { field });
    }
    const json = valueToJson(def, entity.facts[field]!);
    const low = belowMinimum(def, json); // the declarant's own value: shown as typed
    if (low) {
      const [zh, en] = low.split(' / ');
      throw badInput('value', zh, en, { field });
    }
    const { applied } = await applyRecords(ctx, q, [{ kind: e.kind, key: '', keyHash: e.key_hash, facts: { [field]: json }, derived: {} }], { source: 'declared', asOf: ctx.today() });
    await appendAudit(q, { actor: actorOf(p), action: 'profile.declare', subject: `entity:${entityId}`, detail: { field, changed: applied[0].changed.length > 0 } });
    return { entity_id: entityId, version: applied[0].version, changed: applied[0].changed.length > 0 };
  });
}
