// What a clerk sends — a policy file (docs/policy-files.md) or one item as JSON from the
// visual editor — turned into engine PolicyItems and checked against the dictionary.
// Every error is a 400 with the engine's own message and where it is: `line:col` in a
// policy file, `item.<path>` (plus `:line:col` inside rule text) in JSON.
import {
  checkExpr, EngineError, loadPolicyDocument, normalizeFacts, parseDate, parseExpr, printExpr, stripLoc, validateItem,
  type Dictionary, type Expr, type ParamDef, type PolicyDocument, type PolicyItem,
} from '@kx/engine';
import { DomainError } from '../../errors.ts';
import type { ItemInput } from './schema.ts';

export type DocumentMeta = Omit<PolicyDocument, 'items'>;

export interface InputProblem {
  field: string;
  message: string;
  message_en: string;
}

export class Problems {
  readonly list: InputProblem[] = [];
  add(field: string, zh: string, en: string): void {
    this.list.push({ field, message: zh, message_en: en });
  }
  engine(e: EngineError, field: string): void {
    this.add(field, e.zh, e.en);
  }
  /** Throws the first problem as the answer, with all of them in details. */
  throwIfAny(): void {
    const first = this.list[0];
    if (first) throw new DomainError('BAD_INPUT', first.message, first.message_en, first.field, { errors: this.list });
  }
}

const at = (path: string, e: EngineError) => (e.loc ? `${path}:${e.loc.line}:${e.loc.col}` : path);

/** The stored form: positions stripped (they refer to a text that is not kept), absent keys absent. */
export function canonicalItem(item: PolicyItem, version: number): PolicyItem {
  const out: PolicyItem = {
    ...item,
    version,
    eligibility: stripLoc(item.eligibility),
    params: item.params.map((p) => ({
      ...p,
      versions: p.versions.map((v) => (v.value.kind === 'expr' ? { ...v, value: { ...v.value, expr: stripLoc(v.value.expr) } } : v)),
    })),
  };
  if (item.amount) out.amount = stripLoc(item.amount);
  for (const k of Object.keys(out) as (keyof PolicyItem)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/** A policy file: its document and every item, validated. */
export function parsePolicyYaml(text: string, dict: Dictionary): { document: DocumentMeta; items: PolicyItem[] } {
  const p = new Problems();
  const { doc, errors } = loadPolicyDocument(text, 'policy.yaml');
  for (const e of errors) p.engine(e, e.loc ? `${e.loc.line}:${e.loc.col}` : 'yaml');
  p.throwIfAny();
  const { items, ...document } = doc!;
  items.forEach((item, i) => {
    checkScope(p, item.region_scope, `items[${i}].region_scope`, dict);
    p.throwIfAny();
    for (const e of validateItem(item, dict)) p.engine(e, e.loc ? `${e.loc.line}:${e.loc.col}` : `items[${i}]`);
  });
  p.throwIfAny();
  return { document, items };
}

function checkScope(p: Problems, scope: string[], path: string, dict: Dictionary): void {
  scope.forEach((r, i) => {
    if (!dict.regions.isValid(r)) p.add(`${path}[${i}]`, `适用区域 "${r}" 不是有效的区划代码`, `region_scope "${r}" is not a valid region code`);
  });
}

function checkDate(p: Problems, value: string | undefined, field: string): void {
  if (value !== undefined && parseDate(value) === undefined)
    p.add(field, `日期 "${value}" 无效，应为 YYYY-MM-DD 格式的真实日期`, `"${value}" is not a valid date (YYYY-MM-DD)`);
}

function checkOrder(p: Problems, from: string | undefined, to: string | undefined, field: string): void {
  if (from && to && parseDate(from) !== undefined && parseDate(to) !== undefined && to < from)
    p.add(field, `结束日期 ${to} 早于开始日期 ${from}`, `end date ${to} is before start date ${from}`);
}

/**
 * A rule from JSON: text is parsed; a tree is printed and parsed back, which both checks
 * its structure (a hand-made tree may lack operands) and gives the canonical tree.
 */
function readRule(p: Problems, raw: unknown, path: string): { expr: Expr; text: string } | undefined {
  if (typeof raw === 'string') {
    try {
      // positions kept for the checks below (they point into the text the clerk sent); canonicalItem strips them
      return { expr: parseExpr(raw), text: raw.trimEnd() };
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      p.engine(e, at(path, e));
      return undefined;
    }
  }
  try {
    const text = printExpr(raw as Expr);
    // positions in the printed text would point at nothing the sender wrote
    return { expr: stripLoc(parseExpr(text)), text };
  } catch (e) {
    const why = e instanceof EngineError ? e.en : 'malformed tree';
    p.add(path, `规则语法树结构无效（${e instanceof EngineError ? e.zh : '节点缺少必需的部分'}）`, `the rule tree is not well-formed (${why})`);
    return undefined;
  }
}

function readParams(p: Problems, params: NonNullable<ItemInput['params']>): ParamDef[] {
  return params.map((def, i) =>
    ({
      ...def,
      label: def.label ? { zh: def.label.zh, ...(def.label.en !== undefined ? { en: def.label.en } : {}) } : undefined,
      versions: def.versions.map((v, j) => {
        const path = `item.params[${i}].versions[${j}]`;
        checkDate(p, v.from, `${path}.from`);
        checkDate(p, v.to, `${path}.to`);
        checkOrder(p, v.from, v.to, `${path}.to`);
        if (v.value.kind !== 'expr') return v;
        const src = v.value.expr ?? v.value.text;
        if (src === undefined) {
          p.add(`${path}.value`, '表达式参数需要 expr 或 text', 'an expr value needs expr or text');
          return v;
        }
        const rule = readRule(p, src, `${path}.value`);
        return rule ? { ...v, value: { kind: 'expr' as const, expr: rule.expr, text: rule.text } } : v;
      }),
    }) as ParamDef,
  ).map((d) => {
    if (d.label === undefined) delete d.label;
    return d;
  });
}

/** One item from JSON (the visual editor), for a document that already exists. */
export function parseItemJson(input: ItemInput, documentId: string, dict: Dictionary): PolicyItem {
  const p = new Problems();
  checkScope(p, input.region_scope, 'item.region_scope', dict);
  checkDate(p, input.valid_from, 'item.valid_from');
  checkDate(p, input.valid_to, 'item.valid_to');
  checkOrder(p, input.valid_from, input.valid_to, 'item.valid_to');
  checkDate(p, input.window?.from, 'item.window.from');
  checkDate(p, input.window?.to, 'item.window.to');
  checkOrder(p, input.window?.from, input.window?.to, 'item.window.to');
  (input.cases ?? []).forEach((c, i) => checkDate(p, c.date, `item.cases[${i}].date`));
  const eligibility = readRule(p, input.eligibility, 'item.eligibility');
  const amount = input.amount !== undefined ? readRule(p, input.amount, 'item.amount') : undefined;
  const params = readParams(p, input.params ?? []);
  p.throwIfAny();
  const { eligibility: _e, amount: _a, ...rest } = input;
  void _e;
  void _a;
  const item: PolicyItem = {
    ...rest,
    version: input.version ?? 1,
    document_id: documentId,
    eligibility: eligibility!.expr,
    eligibility_text: eligibility!.text,
    ...(amount ? { amount: amount.expr, amount_text: amount.text } : {}),
    params,
    materials: input.materials ?? [],
    review_steps: input.review_steps ?? [],
    cases: (input.cases ?? []) as PolicyItem['cases'],
  };
  // Rule errors first and with their place in the rule text; then the rest of the item.
  const opts = { dict, params };
  const ruleErrors = [
    ...checkExpr(item.eligibility, 'bool', opts).map((e) => [e, at('item.eligibility', e)] as const),
    ...(item.amount ? checkExpr(item.amount, 'num', opts).map((e) => [e, at('item.amount', e)] as const) : []),
  ];
  for (const [e, field] of ruleErrors) p.engine(e, field);
  item.cases.forEach((c, i) => {
    for (const fe of normalizeFacts(dict, item.audience, c.facts).errors) {
      const [zh, en] = fe.message.split(' / ');
      p.add(`item.cases[${i}].facts.${fe.field}`, `用例「${c.name}」：${zh}`, `case "${c.name}": ${en ?? zh}`);
    }
  });
  const seen = new Set(ruleErrors.map(([e]) => e.message));
  for (const e of validateItem(item, dict))
    if (!seen.has(e.message) && !/用例「/.test(e.zh)) p.engine(e, e.code.startsWith('PARAM') ? 'item.params' : 'item');
  p.throwIfAny();
  return item;
}
