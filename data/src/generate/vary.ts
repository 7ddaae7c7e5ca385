// How a template policy item becomes a county's, a zone's or next year's version of it:
// thresholds and amounts moved by up to ±20% and rounded the way a department would write
// them, dates shifted by whole years, place names and region codes retargeted.
import { addYears, decToString, dec, formatDate, parseDate, type Expr, type ParamDef, type ParamValue } from '@kx/engine';
import { CITY, COUNTIES, ZONES } from '../codes/regions.ts';

export interface Place {
  /** CITY, a county code or a zone code. */
  code: string;
  name: string;
  /** Abbreviation used in 文号: 聊, 莘, 临 … */
  abbr: string;
}

const ABBR: Record<string, string> = {
  [CITY]: '聊', '371502': '东昌', '371503': '茌', '371521': '阳', '371522': '莘', '371524': '东', '371525': '冠',
  '371526': '高', '371581': '临', 'LC-JKQ': '聊开管', 'LC-GXQ': '聊高新管', 'LC-DJQ': '聊度假管',
};

export const PLACES: Place[] = [
  { code: CITY, name: '聊城市', abbr: ABBR[CITY] },
  ...COUNTIES.map((c) => ({ code: c.code, name: c.name, abbr: ABBR[c.code] })),
  ...ZONES.map((z) => ({ code: z.code, name: z.name, abbr: ABBR[z.code] })),
];
export const PLACE_BY_CODE = new Map(PLACES.map((p) => [p.code, p]));

// Every way the templates name a place, longest first so 聊城高新区 wins over 聊城.
const PLACE_NAMES = [...PLACES.map((p) => p.name), '聊城高新区', '聊城经开区', '聊城开发区', '聊城度假区', '聊城'].sort((a, b) => b.length - a.length);
const PLACE_RE = new RegExp(PLACE_NAMES.join('|'), 'g');
const HAS_PLACE = new RegExp(PLACE_NAMES.join('|'));

/** Replaces the place names of a text with the target's (none found: prefix it when asked). */
export function retitle(text: string, place: Place, prefixIfNone: boolean): string {
  if (place.code === CITY) return text;
  if (HAS_PLACE.test(text)) return text.replace(PLACE_RE, place.name);
  return prefixIfNone ? place.name + text : text;
}

/** Shifts every "2025年" in a text by whole years. */
export function shiftYearsInText(text: string, years: number): string {
  return years === 0 ? text : text.replace(/(20\d\d)(年|—|-)/g, (_m, y: string, s: string) => `${Number(y) + years}${s}`);
}

export function shiftDate(date: string, years: number): string {
  return years === 0 ? date : formatDate(addYears(parseDate(date)!, years));
}

/** The same rule with every date literal shifted by whole years. */
export function shiftRuleDates(e: Expr, years: number): Expr {
  if (years === 0) return e;
  return JSON.parse(JSON.stringify(e), (_k, v: unknown) =>
    v && typeof v === 'object' && 'date' in v && typeof (v as { date: unknown }).date === 'string' && Object.keys(v).length === 1
      ? { date: shiftDate((v as { date: string }).date, years) }
      : v,
  ) as Expr;
}

/** `hukou_region within ["371500"]` (本市户籍) becomes 本县户籍 in a county's version. */
export function localiseHukou(e: Expr, county: string): Expr {
  const walk = (n: Expr): Expr => {
    if (n.op === 'within' && n.value.op === 'field' && n.value.name === 'hukou_region' && n.regions.includes(CITY))
      return { ...n, regions: n.regions.map((r) => (r === CITY ? county : r)) };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(n))
      out[k] = Array.isArray(v) ? v.map((x) => (isExpr(x) ? walk(x) : x)) : isExpr(v) ? walk(v) : v;
    return out as Expr;
  };
  return walk(e);
}

function isExpr(v: unknown): v is Expr {
  return typeof v === 'object' && v !== null && 'op' in v;
}

// ---- Parameters -------------------------------------------------------------------------

// Ages, years, months and grades are fixed by law or by the calendar: a county does not
// pay the old-age allowance from 83 or count 14 months in a year. Those stay as they are.
const FIXED_UNITS = new Set(['周岁', '岁', '年', '月', '个月', '级', '年份']);
const FIXED_NAME = /(^|_)(age|ages|year|years|month|months|grade|grades|level)(_|$)/;

export function isFixedParam(p: ParamDef): boolean {
  return (p.unit !== undefined && FIXED_UNITS.has(p.unit)) || FIXED_NAME.test(p.name) || p.type === 'date' || p.type === 'bool';
}

/**
 * A value moved by the factor and rounded as a department would: whole numbers for counts,
 * two significant digits for amounts, 0.1 or 0.5 percentage points for rates. Rates never
 * pass 100%.
 */
export function nudge(text: string, factor: number, integer: boolean): string {
  const v = Number(text);
  if (v === 0 || !Number.isFinite(v)) return text;
  const sign = Math.sign(v);
  const a = Math.abs(v);
  const x = a * factor;
  let r: number;
  if (integer) r = Math.max(1, Math.round(x));
  else if (a < 1) {
    const step = a < 0.05 ? 0.001 : 0.005;
    r = Math.min(1, Math.max(step, Math.round(x / step) * step));
  } else {
    const unit = 10 ** Math.max(0, Math.floor(Math.log10(x)) - 1);
    r = Math.round(x / unit) * unit;
  }
  return decToString(dec((sign * r).toFixed(4)));
}

function nudgeValue(v: ParamValue, factor: number, integer: boolean): ParamValue {
  switch (v.kind) {
    case 'num':
      return { kind: 'num', value: nudge(v.value, factor, integer) };
    case 'tiers':
      // Bounds are usually ages or sizes set by law; the amounts are what a county changes.
      return { kind: 'tiers', rows: v.rows.map((r) => ({ ...r, value: nudge(r.value, factor, false) })) };
    case 'map': {
      const entries: Record<string, string> = {};
      for (const [k, x] of Object.entries(v.entries)) Object.defineProperty(entries, k, { value: nudge(x, factor, false), enumerable: true, writable: true, configurable: true });
      return { ...v, entries };
    }
    default:
      return v;
  }
}

/** Varies the item's parameters by one factor (so that related thresholds keep their order) and shifts their dates. */
export function varyParams(params: ParamDef[], factor: number, years: number): { params: ParamDef[]; changed: boolean } {
  let changed = false;
  const out = params.map((p) => {
    const fixed = isFixedParam(p);
    return {
      ...p,
      versions: p.versions.map((ver) => {
        const value = fixed ? ver.value : nudgeValue(ver.value, factor, p.type === 'int');
        if (JSON.stringify(value) !== JSON.stringify(ver.value)) changed = true;
        return { ...ver, from: shiftDate(ver.from, years), ...(ver.to ? { to: shiftDate(ver.to, years) } : {}), value };
      }),
    };
  });
  return { params: out, changed };
}
