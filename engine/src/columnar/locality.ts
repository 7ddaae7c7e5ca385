// Ordering a snapshot by entity kind, then region. Most items are for one kind and one
// county or zone; once neighbours share kind and region, whole blocks (and long runs of
// words inside a block) are all-false for an item and the evaluator skips them.
import { ENTITY_KIND_FIELD } from '../dictionary/types.ts';
import type { ColumnData, Population } from './population.ts';

function sharedLike<T extends Float64Array | Int32Array | Uint16Array | Uint32Array>(a: T, n: number): T {
  const C = a.constructor as unknown as { new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number };
  const bytes = Math.max(n, 1) * C.BYTES_PER_ELEMENT;
  return new C(a.buffer instanceof SharedArrayBuffer ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

function permuteBits(bits: Uint32Array, order: Uint32Array, size: number): Uint32Array {
  const out = sharedLike(bits, bits.length);
  for (let r = 0; r < size; r++) {
    const s = order[r];
    out[r >>> 5] |= ((bits[s >>> 5] >>> (s & 31)) & 1) << (r & 31);
  }
  for (let r = size; r < out.length * 32; r++) out[r >>> 5] |= 1 << (r & 31);
  return out;
}

function permuteColumn(col: ColumnData, order: Uint32Array, size: number): ColumnData {
  const unknown = permuteBits(col.unknown, order, size);
  if (col.kind === 'set') {
    const masks = sharedLike(col.masks, size * col.stride);
    for (let r = 0; r < size; r++) for (let k = 0; k < col.stride; k++) masks[r * col.stride + k] = col.masks[order[r] * col.stride + k];
    return { ...col, masks, unknown };
  }
  if (col.kind === 'dict') {
    const codes = sharedLike(col.codes, size);
    for (let r = 0; r < size; r++) codes[r] = col.codes[order[r]];
    return { ...col, codes, unknown };
  }
  if (col.kind === 'num') {
    const values = sharedLike(col.values, size);
    for (let r = 0; r < size; r++) values[r] = col.values[order[r]];
    return { ...col, values, unknown };
  }
  const values = sharedLike(col.values, size);
  for (let r = 0; r < size; r++) values[r] = col.values[order[r]];
  return { ...col, values, unknown };
}

/**
 * A copy of the population ordered by entity kind, then by region code (so that a
 * county's towns are neighbours). `sourceRow` maps each new row back to the row it had.
 */
export function sortForLocality(pop: Population, regionField = 'region'): Population {
  const n = pop.size;
  const kind = pop.columns[ENTITY_KIND_FIELD];
  const region = pop.columns[regionField];
  const kinds = kind && kind.kind === 'dict' ? kind.table.length + 1 : 1;
  let regionRank: Int32Array | undefined;
  let regions = 1;
  if (region && region.kind === 'dict') {
    const sorted = region.table.map((code, i) => [code, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    regionRank = new Int32Array(region.table.length);
    sorted.forEach(([, i], rank) => (regionRank![i] = rank));
    regions = region.table.length + 1;
  }
  const keyOf = (r: number): number => {
    const k = kind && kind.kind === 'dict' && !((kind.unknown[r >>> 5] >>> (r & 31)) & 1) ? kind.codes[r] : kinds - 1;
    const g =
      regionRank && region!.kind === 'dict' && !((region!.unknown[r >>> 5] >>> (r & 31)) & 1) ? regionRank[region!.codes[r]] : regions - 1;
    return k * regions + g;
  };
  // Counting sort: keys are small and the order must be stable.
  const counts = new Uint32Array(kinds * regions + 1);
  const keys = new Uint32Array(n);
  for (let r = 0; r < n; r++) counts[(keys[r] = keyOf(r)) + 1]++;
  for (let k = 1; k < counts.length; k++) counts[k] += counts[k - 1];
  const order = new Uint32Array(n);
  for (let r = 0; r < n; r++) order[counts[keys[r]]++] = r;

  const columns: Record<string, ColumnData> = {};
  for (const [key, col] of Object.entries(pop.columns)) columns[key] = permuteColumn(col, order, n);
  const sourceRow = new Uint32Array(n);
  for (let r = 0; r < n; r++) sourceRow[r] = pop.sourceRow ? pop.sourceRow[order[r]] : order[r];
  return {
    size: n,
    columns,
    sourceRow,
    ...(pop.ids ? { ids: Array.from(order, (s) => pop.ids![s]) } : {}),
  };
}
