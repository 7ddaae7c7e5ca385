// docs/catalogue.md: the demo catalogue as one table per policy document, generated from
// data/policies so that the overview can never drift from the files reviewers read.
// `npm run docs:catalogue` rewrites it; catalogue.test.ts fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadPolicyDocument, MODE_LABEL, type EntityKind, type Mode, type PolicyDocument, type PolicyItem } from '@kx/engine';
import { departmentByCode } from '../codes/departments.ts';
import { listPolicyFiles } from './files.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const POLICIES_DIR = join(REPO_ROOT, 'data/policies');
export const CATALOGUE_MD = join(REPO_ROOT, 'docs/catalogue.md');

export interface CatalogueEntry {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  doc: PolicyDocument;
}

/** Loads every policy file below `dir`; a file that does not load stops the build. */
export function loadCatalogueEntries(dir: string = POLICIES_DIR): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  const errors: string[] = [];
  for (const path of listPolicyFiles(dir)) {
    const file = relative(REPO_ROOT, path).split('\\').join('/');
    const { doc, errors: errs } = loadPolicyDocument(readFileSync(path, 'utf8'), file);
    errors.push(...errs.map((e) => e.message));
    if (doc) entries.push({ file, doc });
  }
  if (errors.length) throw new Error(`政策文件无法加载 / policy files do not load:\n${errors.join('\n')}`);
  return entries;
}

export interface CatalogueStats {
  documents: number;
  items: number;
  cases: number;
  byAudience: Record<EntityKind, number>;
  byMode: Record<Mode, number>;
  /** Items owned by a city department vs. a county or zone department. */
  byLevel: { city: number; county: number };
  departments: number;
}

export function catalogueStats(entries: CatalogueEntry[]): CatalogueStats {
  const items = entries.flatMap((e) => e.doc.items);
  const stats: CatalogueStats = {
    documents: entries.length,
    items: items.length,
    cases: items.reduce((n, i) => n + i.cases.length, 0),
    byAudience: { enterprise: 0, person: 0 },
    byMode: { auto: 0, online: 0, offline: 0 },
    byLevel: { city: 0, county: 0 },
    departments: new Set(items.map((i) => i.department)).size,
  };
  for (const i of items) {
    stats.byAudience[i.audience]++;
    stats.byMode[i.mode]++;
    if (departmentByCode(i.department)?.level === 'city') stats.byLevel.city++;
    else stats.byLevel.county++;
  }
  return stats;
}

const AUDIENCE_ZH: Record<EntityKind, string> = { enterprise: '企业', person: '个人' };

// Table cells must not break the Markdown table.
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const pct = (n: number, of: number) => (of === 0 ? '0%' : `${((100 * n) / of).toFixed(1)}%`);

function departmentName(code: string): string {
  return departmentByCode(code)?.name ?? `${code}（未登记部门）`;
}

function validity(item: PolicyItem): string {
  return `${item.valid_from} 至 ${item.valid_to ?? '长期'}`;
}

function itemRow(item: PolicyItem): string {
  const title = `${item.title}<br>\`${item.id}\``;
  const cols = [title, departmentName(item.department), AUDIENCE_ZH[item.audience], MODE_LABEL[item.mode].zh, validity(item), String(item.cases.length)];
  return `| ${cols.map(cell).join(' | ')} |`;
}

function documentSection(e: CatalogueEntry): string[] {
  const d = e.doc;
  return [
    `### ${cell(d.title)}`,
    '',
    `${d.number} · ${d.issuers.map(departmentName).join('、')} · 发布于 ${d.published_on} · [${e.file}](../${e.file})`,
    '',
    `> ${cell(d.summary)}`,
    '',
    '| 事项 | 部门 | 对象 | 方式 | 有效期 | 案例数 |',
    '|---|---|---|---|---|---:|',
    ...d.items.map(itemRow),
    '',
  ];
}

/** The whole of docs/catalogue.md. Deterministic: same files, same bytes. */
export function renderCatalogue(entries: CatalogueEntry[]): string {
  const s = catalogueStats(entries);
  // City documents first, then county and zone documents; by file within each.
  const key = (e: CatalogueEntry) => `${departmentByCode(e.doc.issuers[0] ?? '')?.level === 'city' ? 0 : 1}${e.file}`;
  const sorted = [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const section = (kind: EntityKind, heading: string) => {
    const docs = sorted.filter((e) => e.doc.items.some((i) => i.audience === kind));
    return [`## ${heading}`, '', ...docs.flatMap(documentSection)];
  };
  const lines = [
    '# 政策事项目录 / Policy catalogue',
    '',
    '<!-- 由 `npm run docs:catalogue` 从 data/policies 生成，请勿手工编辑。 Generated from data/policies by `npm run docs:catalogue`; do not edit by hand. -->',
    '',
    '聊城市“政策快享”演示目录：每个政策文件一个 YAML（data/policies），规则和金额公式用规则语言书写，每个事项自带测试用例，`npx kx test data/policies` 全部运行。标注“示例参数”的金额为合理示例值，以部门公布为准。',
    '',
    '| 指标 | 数量 |',
    '|---|---:|',
    `| 政策文件 | ${s.documents} |`,
    `| 政策事项 | ${s.items} |`,
    `| 测试用例 | ${s.cases} |`,
    `| 面向企业 / 面向个人 | ${s.byAudience.enterprise} / ${s.byAudience.person} |`,
    `| 免申即享 | ${s.byMode.auto}（${pct(s.byMode.auto, s.items)}） |`,
    `| 网上申请 | ${s.byMode.online}（${pct(s.byMode.online, s.items)}） |`,
    `| 线下办理 | ${s.byMode.offline}（${pct(s.byMode.offline, s.items)}） |`,
    `| 市级部门事项 / 县级（含功能区）部门事项 | ${s.byLevel.city} / ${s.byLevel.county} |`,
    `| 牵头部门 | ${s.departments} |`,
    '',
    ...section('enterprise', '惠企政策（面向企业）'),
    ...section('person', '惠民政策（面向个人）'),
  ];
  return lines.join('\n').replace(/\n+$/, '\n');
}

export function writeCatalogue(dir: string = POLICIES_DIR, out: string = CATALOGUE_MD): CatalogueStats {
  const entries = loadCatalogueEntries(dir);
  writeFileSync(out, renderCatalogue(entries));
  return catalogueStats(entries);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const s = writeCatalogue();
  console.log(`${relative(process.cwd(), CATALOGUE_MD)}: ${s.documents} 个文件、${s.items} 个事项、${s.cases} 个用例`);
}
