// Sets of entities as bitsets over entity ids: bit (id & 31) of word (id >>> 5) is the entity
// with that id. Stored zlib-deflated as little-endian uint32 words (item_sets.eligible,
// .undetermined); a set of a few thousand entities among a million deflates to a few KB.
// In memory a sparse set is held as its sorted ids instead (CompactSet), because a worker
// keeps the eligible set of every item for the entity jobs. Ids must stay below 2^32.
import { endianness } from 'node:os';
import { promisify } from 'node:util';
import { deflate, inflate, constants } from 'node:zlib';

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);
const BIG_ENDIAN = endianness() === 'BE';

export const MAX_ENTITY_ID = 2 ** 32 - 1;

export function wordsFor(maxId: number): number {
  return (maxId >>> 5) + 1;
}

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Deflates on the libuv thread pool, so that many sets compress at once. */
export async function encodeBits(bits: Uint32Array): Promise<Buffer> {
  let raw = Buffer.from(bits.buffer, bits.byteOffset, bits.byteLength);
  if (BIG_ENDIAN) raw = Buffer.from(raw).swap32();
  return deflateAsync(raw, { level: constants.Z_BEST_SPEED });
}

export async function decodeBits(blob: Uint8Array): Promise<Uint32Array> {
  const raw = await inflateAsync(blob);
  if (raw.byteLength % 4 !== 0) throw new Error(`位图长度 ${raw.byteLength} 不是 4 的倍数 / bitset of ${raw.byteLength} bytes is not whole words`);
  const words = new Uint32Array(raw.byteLength / 4);
  const view = Buffer.from(words.buffer);
  raw.copy(view);
  if (BIG_ENDIAN) view.swap32();
  return words;
}

export function hasBit(bits: Uint32Array, id: number): boolean {
  const w = id >>> 5;
  return w < bits.length && ((bits[w] >>> (id & 31)) & 1) === 1;
}

export function setBit(bits: Uint32Array, id: number): void {
  bits[id >>> 5] |= 1 << (id & 31);
}

export function clearBit(bits: Uint32Array, id: number): void {
  const w = id >>> 5;
  if (w < bits.length) bits[w] &= ~(1 << (id & 31));
}

export function countBits(bits: Uint32Array): number {
  let c = 0;
  for (let w = 0; w < bits.length; w++) if (bits[w] !== 0) c += popcount(bits[w]);
  return c;
}

/** Ids of the set bits, ascending. */
export function idsOf(bits: Uint32Array, from = 0, limit = Infinity): number[] {
  const out: number[] = [];
  let skip = from;
  for (let w = 0; w < bits.length && out.length < limit; w++) {
    let x = bits[w];
    if (x === 0) continue;
    if (skip > 0) {
      const c = popcount(x);
      if (c <= skip) {
        skip -= c;
        continue;
      }
    }
    while (x !== 0 && out.length < limit) {
      const low = x & -x;
      if (skip > 0) skip--;
      else out.push(w * 32 + 31 - Math.clz32(low));
      x ^= low;
    }
  }
  return out;
}

/** Bits in a and not in b (the newly added members). */
export function andNot(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  for (let w = 0; w < a.length; w++) out[w] = w < b.length ? a[w] & ~b[w] : a[w];
  return out;
}

export function sameBits(a: Uint32Array, b: Uint32Array): boolean {
  const n = Math.max(a.length, b.length);
  for (let w = 0; w < n; w++) if ((a[w] ?? 0) !== (b[w] ?? 0)) return false;
  return true;
}

/**
 * Moves one item's verdict bits from snapshot rows to entity ids: row r is bit (r & 31) of
 * rowBits[base + (r >>> 5)], for the `words` words of the item; its entity is rowIds[r].
 */
export function scatterRows(rowBits: Int32Array, base: number, words: number, rowIds: Uint32Array, out: Uint32Array): void {
  for (let w = 0; w < words; w++) {
    let x = rowBits[base + w];
    while (x !== 0) {
      const low = x & -x;
      const id = rowIds[w * 32 + 31 - Math.clz32(low)];
      out[id >>> 5] |= 1 << (id & 31);
      x ^= low;
    }
  }
}

/** A set held for membership tests: its bits, or its sorted ids when that is smaller. */
export type CompactSet = { kind: 'bits'; bits: Uint32Array; size: number } | { kind: 'ids'; ids: Uint32Array; size: number };

export function compact(bits: Uint32Array): CompactSet {
  const size = countBits(bits);
  if (size >= bits.length) return { kind: 'bits', bits, size };
  return { kind: 'ids', ids: Uint32Array.from(idsOf(bits)), size };
}

export function compactHas(s: CompactSet, id: number): boolean {
  if (s.kind === 'bits') return hasBit(s.bits, id);
  let lo = 0;
  let hi = s.ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = s.ids[mid];
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
