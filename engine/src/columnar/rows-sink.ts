// A sink module for worker threads (`{ module: ROWS_SINK }`): the eligible and the
// undetermined rows of every item, as sorted lists. For small populations, tests and
// previews; a city-wide run should count or stream instead.
import type { SinkInfo } from './parallel.ts';
import type { ColumnarSink } from './sinks.ts';

export const ROWS_SINK = new URL('./rows-sink.ts', import.meta.url).href;

export interface ItemRows {
  eligible: number[];
  undetermined: number[];
}

export function createSink(_options: unknown, info: SinkInfo): ColumnarSink & { finish(): ItemRows[] } {
  const out: ItemRows[] = Array.from({ length: info.items }, () => ({ eligible: [], undetermined: [] }));
  const push = (list: number[], start: number, bits: Int32Array, lo: number, hi: number) => {
    for (let w = lo; w < hi; w++) {
      let x = bits[w];
      while (x !== 0) {
        const low = x & -x;
        list.push(start + w * 32 + 31 - Math.clz32(low));
        x ^= low;
      }
    }
  };
  return {
    onBlock(item, start, t, u, lo, hi) {
      push(out[item].eligible, start, t, lo, hi);
      push(out[item].undetermined, start, u, lo, hi);
    },
    finish: () => out,
  };
}

/** One list per item across threads (each thread saw other blocks), sorted. */
export function merge(parts: ItemRows[][], info: SinkInfo): ItemRows[] {
  return Array.from({ length: info.items }, (_, i) => ({
    eligible: parts.flatMap((p) => p[i].eligible).sort((a, b) => a - b),
    undetermined: parts.flatMap((p) => p[i].undetermined).sort((a, b) => a - b),
  }));
}
