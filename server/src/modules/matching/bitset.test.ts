import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { andNot, compact, compactHas, countBits, decodeBits, encodeBits, hasBit, idsOf, scatterRows, setBit, wordsFor } from './bitset.ts';

const idSets = fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 }).map((xs) => xs.sort((a, b) => a - b));

function bitsOf(ids: number[], maxId = 5000): Uint32Array {
  const b = new Uint32Array(wordsFor(maxId));
  for (const id of ids) setBit(b, id);
  return b;
}

describe('entity bitsets', () => {
  it('survive deflate and inflate unchanged, and say who is in them', async () => {
    await fc.assert(
      fc.asyncProperty(idSets, async (ids) => {
        const back = await decodeBits(await encodeBits(bitsOf(ids)));
        expect(idsOf(back)).toEqual(ids);
        expect(countBits(back)).toBe(ids.length);
      }),
      { numRuns: 60 },
    );
  });

  it('page through members in id order', () => {
    fc.assert(
      fc.property(idSets, fc.nat(320), fc.integer({ min: 1, max: 50 }), (ids, from, limit) => {
        expect(idsOf(bitsOf(ids), from, limit)).toEqual(ids.slice(from, from + limit));
      }),
    );
  });

  it('find the newly added members (a and not b)', () => {
    fc.assert(
      fc.property(idSets, idSets, (a, b) => {
        expect(idsOf(andNot(bitsOf(a), bitsOf(b)))).toEqual(a.filter((x) => !b.includes(x)));
      }),
    );
  });

  it('answer membership the same whether held as bits or as sorted ids', () => {
    fc.assert(
      fc.property(idSets, fc.integer({ min: 0, max: 6000 }), (ids, probe) => {
        const bits = bitsOf(ids);
        expect(compactHas(compact(bits), probe)).toBe(ids.includes(probe));
        expect(hasBit(bits, probe)).toBe(ids.includes(probe));
      }),
    );
  });

  it('move verdict bits from snapshot rows to the ids of the entities in those rows', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 200 }), fc.func(fc.boolean()), (rowIds, pick) => {
        const rows = new Uint32Array(rowIds);
        const rowBits = new Int32Array(wordsFor(rows.length) + 3);
        const base = 3; // the item's bits start part-way into a shared array
        const want: number[] = [];
        rowIds.forEach((id, r) => {
          if (pick(r)) {
            rowBits[base + (r >>> 5)] |= 1 << (r & 31);
            want.push(id);
          }
        });
        const out = new Uint32Array(wordsFor(4000));
        scatterRows(rowBits, base, wordsFor(rows.length), rows, out);
        expect(idsOf(out)).toEqual(want.sort((a, b) => a - b));
      }),
    );
  });
});
