// Enterprise size: 统计上大中小微型企业划分办法（2017）(国统字〔2017〕213号), implemented
// from the table and algorithm of domain.md §4, not from public code (which has bugs: 仓储
// medium 200–300, 信息传输 medium capped at 10000). Ranges are lower-inclusive and
// upper-exclusive. Large, medium and small must reach the lower bound of every listed
// indicator; micro needs only one indicator in the micro range. That is: the result is the
// lowest tier over the indicators, and one indicator in the micro range makes the firm micro.
import { divisionOf, sectionOf } from './industries.ts';

export type SizeClass = 'large' | 'medium' | 'small' | 'micro';
export type SizeIndicator = 'employees' | 'revenue' | 'assets';

export interface SizeSector {
  code: string;
  zh: string;
  en: string;
  /** Per indicator, the lower bounds of large, medium and small; below small is micro. */
  bounds: Partial<Record<SizeIndicator, [large: number, medium: number, small: number]>>;
}

// X = 从业人员 (persons), Y = 营业收入 (万元), Z = 资产总额 (万元).
export const SIZE_SECTORS: SizeSector[] = [
  { code: 'agriculture', zh: '农、林、牧、渔业', en: 'Agriculture, forestry, husbandry and fishery', bounds: { revenue: [20000, 500, 50] } },
  { code: 'industry', zh: '工业', en: 'Industry', bounds: { employees: [1000, 300, 20], revenue: [40000, 2000, 300] } },
  { code: 'construction', zh: '建筑业', en: 'Construction', bounds: { revenue: [80000, 6000, 300], assets: [80000, 5000, 300] } },
  { code: 'wholesale', zh: '批发业', en: 'Wholesale', bounds: { employees: [200, 20, 5], revenue: [40000, 5000, 1000] } },
  { code: 'retail', zh: '零售业', en: 'Retail', bounds: { employees: [300, 50, 10], revenue: [20000, 500, 100] } },
  { code: 'transport', zh: '交通运输业', en: 'Transport', bounds: { employees: [1000, 300, 20], revenue: [30000, 3000, 200] } },
  { code: 'warehousing', zh: '仓储业', en: 'Warehousing', bounds: { employees: [200, 100, 20], revenue: [30000, 1000, 100] } },
  { code: 'postal', zh: '邮政业', en: 'Postal services', bounds: { employees: [1000, 300, 20], revenue: [30000, 2000, 100] } },
  { code: 'accommodation_catering', zh: '住宿和餐饮业', en: 'Accommodation and catering', bounds: { employees: [300, 100, 10], revenue: [10000, 2000, 100] } },
  { code: 'info_transmission', zh: '信息传输业', en: 'Information transmission', bounds: { employees: [2000, 100, 10], revenue: [100000, 1000, 100] } },
  { code: 'software', zh: '软件和信息技术服务业', en: 'Software and IT services', bounds: { employees: [300, 100, 10], revenue: [10000, 1000, 50] } },
  { code: 'real_estate_development', zh: '房地产开发经营', en: 'Real estate development', bounds: { revenue: [200000, 1000, 100], assets: [10000, 5000, 2000] } },
  { code: 'property_management', zh: '物业管理', en: 'Property management', bounds: { employees: [1000, 300, 100], revenue: [5000, 1000, 500] } },
  { code: 'leasing_business', zh: '租赁和商务服务业', en: 'Leasing and business services', bounds: { employees: [300, 100, 10], assets: [120000, 8000, 100] } },
  { code: 'other', zh: '其他未列明行业', en: 'Other industries not listed', bounds: { employees: [300, 100, 10] } },
];

const SECTOR = new Map(SIZE_SECTORS.map((s) => [s.code, s]));
const ORDER: SizeClass[] = ['large', 'medium', 'small', 'micro'];
const CLASS_ZH: Record<SizeClass, string> = { large: '大型', medium: '中型', small: '小型', micro: '微型' };
const INDICATOR_ZH: Record<SizeIndicator, [name: string, unit: string]> = {
  employees: ['从业人员', '人'],
  revenue: ['营业收入', '万元'],
  assets: ['资产总额', '万元'],
};
// The scope of 其他未列明行业 in the rules; other industries (金融业 has its own rules, 教育,
// 卫生, 公共管理 …) fall back to it here, and the reason says so.
const OTHER_SCOPE_SECTIONS = new Set(['M', 'N', 'O', 'R']);

/**
 * The size sector of a 2-, 3- or 4-digit GB/T 4754-2017 code. Division 70 needs the class
 * (7010 开发经营 and 702 物业管理 have their own rows), so '70' alone gives undefined.
 */
export function sizeSectorOf(industry: string): { sector: SizeSector; listed: boolean } | undefined {
  const division = divisionOf(industry);
  if (division === undefined) return undefined;
  const d = Number(division);
  const section = sectionOf(division) as string;
  const of = (code: string, listed = true) => ({ sector: SECTOR.get(code) as SizeSector, listed });
  if (section === 'A') return of('agriculture');
  if (section === 'B' || section === 'C' || section === 'D') return of('industry');
  if (section === 'E') return of('construction');
  if (d === 51) return of('wholesale');
  if (d === 52) return of('retail');
  if (d >= 54 && d <= 58) return of('transport');
  if (d === 59) return of('warehousing');
  if (d === 60) return of('postal');
  if (d === 61 || d === 62) return of('accommodation_catering');
  if (d === 63 || d === 64) return of('info_transmission');
  if (d === 65) return of('software');
  if (d === 70) {
    if (industry.length < 3) return undefined;
    if (industry.startsWith('701')) return of('real_estate_development');
    if (industry.startsWith('702')) return of('property_management');
    // 703 中介 and 709 其他 are in the 其他未列明 scope; 704 租赁经营 is not listed.
    return of('other', industry.startsWith('703') || industry.startsWith('709'));
  }
  if (section === 'L') return of('leasing_business');
  return of('other', OTHER_SCOPE_SECTIONS.has(section) || d === 85);
}

export interface SizeInput {
  /** GB/T 4754-2017 class or division code. */
  industry: string;
  employees?: number;
  /** 营业收入, 万元. */
  revenue?: number;
  /** 资产总额, 万元. */
  assets?: number;
}

export interface SizeResult {
  size: SizeClass | undefined;
  /** Indicators the sector needs that were not given (or 'industry' when it is unusable). */
  missing: string[];
  /** Size sector code (SIZE_SECTORS), or 'unknown'. */
  sector: string;
  /** With indicators missing: the best class the known ones still allow. */
  atBest?: SizeClass;
  reason_zh: string;
}

function tier(value: number, [large, medium, small]: [number, number, number]): number {
  return value >= large ? 0 : value >= medium ? 1 : value >= small ? 2 : 3;
}

function rangeZh(t: number, b: [number, number, number], sym: string): string {
  return [`${sym} ≥ ${b[0]}`, `${b[1]} ≤ ${sym} < ${b[0]}`, `${b[2]} ≤ ${sym} < ${b[1]}`, `${sym} < ${b[2]}`][t];
}

/** Classifies an enterprise by the 2017 rules; missing indicators leave it undetermined unless one known indicator already makes it micro. */
export function classifySize(input: SizeInput): SizeResult {
  const found = sizeSectorOf(input.industry);
  if (!found)
    return {
      size: undefined, missing: ['industry'], sector: 'unknown',
      reason_zh: /^70\d?$/.test(input.industry)
        ? '房地产业需给出行业小类（7010 房地产开发经营、7020 物业管理与其他房地产业标准不同）'
        : `行业代码 "${input.industry}" 不是 GB/T 4754-2017 的大类、中类或小类代码`,
    };
  const { sector, listed } = found;
  const parts: string[] = [];
  const missing: string[] = [];
  let worst = 0;
  for (const key of Object.keys(sector.bounds) as SizeIndicator[]) {
    const b = sector.bounds[key] as [number, number, number];
    const v = input[key];
    if (v === undefined) {
      missing.push(key);
      continue;
    }
    if (!Number.isFinite(v) || v < 0)
      throw new Error(`${INDICATOR_ZH[key][0]}应为非负数，实际为 ${v} / ${key} must be a non-negative number, got ${v}`);
    const t = tier(v, b);
    worst = Math.max(worst, t);
    const sym = key === 'employees' ? 'X' : key === 'revenue' ? 'Y' : 'Z';
    parts.push(`${INDICATOR_ZH[key][0]} ${v} ${INDICATOR_ZH[key][1]}（${CLASS_ZH[ORDER[t]]}：${rangeZh(t, b, sym)}）`);
  }
  const head = `${sector.zh}：${parts.length ? parts.join('，') : '未给出指标'}`;
  const scope = listed ? '' : '；该行业不在划分办法所列行业范围内（金融业另有划型标准），按其他未列明行业计算';
  if (worst === 3)
    return { size: 'micro', missing, sector: sector.code, reason_zh: `${head}；微型只须满足一项指标，属微型${scope}` };
  if (missing.length > 0) {
    const names = missing.map((k) => INDICATOR_ZH[k as SizeIndicator][0]).join('、');
    return {
      size: undefined, missing, sector: sector.code,
      ...(parts.length ? { atBest: ORDER[worst] } : {}),
      reason_zh: `${head}；缺少${names}，无法确定规模${parts.length ? `（最高为${CLASS_ZH[ORDER[worst]]}）` : ''}${scope}`,
    };
  }
  const rule = parts.length > 1 ? '；大、中、小型须同时满足所列各项指标下限，' : '；';
  return { size: ORDER[worst], missing, sector: sector.code, reason_zh: `${head}${rule}属${CLASS_ZH[ORDER[worst]]}${scope}` };
}
