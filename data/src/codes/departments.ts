// The departments of 聊城 that publish policies and review applications: 22 at city level,
// 16 in each of the 8 county-level units and 12 in each of the 3 functional zones, 186 in
// all like the seed (product.md: "186 departments at city and county level"). Codes are the
// unit's pinyin abbreviation and the bureau's (lc-rsj 市人社局, sx-mzj 莘县民政局); policy
// files refer to departments by these codes. A county bureau's parent is the city bureau of
// the same kind, which is where cross-level review steps go.
import { CITY, COUNTIES, ZONES } from './regions.ts';

export type DepartmentLevel = 'city' | 'county';

export interface Department {
  code: string;
  name: string;
  /** English name, built like the Chinese one: place + bureau (Liaocheng Bureau of Civil Affairs). */
  name_en: string;
  /** Short form without the place name: 人社局, 民政局. */
  short: string;
  /** GB/T 2260 code, or the platform code of a zone (LC-JKQ …). */
  region: string;
  /** Zones are county-level for administration, though they lie inside 371502. */
  level: DepartmentLevel;
  kind: string;
  /** The city department of the same kind (county and zone departments only). */
  parent?: string;
  /** The source system (field dictionary SOURCES) this department runs, if any. */
  source?: string;
}

interface Kind {
  kind: string;
  suffix: string;
  /** Full name after the place name; a function when the place goes in the middle. */
  name: string | ((place: string) => string);
  /** The same in English, after the place's English name. */
  en: string | ((place: string) => string);
  short: string;
  source?: string;
}

const tax = (place: string) => `国家税务总局${place}税务局`;
const taxEn = (place: string) => `${place} Tax Service, State Taxation Administration`;

const K = (kind: string, suffix: string, name: Kind['name'], en: Kind['en'], short: string, source?: string): Kind => ({
  kind, suffix, name, en, short, ...(source ? { source } : {}),
});

const HRSS = K('hrss', 'rsj', '人力资源和社会保障局', 'Bureau of Human Resources and Social Security', '人社局', 'hrss');
const FINANCE = K('finance', 'czj', '财政局', 'Bureau of Finance', '财政局');
const CIVIL = K('civil', 'mzj', '民政局', 'Bureau of Civil Affairs', '民政局', 'civil');
const MIIT = K('miit', 'gxj', '工业和信息化局', 'Bureau of Industry and Information Technology', '工信局', 'miit');
const SCIENCE = K('science', 'kjj', '科学技术局', 'Bureau of Science and Technology', '科技局', 'sci');
const AGRI = K('agriculture', 'nyj', '农业农村局', 'Bureau of Agriculture and Rural Affairs', '农业农村局', 'agri');
const COMMERCE = K('commerce', 'swj', '商务局', 'Bureau of Commerce', '商务局', 'commerce');
const MEDICAL = K('medical_security', 'ybj', '医疗保障局', 'Healthcare Security Administration', '医保局', 'medical');
const DPF = K('dpf', 'cl', '残疾人联合会', "Disabled Persons' Federation", '残联', 'dpf');
const TAX = K('tax', 'sws', tax, taxEn, '税务局', 'tax');
const MARKET = K('market', 'scj', '市场监督管理局', 'Administration for Market Regulation', '市场监管局', 'market');
const HOUSING = K('housing', 'zjj', '住房和城乡建设局', 'Bureau of Housing and Urban-Rural Development', '住建局');
const EDUCATION = K('education', 'jyj', '教育和体育局', 'Bureau of Education and Sports', '教体局');
const VETERANS = K('veterans', 'tyjrj', '退役军人事务局', 'Bureau of Veterans Affairs', '退役军人事务局');

const CITY_KINDS: Kind[] = [
  HRSS, FINANCE, CIVIL, MIIT, SCIENCE, AGRI, COMMERCE, MEDICAL, DPF, TAX, MARKET,
  K('development', 'fgw', '发展和改革委员会', 'Development and Reform Commission', '发改委'),
  HOUSING, EDUCATION, VETERANS,
  K('big_data', 'dsjj', '大数据局', 'Big Data Bureau', '大数据局'),
  K('central_bank', 'rmyh', (p) => `中国人民银行${p}分行`, (p) => `People's Bank of China ${p} Branch`, '人民银行', 'finance'),
  K('culture_tourism', 'wlj', '文化和旅游局', 'Bureau of Culture and Tourism', '文旅局'),
  K('health', 'wjw', '卫生健康委员会', 'Health Commission', '卫健委'),
  K('rural_revitalisation', 'xczx', '乡村振兴局', 'Rural Revitalisation Bureau', '乡村振兴局'),
  K('statistics', 'tjj', '统计局', 'Bureau of Statistics', '统计局', 'stats'),
  K('police', 'gaj', '公安局', 'Public Security Bureau', '公安局', 'police'),
];

const COUNTY_HEALTH = K('health', 'wjj', '卫生健康局', 'Health Bureau', '卫健局');
const COUNTY_KINDS: Kind[] = [
  HRSS, FINANCE, CIVIL, MIIT, SCIENCE, AGRI, COMMERCE, MEDICAL, DPF, TAX, MARKET,
  K('development', 'fgj', '发展和改革局', 'Development and Reform Bureau', '发改局'),
  HOUSING, EDUCATION, VETERANS, COUNTY_HEALTH,
];

// Zones run a smaller set of bureaus under their 管委会; for the other kinds (医保, 残联,
// 发改, 退役军人) departmentFor falls back to the city bureau.
const ZONE_KINDS: Kind[] = [HRSS, FINANCE, CIVIL, MIIT, SCIENCE, AGRI, COMMERCE, TAX, MARKET, HOUSING, EDUCATION, COUNTY_HEALTH];

/** Pinyin abbreviation of each county-level unit and zone, the prefix of its department codes. */
export const DEPARTMENT_PREFIX: Record<string, string> = {
  [CITY]: 'lc',
  '371502': 'dcf', '371503': 'cp', '371521': 'yg', '371522': 'sx',
  '371524': 'da', '371525': 'gx', '371526': 'gt', '371581': 'lq',
  'LC-JKQ': 'jkq', 'LC-GXQ': 'gxq', 'LC-DJQ': 'djq',
};

const CITY_NAME = '聊城市';

const named = (name: Kind['name'], place: string) => (typeof name === 'string' ? `${place}${name}` : name(place));

function build(kinds: Kind[], region: string, place: string, placeEn: string, level: DepartmentLevel): Department[] {
  const prefix = DEPARTMENT_PREFIX[region];
  return kinds.map((k) => {
    const cityKind = CITY_KINDS.find((c) => c.kind === k.kind);
    return {
      code: `${prefix}-${k.suffix}`,
      name: named(k.name, place),
      name_en: typeof k.en === 'string' ? `${placeEn} ${k.en}` : k.en(placeEn),
      short: k.short,
      region,
      level,
      kind: k.kind,
      ...(level === 'county' && cityKind ? { parent: `lc-${cityKind.suffix}` } : {}),
      ...(k.source ? { source: k.source } : {}),
    };
  });
}

export const DEPARTMENTS: Department[] = [
  ...build(CITY_KINDS, CITY, CITY_NAME, 'Liaocheng', 'city'),
  ...COUNTIES.flatMap((c) => build(COUNTY_KINDS, c.code, c.name, c.name_en, 'county')),
  ...ZONES.flatMap((z) => build(ZONE_KINDS, z.code, z.name, z.name_en, 'county')),
];

export const DEPARTMENT_BY_CODE = new Map(DEPARTMENTS.map((d) => [d.code, d]));

export function departmentByCode(code: string): Department | undefined {
  return DEPARTMENT_BY_CODE.get(code);
}

/** The department's name in a language; the code itself when it is not a known department. */
export function departmentLabel(code: string): { zh: string; en: string } {
  const d = DEPARTMENT_BY_CODE.get(code);
  return d ? { zh: d.name, en: d.name_en } : { zh: code, en: code };
}

/** Departments seated in a region (exactly that code: the city, a county or a zone). */
export function departmentsIn(region: string): Department[] {
  return DEPARTMENTS.filter((d) => d.region === region);
}

export function departmentsOfKind(kind: string): Department[] {
  return DEPARTMENTS.filter((d) => d.kind === kind);
}

/**
 * The department of a kind that serves a region: the region's own bureau, else the city
 * bureau (a zone has no veterans bureau, so the city's serves it). Undefined if the city
 * has none either.
 */
export function departmentFor(kind: string, region: string): Department | undefined {
  return (
    DEPARTMENTS.find((d) => d.kind === kind && d.region === region) ??
    DEPARTMENTS.find((d) => d.kind === kind && d.region === CITY)
  );
}
