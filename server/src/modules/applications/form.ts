// The application form: the facts an item's rule and amount read, prefilled from the
// entity's profile with their source and as-of date; facts no source holds are declared by
// the applicant (申请人填报). Personal values stay sealed exactly as in entities.facts and are
// shown masked (profiles/sensitive.ts) — except to the reviewers of the department deciding the
// case, who see the facts they decide on in their queue, each such read audited (queue.ts).
import {
  ENTITY_KIND_FIELD, effectiveRule, evaluateItem, fieldsOf, fieldValue, fmtValue, itemContext, normalizeFacts, normalizeValue, parseDate, valueToJson,
  type Entity, type EntityKind, type ExplainNode, type PolicyItem,
} from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { badInput } from '../../errors.ts';
import { isSealed, maskValue, seal, unseal } from '../profiles/sensitive.ts';
import { belowMinimum } from '../profiles/validate.ts';
import type { Form, FormField, MaterialSlot } from './repo.ts';

export const DECLARED = 'declared';
/** Where money goes: asked on every form of an item that pays, read by payouts (form.fields.bank_account). */
export const PAYMENT_FIELD = 'bank_account';

/** The facts a form carries: what the rule, the amount and the materials' sources read, and the account of an item that pays. */
export function formFieldsOf(item: PolicyItem): string[] {
  const out: string[] = [];
  fieldsOf(effectiveRule(item), out);
  if (item.amount) fieldsOf(item.amount, out);
  for (const m of item.materials) if (m.provided_by) out.push(m.provided_by);
  if (item.amount) out.push(PAYMENT_FIELD);
  return [...new Set(out)].filter((f) => f !== ENTITY_KIND_FIELD);
}

export interface StoredEntity {
  kind: EntityKind;
  facts: Record<string, unknown>;
  provenance: Record<string, { s: string; d: string }>;
}

/** The prefilled form and the materials, 零材料 where the entity's profile holds the proving fact. */
export function prefill(ctx: Ctx, e: StoredEntity, item: PolicyItem): { form: Form; materials: MaterialSlot[] } {
  const fields: Record<string, FormField> = {};
  for (const f of formFieldsOf(item)) {
    const stored = e.facts[f];
    if (stored === undefined || stored === null) continue;
    const source = e.provenance[f]?.s ?? ctx.dict.fields.get(f)?.source ?? '';
    fields[f] = { ...(isSealed(stored) ? { enc: stored.enc } : { value: stored }), source, ...(e.provenance[f]?.d ? { as_of: e.provenance[f].d } : {}) };
  }
  const materials = item.materials.map((m): MaterialSlot => {
    const held = m.provided_by ? fields[m.provided_by] : undefined;
    return {
      name: m.name,
      required: m.required !== false,
      ...(m.provided_by ? { provided_by: m.provided_by } : {}),
      ...(held && held.source !== DECLARED ? { provided_by_source: held.source } : {}),
    };
  });
  return { form: { fields }, materials };
}

/** The entity's current facts as the engine reads them; a value that cannot be opened is unknown. */
export function entityOf(ctx: Ctx, e: Pick<StoredEntity, 'kind' | 'facts'>): Entity {
  const json: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.facts)) {
    if (v === null || v === undefined) continue;
    try {
      json[k] = unseal(ctx.crypto, v);
    } catch {
      // undecryptable: unknown to the rules, like a missing value
    }
  }
  return normalizeFacts(ctx.dict, e.kind, json).entity;
}

/** The form's facts as the engine reads them (personal values opened in memory only). */
export function formEntity(ctx: Ctx, kind: EntityKind, form: Form): Entity {
  const json: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(form.fields)) json[k] = f.enc !== undefined ? unseal(ctx.crypto, { enc: f.enc }) : f.value;
  return normalizeFacts(ctx.dict, kind, json).entity;
}

/** A declared value, checked against the dictionary and sealed when personal. */
export function declare(ctx: Ctx, item: PolicyItem, kind: EntityKind, field: string, raw: unknown, now: Date): FormField {
  const def = ctx.dict.fields.get(field);
  if (!def || !def.kinds.includes(kind) || !formFieldsOf(item).includes(field))
    throw badInput(`fields.${field}`, `字段 "${field}" 不是本事项申请表的内容`, `"${field}" is not a fact this item's form asks for`);
  const r = normalizeValue(ctx.dict, def, raw);
  if (r.error) {
    // The message may quote the value; for a personal field it quotes the mask instead.
    const msg = def.sensitive ? `"${field}" 的取值无效（${def.label.zh}）/ invalid value for "${field}"` : r.error.message;
    const [zh, en] = msg.split(' / ');
    throw badInput(`fields.${field}`, zh, en ?? zh);
  }
  if (r.value === undefined) throw badInput(`fields.${field}`, `"${field}" 不能为空`, `"${field}" must have a value`);
  let json = valueToJson(def, r.value);
  const low = belowMinimum(def, json); // the applicant's own value, shown as typed
  if (low) {
    const [zh, en] = low.split(' / ');
    throw badInput(`fields.${field}`, zh, en);
  }
  if (field === PAYMENT_FIELD) {
    json = String(r.value).replace(/[\s-]/g, '');
    if (!/^\d{8,32}$/.test(json as string)) throw badInput(`fields.${field}`, '收款银行账号应为 8 至 32 位数字', 'a bank account number has 8 to 32 digits');
  }
  const stored = seal(ctx.crypto, def, json);
  return { ...(isSealed(stored) ? { enc: stored.enc } : { value: stored }), source: DECLARED, declared_at: now.toISOString() };
}

export interface FieldView {
  field: string;
  label: string;
  label_en: string;
  /** the value as shown; personal values masked; null when unknown */
  value: string | null;
  source: string | null;
  source_label: string | null;
  as_of: string | null;
  declared: boolean;
  sensitive: boolean;
}

/**
 * The form as anyone sees it: labels, display values, personal ones masked, unknown ones listed.
 * `unmasked` is for the reviewer deciding the case (the caller audits the read of each personal fact).
 */
export function formView(ctx: Ctx, item: PolicyItem, kind: EntityKind, form: Form, day: string, unmasked = false): FieldView[] {
  const ectx = itemContext(item, ctx.dict, parseDate(day)!);
  const env = { dict: ctx.dict, params: ectx.params };
  const entity = formEntity(ctx, kind, form);
  return formFieldsOf(item).map((f): FieldView => {
    const def = ctx.dict.fields.get(f);
    const stored = form.fields[f];
    let value: string | null = null;
    // The payee account is for payouts, not a fact the case is decided on: it stays masked.
    if (stored && def?.sensitive && !(unmasked && f !== PAYMENT_FIELD)) value = String(maskValue(def, kind, stored.enc !== undefined ? unseal(ctx.crypto, { enc: stored.enc }) : stored.value));
    else if (stored && entity.facts[f] !== undefined) value = fmtValue(fieldValue(ectx, entity.facts, f), def, env, 'zh');
    const source = stored?.source ?? null;
    return {
      field: f,
      label: def?.label.zh ?? f,
      label_en: def?.label.en ?? f,
      value,
      source,
      source_label: source === DECLARED ? '申请人填报' : source ? (ctx.dict.sources.get(source)?.label.zh ?? source) : null,
      as_of: stored?.as_of ?? null,
      declared: source === DECLARED,
      sensitive: def?.sensitive === true,
    };
  });
}

/** An explanation without the actual values of personal facts. */
export function stripPersonal(ctx: Ctx, n: ExplainNode): ExplainNode {
  const personal = n.fields.some((f) => ctx.dict.fields.get(f)?.sensitive);
  const { actual, children, ...rest } = n;
  return { ...rest, ...(actual && !personal ? { actual } : {}), ...(children ? { children: children.map((c) => stripPersonal(ctx, c)) } : {}) };
}

export interface Evidence {
  verdict: 'eligible' | 'ineligible' | 'undetermined';
  date: string;
  amount: string | null;
  missing: { field: string; label: string }[];
  explanation: ExplainNode | null;
}

/** The verdict on the form's facts on a day, as reviewers may see it. */
export function evidenceOf(ctx: Ctx, item: PolicyItem, kind: EntityKind, form: Form, day: string): Evidence {
  const v = evaluateItem(item, formEntity(ctx, kind, form), ctx.dict, parseDate(day)!, { counterfactuals: false });
  return {
    verdict: v.verdict,
    date: day,
    amount: v.amount?.value ?? null,
    missing: v.missing.map((m) => ({ field: m.field, label: m.label.zh })),
    explanation: v.explanation ? stripPersonal(ctx, v.explanation) : null,
  };
}
