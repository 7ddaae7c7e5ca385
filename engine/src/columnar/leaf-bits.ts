// The leaves of one block: each leaf's (T, F) bitsets computed once per block, from the
// field's single bucketing pass (passes.ts), or entity by entity for exact leaves.
import type { BoundProgram, LeafOp } from './bind.ts';
import { dictionaryView, ExactLeaf } from './exact-leaf.ts';
import { bucketCodes, bucketNumbers, transposeSets } from './passes.ts';
import type { DateColumn, DictColumn, NumColumn, PopulationData, SetColumn } from './population.ts';

// Word loops, kept as small functions so that V8 optimises them within the first block.
// Each writes a leaf as T = match & known, F = ~match & known.
const NO_ROWS = new Int32Array(0);

/** match = x in any range [cut a, cut b): ge[a] & ~ge[b]. */
function rangesToBits(ge: Int32Array, p: Int32Array, W: number, words: number, unk: Uint32Array, off: number, T: Int32Array, F: Int32Array): void {
  for (let w = 0; w < words; w++) {
    let m = 0;
    for (let r = 0; r < p.length; r += 2) m |= ge[p[r] * W + w] & ~ge[p[r + 1] * W + w];
    const k = ~unk[off + w];
    T[w] = m & k;
    F[w] = ~m & k;
  }
}

/** match = (OR of the rows) XOR flip. */
function orToBits(src: Int32Array, rows: Int32Array, flip: number, W: number, words: number, unk: Uint32Array, off: number, T: Int32Array, F: Int32Array): void {
  for (let w = 0; w < words; w++) {
    let m = 0;
    for (let r = 0; r < rows.length; r++) m |= src[rows[r] * W + w];
    m ^= flip;
    const k = ~unk[off + w];
    T[w] = m & k;
    F[w] = ~m & k;
  }
}

/** Rows in any of `rows` become unknown: neither T nor F. */
function unknownRows(src: Int32Array, rows: Int32Array, W: number, words: number, T: Int32Array, F: Int32Array): void {
  for (let w = 0; w < words; w++) {
    let m = 0;
    for (let r = 0; r < rows.length; r++) m |= src[rows[r] * W + w];
    T[w] &= ~m;
    F[w] &= ~m;
  }
}

/** match = (AND of the rows) XOR flip; no rows: everyone. */
function andToBits(src: Int32Array, rows: Int32Array, flip: number, W: number, words: number, unk: Uint32Array, off: number, T: Int32Array, F: Int32Array): void {
  for (let w = 0; w < words; w++) {
    let m = -1;
    for (let r = 0; r < rows.length; r++) m &= src[rows[r] * W + w];
    m ^= flip;
    const k = ~unk[off + w];
    T[w] = m & k;
    F[w] = ~m & k;
  }
}

function knownToBits(unk: Uint32Array, flip: number, words: number, off: number, T: Int32Array, F: Int32Array): void {
  for (let w = 0; w < words; w++) {
    const k = ~unk[off + w] ^ flip;
    T[w] = k;
    F[w] = ~k;
  }
}

export class BlockLeaves {
  private readonly ops: LeafOp[];
  private readonly size: number;
  private readonly leafStamp: Int32Array;
  private readonly exact: (ExactLeaf | null)[];
  private readonly done: (Int32Array | null)[]; // exact leaves: entities computed in this block
  private readonly ge: Int32Array[];
  private readonly geStamp: Int32Array;
  private readonly bk: Int32Array[];
  private readonly bkStamp: Int32Array;
  private readonly st: Int32Array[];
  private readonly stStamp: Int32Array;
  private epoch = 0;
  private base = 0;
  private words = 0;

  /** slotT/slotF[i] receive leaf i; lo/hi[i] its support (words outside are all F). */
  constructor(
    private readonly prog: BoundProgram,
    private readonly pop: PopulationData,
    private readonly W: number,
    private readonly slotT: Int32Array[],
    private readonly slotF: Int32Array[],
    private readonly lo: Int32Array,
    private readonly hi: Int32Array,
  ) {
    const plan = prog.plan;
    this.ops = prog.ops;
    this.size = pop.size;
    this.leafStamp = new Int32Array(plan.leaves.length);
    const view = plan.leaves.some((l) => l.kind === 'exact') ? dictionaryView(prog) : undefined;
    this.exact = plan.leaves.map((l) => (l.kind === 'exact' ? new ExactLeaf(l, prog, pop, view) : null));
    this.done = plan.leaves.map((l) => (l.kind === 'exact' ? new Int32Array(W) : null));
    this.ge = prog.nums.map((n) => new Int32Array((n.m + 2) * W));
    this.geStamp = new Int32Array(prog.nums.length);
    this.bk = prog.dicts.map((d) => new Int32Array(d.buckets * W));
    this.bkStamp = new Int32Array(prog.dicts.length);
    this.st = prog.sets.map((s) => new Int32Array(Math.max(1, s.slots) * W));
    this.stStamp = new Int32Array(prog.sets.length);
  }

  /** Starts a block: rows base … base + 32·words − 1. */
  begin(base: number, words: number): void {
    this.epoch++;
    this.base = base;
    this.words = words;
  }

  /** Computes leaf i for the block (once), or the entities of it still needed when exact. */
  ensure(i: number, lo: number, hi: number, dead: Int32Array | null): void {
    const op = this.ops[i];
    if (op.kind === 'exact') return this.exactLeaf(i, op.negate, lo, hi, dead);
    if (this.leafStamp[i] === this.epoch) return;
    this.leafStamp[i] = this.epoch;
    const T = this.slotT[i];
    const F = this.slotF[i];
    const words = this.words;
    const off = this.base >>> 5;
    const W = this.W;
    if (op.kind === 'num') {
      const col = this.pop.columns[op.field] as NumColumn | DateColumn;
      const ge = this.ge[op.col];
      if (this.geStamp[op.col] !== this.epoch) {
        this.geStamp[op.col] = this.epoch;
        bucketNumbers(this.prog.nums[op.col], col, ge, W, this.base, words, this.size);
      }
      rangesToBits(ge, op.pairs, W, words, col.unknown, off, T, F);
    } else if (op.kind === 'dict') {
      const col = this.pop.columns[op.field] as DictColumn;
      const bk = this.bk[op.col];
      if (this.bkStamp[op.col] !== this.epoch) {
        this.bkStamp[op.col] = this.epoch;
        bucketCodes(this.prog.dicts[op.col], col, bk, W, this.base, words, this.size);
      }
      orToBits(bk, op.buckets, op.complement !== op.negate ? -1 : 0, W, words, col.unknown, off, T, F);
      if (op.maybe.length) unknownRows(bk, op.maybe, W, words, T, F);
    } else if (op.kind === 'set') {
      const col = this.pop.columns[op.field] as SetColumn;
      const st = this.st[op.col];
      if (this.stStamp[op.col] !== this.epoch) {
        this.stStamp[op.col] = this.epoch;
        transposeSets(this.prog.sets[op.col], col, st, W, this.base, words, this.size);
      }
      if (op.mode !== 'all') orToBits(st, op.slots, (op.mode === 'none') !== op.negate ? -1 : 0, W, words, col.unknown, off, T, F);
      else if (op.impossible) orToBits(st, NO_ROWS, op.negate ? -1 : 0, W, words, col.unknown, off, T, F);
      else andToBits(st, op.slots, op.negate ? -1 : 0, W, words, col.unknown, off, T, F);
    } else knownToBits(this.pop.columns[op.field].unknown, op.negate ? -1 : 0, words, off, T, F);
    let a = 0;
    let b = words;
    while (a < b && F[a] === -1) a++;
    while (b > a && F[b - 1] === -1) b--;
    this.lo[i] = a;
    this.hi[i] = b;
  }

  /** Entity by entity, only where the caller still needs a value (not in `dead`). */
  private exactLeaf(i: number, negate: boolean, lo: number, hi: number, dead: Int32Array | null): void {
    const done = this.done[i]!;
    const T = this.slotT[i];
    const F = this.slotF[i];
    if (this.leafStamp[i] !== this.epoch) {
      this.leafStamp[i] = this.epoch;
      done.fill(0);
      T.fill(0);
      F.fill(0);
      this.lo[i] = 0;
      this.hi[i] = this.words;
    }
    const ex = this.exact[i]!;
    for (let w = lo; w < hi; w++) {
      const row0 = this.base + (w << 5);
      const valid = row0 + 32 <= this.size ? -1 : (1 << (this.size - row0)) - 1;
      let need = ~done[w] & (dead === null ? -1 : ~dead[w]) & valid;
      done[w] |= need;
      while (need !== 0) {
        const low = need & -need;
        need ^= low;
        const v = ex.at(row0 + 31 - Math.clz32(low));
        if (v === (negate ? 'F' : 'T')) T[w] |= low;
        else if (v !== 'U') F[w] |= low;
      }
    }
  }
}
