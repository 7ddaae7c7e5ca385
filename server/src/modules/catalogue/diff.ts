// What changed between two versions of an item, for the reviewer (R1: every change
// versioned and visible): metadata field by field, the rule and the formula as printed
// text with a line diff, parameters value by value, cases by name. Machine form and a
// Chinese rendering, one line each.
import { printExpr, type Dictionary, type ParamDef, type ParamValue, type ParamVersion, type PolicyItem } from '@kx/engine';
import type { Static } from 'typebox';
import { canonical } from '../audit/audit.ts';
import type { VersionDiff as VersionDiffSchema } from './schema.ts';

export type VersionDiff = Static<typeof VersionDiffSchema>;
type FieldChange = VersionDiff['fields'][number];
type ParamChange = VersionDiff['params'][number];
type RuleDiff = NonNullable<VersionDiff['eligibility']>;
export type LineChange = RuleDiff['lines'][number];

const FIELDS: [keyof PolicyItem, string][] = [
  ['title', '标题'], ['title_en', '英文标题'], ['document_id', '政策文件'], ['department', '主管部门'], ['audience', '对象'], ['mode', '办理方式'],
  ['region_scope', '适用区域'], ['valid_from', '生效日期'], ['valid_to', '失效日期'], ['window', '申报期'], ['amount_unit', '金额单位'],
  ['period', '兑现周期'], ['quota', '额度'], ['stacking_group', '叠加组'], ['confirm_intent', '需确认意愿'], ['materials', '申请材料'],
  ['review_steps', '审核环节'], ['statutory_days', '承诺时限（工作日）'], ['tags', '标签'], ['summary', '摘要'], ['source_note', '来源说明'],
];

const WORDS: Record<string, string> = {
  enterprise: '企业', person: '个人', auto: '免申即享', online: '网上申请', offline: '线下办理', once: '一次性', year: '每年', month: '每月',
};

const same = (a: unknown, b: unknown) => canonical(a ?? null) === canonical(b ?? null);

/** Longest-common-subsequence line diff; common head and tail trimmed first, large middles replaced whole. */
export function lineDiff(a: string[], b: string[]): LineChange[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const mid: LineChange[] = [];
  if (x.length * y.length > 4_000_000) {
    mid.push(...x.map((text) => ({ op: '-' as const, text })), ...y.map((text) => ({ op: '+' as const, text })));
  } else {
    const n = x.length;
    const m = y.length;
    const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && x[i] === y[j]) {
        mid.push({ op: ' ', text: x[i] });
        i++;
        j++;
      } else if (i < n && (j === m || L[i + 1][j] >= L[i][j + 1])) mid.push({ op: '-', text: x[i++] });
      else mid.push({ op: '+', text: y[j++] });
    }
  }
  return [...a.slice(0, head).map((text) => ({ op: ' ' as const, text })), ...mid, ...a.slice(a.length - tail).map((text) => ({ op: ' ' as const, text }))];
}

function ruleDiff(a: PolicyItem['amount'], b: PolicyItem['amount']): RuleDiff | null {
  const before = a ? printExpr(a) : null;
  const after = b ? printExpr(b) : null;
  if (before === after) return null;
  return { before, after, lines: lineDiff(before?.split('\n') ?? [], after?.split('\n') ?? []) };
}

export function paramValueText(v: ParamValue): string {
  switch (v.kind) {
    case 'num':
    case 'date':
    case 'text':
      return v.value;
    case 'bool':
      return v.value ? '是' : '否';
    case 'list':
      return `[${v.value.join(', ')}]`;
    case 'tiers':
      return v.rows.map((r) => `[${r.min ?? '−∞'}, ${r.max ?? '+∞'}) → ${r.value}`).join('；');
    case 'map':
      return `${Object.entries(v.entries).map(([k, x]) => `${k}: ${x}`).join('，')}${v.default !== undefined ? `，其他: ${v.default}` : ''}`;
    case 'expr':
      return v.text ?? printExpr(v.expr);
  }
}

const versionText = (v: ParamVersion) => `${paramValueText(v.value)}${v.to ? `（至 ${v.to}）` : ''}${v.source ? `〔${v.source}〕` : ''}`;

function paramChanges(a: ParamDef[], b: ParamDef[]): ParamChange[] {
  const before = new Map(a.map((p) => [p.name, p]));
  const after = new Map(b.map((p) => [p.name, p]));
  const out: ParamChange[] = [];
  for (const name of [...new Set([...before.keys(), ...after.keys()])]) {
    const p = before.get(name);
    const q = after.get(name);
    const label = (q ?? p)!.label?.zh ?? null;
    if (!p || !q) {
      out.push({ name, change: p ? 'removed' : 'added', label, fields: [], versions: (p ?? q)!.versions.map((v) => ({ from: v.from, change: p ? 'removed' : 'added', before: p ? versionText(v) : null, after: q ? versionText(v) : null })) });
      continue;
    }
    if (same(p, q)) continue;
    const fields: FieldChange[] = [];
    if (p.type !== q.type) fields.push({ field: 'type', label: '类型', before: p.type, after: q.type });
    if (!same(p.label, q.label)) fields.push({ field: 'label', label: '名称', before: p.label?.zh ?? null, after: q.label?.zh ?? null });
    if (p.unit !== q.unit) fields.push({ field: 'unit', label: '单位', before: p.unit ?? null, after: q.unit ?? null });
    const pv = new Map(p.versions.map((v) => [v.from, v]));
    const qv = new Map(q.versions.map((v) => [v.from, v]));
    const versions: ParamChange['versions'] = [];
    for (const from of [...new Set([...pv.keys(), ...qv.keys()])].sort()) {
      const x = pv.get(from);
      const y = qv.get(from);
      if (x && y && same(x, y)) continue;
      versions.push({ from, change: !x ? 'added' : !y ? 'removed' : 'changed', before: x ? versionText(x) : null, after: y ? versionText(y) : null });
    }
    out.push({ name, change: 'changed', label, fields, versions });
  }
  return out;
}

function fmt(field: string, v: unknown, dict?: Dictionary): string {
  if (v === undefined || v === null) return '（无）';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string') return WORDS[v] && ['audience', 'mode', 'period'].includes(field) ? `${WORDS[v]}（${v}）` : v;
  if (typeof v === 'number') return String(v);
  if (field === 'region_scope') return (v as string[]).map((r) => (dict?.regions.name(r) ? `${dict.regions.name(r)}（${r}）` : r)).join('、');
  if (field === 'window') return `${(v as { from: string }).from} 至 ${(v as { to?: string }).to ?? '长期'}`;
  if (field === 'quota') return [(v as { count?: number }).count !== undefined ? `名额 ${(v as { count: number }).count}` : '', (v as { budget?: string }).budget ? `预算 ${(v as { budget: string }).budget}` : ''].filter(Boolean).join('，');
  if (field === 'materials') return (v as { name: string }[]).map((m) => m.name).join('、');
  if (field === 'review_steps') return (v as { name: string; days: number }[]).map((s) => `${s.name}（${s.days} 天）`).join(' → ');
  if (Array.isArray(v)) return v.join('、');
  return JSON.stringify(v);
}

export function diffVersions(a: PolicyItem, b: PolicyItem, dict?: Dictionary): VersionDiff {
  const fields: FieldChange[] = FIELDS.filter(([k]) => !same(a[k], b[k])).map(([k, label]) => ({ field: k, label, before: a[k] ?? null, after: b[k] ?? null }));
  const eligibility = ruleDiff(a.eligibility, b.eligibility);
  const amount = ruleDiff(a.amount, b.amount);
  const params = paramChanges(a.params, b.params);
  const ca = new Map(a.cases.map((c) => [c.name, c]));
  const cb = new Map(b.cases.map((c) => [c.name, c]));
  const cases = {
    added: [...cb.keys()].filter((n) => !ca.has(n)),
    removed: [...ca.keys()].filter((n) => !cb.has(n)),
    changed: [...cb.keys()].filter((n) => ca.has(n) && !same(ca.get(n), cb.get(n))),
  };
  const identical = !fields.length && !eligibility && !amount && !params.length && !cases.added.length && !cases.removed.length && !cases.changed.length;
  const diff: VersionDiff = { item_id: b.id, from: a.version, to: b.version, identical, fields, eligibility, amount, params, cases, zh: [] };
  diff.zh = renderDiffZh(diff, dict);
  return diff;
}

export function renderDiffZh(d: VersionDiff, dict?: Dictionary): string[] {
  const out = [`事项 ${d.item_id}：第 ${d.from} 版 → 第 ${d.to} 版`];
  if (d.identical) return [...out, '两个版本内容相同'];
  for (const f of d.fields) out.push(`${f.label}：${fmt(f.field, f.before, dict)} → ${fmt(f.field, f.after, dict)}`);
  const rule = (title: string, r: RuleDiff | null) => {
    if (!r) return;
    out.push(`${title}：`);
    for (const l of r.lines) out.push(`  ${l.op === ' ' ? ' ' : l.op} ${l.text}`);
  };
  rule('资格条件', d.eligibility);
  rule('金额公式', d.amount);
  for (const p of d.params) {
    const name = `参数 $${p.name}${p.label ? `（${p.label}）` : ''}`;
    if (p.change !== 'changed') {
      out.push(`${name}：${p.change === 'added' ? '新增' : '删除'}`);
      continue;
    }
    for (const f of p.fields) out.push(`${name} ${f.label}：${fmt('', f.before)} → ${fmt('', f.after)}`);
    for (const v of p.versions)
      out.push(v.change === 'changed' ? `${name}：${v.from} 起 ${v.before} → ${v.after}` : `${name}：${v.change === 'added' ? '新增' : '删除'} ${v.from} 起的取值 ${v.after ?? v.before}`);
  }
  if (d.cases.added.length) out.push(`新增用例：${d.cases.added.map((n) => `「${n}」`).join('、')}`);
  if (d.cases.removed.length) out.push(`删除用例：${d.cases.removed.map((n) => `「${n}」`).join('、')}`);
  if (d.cases.changed.length) out.push(`修改用例：${d.cases.changed.map((n) => `「${n}」`).join('、')}`);
  return out;
}
