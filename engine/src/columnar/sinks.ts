// Where results go. The evaluator never holds all items × all entities: per block and
// per item it hands the sink two bitsets, eligible (T) and undetermined (U); every
// entity that is in neither is ineligible.
import type { Verdict } from '../policy/types.ts';

export interface ColumnarSink {
  /**
   * One item over one block. Bit i of word w is the entity in row blockStart + 32·w + i.
   * Only words in [wordLo, wordHi) are meaningful: outside them every entity is
   * ineligible. The arrays are scratch, reused after the call returns.
   */
  onBlock(item: number, blockStart: number, t: Int32Array, u: Int32Array, wordLo: number, wordHi: number): void;
}

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}

/** Eligible and undetermined counts per item. */
export class CountSink implements ColumnarSink {
  readonly eligible: Float64Array;
  readonly undetermined: Float64Array;

  constructor(items: number) {
    this.eligible = new Float64Array(items);
    this.undetermined = new Float64Array(items);
  }

  onBlock(item: number, _start: number, t: Int32Array, u: Int32Array, lo: number, hi: number): void {
    let ct = 0;
    let cu = 0;
    for (let w = lo; w < hi; w++) {
      const a = t[w];
      const b = u[w];
      if (a !== 0) ct += popcount(a);
      if (b !== 0) cu += popcount(b);
    }
    this.eligible[item] += ct;
    this.undetermined[item] += cu;
  }

  /** Adds another sink's counts (one per worker thread). */
  add(other: { eligible: ArrayLike<number>; undetermined: ArrayLike<number> }): this {
    for (let i = 0; i < this.eligible.length; i++) {
      this.eligible[i] += other.eligible[i];
      this.undetermined[i] += other.undetermined[i];
    }
    return this;
  }
}

/**
 * Every verdict, as two bitsets per item over the whole population: for tests and small
 * populations (items × entities / 4 bytes). On SharedArrayBuffer when worker threads
 * write into it; blocks cover whole words, so threads never share a word.
 */
export class BitsetSink implements ColumnarSink {
  readonly words: number;
  readonly t: Int32Array;
  readonly u: Int32Array;

  constructor(
    readonly items: number,
    readonly size: number,
    buffers?: { t: Int32Array; u: Int32Array },
  ) {
    this.words = (size + 31) >>> 5;
    const make = () => new Int32Array(new SharedArrayBuffer(Math.max(1, items * this.words) * 4));
    this.t = buffers?.t ?? make();
    this.u = buffers?.u ?? make();
  }

  onBlock(item: number, start: number, t: Int32Array, u: Int32Array, lo: number, hi: number): void {
    const base = item * this.words + (start >>> 5);
    for (let w = lo; w < hi; w++) {
      this.t[base + w] = t[w];
      this.u[base + w] = u[w];
    }
  }

  verdict(item: number, row: number): Verdict {
    const k = item * this.words + (row >>> 5);
    const bit = 1 << (row & 31);
    return this.t[k] & bit ? 'eligible' : this.u[k] & bit ? 'undetermined' : 'ineligible';
  }

  /** Rows with the verdict, ascending. */
  rows(item: number, verdict: 'eligible' | 'undetermined' = 'eligible'): number[] {
    const bits = verdict === 'eligible' ? this.t : this.u;
    const out: number[] = [];
    for (let w = 0; w < this.words; w++) {
      let x = bits[item * this.words + w];
      while (x !== 0) {
        const low = x & -x;
        out.push(w * 32 + 31 - Math.clz32(low));
        x ^= low;
      }
    }
    return out;
  }

  count(item: number, verdict: 'eligible' | 'undetermined' = 'eligible'): number {
    const bits = verdict === 'eligible' ? this.t : this.u;
    let c = 0;
    for (let w = 0; w < this.words; w++) c += popcount(bits[item * this.words + w]);
    return c;
  }
}
