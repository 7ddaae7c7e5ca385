// A synthetic city for benchmarks: a dictionary shaped like 聊城's (eight counties, their
// towns, three functional zones, a historical code), a population of enterprises and
// residents, and a catalogue whose items look like real policies (audience, region
// scope, industries, size classes, round-number thresholds, ages, dates, sets, a few
// conditions with arithmetic). Deterministic: the same seed gives the same city.
import type { Expr } from '../ast/ast.ts';
import { createDictionary, createRegionTree } from '../dictionary/dictionary.ts';
import type { Dictionary, EntityKind, EnumDef, FieldDef } from '../dictionary/types.ts';
import type { PolicyItem } from '../policy/types.ts';
import { parseExpr } from '../syntax/parser.ts';
import { formatDate, parseDate } from '../values/dates.ts';
import type { Facts } from '../values/facts.ts';
import { PopulationBuilder, type Population } from './population.ts';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTIES = ['371502', '371503', '371521', '371522', '371524', '371525', '371526', '371581'];
const COUNTY_WEIGHT = [0.22, 0.1, 0.12, 0.14, 0.08, 0.12, 0.08, 0.14];
const TOWNS = COUNTIES.flatMap((c) => Array.from({ length: 16 }, (_, i) => `${c}${String(i + 1).padStart(3, '0')}`));
const ZONES = [
  { code: 'LC-JKQ', name: '聊城经济技术开发区', members: ['371502008', '371502009', '371502010', '371502016'] },
  { code: 'LC-GXQ', name: '聊城高新技术产业开发区', members: ['371502011', '371502012', '371503001', '371503002'] },
  { code: 'LC-DJQ', name: '江北水城旅游度假区', members: ['371502013', '371502014', '371502015'] },
];
const ZONE_CODES = ZONES.map((z) => z.code);

const SIZES = ['large', 'medium', 'small', 'micro'];
const CREDIT = ['good', 'normal', 'dishonest', 'serious'];
const DIVISIONS = Array.from({ length: 40 }, (_, i) => String(13 + i * 2));
const CHAINS = ['c01', 'c02', 'c03', 'c04', 'c05', 'c06', 'c07', 'c08', 'c09', 'c10', 'c11', 'c12'];
const QUALS = ['zjtx', 'xjr', 'gxjs', 'kjxzx', 'dxc', 'zjsj', 'lsgc', 'qyjs'];
const EMPLOYMENT = ['employed', 'unemployed', 'retired', 'student', 'flexible'];
const EDUCATION = ['none', 'primary', 'middle', 'high', 'college', 'postgrad'];
const SKILLS = Array.from({ length: 10 }, (_, i) => `s${i}`);

const en = (name: string, codes: string[]): EnumDef => ({ name, label: { zh: name, en: name }, values: codes.map((c) => ({ code: c, zh: c, en: c })) });
const fd = (key: string, type: FieldDef['type'], kinds: EntityKind[], extra: Partial<FieldDef> = {}): FieldDef => ({
  key, type, label: { zh: key, en: key }, source: 'bench', kinds, ...extra,
});
const E: EntityKind[] = ['enterprise'];
const P: EntityKind[] = ['person'];

export function benchDictionary(): Dictionary {
  const names: Record<string, string> = { '370000': '山东省', '371500': '聊城市', '371523': '茌平县' };
  for (const c of [...COUNTIES, ...TOWNS]) names[c] = c;
  return createDictionary({
    enums: [en('size_class', SIZES), en('credit_status', CREDIT), en('industry_division', DIVISIONS), en('industry_chain', CHAINS),
      en('qualification', QUALS), en('sex', ['m', 'f']), en('hukou', ['urban', 'rural']), en('employment', EMPLOYMENT),
      en('education', EDUCATION), en('skill', SKILLS)],
    sources: [{ id: 'bench', label: { zh: '基准', en: 'Bench' } }],
    regions: createRegionTree({ names, zones: ZONES }),
    fields: [
      fd('region', 'region', ['enterprise', 'person']), fd('credit_status', 'enum', ['enterprise', 'person'], { enum: 'credit_status' }),
      fd('employees', 'int', E), fd('insured_count', 'int', E), fd('ui_paid_months', 'int', E), fd('revenue', 'dec', E),
      fd('rd_expense', 'dec', E), fd('tax_paid', 'dec', E), fd('export_value', 'dec', E), fd('layoff_rate', 'dec', E),
      fd('registered_on', 'date', E), fd('size_class', 'enum', E, { enum: 'size_class' }),
      fd('industry_division', 'enum', E, { enum: 'industry_division' }), fd('industry_chain', 'enum', E, { enum: 'industry_chain' }),
      fd('qualifications', 'set', E, { enum: 'qualification' }), fd('ui_insured_local', 'bool', E), fd('is_listed', 'bool', E),
      fd('birth_date', 'date', P), fd('sex', 'enum', P, { enum: 'sex' }), fd('income_pc', 'dec', P), fd('disability_grade', 'int', P),
      fd('dibao', 'bool', P), fd('tekun', 'bool', P), fd('veteran', 'bool', P), fd('hukou', 'enum', P, { enum: 'hukou' }),
      fd('employment', 'enum', P, { enum: 'employment' }), fd('unemployed_months', 'int', P), fd('household_size', 'int', P),
      fd('education', 'enum', P, { enum: 'education' }), fd('skills', 'set', P, { enum: 'skill' }),
    ],
  });
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const some = <T>(r: () => number, xs: readonly T[], max: number): T[] => [...new Set(Array.from({ length: 1 + Math.floor(r() * max) }, () => pick(r, xs)))];
function weighted<T>(r: () => number, xs: readonly T[], ws: readonly number[]): T {
  let x = r();
  for (let i = 0; i < xs.length; i++) if ((x -= ws[i]) < 0) return xs[i];
  return xs[xs.length - 1];
}
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const round2 = (x: number) => Math.round(x * 100) / 100;

/** A population of `size` entities, `enterpriseShare` of them enterprises; ~5% of facts unknown. */
export function benchPopulation(dict: Dictionary, size: number, seed = 1, enterpriseShare = 0.1): Population {
  const r = rng(seed);
  const b = new PopulationBuilder(dict, { capacity: size });
  const day0 = parseDate('1990-01-01')!;
  const span = parseDate('2025-06-01')! - day0;
  const facts: Facts = {};
  const set = (k: string, v: Facts[string], p = 0.05) => (facts[k] = r() < p ? undefined : v);
  for (let i = 0; i < size; i++) {
    for (const k in facts) facts[k] = undefined;
    const county = weighted(r, COUNTIES.map((_, j) => j), COUNTY_WEIGHT);
    const town = r() < 0.03 && county === 1 ? `371523${String(1 + Math.floor(r() * 9)).padStart(3, '0')}` : TOWNS[county * 16 + Math.floor(r() * 16)];
    set('region', town, 0.01);
    set('credit_status', weighted(r, CREDIT, [0.6, 0.35, 0.04, 0.01]));
    if (r() < enterpriseShare) {
      facts.entity_kind = 'enterprise';
      const emp = Math.floor(Math.exp(2.5 + 1.3 * gauss(r)));
      const rev = round2(Math.exp(6 + 1.8 * gauss(r)));
      set('employees', emp);
      set('insured_count', Math.floor(emp * (0.6 + 0.4 * r())));
      set('ui_paid_months', r() < 0.8 ? 12 : Math.floor(r() * 12));
      set('revenue', rev);
      set('rd_expense', round2(rev * r() * 0.08), 0.25);
      set('tax_paid', round2(rev * r() * 0.06));
      set('export_value', r() < 0.7 ? 0 : round2(rev * r()));
      set('layoff_rate', Math.round(r() * r() * 3000) / 10000);
      set('registered_on', day0 + Math.floor(r() * span));
      set('size_class', emp >= 1000 ? 'large' : emp >= 300 ? 'medium' : emp >= 20 ? 'small' : 'micro');
      set('industry_division', pick(r, DIVISIONS));
      set('industry_chain', r() < 0.4 ? pick(r, CHAINS) : undefined);
      set('qualifications', some(r, QUALS, 3).filter(() => r() < 0.3).sort());
      set('ui_insured_local', r() < 0.85);
      set('is_listed', r() < 0.02);
    } else {
      facts.entity_kind = 'person';
      set('birth_date', parseDate('1935-01-01')! + Math.floor(r() * 90 * 365.25));
      set('sex', r() < 0.5 ? 'm' : 'f');
      set('income_pc', round2(Math.max(0, 2500 + 1500 * gauss(r))));
      set('disability_grade', r() < 0.06 ? 1 + Math.floor(r() * 4) : undefined, 0);
      set('dibao', r() < 0.05);
      set('tekun', r() < 0.01);
      set('veteran', r() < 0.03);
      set('hukou', r() < 0.55 ? 'rural' : 'urban');
      set('employment', weighted(r, EMPLOYMENT, [0.55, 0.06, 0.2, 0.12, 0.07]));
      set('unemployed_months', Math.floor(r() * 24), 0.3);
      set('household_size', 1 + Math.floor(r() * 6));
      set('education', pick(r, EDUCATION));
      set('skills', some(r, SKILLS, 3).filter(() => r() < 0.25).sort());
    }
    b.addFacts(facts);
  }
  return b.finish();
}

function enterpriseCondition(r: () => number): string {
  const x = r();
  if (x < 0.12) return `employees >= ${pick(r, [5, 10, 20, 30, 50, 100, 200, 300])}`;
  if (x < 0.22) return `revenue >= ${pick(r, [100, 200, 500, 1000, 2000, 5000, 10000, 20000])}`;
  if (x < 0.3) return `registered_on ${pick(r, ['before', 'after'])} ${pick(r, ['2015', '2018', '2020', '2022', '2023', '2024'])}-${pick(r, ['01', '07'])}-01`;
  if (x < 0.35) return `years_since(registered_on) ${pick(r, ['<=', '>='])} ${pick(r, [1, 2, 3, 5, 10])}`;
  if (x < 0.45) return `size_class in [${some(r, SIZES, 3).map((s) => `"${s}"`).join(', ')}]`;
  if (x < 0.55) return `industry_division in [${some(r, DIVISIONS, 6).map((s) => `"${s}"`).join(', ')}]`;
  if (x < 0.61) return `industry_chain = "${pick(r, CHAINS)}"`;
  if (x < 0.71) return `credit_status not in ["dishonest", "serious"]`;
  if (x < 0.77) return `qualifications contains any [${some(r, QUALS, 2).map((s) => `"${s}"`).join(', ')}]`;
  if (x < 0.82) return `ui_insured_local = true and ui_paid_months >= 12 and (layoff_rate <= 5.5% or (insured_count <= 30 and layoff_rate <= 20%))`;
  if (x < 0.87) return `tax_paid >= ${pick(r, [10, 50, 100, 500])}`;
  if (x < 0.9) return `export_value > 0`;
  if (x < 0.92) return `at least 2 of (qualifications contains any ["zjtx", "xjr"], employees >= 50, revenue >= 2000)`;
  if (x < 0.94) return `not (is_listed = true)`;
  if (x < 0.96) return `rd_expense is known`;
  if (x < 0.975) return `rd_expense / revenue >= ${pick(r, ['3%', '4%', '5%'])}`;
  return `(employees between ${pick(r, [10, 20])} and ${pick(r, [300, 500])} or revenue < ${pick(r, [2000, 4000])})`;
}

function personCondition(r: () => number): string {
  const x = r();
  if (x < 0.12) return `age(birth_date) between ${pick(r, [16, 18])} and ${pick(r, [24, 35, 45])}`;
  if (x < 0.22) return `age(birth_date) >= ${pick(r, [60, 70, 80, 90, 100])}`;
  if (x < 0.32) return `income_pc <= ${pick(r, [700, 800, 1000, 1200, 1500, 2000])}`;
  if (x < 0.4) return pick(r, ['dibao = true', 'tekun = true', '(dibao or tekun)', 'veteran = true']);
  if (x < 0.47) return `disability_grade ${pick(r, ['in [1, 2]', '<= 2', 'is known'])}`;
  if (x < 0.54) return `hukou = "${pick(r, ['rural', 'urban'])}"`;
  if (x < 0.62) return `employment = "unemployed" and unemployed_months >= ${pick(r, [3, 6, 12])}`;
  if (x < 0.7) return `education in [${some(r, EDUCATION, 3).map((s) => `"${s}"`).join(', ')}]`;
  if (x < 0.77) return `skills contains any [${some(r, SKILLS, 2).map((s) => `"${s}"`).join(', ')}]`;
  if (x < 0.83) return `household_size >= ${pick(r, [2, 3, 4])}`;
  if (x < 0.9) return `not (credit_status in ["serious"])`;
  if (x < 0.95) return `sex = "f" and age(birth_date) >= ${pick(r, [45, 50, 55])}`;
  return `months_since(birth_date) < ${pick(r, [36, 72])}`;
}

/** `count` items like the city's catalogue, for evaluation on 2025-06-01. */
export function benchCatalogue(count: number, seed = 7): PolicyItem[] {
  const r = rng(seed);
  const items: PolicyItem[] = [];
  for (let i = 0; i < count; i++) {
    const audience: EntityKind = r() < 0.62 ? 'enterprise' : 'person';
    const s = r();
    const region_scope = s < 0.3 ? ['371500'] : s < 0.85 ? [pick(r, COUNTIES)] : s < 0.95 ? [pick(r, ZONE_CODES)] : some(r, COUNTIES, 2);
    const n = 2 + Math.floor(r() * 4);
    const conds = Array.from({ length: n }, () => (audience === 'enterprise' ? enterpriseCondition(r) : personCondition(r)));
    const eligibility: Expr = parseExpr(conds.join('\nand '));
    const expired = r() < 0.1;
    items.push({
      id: `bench-${i}`, version: 1, title: `事项 ${i}`, document_id: `doc-${i >> 2}`, department: 'bench', region_scope, audience,
      mode: 'online', valid_from: expired ? '2020-01-01' : formatDate(parseDate('2024-01-01')! + Math.floor(r() * 500)),
      ...(expired ? { valid_to: '2024-12-31' } : {}), eligibility, params: [], materials: [], review_steps: [], statutory_days: 15, cases: [],
    });
  }
  return items;
}
