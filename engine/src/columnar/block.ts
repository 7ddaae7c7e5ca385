// Evaluating a bound plan over one block of entities at a time. Every boolean is a
// PAIR of bitsets (T, F), 32 entities a word; U is neither. and: T=T1&T2, F=F1|F2;
// or: T=T1|T2, F=F1&F2; (not was pushed into the leaves at compile time.)
//
// Each result also carries a support [lo, hi) of words: outside it the value is F for
// every entity. An `and` intersects supports before touching a word and stops at the
// first conjunct that is F everywhere, so an item for persons costs nothing in a block
// of enterprises, and (with the snapshot sorted by kind and region) a county's item
// touches only that county's words. Leaves and shared subtrees are computed lazily,
// once per block; all buffers are allocated up front.
import type { BoundProgram, LeafOp } from './bind.ts';
import { BlockLeaves } from './leaf-bits.ts';
import type { PlanNode } from './plan.ts';
import type { PopulationData } from './population.ts';
import type { ColumnarSink } from './sinks.ts';
import { ENTITY_KIND_FIELD } from '../dictionary/types.ts';

export const DEFAULT_BLOCK_WORDS = 256;

const CONST_T = 0;
const CONST_F = 1;
const CONST_U = 2;

/**
 * T = AND of the children's T, F = OR of their F, word by word over [a, b); children
 * and result are slots of `mem` (T at the offset, F one block further). Small and hot,
 * so that V8 optimises it within the first block.
 */
function fuseAnd(mem: Int32Array, offs: Int32Array, n: number, out: number, W: number, a: number, b: number): void {
  for (let w = a; w < b; w++) {
    let t = -1;
    let f = 0;
    for (let k = 0; k < n; k++) {
      const o = offs[k] + w;
      t &= mem[o];
      f |= mem[o + W];
    }
    mem[out + w] = t;
    mem[out + W + w] = f;
  }
}

function copyInto(T: Int32Array, F: Int32Array, cT: Int32Array, cF: Int32Array, a: number, b: number): void {
  for (let w = a; w < b; w++) {
    T[w] = cT[w];
    F[w] = cF[w];
  }
}

function andInto(T: Int32Array, F: Int32Array, cT: Int32Array, cF: Int32Array, a: number, b: number): void {
  for (let w = a; w < b; w++) {
    T[w] &= cT[w];
    F[w] |= cF[w];
  }
}

function orInto(T: Int32Array, F: Int32Array, cT: Int32Array, cF: Int32Array, a: number, b: number): void {
  for (let w = a; w < b; w++) {
    T[w] |= cT[w];
    F[w] &= cF[w];
  }
}

/** U = neither T nor F. */
function neither(T: Int32Array, F: Int32Array, U: Int32Array, a: number, b: number): void {
  for (let w = a; w < b; w++) U[w] = ~(T[w] | F[w]);
}

export class BlockEvaluator {
  readonly W: number;
  readonly blocks: number;
  private readonly size: number;
  private readonly nodes: PlanNode[];
  private readonly ops: LeafOp[];
  private readonly mem: Int32Array; // slot s: T at 2·s·W, F at (2·s + 1)·W
  private readonly slotT: Int32Array[] = [];
  private readonly slotF: Int32Array[] = [];
  private readonly cheap: Int32Array; // per node: how many of its ordered children are leaves or cached
  private readonly offs: Int32Array[]; // per depth: offsets of the cheap children being fused
  private readonly lo: Int32Array; // support per slot
  private readonly hi: Int32Array;
  private readonly nodeSlot: Int32Array; // shared node → slot, else -1
  private readonly nodeStamp: Int32Array;
  private readonly scratch0: number; // first scratch slot; depth d uses scratch0 + d
  private readonly order: Int32Array[]; // children of and/or/atleast, cheap first
  private readonly planes: (Int32Array | null)[];
  private readonly leaves: BlockLeaves;
  private readonly outT: Int32Array;
  private readonly outU: Int32Array;
  private epoch = 0;
  private base = 0;
  private words = 0;
  private sLo = 0;
  private sHi = 0;

  constructor(
    private readonly prog: BoundProgram,
    private readonly pop: PopulationData,
    blockWords = DEFAULT_BLOCK_WORDS,
  ) {
    const W = (this.W = blockWords);
    const plan = prog.plan;
    this.size = pop.size;
    this.blocks = Math.ceil(pop.size / (32 * W));
    this.nodes = plan.nodes;
    this.ops = prog.ops;
    const nLeaves = plan.leaves.length;
    this.nodeSlot = new Int32Array(plan.nodes.length).fill(-1);
    let slots = nLeaves + 3;
    plan.nodes.forEach((_, i) => plan.shared[i] && (this.nodeSlot[i] = slots++));
    this.scratch0 = slots;
    slots += this.height() + 2;
    const mem = (this.mem = new Int32Array(slots * 2 * W));
    for (let s = 0; s < slots; s++) {
      this.slotT.push(mem.subarray(2 * s * W, (2 * s + 1) * W));
      this.slotF.push(mem.subarray((2 * s + 1) * W, (2 * s + 2) * W));
    }
    const c = nLeaves;
    this.slotT[c + CONST_T].fill(-1);
    this.slotF[c + CONST_F].fill(-1);
    this.lo = new Int32Array(slots);
    this.hi = new Int32Array(slots);
    this.nodeStamp = new Int32Array(plan.nodes.length);
    this.order = plan.nodes.map((n) => (n.op === 'leaf' || n.op === 'const' ? new Int32Array(0) : Int32Array.from([...n.args].sort((a, b) => this.rank(a) - this.rank(b)))));
    this.cheap = Int32Array.from(this.order, (kids) => kids.filter((k) => this.rank(k) <= 6).length);
    const widest = this.order.reduce((m, k) => Math.max(m, k.length), 0);
    this.offs = Array.from({ length: this.height() + 2 }, () => new Int32Array(widest));
    this.planes = plan.nodes.map((n) => (n.op === 'atleast' ? new Int32Array(2 * (32 - Math.clz32(n.args.length)) * W) : null));
    this.leaves = new BlockLeaves(prog, pop, W, this.slotT, this.slotF, this.lo, this.hi);
    this.outT = new Int32Array(W);
    this.outU = new Int32Array(W);
  }

  private height(): number {
    const h = new Int32Array(this.nodes.length); // children have smaller ids
    this.nodes.forEach((n, i) => {
      if (n.op !== 'leaf' && n.op !== 'const') for (const a of n.args) h[i] = Math.max(h[i], h[a] + 1);
    });
    return h.reduce((m, x) => Math.max(m, x), 0);
  }

  /** Cheap and selective conjuncts first: kind, region, codes, numbers, sets, subtrees, exact. */
  private rank(id: number): number {
    const n = this.nodes[id];
    if (n.op === 'const') return 5;
    if (n.op !== 'leaf') return this.prog.plan.shared[id] ? 6 : 7;
    const op = this.ops[n.leaf];
    if (op.kind === 'dict') return op.field === ENTITY_KIND_FIELD ? 0 : op.field === 'region' ? 1 : 2;
    return op.kind === 'known' ? 2 : op.kind === 'num' ? 3 : op.kind === 'set' ? 4 : 9;
  }

  /** Evaluates every item over block b and hands the results to the sink. */
  evaluateBlock(b: number, sink: ColumnarSink): void {
    const W = this.W;
    this.epoch++;
    this.base = b * 32 * W;
    const words = (this.words = Math.min(W, (this.size - this.base + 31) >>> 5));
    this.leaves.begin(this.base, words);
    const c = this.prog.plan.leaves.length;
    this.lo[c + CONST_F] = this.hi[c + CONST_F] = 0;
    this.lo[c + CONST_T] = this.lo[c + CONST_U] = 0;
    this.hi[c + CONST_T] = this.hi[c + CONST_U] = words;
    const tail = (this.size - this.base) & 31;
    const roots = this.prog.plan.roots;
    const outU = this.outU;
    for (let item = 0; item < roots.length; item++) {
      const s = this.evalNode(roots[item], 0, words, null, 0);
      const lo = this.sLo;
      const hi = this.sHi;
      let t = this.slotT[s];
      const f = this.slotF[s];
      neither(t, f, outU, lo, hi);
      if (tail !== 0 && hi === words && words === ((this.size - this.base + 31) >>> 5)) {
        // The last word of the population: rows past the end are no one.
        const keep = (1 << tail) - 1;
        this.outT.set(t.subarray(lo, hi), lo);
        t = this.outT;
        t[hi - 1] &= keep;
        outU[hi - 1] &= keep;
      }
      sink.onBlock(item, this.base, t, outU, lo, hi);
    }
  }

  private evalNode(id: number, lo: number, hi: number, dead: Int32Array | null, depth: number): number {
    const n = this.nodes[id];
    let s: number;
    if (n.op === 'leaf') {
      s = n.leaf;
      this.leaves.ensure(s, lo, hi, dead);
    } else if (n.op === 'const') {
      s = this.prog.plan.leaves.length + (n.value === 'T' ? CONST_T : n.value === 'F' ? CONST_F : CONST_U);
    } else if ((s = this.nodeSlot[id]) >= 0) {
      if (this.nodeStamp[id] !== this.epoch) {
        this.nodeStamp[id] = this.epoch;
        this.compute(n, id, 0, this.words, null, depth, s);
      }
    } else {
      s = this.scratch0 + depth;
      this.compute(n, id, lo, hi, dead, depth, s);
    }
    this.sLo = this.lo[s];
    this.sHi = this.hi[s];
    return s;
  }

  private compute(n: PlanNode, id: number, lo: number, hi: number, dead: Int32Array | null, depth: number, out: number): void {
    const T = this.slotT[out];
    const F = this.slotF[out];
    const kids = this.order[id];
    if (n.op === 'and') {
      // Leaves and cached subtrees first: supports intersected before any word is read,
      // then one fused pass over the words where all of them may still hold.
      const mem = this.mem;
      const W = this.W;
      const offs = this.offs[depth];
      const nCheap = this.cheap[id];
      let a = lo;
      let b = hi;
      for (let k = 0; k < nCheap && a < b; k++) {
        const s = this.evalNode(kids[k], a, b, dead, depth + 1);
        if (this.sLo > a) a = this.sLo;
        if (this.sHi < b) b = this.sHi;
        offs[k] = 2 * s * W;
      }
      if (nCheap > 0 && a < b) {
        fuseAnd(mem, offs, nCheap, 2 * out * W, W, a, b);
        while (a < b && F[a] === -1) a++;
        while (b > a && F[b - 1] === -1) b--;
      }
      // Then subtrees and exact leaves, asked only about entities not yet false.
      for (let k = nCheap; k < kids.length && a < b; k++) {
        const s = this.evalNode(kids[k], a, b, k === 0 ? dead : F, depth + 1);
        const ca = this.sLo > a ? this.sLo : a;
        const cb = this.sHi < b ? this.sHi : b;
        if (k === 0) copyInto(T, F, this.slotT[s], this.slotF[s], ca, cb);
        else andInto(T, F, this.slotT[s], this.slotF[s], ca, cb);
        a = ca;
        b = cb;
        while (a < b && F[a] === -1) a++;
        while (b > a && F[b - 1] === -1) b--;
      }
      this.lo[out] = a;
      this.hi[out] = a < b ? b : a;
    } else if (n.op === 'or') {
      T.fill(0, lo, hi);
      F.fill(-1, lo, hi);
      let a = hi;
      let b = lo;
      for (let k = 0; k < kids.length; k++) {
        const s = this.evalNode(kids[k], lo, hi, dead, depth + 1);
        const ca = this.sLo > lo ? this.sLo : lo;
        const cb = this.sHi < hi ? this.sHi : hi;
        orInto(T, F, this.slotT[s], this.slotF[s], ca, cb);
        if (ca < cb) {
          if (ca < a) a = ca;
          if (cb > b) b = cb;
        }
      }
      this.lo[out] = a < b ? a : lo;
      this.hi[out] = a < b ? b : lo;
    } else if (n.op === 'atleast') this.atleast(id, n.n, kids, lo, hi, dead, depth, out);
  }

  /** Kleene "at least n of": T if #T ≥ n, F if #T + #U < n. Bit-sliced counters. */
  private atleast(id: number, n: number, kids: Int32Array, lo: number, hi: number, dead: Int32Array | null, depth: number, out: number): void {
    const W = this.W;
    const P = this.planes[id]!;
    const B = P.length / (2 * W);
    for (let j = 0; j < 2 * B; j++) P.fill(0, j * W + lo, j * W + hi);
    for (let k = 0; k < kids.length; k++) {
      const s = this.evalNode(kids[k], lo, hi, dead, depth + 1);
      const ca = Math.max(lo, this.sLo);
      const cb = Math.min(hi, this.sHi);
      const cT = this.slotT[s];
      const cF = this.slotF[s];
      for (let w = ca; w < cb; w++) {
        let ct = cT[w];
        let cn = ~cF[w]; // T or U
        for (let j = 0; j < B && (ct | cn) !== 0; j++) {
          const pt = P[j * W + w];
          const pn = P[(B + j) * W + w];
          P[j * W + w] = pt ^ ct;
          P[(B + j) * W + w] = pn ^ cn;
          ct &= pt;
          cn &= pn;
        }
      }
    }
    const T = this.slotT[out];
    const F = this.slotF[out];
    for (let w = lo; w < hi; w++) {
      let gtT = 0;
      let eqT = -1;
      let gtN = 0;
      let eqN = -1;
      for (let j = B - 1; j >= 0; j--) {
        const pt = P[j * W + w];
        const pn = P[(B + j) * W + w];
        if ((n >>> j) & 1) {
          eqT &= pt;
          eqN &= pn;
        } else {
          gtT |= eqT & pt;
          eqT &= ~pt;
          gtN |= eqN & pn;
          eqN &= ~pn;
        }
      }
      T[w] = gtT | eqT;
      F[w] = ~(gtN | eqN);
    }
    this.lo[out] = lo;
    this.hi[out] = hi;
  }
}
