// Regions of 聊城 (GB/T 2260 via NBS 2023 统计用区划代码) and the three functional zones,
// which have no 6-digit code and are modelled as platform-internal regions under 371502,
// defined by their 9-digit town codes (domain.md §1).
import { createRegionTree, type RegionTree, type ZoneDef } from '@kx/engine';

export interface RegionInfo {
  code: string;
  name: string;
  /** English (pinyin) name: 东昌府区 → Dongchangfu District, 莘县 → Shen County. */
  name_en: string;
  level: 'province' | 'prefecture' | 'county' | 'zone' | 'town';
  parent?: string;
  /** Still valid in ID numbers, but no longer an administrative unit. */
  historical?: boolean;
  /** Resident population, 7th census 2020-11-01, or 2023 where 2020 was not found. */
  population?: number;
  populationYear?: number;
}

export const PROVINCE = '370000';
export const CITY = '371500';

export const COUNTIES: RegionInfo[] = [
  { code: '371502', name: '东昌府区', name_en: 'Dongchangfu District', level: 'county', parent: CITY, population: 1_008_594, populationYear: 2020 },
  { code: '371503', name: '茌平区', name_en: 'Chiping District', level: 'county', parent: CITY, population: 517_600, populationYear: 2020 },
  { code: '371521', name: '阳谷县', name_en: 'Yanggu County', level: 'county', parent: CITY, population: 688_700, populationYear: 2023 },
  { code: '371522', name: '莘县', name_en: 'Shen County', level: 'county', parent: CITY, population: 912_200, populationYear: 2023 },
  { code: '371524', name: '东阿县', name_en: "Dong'e County", level: 'county', parent: CITY, population: 346_100, populationYear: 2020 },
  { code: '371525', name: '冠县', name_en: 'Guan County', level: 'county', parent: CITY, population: 700_000, populationYear: 2023 },
  { code: '371526', name: '高唐县', name_en: 'Gaotang County', level: 'county', parent: CITY, population: 448_200, populationYear: 2023 },
  { code: '371581', name: '临清市', name_en: 'Linqing City', level: 'county', parent: CITY, population: 780_000, populationYear: 2023 },
];

export const HISTORICAL: RegionInfo[] = [
  { code: '371523', name: '茌平县', name_en: 'Chiping County', level: 'county', parent: CITY, historical: true },
];

export const ZONES: (RegionInfo & { members: string[] })[] = [
  { code: 'LC-JKQ', name: '聊城经济技术开发区', name_en: 'Liaocheng Economic and Technological Development Zone', level: 'zone', parent: '371502', population: 209_200, populationYear: 2020,
    members: ['371502008', '371502009', '371502010', '371502116'] },
  { code: 'LC-GXQ', name: '聊城高新技术产业开发区', name_en: 'Liaocheng High-tech Industrial Development Zone', level: 'zone', parent: '371502', population: 149_400, populationYear: 2020,
    members: ['371502108', '371502110', '371502115'] },
  { code: 'LC-DJQ', name: '江北水城旅游度假区', name_en: 'Jiangbei Shuicheng Tourist Resort', level: 'zone', parent: '371502', population: 121_700, populationYear: 2020,
    members: ['371502011', '371502107', '371502109'] },
];

/** Towns of 371502 (NBS 2023). */
export const TOWNS_371502: RegionInfo[] = (
  [
    ['371502001', '古楼街道', 'Gulou Subdistrict'], ['371502002', '柳园街道', 'Liuyuan Subdistrict'], ['371502003', '新区街道', 'Xinqu Subdistrict'], ['371502004', '湖西街道', 'Huxi Subdistrict'],
    ['371502005', '道口铺街道', 'Daokoupu Subdistrict'], ['371502006', '闫寺街道', 'Yansi Subdistrict'], ['371502008', '北城街道', 'Beicheng Subdistrict'], ['371502009', '东城街道', 'Dongcheng Subdistrict'],
    ['371502010', '蒋官屯街道', 'Jiangguantun Subdistrict'], ['371502011', '李海务街道', 'Lihaiwu Subdistrict'], ['371502100', '侯营镇', 'Houying Town'], ['371502101', '沙镇镇', 'Shazhen Town'],
    ['371502102', '堂邑镇', 'Tangyi Town'], ['371502103', '梁水镇镇', 'Liangshuizhen Town'], ['371502104', '斗虎屯镇', 'Douhutun Town'], ['371502105', '郑家镇', 'Zhengjia Town'],
    ['371502106', '张炉集镇', 'Zhangluji Town'], ['371502107', '于集镇', 'Yuji Town'], ['371502108', '许营镇', 'Xuying Town'], ['371502109', '朱老庄镇', 'Zhulaozhuang Town'],
    ['371502110', '顾官屯镇', 'Guguantun Town'], ['371502115', '韩集镇', 'Hanji Town'], ['371502116', '广平镇', 'Guangping Town'], ['371502400', '香江光彩大市场服务中心', 'Xiangjiang Guangcai Market Service Centre'],
  ] as const
).map(([code, name, name_en]) => ({ code, name, name_en, level: 'town' as const, parent: '371502' }));

export const REGIONS: RegionInfo[] = [
  { code: PROVINCE, name: '山东省', name_en: 'Shandong Province', level: 'province' },
  { code: CITY, name: '聊城市', name_en: 'Liaocheng City', level: 'prefecture', parent: PROVINCE, population: 5_952_100, populationYear: 2020 },
  ...COUNTIES,
  ...HISTORICAL,
  ...ZONES.map(({ members: _m, ...z }) => z),
  ...TOWNS_371502,
];

export const REGION_BY_CODE = new Map(REGIONS.map((r) => [r.code, r]));

export function regionName(code: string): string | undefined {
  return REGION_BY_CODE.get(code)?.name;
}

/** The English name of a region code; the code itself when unknown. */
export function regionNameEn(code: string): string {
  return REGION_BY_CODE.get(code)?.name_en ?? code;
}

export function createLiaochengRegions(): RegionTree {
  const names: Record<string, string> = {};
  const namesEn: Record<string, string> = {};
  for (const r of REGIONS) {
    names[r.code] = r.name;
    namesEn[r.code] = r.name_en;
  }
  const zones: ZoneDef[] = ZONES.map((z) => ({ code: z.code, name: z.name, members: z.members }));
  return createRegionTree({ names, namesEn, zones });
}
