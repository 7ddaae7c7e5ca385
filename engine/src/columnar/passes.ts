// One pass per field and block: every entity is placed once, and every leaf on the
// field is then a handful of word operations. Hot loops: no allocation, branch-free
// compares (`-+(a <= b)` is 0 or -1, no jump), whole words of unknown entities skipped.
import type { DictBind, NumBind, SetBind } from './bind.ts';
import type { DateColumn, DictColumn, NumColumn, SetColumn } from './population.ts';

/**
 * ge[j·W + w] = entities with at least j cut points ≤ x (row 0: everyone, row m+1: no one).
 * So `x ≥ cuts[j]` is row j+1; a range [cuts[a-1], cuts[b-1]) is ge[a] & ~ge[b].
 */
export function bucketNumbers(
  bind: NumBind,
  col: NumColumn | DateColumn,
  ge: Int32Array,
  W: number,
  base: number,
  words: number,
  size: number,
): void {
  const m = bind.m;
  const cuts = bind.cuts;
  const values = col.values;
  const unknown = col.unknown;
  const off = base >>> 5;
  ge.fill(0, 0, (m + 2) * W);
  let half = (cuts.length + 1) >>> 1;
  if (m === 0) half = 0;
  for (let w = 0; w < words; w++) {
    const u = unknown[off + w];
    if (~u === 0) continue;
    const row = base + (w << 5);
    const lim = Math.min(32, size - row);
    for (let i = 0; i < lim; i++) {
      const x = values[row + i];
      let pos = 0;
      for (let step = half; step > 0; step >>>= 1) pos += step & -+(cuts[pos + step - 1] <= x);
      ge[pos * W + w] |= 1 << i;
    }
  }
  for (let j = m - 1; j >= 1; j--) {
    const a = j * W;
    const b = a + W;
    for (let w = 0; w < words; w++) ge[a + w] |= ge[b + w];
  }
  ge.fill(-1, 0, W);
}

/** bk[b·W + w] = entities whose code falls in bucket b. */
export function bucketCodes(bind: DictBind, col: DictColumn, bk: Int32Array, W: number, base: number, words: number, size: number): void {
  const map = bind.codeToBucket;
  const codes = col.codes;
  const unknown = col.unknown;
  const off = base >>> 5;
  bk.fill(0, 0, bind.buckets * W);
  for (let w = 0; w < words; w++) {
    const u = unknown[off + w];
    if (~u === 0) continue;
    const row = base + (w << 5);
    const lim = Math.min(32, size - row);
    for (let i = 0; i < lim; i++) bk[map[codes[row + i]] * W + w] |= 1 << i;
  }
}

/** st[s·W + w] = entities whose set holds the code of slot s. */
export function transposeSets(bind: SetBind, col: SetColumn, st: Int32Array, W: number, base: number, words: number, size: number): void {
  const stride = col.stride;
  const masks = col.masks;
  const unknown = col.unknown;
  const ref = bind.refMask;
  const slotOfBit = bind.slotOfBit;
  const off = base >>> 5;
  st.fill(0, 0, bind.slots * W);
  for (let w = 0; w < words; w++) {
    const u = unknown[off + w];
    if (~u === 0) continue;
    const row = base + (w << 5);
    const lim = Math.min(32, size - row);
    for (let i = 0; i < lim; i++) {
      for (let k = 0; k < stride; k++) {
        let x = masks[(row + i) * stride + k] & ref[k];
        while (x !== 0) {
          const low = x & -x;
          st[slotOfBit[(k << 5) + 31 - Math.clz32(low)] * W + w] |= 1 << i;
          x ^= low;
        }
      }
    }
  }
}
