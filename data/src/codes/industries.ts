// GB/T 4754-2017 国民经济行业分类 (domain.md §3): the 20 sections, all 97 divisions, the
// classes the demo city uses, the key-chain table, and the 2011 → 2017 pitfall. Every
// industry code is stored together with its edition, because third-party data mixes
// editions (2011's 3660 汽车零部件 is 2017's 3670).
import type { EnumDef } from '@kx/engine';
import { CLASS_ROWS } from './industry-classes.ts';

export const INDUSTRY_EDITION = 'GB/T 4754-2017';
export const INDUSTRY_EDITION_2011 = 'GB/T 4754-2011';

export interface IndustrySection {
  code: string;
  zh: string;
  en: string;
  /** First and last division (大类) of the section, inclusive. */
  from: string;
  to: string;
}

export interface IndustryDivision {
  code: string;
  zh: string;
  en: string;
  section: string;
}

export interface IndustryClass {
  code: string;
  zh: string;
  en: string;
  division: string;
  section: string;
}

type SectionRow = [code: string, zh: string, en: string, from: number, to: number];
const SECTION_ROWS: SectionRow[] = [
  ['A', '农、林、牧、渔业', 'Agriculture, forestry, animal husbandry and fishery', 1, 5],
  ['B', '采矿业', 'Mining', 6, 12],
  ['C', '制造业', 'Manufacturing', 13, 43],
  ['D', '电力、热力、燃气及水生产和供应业', 'Electricity, heat, gas and water production and supply', 44, 46],
  ['E', '建筑业', 'Construction', 47, 50],
  ['F', '批发和零售业', 'Wholesale and retail trade', 51, 52],
  ['G', '交通运输、仓储和邮政业', 'Transport, storage and postal services', 53, 60],
  ['H', '住宿和餐饮业', 'Accommodation and catering', 61, 62],
  ['I', '信息传输、软件和信息技术服务业', 'Information transmission, software and IT services', 63, 65],
  ['J', '金融业', 'Finance', 66, 69],
  ['K', '房地产业', 'Real estate', 70, 70],
  ['L', '租赁和商务服务业', 'Leasing and business services', 71, 72],
  ['M', '科学研究和技术服务业', 'Scientific research and technical services', 73, 75],
  ['N', '水利、环境和公共设施管理业', 'Water conservancy, environment and public facilities management', 76, 79],
  ['O', '居民服务、修理和其他服务业', 'Resident services, repair and other services', 80, 82],
  ['P', '教育', 'Education', 83, 83],
  ['Q', '卫生和社会工作', 'Health and social work', 84, 85],
  ['R', '文化、体育和娱乐业', 'Culture, sports and entertainment', 86, 90],
  ['S', '公共管理、社会保障和社会组织', 'Public administration, social security and social organisations', 91, 96],
  ['T', '国际组织', 'International organisations', 97, 97],
];

const two = (n: number): string => String(n).padStart(2, '0');

export const SECTIONS: IndustrySection[] = SECTION_ROWS.map(([code, zh, en, from, to]) => ({
  code, zh, en, from: two(from), to: two(to),
}));

// Division names as in the 2017 text (2017 renamed e.g. 87 and 96, so do not copy 2011 lists).
const DIVISION_ROWS: [zh: string, en: string][] = [
  ['农业', 'Agriculture'],
  ['林业', 'Forestry'],
  ['畜牧业', 'Animal husbandry'],
  ['渔业', 'Fishery'],
  ['农、林、牧、渔专业及辅助性活动', 'Support activities for agriculture, forestry, husbandry and fishery'],
  ['煤炭开采和洗选业', 'Coal mining and washing'],
  ['石油和天然气开采业', 'Petroleum and natural gas extraction'],
  ['黑色金属矿采选业', 'Ferrous metal ore mining'],
  ['有色金属矿采选业', 'Non-ferrous metal ore mining'],
  ['非金属矿采选业', 'Non-metallic mineral mining'],
  ['开采专业及辅助性活动', 'Mining support activities'],
  ['其他采矿业', 'Other mining'],
  ['农副食品加工业', 'Agricultural and sideline food processing'],
  ['食品制造业', 'Food manufacturing'],
  ['酒、饮料和精制茶制造业', 'Liquor, beverages and refined tea'],
  ['烟草制品业', 'Tobacco products'],
  ['纺织业', 'Textiles'],
  ['纺织服装、服饰业', 'Textile garments and apparel'],
  ['皮革、毛皮、羽毛及其制品和制鞋业', 'Leather, fur, feather products and footwear'],
  ['木材加工和木、竹、藤、棕、草制品业', 'Wood processing and wood, bamboo, rattan, palm and straw products'],
  ['家具制造业', 'Furniture'],
  ['造纸和纸制品业', 'Paper and paper products'],
  ['印刷和记录媒介复制业', 'Printing and reproduction of recorded media'],
  ['文教、工美、体育和娱乐用品制造业', 'Culture, education, arts and crafts, sports and entertainment goods'],
  ['石油、煤炭及其他燃料加工业', 'Petroleum, coal and other fuel processing'],
  ['化学原料和化学制品制造业', 'Chemical raw materials and chemical products'],
  ['医药制造业', 'Pharmaceuticals'],
  ['化学纤维制造业', 'Chemical fibres'],
  ['橡胶和塑料制品业', 'Rubber and plastic products'],
  ['非金属矿物制品业', 'Non-metallic mineral products'],
  ['黑色金属冶炼和压延加工业', 'Ferrous metal smelting and rolling'],
  ['有色金属冶炼和压延加工业', 'Non-ferrous metal smelting and rolling'],
  ['金属制品业', 'Fabricated metal products'],
  ['通用设备制造业', 'General-purpose machinery'],
  ['专用设备制造业', 'Special-purpose machinery'],
  ['汽车制造业', 'Motor vehicles'],
  ['铁路、船舶、航空航天和其他运输设备制造业', 'Railway, ship, aerospace and other transport equipment'],
  ['电气机械和器材制造业', 'Electrical machinery and equipment'],
  ['计算机、通信和其他电子设备制造业', 'Computers, communication and other electronic equipment'],
  ['仪器仪表制造业', 'Instruments and meters'],
  ['其他制造业', 'Other manufacturing'],
  ['废弃资源综合利用业', 'Waste resource recycling'],
  ['金属制品、机械和设备修理业', 'Repair of metal products, machinery and equipment'],
  ['电力、热力生产和供应业', 'Electricity and heat production and supply'],
  ['燃气生产和供应业', 'Gas production and supply'],
  ['水的生产和供应业', 'Water production and supply'],
  ['房屋建筑业', 'Building construction'],
  ['土木工程建筑业', 'Civil engineering'],
  ['建筑安装业', 'Building installation'],
  ['建筑装饰、装修和其他建筑业', 'Building decoration and other construction'],
  ['批发业', 'Wholesale trade'],
  ['零售业', 'Retail trade'],
  ['铁路运输业', 'Railway transport'],
  ['道路运输业', 'Road transport'],
  ['水上运输业', 'Water transport'],
  ['航空运输业', 'Air transport'],
  ['管道运输业', 'Pipeline transport'],
  ['多式联运和运输代理业', 'Multimodal transport and transport agencies'],
  ['装卸搬运和仓储业', 'Cargo handling and warehousing'],
  ['邮政业', 'Postal services'],
  ['住宿业', 'Accommodation'],
  ['餐饮业', 'Catering'],
  ['电信、广播电视和卫星传输服务', 'Telecommunications, broadcasting and satellite transmission'],
  ['互联网和相关服务', 'Internet and related services'],
  ['软件和信息技术服务业', 'Software and information technology services'],
  ['货币金融服务', 'Monetary and financial services'],
  ['资本市场服务', 'Capital market services'],
  ['保险业', 'Insurance'],
  ['其他金融业', 'Other financial services'],
  ['房地产业', 'Real estate'],
  ['租赁业', 'Leasing'],
  ['商务服务业', 'Business services'],
  ['研究和试验发展', 'Research and experimental development'],
  ['专业技术服务业', 'Professional technical services'],
  ['科技推广和应用服务业', 'Technology promotion and application services'],
  ['水利管理业', 'Water conservancy management'],
  ['生态保护和环境治理业', 'Ecological protection and environmental governance'],
  ['公共设施管理业', 'Public facilities management'],
  ['土地管理业', 'Land management'],
  ['居民服务业', 'Resident services'],
  ['机动车、电子产品和日用产品修理业', 'Repair of motor vehicles, electronics and household goods'],
  ['其他服务业', 'Other services'],
  ['教育', 'Education'],
  ['卫生', 'Health'],
  ['社会工作', 'Social work'],
  ['新闻和出版业', 'News and publishing'],
  ['广播、电视、电影和录音制作业', 'Radio, television, film and sound recording'],
  ['文化艺术业', 'Culture and arts'],
  ['体育', 'Sports'],
  ['娱乐业', 'Entertainment'],
  ['中国共产党机关', 'Communist Party of China organs'],
  ['国家机构', 'State organs'],
  ['人民政协、民主党派', 'CPPCC and democratic parties'],
  ['社会保障', 'Social security'],
  ['群众团体、社会团体和其他成员组织', 'Mass organisations, social groups and other membership organisations'],
  ['基层群众自治组织及其他组织', 'Grassroots self-governing and other organisations'],
  ['国际组织', 'International organisations'],
];

function sectionOfDivisionNumber(n: number): string | undefined {
  return SECTION_ROWS.find(([, , , from, to]) => n >= from && n <= to)?.[0];
}

export const DIVISIONS: IndustryDivision[] = DIVISION_ROWS.map(([zh, en], i) => ({
  code: two(i + 1),
  zh,
  en,
  section: sectionOfDivisionNumber(i + 1) as string,
}));

export const CLASSES: IndustryClass[] = CLASS_ROWS.map((r) => {
  const division = r.code.slice(0, 2);
  return { ...r, division, section: sectionOfDivisionNumber(Number(division)) as string };
});

export const SECTION_BY_CODE = new Map(SECTIONS.map((s) => [s.code, s]));
export const DIVISION_BY_CODE = new Map(DIVISIONS.map((d) => [d.code, d]));
export const CLASS_BY_CODE = new Map(CLASSES.map((c) => [c.code, c]));

const enumDef = (name: string, zh: string, en: string, rows: { code: string; zh: string; en: string }[]): EnumDef => ({
  name,
  label: { zh, en },
  values: rows.map(({ code, zh: z, en: e }) => ({ code, zh: z, en: e })),
});

export const INDUSTRY_ENUMS: EnumDef[] = [
  enumDef('industry_section', '行业门类', 'Industry section', SECTIONS),
  enumDef('industry_division', '行业大类', 'Industry division', DIVISIONS),
  enumDef('industry_class', '行业小类', 'Industry class', CLASSES),
];

/**
 * The division (大类) of a 3- or 4-digit code ('3451' → '34'); a 2-digit division is
 * returned as is. Undefined when the code is not numeric or names no 2017 division.
 */
export function divisionOf(code: string): string | undefined {
  if (!/^\d{2,4}$/.test(code)) return undefined;
  const d = code.slice(0, 2);
  return DIVISION_BY_CODE.has(d) ? d : undefined;
}

/** The section (门类) letter of a section letter, a division, a group or a class code. */
export function sectionOf(codeOrDivision: string): string | undefined {
  if (/^[A-T]$/.test(codeOrDivision)) return codeOrDivision;
  const d = divisionOf(codeOrDivision);
  return d === undefined ? undefined : DIVISION_BY_CODE.get(d)?.section;
}

export interface IndustryFacts {
  industry_section: string;
  industry_division: string;
  industry_code: string;
  industry_edition: string;
}

/** The four industry facts of an enterprise, from a 2017 class code of the demo table. */
export function industryFacts(classCode: string): IndustryFacts {
  const c = CLASS_BY_CODE.get(classCode);
  if (!c)
    throw new Error(
      `行业小类 "${classCode}" 不在 ${INDUSTRY_EDITION} 代码表中 / industry class "${classCode}" is not in the ${INDUSTRY_EDITION} table`,
    );
  return { industry_section: c.section, industry_division: c.division, industry_code: c.code, industry_edition: INDUSTRY_EDITION };
}

/** 聊城's 12 key industry chains (codes of the `key_chain` enum) → their 2017 classes. */
export const KEY_CHAINS: Record<string, string[]> = {
  bearing: ['3451', '3452', '3453', '3459'],
  aluminium: ['3216', '3252'],
  steel_pipe: ['3130', '3311', '5164'],
  copper: ['3211', '3251', '3831'],
  auto_parts: ['3611', '3620', '3660', '3670'],
  new_energy_vehicle: ['3612', '3841'],
  chemical: ['2614', '2621', '2651', '2661'],
  biomedicine: ['2710', '2720', '2730', '2740', '2761', '2762', '2770'],
  textile: ['1711', '1712', '1713', '1819', '1829'],
  food: ['1351', '1352', '1353', '1371', '1391'],
  new_materials: ['2659', '2832', '3062', '3091', '3985'],
  digital_economy: ['6450', '6511', '6512', '6513', '6520', '6531', '6532', '6550'],
};

/** The key chains a class belongs to (a class may feed more than one chain). */
export function chainsOf(classCode: string): string[] {
  return Object.keys(KEY_CHAINS).filter((k) => KEY_CHAINS[k].includes(classCode));
}

// Division 36 was renumbered in 2017: 汽车用发动机制造 (3620) was inserted, so every later
// 2011 class moved up by ten, and 2011's single 3610 整车 split into 3611 汽柴油 / 3612 新能源.
const RENUMBERED_2011: Record<string, string> = {
  '3620': '3630', // 改装汽车制造
  '3630': '3640', // 低速载货汽车 → 低速汽车制造
  '3640': '3650', // 电车制造
  '3650': '3660', // 汽车车身、挂车制造
  '3660': '3670', // 汽车零部件及配件制造
};

export type EditionMapping =
  | { ok: true; code: string; edition: typeof INDUSTRY_EDITION }
  | { ok: false; candidates: string[]; reason_zh: string; reason_en: string };

/**
 * The 2017 code for a code of the given edition. Only the known renumbering of division 36
 * is translated; other 2011 codes are assumed unchanged (true for the classes of the demo
 * table outside division 36). 2011's 3610 is ambiguous and needs the vehicle's fuel type.
 */
export function toEdition2017(code: string, edition: string): EditionMapping {
  if (edition === INDUSTRY_EDITION) return { ok: true, code, edition: INDUSTRY_EDITION };
  if (edition !== INDUSTRY_EDITION_2011)
    return { ok: false, candidates: [], reason_zh: `未知的行业分类标准版本 "${edition}"`, reason_en: `unknown classification edition "${edition}"` };
  if (code === '3610')
    return {
      ok: false,
      candidates: ['3611', '3612'],
      reason_zh: '2011 版 3610 汽车整车制造在 2017 版拆分为 3611 汽柴油车整车制造和 3612 新能源车整车制造',
      reason_en: '2011 class 3610 (motor vehicles) was split into 3611 (petrol/diesel) and 3612 (new-energy) in 2017',
    };
  return { ok: true, code: RENUMBERED_2011[code] ?? code, edition: INDUSTRY_EDITION };
}
