// The demo catalogue as a whole: docs/catalogue.md matches the files, the catalogue is big
// and varied enough for the demo, every item type-checks and carries passing cases of
// every verdict, and every department it names exists.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicyDocument, runItemCases, validateItem } from '@kx/engine';
import { departmentByCode } from '../codes/departments.ts';
import { liaochengDictionary } from '../dictionary/dictionary.ts';
import { CATALOGUE_MD, catalogueStats, loadCatalogueEntries, renderCatalogue } from './catalogue-doc.ts';

const entries = loadCatalogueEntries();
const items = entries.flatMap((e) => e.doc.items);
const dict = liaochengDictionary();

describe('docs/catalogue.md', () => {
  it('is up to date with data/policies (run `npm run docs:catalogue` after editing a policy file)', () => {
    expect(readFileSync(CATALOGUE_MD, 'utf8')).toBe(renderCatalogue(entries));
  });

  it('lists every item with its department, audience, mode, validity and case count', () => {
    const md = renderCatalogue(entries);
    const wgfh = items.find((i) => i.id === 'lc-rsj-wgfh')!;
    expect(md).toContain(`| 失业保险稳岗返还<br>\`lc-rsj-wgfh\` | 聊城市人力资源和社会保障局 | 企业 | 免申即享 | 2025-01-01 至 2025-12-31 | ${wgfh.cases.length} |`);
    for (const i of items) expect(md).toContain(`\`${i.id}\``);
    expect(md).toContain(`| 政策事项 | ${items.length} |`);
  });

  it('keeps a table intact when a title contains a pipe or a line break', () => {
    const yaml = readFileSync(new URL('../../policies/enterprise/lc-gxj-2025-sts.yaml', import.meta.url), 'utf8')
      .replace('title: 首台（套）技术装备保险补偿', 'title: "首台|套\\n保险补偿"');
    const { doc } = loadPolicyDocument(yaml, 'x.yaml');
    const md = renderCatalogue([{ file: 'x.yaml', doc: doc! }]);
    expect(md).toContain('| 首台\\|套 保险补偿<br>`lc-gxj-sts-insurance` |');
  });
});

describe('the demo catalogue', () => {
  const stats = catalogueStats(entries);

  it('has at least 80 items and 240 cases', () => {
    expect(stats.items).toBeGreaterThanOrEqual(80);
    expect(stats.cases).toBeGreaterThanOrEqual(240);
  });

  it('covers both audiences, all three modes, city and county departments', () => {
    expect(stats.byAudience.enterprise).toBeGreaterThan(0);
    expect(stats.byAudience.person).toBeGreaterThan(0);
    expect(stats.byMode.auto).toBeGreaterThan(0);
    expect(stats.byMode.online).toBeGreaterThan(0);
    expect(stats.byMode.offline).toBeGreaterThan(0);
    expect(stats.byLevel.city).toBeGreaterThan(0);
    expect(stats.byLevel.county).toBeGreaterThan(0);
  });

  it('names only departments that exist, and a county department only governs its own county', () => {
    for (const { doc } of entries)
      for (const code of doc.issuers) expect(departmentByCode(code), `${doc.id}: issuer ${code}`).toBeDefined();
    for (const i of items) {
      const dept = departmentByCode(i.department);
      expect(dept, `${i.id}: department ${i.department}`).toBeDefined();
      for (const r of i.region_scope) expect(dict.regions.contains(dept!.region, r), `${i.id}: ${r} outside ${dept!.region}`).toBe(true);
      for (const s of i.review_steps) if (s.department) expect(departmentByCode(s.department), `${i.id}: step ${s.name}`).toBeDefined();
    }
  });

  it('has unique item ids and one file per document', () => {
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(new Set(entries.map((e) => e.doc.id)).size).toBe(entries.length);
    for (const e of entries) expect(e.file.endsWith(`/${e.doc.id}.yaml`), e.file).toBe(true);
  });

  it('gives every item an eligible case with an exact amount, an ineligible case and an undetermined case with its missing facts', () => {
    for (const i of items) {
      const eligible = i.cases.filter((c) => c.expect.verdict === 'eligible' && typeof c.expect.amount === 'string');
      const undetermined = i.cases.filter((c) => c.expect.verdict === 'undetermined' && (c.expect.missing?.length ?? 0) > 0);
      expect(eligible.length, `${i.id}: eligible case with amount`).toBeGreaterThan(0);
      expect(i.cases.some((c) => c.expect.verdict === 'ineligible'), `${i.id}: ineligible case`).toBe(true);
      expect(undetermined.length, `${i.id}: undetermined case with missing`).toBeGreaterThan(0);
    }
  });

  it('cites a source document for every parameter version and has an amount formula for every item', () => {
    for (const i of items) {
      expect(i.amount, `${i.id}: amount`).toBeDefined();
      for (const p of i.params) for (const v of p.versions) expect(v.source, `${i.id}: $${p.name} from ${v.from}`).toBeTruthy();
    }
  });

  it('type-checks every item against the dictionary and passes every case', () => {
    const problems: string[] = [];
    for (const i of items) {
      problems.push(...validateItem(i, dict).map((e) => `${i.id}: ${e.message}`));
      for (const r of runItemCases(i, dict)) if (!r.passed) problems.push(`${i.id} — ${r.case}: ${r.failures.join('; ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('names, for every 零材料 material, a dictionary field of the item\'s audience', () => {
    for (const i of items)
      for (const m of i.materials)
        if (m.provided_by) expect(dict.fields.get(m.provided_by)?.kinds.includes(i.audience), `${i.id}: ${m.name} ← ${m.provided_by}`).toBe(true);
  });

  it('keeps items of one stacking group for one audience', () => {
    const groups = new Map<string, Set<string>>();
    for (const i of items) if (i.stacking_group) groups.set(i.stacking_group, (groups.get(i.stacking_group) ?? new Set()).add(i.audience));
    for (const [g, aud] of groups) expect(aud.size, g).toBe(1);
  });
});
