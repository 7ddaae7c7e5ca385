// Deterministic randomness for the synthetic city. No Math.random: the same seed gives the
// same bytes on every machine. Each entity gets its own stream, seeded from (seed, stream,
// index), so entity i can be generated alone — by another worker, in any order.

/** A bijective 32-bit integer hash (Chris Wellons' lowbias32): spreads nearby inputs far apart. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/**
 * A 32-bit seed from what a user types: a decimal integer is taken as it is (mod 2^32), any
 * other text is hashed (FNV-1a over UTF-16 code units), so `--seed liaocheng` works too.
 */
export function seedOf(seed: number | string): number {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed))
      throw new Error(`随机种子应为整数，实际为 ${seed} / the seed must be an integer, got ${seed}`);
    return ((seed % 2 ** 32) + 2 ** 32) % 2 ** 32;
  }
  if (/^\d+$/.test(seed)) return Number(BigInt(seed) % 2n ** 32n);
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Independent streams: one per purpose, so adding a draw in one never shifts another. */
export const STREAM = { person: 1, enterprise: 2, catalogue: 3, gaps: 4 } as const;

/** sfc32 (Chris Doty-Humphrey's small fast counting generator): 128-bit state, passes PractRand. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: number, index: number) {
    this.a = mix32(seed ^ 0x9e3779b9);
    this.b = mix32((index >>> 0) ^ mix32(stream + 0x85ebca6b));
    this.c = mix32(Math.floor(index / 2 ** 32) ^ mix32(seed + stream));
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform integer in [lo, hi], inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** Uniform real in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.float() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.float() * xs.length)];
  }

  /** Standard normal (Box–Muller; one value per call keeps the stream simple to reason about). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-scale spread. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}

/** Cumulative weights, for repeated weighted picks. */
export class Weighted<T> {
  readonly values: T[];
  private readonly cum: Float64Array;

  constructor(rows: readonly (readonly [T, number])[]) {
    this.values = rows.map((r) => r[0]);
    this.cum = new Float64Array(rows.length);
    let s = 0;
    rows.forEach(([, w], i) => {
      if (!(w >= 0)) throw new Error(`权重应为非负数，实际为 ${w} / weights must be non-negative, got ${w}`);
      s += w;
      this.cum[i] = s;
    });
    if (s <= 0) throw new Error('权重之和应大于 0 / weights must not all be zero');
    for (let i = 0; i < this.cum.length; i++) this.cum[i] /= s;
  }

  /** The value whose cumulative share first exceeds u ∈ [0, 1). */
  at(u: number): T {
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo];
  }

  draw(rng: Rng): T {
    return this.at(rng.float());
  }
}

/**
 * A seeded permutation of [0, 2^24): rounds of add-key, multiply-by-odd and xorshift, each a
 * bijection modulo 2^24. Used to hand every person a distinct slot, which is what makes
 * citizen ID numbers unique without any coordination between entities.
 */
export function permute24(seed: number, i: number): number {
  const M = 0xffffff;
  let x = i & M;
  for (let r = 0; r < 4; r++) {
    const k = mix32(seed + r * 0x632be5ab);
    x = (x + k) & M;
    x = Math.imul(x, (k >>> 8) | 1) & M;
    x ^= x >>> 11;
    x = Math.imul(x, 0x2c1b3c6d | 1) & M;
    x ^= x >>> 13;
  }
  return x;
}
