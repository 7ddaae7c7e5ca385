import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { permute24, Rng, seedOf, Weighted } from './prng.ts';
import { SlotTable } from './slots.ts';

describe('seeded randomness', () => {
  it('reads integer seeds as they are and hashes text', () => {
    expect(seedOf(42)).toBe(42);
    expect(seedOf('42')).toBe(42);
    expect(seedOf(2 ** 32 + 5)).toBe(5);
    expect(seedOf('liaocheng')).toBe(seedOf('liaocheng'));
    expect(seedOf('liaocheng')).not.toBe(seedOf('Liaocheng'));
    expect(() => seedOf(1.5)).toThrow(/1.5/);
  });

  it('gives one stream per (seed, stream, index), in [0, 1)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(20_000_000), (seed, i) => {
        const a = new Rng(seed, 1, i);
        const b = new Rng(seed, 1, i);
        const c = new Rng(seed, 1, i + 1);
        const xs = Array.from({ length: 8 }, () => a.float());
        expect(xs).toEqual(Array.from({ length: 8 }, () => b.float()));
        expect(xs).not.toEqual(Array.from({ length: 8 }, () => c.float()));
        for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
      }),
    );
  });

  it('permutes the 2^24 person slots without collisions', () => {
    for (const seed of [0, 987654321]) {
      const seen = new Uint8Array(2 ** 24);
      for (let i = 0; i < 2 ** 24; i++) seen[permute24(seed, i)] = 1;
      expect(seen.reduce((s, x) => s + x, 0)).toBe(2 ** 24);
    }
  });

  it('draws weighted values in proportion', () => {
    const w = new Weighted([['a', 1], ['b', 3]] as const);
    const rng = new Rng(1, 9, 0);
    let b = 0;
    for (let i = 0; i < 20_000; i++) if (w.draw(rng) === 'b') b++;
    expect(b / 20_000).toBeGreaterThan(0.73);
    expect(b / 20_000).toBeLessThan(0.77);
    expect(() => new Weighted([['a', 0]])).toThrow();
  });

  it('never puts more than 500 people of one sex on one birth date in one county', () => {
    const t = new SlotTable();
    for (let x = 0; x < 2 ** 24; x += 4099) expect(t.slotOf(x).offset).toBeLessThan(500);
  });
});
