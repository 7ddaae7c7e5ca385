// The figures the synthetic 聊城 is drawn from, each with where it comes from. Tags as in
// domain.md: [V] checked against the named source, [K] from a named publication but not
// re-checked here (quoted from memory — check before relying on it), [A] an assumption of
// ours, chosen to look plausible, with no source. Nothing here is an official statistic of
// any real person or firm; the output is synthetic.
import { COUNTIES, TOWNS_371502, ZONES } from '../codes/regions.ts';

// ---- Where people live (domain.md §1) ------------------------------------------------
// County weights are resident populations: 7th census 2020 for 东昌府区 (1,008,594 plus the
// three zones 20.92万 + 14.94万 + 12.17万, which lie inside it), 茌平 and 东阿 [V]; 2023
// statistical bulletin for 阳谷, 莘县, 冠县, 高唐, 临清 [V as quoted in domain.md]. They sum to
// 588万 rather than the census 595万 because the years differ; only the shares matter.
const ZONE_POP = new Map(ZONES.map((z) => [z.code, z.population ?? 0]));
export const COUNTY_WEIGHTS: [code: string, weight: number][] = COUNTIES.map((c) => [
  c.code,
  c.code === '371502' ? (c.population ?? 0) + [...ZONE_POP.values()].reduce((a, b) => a + b, 0) : (c.population ?? 0),
]);

// Towns of 东昌府区: a zone's population split evenly over its member towns; the district
// proper's 1,008,594 split evenly over its 13 towns and streets, the 香江 market service
// centre given 1% [A: no town-level figures were found].
function townWeights(): [string, number][] {
  const zoneOf = new Map<string, string>();
  for (const z of ZONES) for (const m of z.members) zoneOf.set(m, z.code);
  const proper = TOWNS_371502.filter((t) => !zoneOf.has(t.code));
  const properPop = COUNTIES.find((c) => c.code === '371502')?.population ?? 0;
  return TOWNS_371502.map((t) => {
    const z = zoneOf.get(t.code);
    if (z) {
      const members = ZONES.find((x) => x.code === z)!.members.length;
      return [t.code, (ZONE_POP.get(z) ?? 0) / members];
    }
    if (t.code === '371502400') return [t.code, properPop * 0.01];
    return [t.code, (properPop * 0.99) / (proper.length - 1)];
  });
}
export const TOWN_WEIGHTS_371502 = townWeights();

/** Share of residents whose hukou is outside 聊城 [A]. Neighbours: 德州, 济南, 菏泽, 邯郸, 濮阳. */
export const EXTERNAL_HUKOU_SHARE = 0.03;
export const EXTERNAL_HUKOU_CODES = ['371402', '370102', '371702', '130402', '410902'];
/** Share of 聊城 hukou holders living in a county other than their hukou county [A]. */
export const MOVED_SHARE = 0.06;

/** Urban (城镇) hukou share by hukou county: ≈ 50/50 overall, higher in the central district [A]. */
export const URBAN_SHARE: Record<string, number> = { '371502': 0.68, external: 0.5 };
export const URBAN_SHARE_DEFAULT = 0.42;

// ---- Age pyramid --------------------------------------------------------------------
// Five-year bands in % of residents. Calibrated to Shandong's 7th census shares [K:
// 山东省第七次全国人口普查公报 — 0–14 18.78%, 15–59 60.32%, 60+ 20.90%, 65+ 15.13%]; the
// split inside the broad groups (the 1960s and 1980s birth bulges, ≈ 2.9% aged 80+) is [A].
export const AGE_BANDS: [fromYear: number, toYear: number, percent: number][] = [
  [0, 5, 5.2], [5, 10, 6.6], [10, 15, 7.0],
  [15, 20, 5.3], [20, 25, 4.8], [25, 30, 5.9], [30, 35, 8.2], [35, 40, 6.6], [40, 45, 6.1],
  [45, 50, 8.2], [50, 55, 8.7], [55, 60, 6.5],
  [60, 65, 5.8], [65, 70, 5.6], [70, 75, 4.0], [75, 80, 2.6], [80, 85, 1.7], [85, 90, 0.85],
  [90, 95, 0.3], [95, 100, 0.06], [100, 106, 0.01],
];

/** Probability of being male by age [K: Shandong sex ratio ≈ 102; women outlive men]. */
export function maleShare(age: number): number {
  return age < 60 ? 0.505 : age < 80 ? 0.48 : 0.42;
}

// ---- Disability, assistance --------------------------------------------------------
// Prevalence by age, giving 6.3% overall and ≈ 54% of disabled persons aged 60+ [K: 2006
// 第二次全国残疾人抽样调查 — 6.34%, 53.24% aged 60+]. Note that holders of a 残疾证 are
// fewer than this in practice (≈ 2.7% of residents [K: 中国残联 statistics]); the brief asked
// for the survey prevalence.
export function disabilityPrevalence(age: number): number {
  return age < 15 ? 0.012 : age < 45 ? 0.03 : age < 60 ? 0.065 : age < 80 ? 0.14 : 0.3;
}
/** Category shares of disabled persons [K: 2006 survey — 视力 14.86, 听力 24.16, 言语 1.53, 肢体 29.07, 智力 6.68, 精神 7.40, 多重 16.30]. */
export const DISABILITY_CATEGORIES: [string, number][] = [
  ['visual', 14.86], ['hearing', 24.16], ['speech', 1.53], ['physical', 29.07],
  ['intellectual', 6.68], ['mental', 7.4], ['multiple', 16.3],
];
/** Grades 1–4 (1 most severe): ≈ 30% 一二级 [K: 2006 survey, 重度 29.6%]; the split within is [A]. */
export const DISABILITY_GRADES: [number, number][] = [[1, 12], [2, 18], [3, 25], [4, 45]];

// 低保: ≈ 3–4% of residents, about 2.5× as common among rural hukou [A, within the range the
// brief gives; 聊城's own count was not found]. Multipliers for disability and old age [A].
export const DIBAO_BASE = { rural: 0.04, urban: 0.016 };
// 特困: ≈ 0.5% of residents, only among those unable to work (domain.md §5.8) [A for the rates].
export const TEKUN_RATE = { ruralElderly: 0.028, urbanElderly: 0.008, severeDisability: 0.05, child: 0.001 };

// ---- Work -----------------------------------------------------------------------------
// Employment status shares for working-age adults [A, shaped after the census: more farming
// and flexible work among rural hukou; registered unemployment ≈ 3% urban].
export const WORK_URBAN: [string, number][] = [
  ['employed', 62], ['flexible', 17], ['unemployed_registered', 3], ['ui_benefit', 1.2], ['none', 16.8],
];
export const WORK_RURAL: [string, number][] = [
  ['farmer', 38], ['employed', 28], ['flexible', 24], ['unemployed_registered', 2], ['ui_benefit', 0.5], ['none', 7.5],
];
/** Share of working adults holding a skill certificate, and level shares 5..1 [A]. */
export const CERT_SHARE = 0.1;
export const CERT_LEVELS: [string, number][] = [['5', 35], ['4', 35], ['3', 22], ['2', 6], ['1', 2]];

/** Education by birth cohort [A, shaped after the census's rising attainment]. */
export const EDUCATION_BY_AGE: [maxAge: number, rows: [string, number][]][] = [
  [35, [['below_high', 30], ['high', 25], ['college', 20], ['bachelor', 21], ['master', 3.5], ['doctor', 0.5]]],
  [50, [['below_high', 55], ['high', 22], ['college', 12], ['bachelor', 9], ['master', 1.6], ['doctor', 0.4]]],
  [200, [['below_high', 80], ['high', 13], ['college', 4], ['bachelor', 2.7], ['master', 0.3]]],
];

// ---- Farming, consumption -------------------------------------------------------------
/** Rural adults 30–80 who hold a household's contract land, and its size 4–8 亩 [A; Shandong ≈ 1.5 亩 per head]. */
export const LAND_HOLDER_SHARE = 0.45;
export const LAND_MU = [4, 8] as const;
/** Adults who bought a subsidised appliance this year [A], by category weight, price range in 元 [A]. */
export const APPLIANCE_BUYER_SHARE = 0.14;
export const APPLIANCES: [code: string, weight: number, lo: number, hi: number][] = [
  ['fridge', 10, 2000, 8000], ['washer', 10, 1500, 6000], ['tv', 12, 1500, 10000], ['aircon', 16, 2000, 9000],
  ['computer', 8, 3000, 12000], ['water_heater', 7, 800, 4000], ['stove', 4, 600, 3000], ['range_hood', 5, 1000, 5000],
  ['water_purifier', 4, 800, 4000], ['dishwasher', 2, 2500, 8000], ['rice_cooker', 3, 200, 1500],
  ['microwave', 2, 400, 2000], ['phone', 10, 800, 9000], ['tablet', 4, 1000, 7000], ['watch', 3, 200, 3000],
];
/** Devices that carry no energy-efficiency grade (domain.md §5.12). */
export const DIGITAL = new Set(['phone', 'tablet', 'watch']);

// ---- Missing data ---------------------------------------------------------------------
// Per entity, each source system is absent with this probability, so that undetermined
// verdicts occur as they do when a connector has not delivered [A; tax/hrss/agri/declared
// as the brief suggests]. The registry sources (市场监管 for firms, 公安 for people) are
// never absent: without them there would be no entity.
export const SOURCE_GAPS: Record<'person' | 'enterprise', Record<string, number>> = {
  person: { civil: 0.08, dpf: 0.05, medical: 0.08, hrss: 0.15, agri: 0.3, commerce: 0.2, finance: 0.3, declared: 0.7 },
  enterprise: { tax: 0.1, hrss: 0.15, stats: 0.12, miit: 0.2, sci: 0.2, commerce: 0.15, finance: 0.3, declared: 0.7, agri: 0.3 },
};
/** On top of whole-source gaps, single facts go missing at this rate [A]. */
export const FACT_GAP = 0.01;
