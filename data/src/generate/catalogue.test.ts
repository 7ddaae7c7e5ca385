import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPolicyDocument, runItemCases, validateItem, type PolicyItem } from '@kx/engine';
import { loadCatalogue } from '../catalogue/files.ts';
import { DEPARTMENTS, departmentByCode } from '../codes/departments.ts';
import { liaochengDictionary } from '../dictionary/dictionary.ts';
import { catalogueCounts, generateCatalogue, modeCounts, SEED_CATALOGUE, type GeneratedCatalogue } from './catalogue.ts';
import { policyFileYaml } from './policy-yaml.ts';
import { nudge } from './vary.ts';

const dict = liaochengDictionary();
const templates = loadCatalogue(fileURLToPath(new URL('../../policies', import.meta.url)), dict);
const templateById = new Map(templates.items.map((i) => [i.id, i]));
const small = generateCatalogue(templates, { items: 100, documents: 51, seed: 7 });

function hashOf(cat: GeneratedCatalogue): string {
  const h = createHash('sha256');
  for (const d of cat.documents) h.update(policyFileYaml(d));
  return h.digest('hex');
}

describe('generateCatalogue', () => {
  it('grows from a demo catalogue that loads cleanly', () => {
    expect(templates.errors).toEqual([]);
    expect(templates.items.length).toBeGreaterThan(20);
  });

  it('has exactly the requested documents and items, in the seeds’ mode proportions', () => {
    expect(catalogueCounts(small)).toMatchObject({ documents: 51, items: 100, auto_grant: 17, online: 78, offline: 5 });
    expect(modeCounts(SEED_CATALOGUE.items)).toEqual({ auto: 466, online: 2115, offline: 147 });
    expect(new Set(small.items.map((i) => i.id)).size).toBe(100);
    expect(new Set(small.documents.map((d) => d.id)).size).toBe(51);
    for (const d of small.documents) {
      expect(d.items.length).toBeGreaterThan(0);
      for (const i of d.items) expect(i.document_id).toBe(d.id);
    }
  });

  it('is the same for the same seed and different for another', () => {
    expect(hashOf(generateCatalogue(templates, { items: 100, documents: 51, seed: 7 }))).toBe(hashOf(small));
    expect(hashOf(generateCatalogue(templates, { items: 100, documents: 51, seed: 8 }))).not.toBe(hashOf(small));
  });

  it('makes items that type-check and whose cases pass', () => {
    let cases = 0;
    for (const item of small.items) {
      expect(validateItem(item, dict).map((e) => e.message), item.id).toEqual([]);
      for (const r of runItemCases(item, dict)) {
        expect(r.failures, `${item.id} — ${r.case}`).toEqual([]);
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(small.items.length);
  });

  it('never copies a template: scope, department or parameters differ', () => {
    const paramsOf = (i: PolicyItem) => JSON.stringify(i.params.map((p) => p.versions.map((v) => v.value)));
    for (const item of small.items) {
      const t = templateById.get(small.templateOf.get(item.id)!)!;
      const differs = item.region_scope.join() !== t.region_scope.join() || item.department !== t.department || paramsOf(item) !== paramsOf(t);
      expect(differs, `${item.id} from ${t.id}`).toBe(true);
    }
  });

  it('gives a county’s version to the county’s bureau of the same kind, with the county in its title', () => {
    const county = small.items.filter((i) => i.region_scope[0] === '371522');
    expect(county.length).toBeGreaterThan(0);
    for (const item of county) {
      const dept = departmentByCode(item.department)!;
      const t = templateById.get(small.templateOf.get(item.id)!)!;
      expect(dept.region).toBe('371522');
      expect(dept.kind).toBe(departmentByCode(t.department)!.kind);
      expect(item.title.startsWith('莘县')).toBe(true);
    }
  });

  it('writes policy files that load back to the same items', () => {
    for (const doc of small.documents.slice(0, 15)) {
      const text = policyFileYaml(doc);
      const { doc: back, errors } = loadPolicyDocument(text, `${doc.id}.yaml`);
      expect(errors.map((e) => e.message)).toEqual([]);
      expect(policyFileYaml(back!)).toBe(text);
    }
  });

  it('at the seeds’ scale: 1,394 documents, 2,728 items (466 免申即享, 2,115 online), 186 departments', () => {
    const full = generateCatalogue(templates, { items: SEED_CATALOGUE.items, documents: SEED_CATALOGUE.documents, seed: 1 });
    expect(catalogueCounts(full)).toEqual({ documents: 1394, items: 2728, auto_grant: 466, online: 2115, offline: 147, departments: DEPARTMENTS.length });
    expect(DEPARTMENTS.length).toBe(SEED_CATALOGUE.departments);
  });

  it('refuses impossible sizes with a message naming them', () => {
    expect(() => generateCatalogue(templates, { items: 10, documents: 20, seed: 1 })).toThrow(/20.*10/);
  });
});

describe('nudge', () => {
  it('rounds the way a department writes figures', () => {
    expect(nudge('1500', 1.13, false)).toBe('1700');
    expect(nudge('0.055', 1.1, false)).toBe('0.06');
    expect(nudge('0.6', 1.3, false)).toBe('0.78');
    expect(nudge('0.9', 1.2, false)).toBe('1');
    expect(nudge('-0.015', 1.1, false)).toBe('-0.017');
    expect(nudge('30', 0.85, true)).toBe('26');
    expect(nudge('0', 1.2, false)).toBe('0');
  });
});
