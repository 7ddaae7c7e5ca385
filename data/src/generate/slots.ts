// Who a person is, by slot: hukou stratum, age in days and a citizen-ID sequence number,
// all read off one number x = permute24(seed, i). The slots [0, 2^24) are cut into one
// bucket per (stratum, age in days), sized by the stratum's share and the age pyramid; a
// person's sequence number is x's offset inside its bucket. Two people therefore never share
// (address code, birth date, sequence), so ID numbers are unique with no coordination
// between entities — and the bucket sizes reproduce the population shares.
import { AGE_BANDS, COUNTY_WEIGHTS, EXTERNAL_HUKOU_SHARE } from './distributions.ts';
import { permute24 } from './prng.ts';

export const SLOT_SPACE = 2 ** 24;
/** Odd sequence = male, even = female, so a bucket holds at most 500 people of one sex. */
const MAX_BUCKET = 500;
const DAYS_PER_YEAR = 365.25;

export interface Slot {
  /** Hukou county code, or 'external' (hukou outside 聊城). */
  stratum: string;
  /** Age on the as-of date, in days (≥ 0). */
  ageDays: number;
  /** 0..499, unique within (stratum, ageDays). */
  offset: number;
}

export class SlotTable {
  readonly strata: string[];
  readonly days: number;
  private readonly starts: Uint32Array;

  constructor() {
    const total = COUNTY_WEIGHTS.reduce((s, [, w]) => s + w, 0);
    const strata: [string, number][] = [
      ...COUNTY_WEIGHTS.map(([c, w]): [string, number] => [c, (w / total) * (1 - EXTERNAL_HUKOU_SHARE)]),
      ['external', EXTERNAL_HUKOU_SHARE],
    ];
    this.strata = strata.map(([c]) => c);
    const lastYear = AGE_BANDS[AGE_BANDS.length - 1][1];
    this.days = Math.floor(lastYear * DAYS_PER_YEAR);
    const ageCdf = ageCdfByDay(this.days);
    this.starts = new Uint32Array(strata.length * this.days);
    let base = 0;
    let k = 0;
    for (const [, w] of strata) {
      for (let d = 0; d < this.days; d++) this.starts[k++] = Math.floor(SLOT_SPACE * (base + w * ageCdf[d]));
      base += w;
    }
    let widest = 0;
    for (let j = 0; j < this.starts.length; j++) {
      const end = j + 1 < this.starts.length ? this.starts[j + 1] : SLOT_SPACE;
      widest = Math.max(widest, end - this.starts[j]);
    }
    if (widest > MAX_BUCKET)
      throw new Error(`出生日期分桶过大（${widest} > ${MAX_BUCKET}），身份号码将重复 / a birth-date bucket holds ${widest} slots (> ${MAX_BUCKET}); ID numbers would repeat`);
  }

  /** The slot of slot number x ∈ [0, 2^24). */
  slotOf(x: number): Slot {
    // Last bucket whose start ≤ x; empty buckets (start = next start) are skipped naturally.
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= x) lo = mid;
      else hi = mid - 1;
    }
    return { stratum: this.strata[Math.floor(lo / this.days)], ageDays: lo % this.days, offset: x - this.starts[lo] };
  }

  slotOfPerson(seed: number, i: number): Slot {
    if (!Number.isInteger(i) || i < 0 || i >= SLOT_SPACE)
      throw new Error(`人口序号应为 0 到 ${SLOT_SPACE - 1} 的整数，实际为 ${i} / person index must be 0..${SLOT_SPACE - 1}, got ${i}`);
    return this.slotOf(permute24(seed, i));
  }
}

/** F(d): share of residents younger than d days, uniform within each five-year band. */
function ageCdfByDay(days: number): Float64Array {
  const cdf = new Float64Array(days);
  const total = AGE_BANDS.reduce((s, [, , p]) => s + p, 0);
  let acc = 0;
  let band = 0;
  for (let d = 0; d < days; d++) {
    while (band < AGE_BANDS.length - 1 && d >= AGE_BANDS[band][1] * DAYS_PER_YEAR) band++;
    cdf[d] = acc / total;
    const [from, to, p] = AGE_BANDS[band];
    acc += p / ((to - from) * DAYS_PER_YEAR);
  }
  return cdf;
}
