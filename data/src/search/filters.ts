// Filters of a search. An item passes or fails each filter; a document passes when one of
// its items passes all of them, so a document never shows under a filter none of its
// items meets.
import { evalBool, inValidity, itemContext, parseDate, type EntityKind, type Facts, type Mode, type PolicyItem } from '@kx/engine';
import { CLASSES, KEY_CHAINS, sectionOf } from '../codes/industries.ts';
import type { SearchEntry, SearchIndex } from './build.ts';

export interface SearchFilters {
  /** Department codes (lc-rsj …): the item's responsible department. */
  department?: string | string[];
  /** A region code: items whose scope contains it or lies within it. */
  region?: string;
  audience?: EntityKind;
  mode?: Mode | Mode[];
  /** An industry: section letter 'C', division '34', class '3451' or key chain 'bearing'. */
  industry?: string;
  /**
   * On the item's largest amount (amount.ts). An item without a cap passes `min` (it may pay
   * more) and fails `max`; an item that pays no money fails both.
   */
  amount?: { min?: number; max?: number };
  /** Valid and, if it has an application window, inside it, on the search date. */
  open_now?: boolean;
}

const list = <T>(x: T | T[] | undefined): T[] | undefined => (x === undefined ? undefined : Array.isArray(x) ? x : [x]);

/** The enterprises an industry filter stands for: one set of industry facts per class. */
export function industryProfiles(value: string): Facts[] {
  if (/^[A-T]$/.test(value)) return [{ industry_section: value }];
  if (/^\d{2}$/.test(value) || /^\d{4}$/.test(value)) {
    const section = sectionOf(value);
    if (!section) throw new Error(`行业代码 "${value}" 不在 GB/T 4754-2017 中 / industry code "${value}" is not in GB/T 4754-2017`);
    const division = value.slice(0, 2);
    const classes = value.length === 4 ? [value] : CLASSES.filter((c) => c.division === value).map((c) => c.code);
    if (!classes.length) return [{ industry_section: section, industry_division: division }];
    // A class is on a key chain's list or on none: the chain follows from the class.
    return classes.flatMap((code) => {
      const chains = Object.keys(KEY_CHAINS).filter((k) => KEY_CHAINS[k].includes(code));
      return [...chains, 'none'].map((key_chain) => ({ industry_section: section, industry_division: division, industry_code: code, key_chain }));
    });
  }
  if (value in KEY_CHAINS)
    return KEY_CHAINS[value].map((code) => ({ industry_section: sectionOf(code), industry_division: code.slice(0, 2), industry_code: code, key_chain: value }));
  throw new Error(
    `行业筛选 "${value}" 应为门类字母、两位大类、四位小类或重点产业链代码 / industry filter "${value}" must be a section letter, a 2-digit division, a 4-digit class or a key chain code`,
  );
}

function itemFitsIndustry(item: PolicyItem, profiles: Facts[], index: SearchIndex, day: number): boolean {
  if (item.audience !== 'enterprise') return false;
  let ctx: ReturnType<typeof itemContext>;
  try {
    ctx = itemContext(item, index.dict, day);
  } catch {
    return true; // a parameter with no value that day: the rule cannot rule the industry out
  }
  // The item applies unless every enterprise of the industry is ruled out by its rule alone.
  return profiles.some((p) => evalBool(item.eligibility, { ...p, entity_kind: 'enterprise' }, ctx) !== 'F');
}

export interface FilterContext {
  index: SearchIndex;
  filters: SearchFilters;
  /** The search date, for open_now and rule parameters. */
  day?: number;
}

function dayFor(item: PolicyItem, c: FilterContext): number {
  return c.day !== undefined && inValidity(item, c.day) ? c.day : parseDate(item.valid_from)!;
}

function openOn(item: PolicyItem, day: number): boolean {
  if (!inValidity(item, day)) return false;
  if (!item.window) return true;
  return parseDate(item.window.from)! <= day && (!item.window.to || day <= parseDate(item.window.to)!);
}

function amountFits(max: number | null | undefined, r: { min?: number; max?: number }): boolean {
  if (max === undefined) return r.min === undefined && r.max === undefined;
  if (r.min !== undefined && max !== null && max < r.min) return false;
  if (r.max !== undefined && (max === null || max > r.max)) return false;
  return true;
}

/** Builds the test once per search (industry verdicts are cached on the index per value and day). */
export function compileFilters(c: FilterContext): (entry: SearchEntry, entryIndex: number) => boolean {
  const f = c.filters;
  const departments = list(f.department);
  const modes = list(f.mode);
  const regions = c.index.dict.regions;
  if (f.open_now && c.day === undefined)
    throw new Error('“正在受理”筛选需要查询日期 date / the open_now filter needs a search date');
  if (f.region !== undefined && !regions.isValid(f.region))
    throw new Error(`地区筛选 "${f.region}" 不是有效的行政区划代码 / region filter "${f.region}" is not a valid region code`);
  const profiles = f.industry === undefined ? undefined : industryProfiles(f.industry);
  const industryKey = `${f.industry}|${c.day ?? ''}`;
  let cache = c.index.industryCache.get(industryKey);
  if (profiles && !cache) c.index.industryCache.set(industryKey, (cache = new Uint8Array(c.index.entries.length)));

  const itemPasses = (item: PolicyItem, amountMax: number | null | undefined): boolean => {
    if (departments && !departments.includes(item.department)) return false;
    if (f.audience && item.audience !== f.audience) return false;
    if (modes && !modes.includes(item.mode)) return false;
    if (f.region !== undefined && item.region_scope.length > 0) {
      const r = f.region;
      if (!item.region_scope.some((s) => regions.contains(s, r) || regions.contains(r, s))) return false;
    }
    if (f.open_now && !openOn(item, c.day!)) return false;
    if (f.amount && !amountFits(amountMax, f.amount)) return false;
    return true;
  };
  const industryPasses = (entry: SearchEntry, e: number): boolean => {
    if (!profiles || !cache) return true;
    if (entry.kind === 'item') {
      if (cache[e] === 0) cache[e] = itemFitsIndustry(entry.item!, profiles, c.index, dayFor(entry.item!, c)) ? 1 : 2;
      return cache[e] === 1;
    }
    return true; // a document: decided per item below
  };
  return (entry, e) => {
    if (entry.kind === 'item') return itemPasses(entry.item!, entry.amountMax[0]) && industryPasses(entry, e);
    return entry.items.some(
      (item, k) => itemPasses(item, entry.amountMax[k]) && (!profiles || itemFitsIndustry(item, profiles, c.index, dayFor(item, c))),
    );
  };
}
