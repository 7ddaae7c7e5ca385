// A policy file (docs/policy-files.md) → PolicyDocument. Every error names
// file:line:col — YAML positions for structure, rule positions for rule text — and as
// many are collected as can be found in one pass. Types against the field dictionary
// are not checked here; the checker does that and the CLI reports both.
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import { ENTITY_KINDS } from '../dictionary/types.ts';
import { EngineError } from '../errors.ts';
import { utf8Length } from '../syntax/limits.ts';
import { readParams } from './load-params.ts';
import type { Material, Mode, PolicyDocument, PolicyItem, ReviewStep, TestCase, Verdict } from './types.ts';
import { found, type Fields, YamlReader } from './yaml-reader.ts';

export const MAX_POLICY_FILE_BYTES = 10 * 1024 * 1024;

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MODES: readonly Mode[] = ['auto', 'online', 'offline'];
const PERIODS = ['once', 'year', 'month'] as const;
const VERDICTS: readonly Verdict[] = ['eligible', 'ineligible', 'undetermined'];

const DOCUMENT_REQUIRED = ['id', 'title', 'number', 'issuers', 'published_on', 'summary', 'interpretation'];
const DOCUMENT_OPTIONAL = ['valid_from', 'valid_to', 'url'];
const ITEM_REQUIRED = ['id', 'version', 'title', 'department', 'region_scope', 'audience', 'mode', 'valid_from', 'eligibility', 'statutory_days'];
const ITEM_OPTIONAL = ['title_en', 'valid_to', 'window', 'amount', 'amount_unit', 'period', 'params', 'quota', 'stacking_group',
  'confirm_intent', 'materials', 'review_steps', 'tags', 'summary', 'source_note', 'cases'];

export interface LoadResult {
  /** Present only when the file has no errors. */
  doc?: PolicyDocument;
  errors: EngineError[];
}

export function loadPolicyDocument(yamlText: string, file: string): LoadResult {
  const bytes = utf8Length(yamlText);
  if (bytes > MAX_POLICY_FILE_BYTES)
    return { errors: [new EngineError('LIMIT', `政策文件 ${bytes} 字节，超过上限 10 MB`, `policy file is ${bytes} bytes, over the 10 MB limit`, { line: 1, col: 1 }, file)] };
  const lines = new LineCounter();
  // prettyErrors off: building the excerpt for an error in very deeply nested YAML exhausts memory.
  const yaml = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const r = new YamlReader(file, yamlText, lines, yaml);
  if (yaml.errors.length) {
    for (const e of yaml.errors) {
      const { line, col } = lines.linePos(e.pos[0]);
      const deep = e.code === 'RESOURCE_EXHAUSTION';
      r.errors.push(deep
        ? new EngineError('LIMIT', 'YAML 嵌套过深，无法读取', 'YAML is nested too deeply to read', { line, col }, file)
        : new EngineError('POLICY_FILE', `YAML 格式错误：${e.message}`, `YAML syntax error: ${e.message}`, { line, col }, file));
    }
    return { errors: r.errors };
  }
  if (yaml.contents === null)
    return { errors: [new EngineError('POLICY_FILE', '文件为空，期望 document 和 items', 'the file is empty; expected document and items', { line: 1, col: 1 }, file)] };
  const top = r.map(yaml.contents, '', ['document', 'items']);
  const doc = top && readDocument(r, top);
  if (r.errors.length || !doc) return { errors: r.errors.sort(byPosition) };
  return { doc, errors: [] };
}

function byPosition(a: EngineError, b: EngineError): number {
  return (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.col ?? 0) - (b.loc?.col ?? 0);
}

function readDocument(r: YamlReader, top: Fields): PolicyDocument | undefined {
  const f = top.get('document', (n, p) => r.map(n, p, DOCUMENT_REQUIRED, DOCUMENT_OPTIONAL));
  const id = f?.get('id', (n, p) => readId(r, n, p));
  const items = top.get('items', (n, p) => r.seq(n, p));
  if (!f || !id || !items) return undefined;
  const seen = new Map<string, number>();
  const loaded: PolicyItem[] = [];
  for (const it of items) {
    const item = readItem(r, it.node, it.path, id, seen);
    if (item) loaded.push(item);
  }
  const validFrom = f.date('valid_from');
  const validTo = f.date('valid_to');
  checkOrder(r, f, validFrom, validTo);
  const url = f.text('url');
  return {
    id,
    title: f.text('title')!,
    number: f.text('number')!,
    issuers: f.strList('issuers')!,
    published_on: f.date('published_on')!,
    ...(validFrom ? { valid_from: validFrom } : {}),
    ...(validTo ? { valid_to: validTo } : {}),
    summary: f.text('summary')!,
    interpretation: f.text('interpretation')!,
    ...(url !== undefined ? { url } : {}),
    items: loaded,
  };
}

function readItem(r: YamlReader, node: unknown, path: string, documentId: string, seen: Map<string, number>): PolicyItem | undefined {
  const f = r.map(node, path, ITEM_REQUIRED, ITEM_OPTIONAL);
  if (!f) return undefined;
  const id = f.get('id', (n, p) => readId(r, n, p));
  if (id !== undefined) {
    const first = seen.get(id);
    if (first !== undefined)
      r.fail(f.value('id'), f.at('id'), `事项编号 "${id}" 重复（第一次出现在第 ${first} 行）`, `item id "${id}" is used twice (first on line ${first})`);
    else seen.set(id, r.loc(f.value('id')).line);
  }
  const eligibility = f.get('eligibility', (n, p) => r.rule(n, p));
  const amount = f.get('amount', (n, p) => r.rule(n, p));
  const validFrom = f.date('valid_from');
  const validTo = f.date('valid_to');
  checkOrder(r, f, validFrom, validTo);
  const item: Partial<PolicyItem> = {
    id,
    version: f.int('version', 1),
    title: f.text('title'),
    title_en: f.text('title_en'),
    document_id: documentId,
    department: f.text('department'),
    region_scope: f.strList('region_scope'),
    audience: f.oneOf('audience', ENTITY_KINDS),
    mode: f.oneOf('mode', MODES),
    valid_from: validFrom,
    valid_to: validTo,
    window: f.get('window', (n, p) => readWindow(r, n, p)),
    eligibility: eligibility?.expr,
    eligibility_text: eligibility?.text,
    amount: amount?.expr,
    amount_text: amount?.text,
    amount_unit: f.text('amount_unit'),
    period: f.oneOf('period', PERIODS),
    params: f.has('params') ? f.get('params', (n, p) => readParams(r, n, p)) : [],
    quota: f.get('quota', (n, p) => readQuota(r, n, p)),
    stacking_group: f.text('stacking_group'),
    materials: f.has('materials') ? f.get('materials', (n, p) => readList(r, n, p, readMaterial)) : [],
    review_steps: f.has('review_steps') ? f.get('review_steps', (n, p) => readList(r, n, p, readStep)) : [],
    statutory_days: f.int('statutory_days', 0),
    confirm_intent: f.bool('confirm_intent'),
    tags: f.strList('tags'),
    summary: f.text('summary'),
    source_note: f.text('source_note'),
    cases: f.has('cases') ? f.get('cases', (n, p) => readList(r, n, p, readCase)) : [],
  };
  // Absent optional keys stay absent rather than present-and-undefined, so items compare and serialise cleanly.
  for (const k of Object.keys(item) as (keyof PolicyItem)[]) if (item[k] === undefined) delete item[k];
  return item as PolicyItem;
}

function readId(r: YamlReader, node: unknown, path: string): string | undefined {
  const s = isScalar(node) ? node.value : undefined;
  if (typeof s === 'string' && ID.test(s)) return s;
  return r.fail(node, path, `编号只能用小写字母、数字和连字符（如 lc-rsj-wgfh），实际为${found(node).zh}`,
    `ids use lower-case letters, digits and hyphens (e.g. lc-rsj-wgfh), found ${found(node).en}`);
}

function checkOrder(r: YamlReader, f: Fields, from: string | undefined, to: string | undefined, keys = ['valid_from', 'valid_to']): void {
  if (from && to && to < from)
    r.fail(f.value(keys[1]), f.at(keys[1]), `${keys[1]} ${to} 早于 ${keys[0]} ${from}`, `${keys[1]} ${to} is before ${keys[0]} ${from}`);
}

function readWindow(r: YamlReader, node: unknown, path: string): { from: string; to?: string } | undefined {
  const f = r.map(node, path, ['from'], ['to']);
  if (!f) return undefined;
  const from = f.date('from');
  const to = f.date('to');
  checkOrder(r, f, from, to, ['from', 'to']);
  return from ? { from, ...(to ? { to } : {}) } : undefined;
}

function readQuota(r: YamlReader, node: unknown, path: string): { count?: number; budget?: string } | undefined {
  const f = r.map(node, path, [], ['budget', 'count']);
  if (!f) return undefined;
  const budget = f.decimal('budget');
  const count = f.int('count', 0);
  return { ...(budget !== undefined ? { budget } : {}), ...(count !== undefined ? { count } : {}) };
}

function readList<T>(r: YamlReader, node: unknown, path: string, read: (r: YamlReader, node: unknown, path: string) => T | undefined): T[] | undefined {
  const items = r.seq(node, path);
  if (!items) return undefined;
  const out = items.map((it) => read(r, it.node, it.path));
  return out.every((x) => x !== undefined) ? (out as T[]) : undefined;
}

function readMaterial(r: YamlReader, node: unknown, path: string): Material | undefined {
  const f = r.map(node, path, ['name'], ['provided_by', 'required']);
  const name = f?.text('name');
  if (!f || name === undefined) return undefined;
  const by = f.text('provided_by');
  const required = f.bool('required');
  return { name, ...(by !== undefined ? { provided_by: by } : {}), ...(required !== undefined ? { required } : {}) };
}

function readStep(r: YamlReader, node: unknown, path: string): ReviewStep | undefined {
  const f = r.map(node, path, ['name', 'days'], ['department', 'parallel_group', 'county']);
  const name = f?.text('name');
  const days = f?.int('days', 0);
  if (!f || name === undefined || days === undefined) return undefined;
  const dept = f.text('department');
  const group = f.text('parallel_group');
  const county = f.bool('county');
  return { name, days, ...(dept !== undefined ? { department: dept } : {}), ...(group !== undefined ? { parallel_group: group } : {}), ...(county ? { county } : {}) };
}

function readCase(r: YamlReader, node: unknown, path: string): TestCase | undefined {
  const f = r.map(node, path, ['name', 'date', 'facts', 'expect'], []);
  if (!f) return undefined;
  const name = f.text('name');
  const date = f.date('date');
  const facts = f.get('facts', (n, p) => readFacts(r, n, p));
  const e = f.get('expect', (n, p) => r.map(n, p, ['verdict'], ['amount', 'missing']));
  const verdict = e?.oneOf('verdict', VERDICTS);
  const amountNode = e?.value('amount');
  const amount = e?.has('amount')
    ? isScalar(amountNode) && amountNode.value === null ? null : e.decimal('amount')
    : undefined;
  const missing = e?.strList('missing');
  if (name === undefined || !date || !facts || !verdict || (e?.has('amount') && amount === undefined)) return undefined;
  return {
    name,
    date,
    facts,
    expect: { verdict, ...(amount !== undefined ? { amount } : {}), ...(missing ? { missing } : {}) },
  };
}

/** Facts stay JSON as the API takes them; the CLI normalises them against the dictionary. */
function readFacts(r: YamlReader, node: unknown, path: string): Record<string, unknown> | undefined {
  if (!isMap(node)) return r.fail(node, path, `期望 字段: 值 的映射，实际为${found(node).zh}`, `expected a mapping of field: value, found ${found(node).en}`);
  try {
    return r.toJS(node) as Record<string, unknown>;
  } catch {
    return r.fail(node, path, '事实数据嵌套过深或别名过多', 'facts are nested too deeply or use too many aliases');
  }
}
