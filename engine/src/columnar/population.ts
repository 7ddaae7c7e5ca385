// A population snapshot as columns: one typed array per field, on SharedArrayBuffer so
// that worker threads read it without a copy. Unknown is a bitmap per column (bit set =
// unknown), never a sentinel value: a 0 in `values` under an unknown bit means nothing.
import type { Dictionary, FieldDef } from '../dictionary/types.ts';
import { ENTITY_KIND_FIELD } from '../dictionary/types.ts';
import type { Entity, Facts, Value } from '../values/facts.ts';

/** int, dec → Float64. */
export interface NumColumn {
  kind: 'num';
  values: Float64Array;
  unknown: Uint32Array;
}
/** date → Int32 days since 1970-01-01. */
export interface DateColumn {
  kind: 'date';
  values: Int32Array;
  unknown: Uint32Array;
}
/** enum, region, bool, text and entity_kind: codes into `table` (bool: "false", "true"). */
export interface DictColumn {
  kind: 'dict';
  codes: Uint16Array | Uint32Array;
  table: string[];
  unknown: Uint32Array;
}
/** set: `stride` words of bits per entity; bit i = the enum's i-th code, in `table`. */
export interface SetColumn {
  kind: 'set';
  stride: number;
  masks: Uint32Array;
  table: string[];
  unknown: Uint32Array;
}
export type ColumnData = NumColumn | DateColumn | DictColumn | SetColumn;

/** The part of a population a worker needs: plain data and shared typed arrays only. */
export interface PopulationData {
  size: number;
  columns: Record<string, ColumnData>;
}

export interface Population extends PopulationData {
  /** Entity ids by row, when the source had them. */
  ids?: (string | undefined)[];
  /** After sortForLocality: row → row in the population as built. */
  sourceRow?: Uint32Array;
}

export interface PopulationOptions {
  /** Build only these fields (entity_kind is always built). Default: every dictionary field. */
  fields?: readonly string[];
  /** Rows to reserve; the builder grows by doubling past it. */
  capacity?: number;
  /** Allocate on SharedArrayBuffer (default true) so that workers share the columns. */
  shared?: boolean;
}

type Ctor<T> = { new (buf: ArrayBufferLike): T; BYTES_PER_ELEMENT: number };

function alloc<T>(C: Ctor<T>, n: number, shared: boolean): T {
  const bytes = Math.max(n, 1) * C.BYTES_PER_ELEMENT;
  return new C(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

function grow<T extends Float64Array | Int32Array | Uint16Array | Uint32Array>(a: T, n: number, shared: boolean): T {
  const b = alloc(a.constructor as unknown as Ctor<T>, n, shared);
  b.set(a as never);
  return b;
}

function bad(field: string, v: unknown, zh: string, en: string): Error {
  return new Error(`字段 "${field}" 的取值 ${JSON.stringify(v)} ${zh} / field "${field}": ${JSON.stringify(v)} ${en}`);
}

interface Slot {
  key: string;
  def: FieldDef;
  col: ColumnData;
  index?: Map<string, number>;
}

/** Appends entities row by row, so that a million of them never exist as objects at once. */
export class PopulationBuilder {
  private readonly slots: Slot[] = [];
  private readonly shared: boolean;
  private readonly ids: (string | undefined)[] = [];
  private hasIds = false;
  private cap: number;
  private n = 0;

  constructor(dict: Dictionary, options: PopulationOptions = {}) {
    this.shared = options.shared ?? true;
    this.cap = (Math.max(32, options.capacity ?? 1024) + 31) & ~31;
    const keys = new Set<string>([ENTITY_KIND_FIELD, ...(options.fields ?? dict.fields.keys())]);
    for (const key of keys) {
      const def = dict.fields.get(key);
      if (!def) throw bad(key, key, '不是字典中的字段', 'is not a field of the dictionary');
      this.slots.push(this.makeSlot(dict, def));
    }
  }

  private makeSlot(dict: Dictionary, def: FieldDef): Slot {
    const unknown = alloc(Uint32Array, this.cap >>> 5, this.shared);
    const s = this.shared;
    switch (def.type) {
      case 'int':
      case 'dec':
        return { key: def.key, def, col: { kind: 'num', values: alloc(Float64Array, this.cap, s), unknown } };
      case 'date':
        return { key: def.key, def, col: { kind: 'date', values: alloc(Int32Array, this.cap, s), unknown } };
      case 'set': {
        const table = dict.enums.get(def.enum!)!.values.map((v) => v.code);
        const stride = Math.max(1, Math.ceil(table.length / 32));
        const col: SetColumn = { kind: 'set', stride, masks: alloc(Uint32Array, this.cap * stride, s), table, unknown };
        return { key: def.key, def, col, index: new Map(table.map((c, i) => [c, i])) };
      }
      default: {
        const fixed = def.type === 'enum' ? dict.enums.get(def.enum!)!.values.map((v) => v.code) : def.type === 'bool' ? ['false', 'true'] : [];
        const codes = fixed.length && fixed.length < 65536 ? alloc(Uint16Array, this.cap, s) : alloc(Uint32Array, this.cap, s);
        const col: DictColumn = { kind: 'dict', codes, table: fixed, unknown };
        return { key: def.key, def, col, index: new Map(fixed.map((c, i) => [c, i])) };
      }
    }
  }

  get size(): number {
    return this.n;
  }

  /** Appends one entity with normalized facts (engine/src/values/facts.ts); returns its row. */
  add(entity: Entity): number {
    return this.addFacts(entity.facts, entity.id);
  }

  addFacts(facts: Facts, id?: string): number {
    if (this.n === this.cap) this.growAll();
    const row = this.n++;
    if (id !== undefined) this.hasIds = true;
    this.ids.push(id);
    for (const slot of this.slots) {
      const v = facts[slot.key];
      if (v === undefined || v === null) slot.col.unknown[row >>> 5] |= 1 << (row & 31);
      else this.write(slot, row, v);
    }
    return row;
  }

  private write(slot: Slot, row: number, v: Value): void {
    const col = slot.col;
    if (col.kind === 'num' || col.kind === 'date') {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(slot.key, v, '应为数值', 'must be a number');
      col.values[row] = v;
    } else if (col.kind === 'set') {
      if (!Array.isArray(v)) throw bad(slot.key, v, '应为代码列表', 'must be a list of codes');
      for (const c of v) {
        const bit = slot.index!.get(c);
        if (bit === undefined) throw bad(slot.key, c, '不在代码表中', 'is not a code of the field');
        col.masks[row * col.stride + (bit >>> 5)] |= 1 << (bit & 31);
      }
    } else {
      const s = slot.def.type === 'bool' ? (v === true ? 'true' : v === false ? 'false' : undefined) : typeof v === 'string' ? v : undefined;
      if (s === undefined) throw bad(slot.key, v, `不是 ${slot.def.type} 类型的值`, `is not a ${slot.def.type} value`);
      let code = slot.index!.get(s);
      if (code === undefined) {
        if (slot.def.type !== 'region' && slot.def.type !== 'text') throw bad(slot.key, v, '不在代码表中', 'is not a code of the field');
        code = col.table.length;
        col.table.push(s);
        slot.index!.set(s, code);
      }
      col.codes[row] = code;
    }
  }

  private growAll(): void {
    const cap = this.cap * 2;
    const s = this.shared;
    for (const { col } of this.slots) {
      col.unknown = grow(col.unknown, cap >>> 5, s);
      if (col.kind === 'set') col.masks = grow(col.masks, cap * col.stride, s);
      else if (col.kind === 'dict') col.codes = grow(col.codes, cap, s);
      else col.values = grow(col.values, cap, s);
    }
    this.cap = cap;
  }

  /** The snapshot. Bits past the last row are marked unknown. The builder must not be used after. */
  finish(): Population {
    const n = this.n;
    const columns: Record<string, ColumnData> = {};
    for (const { key, col } of this.slots) {
      for (let r = n; r < ((n + 31) & ~31); r++) col.unknown[r >>> 5] |= 1 << (r & 31);
      columns[key] = col;
    }
    return { size: n, columns, ...(this.hasIds ? { ids: this.ids } : {}) };
  }
}

/** A snapshot of normalized entities (see normalizeFacts). */
export function buildPopulation(dict: Dictionary, entities: Iterable<Entity>, options: PopulationOptions = {}): Population {
  const list = Array.isArray(entities) ? entities : undefined;
  const b = new PopulationBuilder(dict, { capacity: list?.length, ...options });
  for (const e of entities) b.add(e);
  return b.finish();
}

/** Bytes held by the columns (typed arrays and code tables, strings counted at 2 bytes a char). */
export function populationBytes(pop: PopulationData): number {
  let bytes = 0;
  for (const col of Object.values(pop.columns)) {
    bytes += col.unknown.byteLength;
    if (col.kind === 'dict') bytes += col.codes.byteLength + col.table.reduce((s, t) => s + 2 * t.length + 16, 0);
    else if (col.kind === 'set') bytes += col.masks.byteLength;
    else bytes += col.values.byteLength;
  }
  return bytes;
}

/** Reads one fact back (unknown → undefined), in the normalized form of facts.ts. */
export function readFact(dict: Dictionary, pop: PopulationData, field: string, row: number): Value | undefined {
  const col = pop.columns[field];
  if (!col || (col.unknown[row >>> 5] >>> (row & 31)) & 1) return undefined;
  if (col.kind === 'num' || col.kind === 'date') return col.values[row];
  if (col.kind === 'set') {
    const out: string[] = [];
    for (let b = 0; b < col.table.length; b++) if ((col.masks[row * col.stride + (b >>> 5)] >>> (b & 31)) & 1) out.push(col.table[b]);
    return out.sort();
  }
  const s = col.table[col.codes[row]];
  return dict.fields.get(field)?.type === 'bool' ? s === 'true' : s;
}
