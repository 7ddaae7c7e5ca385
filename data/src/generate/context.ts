// What every generated entity shares: the seed, the as-of date and the precomputed tables.
// Built once per run; entities are then pure functions of (context, index).
import { formatDate, parseDate, ymdFromDay } from '@kx/engine';
import { COUNTIES } from '../codes/regions.ts';
import { FIELDS } from '../dictionary/fields.ts';
import { COUNTY_WEIGHTS, FACT_GAP, SOURCE_GAPS, TOWN_WEIGHTS_371502 } from './distributions.ts';
import { seedOf, Weighted, type Rng } from './prng.ts';
import { SlotTable } from './slots.ts';

/** Policies of the demo catalogue are dated 2025; mid-year is a date on which they are in force. */
export const DEFAULT_AS_OF = '2025-07-01';

export interface GenContext {
  seed: number;
  asOf: string;
  asOfDay: number;
  asOfYear: number;
  slots: SlotTable;
  /** Whether source systems and single facts go missing (applyGaps); off = every source delivered everything. */
  gaps: boolean;
}

let slotTable: SlotTable | undefined;

export function createContext(seed: number | string, asOf: string = DEFAULT_AS_OF, gaps = true): GenContext {
  const asOfDay = parseDate(asOf);
  if (asOfDay === undefined)
    throw new Error(`基准日期 "${asOf}" 不是 YYYY-MM-DD 日期 / as-of date "${asOf}" is not a YYYY-MM-DD date`);
  slotTable ??= new SlotTable();
  return { seed: seedOf(seed), asOf: formatDate(asOfDay), asOfDay, asOfYear: ymdFromDay(asOfDay)[0], slots: slotTable, gaps };
}

export const COUNTY_PICK = new Weighted(COUNTY_WEIGHTS);
export const TOWN_PICK = new Weighted(TOWN_WEIGHTS_371502);
export const COUNTY_NAME = new Map(COUNTIES.map((c) => [c.code, c.name]));

/** A residence code: the county, or a town (and so possibly a zone) inside 东昌府区. */
export function placeIn(county: string, rng: Rng): string {
  return county === '371502' ? TOWN_PICK.draw(rng) : county;
}

/** The county-level code of a residence (towns of 371502 → 371502). */
export function countyOf(region: string): string {
  return region.length === 9 ? region.slice(0, 6) : region;
}

/** Facts that identify the entity; they never go missing on their own. */
const IDENTITY = new Set(['name', 'region', 'id_number', 'birth_date', 'sex', 'hukou_region', 'uscc', 'legal_form', 'registered_on']);
const KEYS_BY_SOURCE = { person: new Map<string, string[]>(), enterprise: new Map<string, string[]>() };
const GAPPABLE = { person: [] as string[], enterprise: [] as string[] };
for (const f of FIELDS)
  for (const kind of f.kinds) {
    const bySource = KEYS_BY_SOURCE[kind];
    bySource.set(f.source, [...(bySource.get(f.source) ?? []), f.key]);
    if (!IDENTITY.has(f.key)) GAPPABLE[kind].push(f.key);
  }

/**
 * Blanks what the city's data would not hold: every fact of a source system that has not
 * delivered this entity, and a few single facts at random (FACT_GAP per dictionary field).
 * This is the only place facts become unknown: a source that did deliver says `none` (or 0,
 * or false) for what does not exist, so a gap here is always "not told", never "there is none".
 * Blanked facts become undefined in place — JSON.stringify and normalizeFacts both treat
 * that as absent — because rebuilding the object with computed keys would push V8 into
 * slow dictionary-mode objects.
 */
export function applyGaps(kind: 'person' | 'enterprise', facts: Record<string, unknown>, rng: Rng): Record<string, unknown> {
  const rates = SOURCE_GAPS[kind];
  for (const source in rates)
    if (rng.chance(rates[source])) for (const key of KEYS_BY_SOURCE[kind].get(source) ?? []) blank(facts, key);
  // Single-fact gaps: jump to the next one (geometric distance) instead of a coin per field.
  const keys = GAPPABLE[kind];
  for (let k = geometric(rng); k < keys.length; k += 1 + geometric(rng)) blank(facts, keys[k]);
  return facts;
}

function blank(facts: Record<string, unknown>, key: string): void {
  if (facts[key] !== undefined) facts[key] = undefined;
}

const LOG_KEEP = Math.log(1 - FACT_GAP);
function geometric(rng: Rng): number {
  return Math.floor(Math.log(1 - rng.float()) / LOG_KEEP);
}

export const round = (x: number, places: number): number => {
  const f = 10 ** places;
  return Math.round(x * f) / f;
};

export const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
