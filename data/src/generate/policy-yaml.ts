// PolicyDocument → policy file text (docs/policy-files.md), the inverse of
// loadPolicyDocument: rules printed from their AST, parameters in their written form.
import { stringify } from 'yaml';
import { printExpr, type ParamDef, type ParamValue, type PolicyDocument, type PolicyItem } from '@kx/engine';

/** A decimal text as a YAML number when a double round-trips it exactly, else as text. */
function num(text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) && String(n) === text ? n : text;
}

function valueOf(v: ParamValue): unknown {
  switch (v.kind) {
    case 'num':
      return num(v.value);
    case 'bool':
    case 'date':
    case 'text':
    case 'list':
      return v.value;
    case 'tiers':
      return v.rows.map((r) => ({ ...(r.min !== undefined ? { min: num(r.min) } : {}), ...(r.max !== undefined ? { max: num(r.max) } : {}), value: num(r.value) }));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v.entries)) Object.defineProperty(out, k, { value: num(x), enumerable: true, writable: true, configurable: true });
      return out;
    }
    case 'expr':
      return v.text ?? printExpr(v.expr);
  }
}

function paramsOf(params: ParamDef[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of params)
    out[p.name] = {
      ...(p.label ? { label: p.label.zh, ...(p.label.en ? { label_en: p.label.en } : {}) } : {}),
      type: p.type,
      ...(p.unit ? { unit: p.unit } : {}),
      versions: p.versions.map((ver) => ({
        from: ver.from,
        ...(ver.to ? { to: ver.to } : {}),
        value: valueOf(ver.value),
        ...(ver.value.kind === 'map' && ver.value.default !== undefined ? { default: num(ver.value.default) } : {}),
        ...(ver.source ? { source: ver.source } : {}),
        ...(ver.note ? { note: ver.note } : {}),
      })),
    };
  return out;
}

function itemOf(i: PolicyItem): Record<string, unknown> {
  const opt = <T>(k: string, v: T | undefined) => (v === undefined ? {} : { [k]: v });
  return {
    id: i.id,
    version: i.version,
    title: i.title,
    ...opt('title_en', i.title_en),
    department: i.department,
    region_scope: i.region_scope,
    audience: i.audience,
    mode: i.mode,
    ...opt('period', i.period),
    valid_from: i.valid_from,
    ...opt('valid_to', i.valid_to),
    ...opt('window', i.window),
    eligibility: printExpr(i.eligibility) + '\n',
    ...(i.amount ? { amount: printExpr(i.amount) + '\n' } : {}),
    ...opt('amount_unit', i.amount_unit),
    ...(i.params.length ? { params: paramsOf(i.params) } : {}),
    ...(i.quota ? { quota: { ...(i.quota.budget !== undefined ? { budget: num(i.quota.budget) } : {}), ...opt('count', i.quota.count) } } : {}),
    ...opt('stacking_group', i.stacking_group),
    ...opt('confirm_intent', i.confirm_intent),
    ...(i.materials.length ? { materials: i.materials } : {}),
    ...(i.review_steps.length ? { review_steps: i.review_steps } : {}),
    statutory_days: i.statutory_days,
    ...opt('tags', i.tags),
    ...opt('summary', i.summary),
    ...opt('source_note', i.source_note),
    ...(i.cases.length ? { cases: i.cases } : {}),
  };
}

export function policyFileYaml(doc: PolicyDocument): string {
  const document = {
    id: doc.id,
    title: doc.title,
    number: doc.number,
    issuers: doc.issuers,
    published_on: doc.published_on,
    ...(doc.valid_from ? { valid_from: doc.valid_from } : {}),
    ...(doc.valid_to ? { valid_to: doc.valid_to } : {}),
    summary: doc.summary,
    interpretation: doc.interpretation,
    ...(doc.url ? { url: doc.url } : {}),
  };
  return stringify({ document, items: doc.items.map(itemOf) }, { lineWidth: 0, blockQuote: 'literal' });
}

/** File name of a document: its id, which is unique and file-system safe ([a-z0-9-]). */
export function policyFileName(doc: PolicyDocument): string {
  return `${doc.id}.yaml`;
}
