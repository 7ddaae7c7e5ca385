// What kinds of market entities the synthetic city has, and how big they are. Entities
// follow 聊城's 12 key chains (KEY_CHAINS) plus the general trades every county has.
// Every figure here is an assumption [A] shaped after national patterns (个体工商户 about
// two thirds of market entities; most firms micro or small; a few large), not a 聊城
// statistic, which was not found.
import { KEY_CHAINS } from '../codes/industries.ts';
import { ZONES } from '../codes/regions.ts';
import { Weighted } from './prng.ts';

export type LegalForm = 'company' | 'individual' | 'cooperative' | 'social_org';

/** Shares of market entities by legal form [A: 个体工商户 ≈ 2/3 of China's market entities]. */
export const LEGAL_FORMS = new Weighted<LegalForm>([['individual', 62], ['company', 33], ['cooperative', 4], ['social_org', 1]]);

export interface Sector {
  key: string;
  classes: string[];
  /** Employees: median and log-scale spread. */
  employees: [median: number, sigma: number];
  /** Revenue per employee, 万元: median and spread. */
  revenuePerHead: [median: number, sigma: number];
  /** Total assets as a multiple of revenue (median). */
  assetsToRevenue: number;
}

const S = (key: string, classes: string[], employees: [number, number], revenuePerHead: [number, number], assetsToRevenue = 0.9): Sector => ({
  key, classes, employees, revenuePerHead, assetsToRevenue,
});

const MANUFACTURING: [number, number] = [10, 1.25];
const MFG_REVENUE: [number, number] = [45, 0.6];

/** The 12 key chains with their weight among chain firms [A]. */
const CHAIN_WEIGHTS: Record<string, number> = {
  bearing: 15, aluminium: 8, steel_pipe: 10, copper: 5, auto_parts: 10, new_energy_vehicle: 4, chemical: 10,
  biomedicine: 8, textile: 12, food: 12, new_materials: 5, digital_economy: 6,
};

const chainSector = (chain: string): Sector =>
  chain === 'digital_economy'
    ? S('chain:' + chain, KEY_CHAINS[chain], [12, 1.1], [30, 0.7])
    : S('chain:' + chain, KEY_CHAINS[chain].filter((c) => c !== '5164'), MANUFACTURING, MFG_REVENUE, 1.1);

export const CHAIN_SECTORS = new Weighted(Object.keys(CHAIN_WEIGHTS).map((c) => [chainSector(c), CHAIN_WEIGHTS[c]] as const));

/** Companies (有限公司 etc.): chains 18%, the rest general trades [A]. */
export const COMPANY_SECTORS = new Weighted<Sector | 'chain'>([
  ['chain', 18],
  [S('manufacturing', ['1312', '1331', '1411', '1432', '2110', '2221', '2231', '2319', '2641', '2921', '2922', '3011', '3021',
    '3312', '3399', '3443', '3484', '3525', '3572', '3823', '3872', '3990', '4210'], MANUFACTURING, MFG_REVENUE, 1.1), 8],
  [S('wholesale', ['5111', '5123', '5132', '5138', '5161', '5164', '5165', '5166', '5171', '5174', '5175', '5176', '5199'], [5, 1.0], [80, 0.8], 0.5), 18],
  [S('retail', ['5211', '5212', '5213', '5261', '5263', '5265', '5272', '5273', '5283', '5292'], [6, 1.0], [25, 0.8], 0.5), 9],
  [S('construction', ['4710', '4790', '4812', '4813', '4852', '4891', '4910', '4920', '5011', '5012'], [20, 1.1], [50, 0.7], 0.9), 9],
  [S('catering', ['6110', '6121', '6129', '6210', '6220', '6241'], [10, 0.9], [8, 0.6], 0.8), 4],
  [S('software', ['6429', '6432', '6513', '6531', '6540', '6560', '6572'], [12, 1.1], [30, 0.7], 0.7), 5],
  [S('business', ['7211', '7212', '7224', '7231', '7241', '7243', '7259', '7262', '7263', '7291', '7296'], [6, 1.0], [25, 0.8], 1.2), 10],
  [S('tech', ['7320', '7452', '7484', '7491', '7513', '7514', '7520', '7530'], [8, 1.0], [25, 0.7], 1.0), 5],
  [S('transport', ['5431', '5432', '5437', '5821', '5920', '5930', '6020'], [12, 1.0], [35, 0.7], 1.2), 5],
  [S('real_estate', ['7010', '7020', '7030'], [15, 1.0], [60, 0.9], 3), 3],
  [S('agriculture', ['0141', '0142', '0311', '0313', '0321', '0512', '0514'], [10, 0.9], [30, 0.7], 1.0), 3],
  [S('services', ['8010', '8111', '8310', '8391', '8425', '8514', '8730', '8930'], [10, 0.9], [15, 0.7], 0.9), 3],
]);

/** 个体工商户: shops, eateries, services, smallholdings [A]. */
export const INDIVIDUAL_SECTORS = new Weighted<Sector>([
  [S('ind_retail', ['5212', '5213', '5221', '5223', '5224', '5226', '5232', '5251', '5274', '5281', '5299'], [2, 0.6], [15, 0.7], 0.5), 35],
  [S('ind_catering', ['6210', '6220', '6291'], [3, 0.6], [10, 0.6], 0.6), 20],
  [S('ind_services', ['8010', '8030', '8040', '8051', '8111', '8132', '8211'], [2, 0.6], [8, 0.6], 0.6), 20],
  [S('ind_farm', ['0141', '0311', '0313', '0321', '0412'], [2, 0.6], [12, 0.7], 1.0), 10],
  [S('ind_transport', ['5413', '5431'], [1, 0.4], [15, 0.6], 1.5), 8],
  [S('ind_workshop', ['1392', '1411', '2110', '3312'], [3, 0.6], [12, 0.6], 0.8), 5],
  [S('ind_lodging', ['6129', '6130'], [2, 0.5], [8, 0.6], 2), 2],
]);

export const COOPERATIVE_SECTOR = S('cooperative', ['0112', '0113', '0141', '0142', '0151', '0171', '0311', '0313', '0321', '0512', '0514'], [5, 0.7], [16, 0.8], 1.2);
export const SOCIAL_ORG_SECTOR = S('social_org', ['9521', '9522', '8514', '8391'], [6, 0.8], [8, 0.8], 0.8);

// Where chains cluster: share of a chain's firms in a place, the rest spread like the
// population. 轴承 at 临清/烟店 and 铝 at 茌平 are in domain.md §3; 铜 at 阳谷, 阿胶 at 东阿
// and the chemical park in the 高新区 are well-known [K]; the other placements are [A].
const zoneTowns = (code: string) => ZONES.find((z) => z.code === code)!.members;
export const CHAIN_CLUSTERS: Record<string, { share: number; places: string[] }> = {
  bearing: { share: 0.6, places: ['371581'] },
  aluminium: { share: 0.7, places: ['371503'] },
  copper: { share: 0.6, places: ['371521'] },
  steel_pipe: { share: 0.6, places: zoneTowns('LC-JKQ') },
  biomedicine: { share: 0.4, places: ['371524'] },
  textile: { share: 0.5, places: ['371526', '371581'] },
  food: { share: 0.4, places: ['371522', '371525'] },
  chemical: { share: 0.5, places: zoneTowns('LC-GXQ') },
  auto_parts: { share: 0.4, places: zoneTowns('LC-JKQ') },
  new_energy_vehicle: { share: 0.5, places: [...zoneTowns('LC-JKQ'), ...zoneTowns('LC-GXQ')] },
  new_materials: { share: 0.4, places: ['371503'] },
  digital_economy: { share: 0.5, places: ['371502001', '371502002', '371502003', '371502004', ...zoneTowns('LC-GXQ')] },
};
