import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluateItem, normalizeFacts, parseDate, parseExpr, type PolicyItem } from '@kx/engine';
import { validateIdNumber } from '../codes/id-number.ts';
import { classifySize } from '../codes/size-class.ts';
import { isValidUscc } from '../codes/uscc.ts';
import { liaochengDictionary } from '../dictionary/dictionary.ts';
import { COUNTY_WEIGHTS } from './distributions.ts';
import { csvColumns, csvHeader, csvLine, ndjsonLine } from './format.ts';
import { createPopulation, generateEntities, type Profile } from './population.ts';

const dict = liaochengDictionary();
const AS_OF = '2025-07-01';

function hashOf(profiles: Iterable<Profile>): string {
  const h = createHash('sha256');
  for (const p of profiles) h.update(ndjsonLine(p));
  return h.digest('hex');
}

// Generated once and shared: 20,000 residents and 20,000 market entities.
const big = createPopulation({ people: 20_000, enterprises: 20_000, seed: 2025 });
type Facts = Record<string, unknown>;
const people: Facts[] = [...big.profiles(0, big.people)].map((p) => p.facts);
const firms: Facts[] = [...big.profiles(big.people)].map((p) => p.facts);
const share = (xs: Facts[], pred: (f: Facts) => boolean) => xs.filter(pred).length / xs.length;
const str = (f: Facts, k: string) => f[k] as string;

describe('determinism', () => {
  it('gives the same bytes for the same seed and different bytes for another', () => {
    const a = hashOf(createPopulation({ people: 2000, enterprises: 500, seed: 42 }).profiles());
    const b = hashOf(createPopulation({ people: 2000, enterprises: 500, seed: 42 }).profiles());
    const c = hashOf(createPopulation({ people: 2000, enterprises: 500, seed: 43 }).profiles());
    const d = hashOf(createPopulation({ people: 2000, enterprises: 500, seed: 'liaocheng' }).profiles());
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(d).not.toBe(a);
  });

  it('makes profile k independent of the run size, so a run can be split across workers', () => {
    const small = createPopulation({ people: 100, enterprises: 10, seed: 9 });
    const large = createPopulation({ people: 5000, enterprises: 300, seed: 9 });
    expect(large.profile(57)).toEqual(small.profile(57));
    const whole = hashOf(small.profiles());
    const parts = createHash('sha256');
    for (const [from, to] of [[0, 37], [37, 101], [101, 110]]) for (const p of small.profiles(from, to)) parts.update(ndjsonLine(p));
    expect(parts.digest('hex')).toBe(whole);
  });

  it('moves ages with the as-of date but keeps who is who', () => {
    const now = createPopulation({ people: 50, enterprises: 0, seed: 3, asOf: '2025-07-01' }).profile(7).facts;
    const later = createPopulation({ people: 50, enterprises: 0, seed: 3, asOf: '2026-07-01' }).profile(7).facts;
    expect(parseDate(later.birth_date as string)! - parseDate(now.birth_date as string)!).toBe(365);
    expect(later.hukou_region).toBe(now.hukou_region);
  });

  it('rejects a bad as-of date or size with a message naming the value', () => {
    expect(() => createPopulation({ people: 1, enterprises: 0, seed: 1, asOf: '2025-13-01' })).toThrow(/2025-13-01/);
    expect(() => createPopulation({ people: -1, enterprises: 0, seed: 1 })).toThrow(/-1/);
  });
});

describe('identifiers', () => {
  it('gives every resident a valid, unique citizen ID number consistent with the facts', () => {
    const seen = new Set<string>();
    for (const f of people) {
      const id = f.id_number as string;
      const r = validateIdNumber(id, AS_OF);
      expect(r.valid, id).toBe(true);
      expect(r.facts?.birth_date).toBe(f.birth_date);
      expect(r.facts?.sex).toBe(f.sex);
      const address = r.facts?.address_code;
      // 茌平 became a district in 2019; numbers issued before keep the county's code 371523.
      if (address === '371523') {
        expect(f.hukou_region).toBe('371503');
        expect((f.birth_date as string) < '2019-01-01').toBe(true);
      } else expect(address).toBe(f.hukou_region);
      seen.add(id);
    }
    expect(seen.size).toBe(people.length);
    expect(share(people, (f) => str(f, 'id_number').startsWith('371523'))).toBeGreaterThan(0.05);
  });

  it('gives every market entity a valid, unique credit code registered in its county', () => {
    const seen = new Set<string>();
    for (const f of firms) {
      const code = f.uscc as string;
      expect(isValidUscc(code), code).toBe(true);
      expect(code.slice(2, 8)).toBe((f.region as string).slice(0, 6));
      seen.add(code);
    }
    expect(seen.size).toBe(firms.length);
  });
});

describe('facts', () => {
  it('are all valid facts of the 聊城 dictionary', () => {
    for (const p of createPopulation({ people: 3000, enterprises: 3000, seed: 77 }).profiles()) {
      const { errors } = normalizeFacts(dict, p.kind, p.facts);
      expect(errors, p.id).toEqual([]);
    }
  });

  it('come back as normalized entities in process, with their ids', () => {
    const es = generateEntities(dict, { people: 30, enterprises: 20, seed: 5 });
    expect(es).toHaveLength(50);
    expect(es[0]).toMatchObject({ id: 'P00000000', kind: 'person', facts: { entity_kind: 'person' } });
    expect(typeof es[0].facts.birth_date).toBe('number');
    expect(es[49]).toMatchObject({ id: 'E00000019', kind: 'enterprise' });
  });

  it('write as CSV with a header of every field, sets joined by |, unknown empty', () => {
    const cols = csvColumns(dict);
    expect(cols.slice(0, 3)).toEqual(['kind', 'id', 'name']);
    expect(cols).not.toContain('entity_kind');
    const header = csvHeader(cols).trimEnd().split(',');
    const p: Profile = { id: 'E1', kind: 'enterprise', facts: { name: '甲,乙"丙"', qualifications: ['gxjs', 'zjtx'], employees: 3 } };
    const row = csvLine(cols, p);
    expect(row).toContain('"甲,乙""丙"""');
    expect(row).toContain('gxjs|zjtx');
    expect(row.split(',').length).toBe(header.length + 1); // the quoted comma
  });
});

describe('distributions', () => {
  it('spreads residents over the counties by population (within 1 point)', () => {
    const total = COUNTY_WEIGHTS.reduce((s, [, w]) => s + w, 0);
    for (const [county, w] of COUNTY_WEIGHTS) {
      const got = share(people, (f) => str(f, 'region').slice(0, 6) === county);
      expect(Math.abs(got - w / total), county).toBeLessThan(0.01);
    }
  });

  it('puts people in the functional zones, which only towns of 东昌府区 can be in', () => {
    for (const zone of ['LC-JKQ', 'LC-GXQ', 'LC-DJQ'])
      expect(share(people, (f) => dict.regions.contains(zone, str(f, 'region'))), zone).toBeGreaterThan(0.01);
  });

  it('has the age pyramid of a Shandong prefecture', () => {
    const ages = people.map((f) => 2025 - Number(str(f, 'birth_date').slice(0, 4)));
    const over = (a: number) => ages.filter((x) => x >= a).length / ages.length;
    expect(over(60)).toBeGreaterThan(0.19);
    expect(over(60)).toBeLessThan(0.23);
    expect(over(80)).toBeGreaterThan(0.02);
    expect(over(80)).toBeLessThan(0.04);
    expect(1 - over(15)).toBeGreaterThan(0.16);
  });

  it('has the assistance and disability rates the city would have, among people the sources know', () => {
    const known = (k: string) => people.filter((f) => f[k] !== undefined);
    const rate = (k: string) => share(known(k), (f) => f[k] === true);
    expect(rate('dibao')).toBeGreaterThan(0.025);
    expect(rate('dibao')).toBeLessThan(0.045);
    expect(rate('tekun')).toBeGreaterThan(0.003);
    expect(rate('tekun')).toBeLessThan(0.008);
    const disabled = share(people, (f) => f.disability_grade !== undefined) / 0.95;
    expect(disabled).toBeGreaterThan(0.055);
    expect(disabled).toBeLessThan(0.07);
    const urban = share(people, (f) => f.hukou_type === 'urban');
    expect(urban).toBeGreaterThan(0.45);
    expect(urban).toBeLessThan(0.55);
  });

  it('has mostly micro and small firms, a few large, and size classes by the 2017 rules', () => {
    const sized = firms.filter((f) => f.size_class !== undefined);
    expect(share(sized, (f) => f.size_class === 'micro' || f.size_class === 'small')).toBeGreaterThan(0.95);
    expect(sized.some((f) => f.size_class === 'large')).toBe(true);
    for (const f of sized) {
      const { industry_code, employees, revenue, assets } = f as { industry_code?: string; employees?: number; revenue?: number; assets?: number };
      if (industry_code === undefined || employees === undefined || revenue === undefined || assets === undefined) continue;
      expect(classifySize({ industry: industry_code, employees, revenue, assets }).size).toBe(f.size_class);
    }
  });

  it('has about as many 专精特新, 小巨人, 高企 and 科技型中小企业 as the seeds imply', () => {
    const known = firms.filter((f) => f.qualifications !== undefined);
    const quals = (f: Facts) => f.qualifications as string[];
    const per10k = (q: string) => share(known, (f) => quals(f).includes(q)) * 10_000;
    expect(per10k('zjtx')).toBeGreaterThan(35);
    expect(per10k('zjtx')).toBeLessThan(90);
    expect(per10k('gxjs')).toBeGreaterThan(50);
    expect(per10k('gxjs')).toBeLessThan(115);
    expect(per10k('kjxzx')).toBeGreaterThan(110);
    expect(per10k('kjxzx')).toBeLessThan(200);
    // A 小巨人 is always also a 专精特新 enterprise.
    for (const f of known) if (quals(f).includes('xjr')) expect(quals(f)).toContain('zjtx');
  });

  it('leaves gaps by source, so that matching gives undetermined verdicts as well', () => {
    const noHrss = share(people, (f) => f.employment_status === undefined && f.ui_months_total === undefined);
    expect(noHrss).toBeGreaterThan(0.12);
    expect(noHrss).toBeLessThan(0.18);
    const item: PolicyItem = {
      id: 't', version: 1, title: 't', document_id: 'd', department: 'lc-rsj', region_scope: ['371500'], audience: 'person',
      mode: 'auto', valid_from: '2025-01-01', eligibility: parseExpr('employment_status = "employed" and ui_months_total >= 12'),
      params: [], materials: [], review_steps: [], statutory_days: 5, cases: [],
    };
    const verdicts = new Set(
      generateEntities(dict, { people: 500, enterprises: 0, seed: 8 }).map((e) => evaluateItem(item, e, dict, parseDate(AS_OF)!, { explain: false, counterfactuals: false }).verdict),
    );
    expect([...verdicts].sort()).toEqual(['eligible', 'ineligible', 'undetermined']);
  });
});

describe('known none', () => {
  // Every source delivers, no single fact is lost: what the city's systems know in full.
  const full = createPopulation({ people: 5000, enterprises: 5000, seed: 2025, gaps: false });
  const fullPeople = [...full.profiles(0, full.people)].map((p) => p.facts);
  const fullFirms = [...full.profiles(full.people)].map((p) => p.facts);
  const item = (audience: 'person' | 'enterprise', rule: string): PolicyItem => ({
    id: 't', version: 1, title: 't', document_id: 'd', department: 'lc-rsj', region_scope: ['371500'], audience,
    mode: 'auto', valid_from: '2025-01-01', eligibility: parseExpr(rule), params: [], materials: [], review_steps: [], statutory_days: 5, cases: [],
  });
  const verdictShares = (kind: 'person' | 'enterprise', rule: string, gaps: boolean) => {
    const es = generateEntities(dict, { people: kind === 'person' ? 4000 : 0, enterprises: kind === 'enterprise' ? 4000 : 0, seed: 11, gaps });
    const counts: Record<string, number> = { eligible: 0, ineligible: 0, undetermined: 0 };
    for (const e of es) counts[evaluateItem(item(kind, rule), e, dict, parseDate(AS_OF)!, { explain: false, counterfactuals: false }).verdict]++;
    return { eligible: counts.eligible / es.length, ineligible: counts.ineligible / es.length, undetermined: counts.undetermined / es.length };
  };

  it('gives every person a known certificate level, disability category, purchase, school stage and loan when all sources are present', () => {
    for (const f of fullPeople)
      for (const k of ['cert_level', 'disability_category', 'appliance', 'machine_class', 'new_car_type', 'scrapped_old_car', 'school_stage', 'loan_amount'])
        expect(f[k], `${String(f.id_number)} ${k}`).toBeDefined();
    expect(share(fullPeople, (f) => f.cert_level === 'none')).toBeGreaterThan(0.8);
    expect(share(fullPeople, (f) => f.disability_category === 'none')).toBeGreaterThan(0.9);
  });

  it('gives every enterprise a known key chain, foreign investment and loan when all sources are present', () => {
    for (const f of fullFirms) for (const k of ['key_chain', 'foreign_invested', 'loan_amount']) expect(f[k], `${String(f.uscc)} ${k}`).toBeDefined();
    expect(share(fullFirms, (f) => f.key_chain === 'none')).toBeGreaterThan(0.5);
    expect(share(fullFirms, (f) => f.key_chain !== 'none')).toBeGreaterThan(0.05);
  });

  it('leaves the details of what does not exist absent: no grade without a disability, no date without a certificate', () => {
    for (const f of fullPeople) {
      expect(f.disability_grade === undefined, String(f.id_number)).toBe(f.disability_category === 'none');
      expect(f.cert_on === undefined, String(f.id_number)).toBe(f.cert_level === 'none');
      if (f.machine_class === 'none') expect(f.machine_price).toBeUndefined();
      if (f.appliance === 'none') expect(f.appliance_price).toBeUndefined();
      if (f.loan_amount === 0) expect(f.loan_rate).toBeUndefined();
    }
  });

  it('makes gaps only blank facts: with gaps on, every fact still there is the one the full sources give', () => {
    const gapped = createPopulation({ people: 2000, enterprises: 2000, seed: 2025 });
    const whole = createPopulation({ people: 2000, enterprises: 2000, seed: 2025, gaps: false });
    let blanked = 0;
    for (let k = 0; k < gapped.size; k++) {
      const g = gapped.profile(k).facts;
      const w = whole.profile(k).facts;
      for (const key of Object.keys(w)) {
        if (g[key] === undefined) blanked++;
        else expect(g[key], `${k} ${key}`).toEqual(w[key]);
      }
    }
    expect(blanked).toBeGreaterThan(0);
  });

  it('makes a rule on the certificate level undetermined only where the 人社 data is missing', () => {
    const rule = 'cert_level in ["5", "4", "3"]';
    const withGaps = verdictShares('person', rule, true);
    // hrss is missing for 15% of people, and 1% of single facts are lost on top.
    expect(withGaps.undetermined).toBeGreaterThan(0.12);
    expect(withGaps.undetermined).toBeLessThan(0.19);
    expect(withGaps.ineligible).toBeGreaterThan(0.7);
    expect(withGaps.eligible).toBeGreaterThan(0);
    expect(verdictShares('person', rule, false).undetermined).toBe(0);
  });

  it('makes the key-chain and disability tests undetermined only where their source is missing', () => {
    const chain = verdictShares('enterprise', 'key_chain != "none"', true);
    // miit is missing for 20% of enterprises.
    expect(chain.undetermined).toBeGreaterThan(0.17);
    expect(chain.undetermined).toBeLessThan(0.24);
    expect(verdictShares('enterprise', 'key_chain != "none"', false).undetermined).toBe(0);
    const disability = verdictShares('person', 'disability_category != "none" and disability_grade <= 2', false);
    expect(disability.undetermined).toBe(0);
    expect(disability.eligible).toBeGreaterThan(0);
  });
});
