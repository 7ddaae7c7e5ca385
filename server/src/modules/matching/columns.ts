// Writing one row of a columnar snapshot in place: a changed entity's facts replace its row,
// a new entity is appended. The engine's PopulationBuilder builds a snapshot once; a warm
// snapshot lives for days in a worker, so it must take changes without a rebuild. Columns
// stay on SharedArrayBuffer (worker threads read them) and grow by doubling.
import type { ColumnData, Dictionary, Population, Value } from '@kx/engine';

type Typed = Float64Array | Int32Array | Uint16Array | Uint32Array;

function growShared<T extends Typed>(a: T, n: number): T {
  const C = a.constructor as unknown as { new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number };
  const b = new C(new SharedArrayBuffer(Math.max(1, n) * C.BYTES_PER_ELEMENT));
  b.set(a as never);
  return b;
}

export interface WriteResult {
  /** A code table gained a code, or the arrays were reallocated: the snapshot must be rebound. */
  reshaped: boolean;
}

interface Slot {
  key: string;
  col: ColumnData;
  /** Code → index in the column's table (dict and set columns). */
  index?: Map<string, number>;
  open: boolean;
}

export class ColumnWriter {
  private readonly slots: Slot[];

  /** `keys`: the columns in the order writeRow receives their values. */
  constructor(
    dict: Dictionary,
    columns: Record<string, ColumnData>,
    readonly keys: readonly string[],
  ) {
    this.slots = keys.map((key) => {
      const col = columns[key];
      if (!col) throw new Error(`快照中没有字段 "${key}" 的列 / the snapshot has no column "${key}"`);
      const type = dict.fields.get(key)?.type;
      return { key, col, open: type === 'region' || type === 'text', ...(col.kind === 'dict' || col.kind === 'set' ? { index: new Map(col.table.map((c, i) => [c, i])) } : {}) };
    });
  }

  /** Rows the arrays can hold now. */
  get capacity(): number {
    return this.slots[0].col.unknown.length * 32;
  }

  /** Makes room for `rows` rows; true when arrays were reallocated. */
  ensure(rows: number): boolean {
    if (rows <= this.capacity) return false;
    let cap = this.capacity;
    while (cap < rows) cap *= 2;
    for (const { col } of this.slots) {
      const unknown = growShared(col.unknown, cap >>> 5);
      unknown.fill(0xffffffff, col.unknown.length);
      col.unknown = unknown;
      if (col.kind === 'set') col.masks = growShared(col.masks, cap * col.stride);
      else if (col.kind === 'dict') col.codes = growShared(col.codes, cap);
      else col.values = growShared(col.values, cap);
    }
    return true;
  }

  /** Writes every column of one row; values[k] is the value of keys[k], undefined = unknown. */
  writeRow(row: number, values: readonly (Value | undefined)[]): WriteResult {
    let reshaped = false;
    const w = row >>> 5;
    const bit = 1 << (row & 31);
    for (let k = 0; k < this.slots.length; k++) {
      const { col, index, open } = this.slots[k];
      const v = values[k];
      if (v === undefined) {
        col.unknown[w] |= bit;
        continue;
      }
      if (col.kind === 'num' || col.kind === 'date') {
        if (typeof v !== 'number') {
          col.unknown[w] |= bit;
          continue;
        }
        col.values[row] = v;
      } else if (col.kind === 'set') {
        const base = row * col.stride;
        for (let j = 0; j < col.stride; j++) col.masks[base + j] = 0;
        for (const c of Array.isArray(v) ? v : []) {
          const b = index!.get(c);
          if (b !== undefined) col.masks[base + (b >>> 5)] |= 1 << (b & 31);
        }
      } else {
        const s = typeof v === 'boolean' ? String(v) : typeof v === 'string' ? v : undefined;
        let code = s === undefined ? undefined : index!.get(s);
        if (code === undefined) {
          if (s === undefined || !open) {
            col.unknown[w] |= bit;
            continue;
          }
          // Open tables (region, text) have 32-bit codes; enum tables are fixed.
          code = col.table.length;
          col.table.push(s);
          index!.set(s, code);
          reshaped = true;
        }
        col.codes[row] = code;
      }
      col.unknown[w] &= ~bit;
    }
    return { reshaped };
  }
}

/** A new snapshot object over the same columns: the engine rebinds its plans to it. */
export function rewrap(pop: Population, size: number): Population {
  return { size, columns: { ...pop.columns } };
}
