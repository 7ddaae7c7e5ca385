// What a process keeps between requests and jobs: the catalogue, the eligible sets the entity
// jobs diff against, and (in workers) the warm snapshot and the worker-thread pool. One per
// context, so tests with several databases in one process never share it.
import { bindRule, effectiveRule, fieldsOf, parseDate, resolveParams, type ColumnarPool, type Dictionary, type PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { compact, decodeBits, type CompactSet } from './bitset.ts';
import { restoreSnapshot, saveSnapshot, type SaveResult } from './cache.ts';
import { CatalogueCache } from './catalogue.ts';
import { latestSets } from './sets.ts';
import { Snapshot, type LoadOptions } from './snapshot.ts';

/** The fields an item reads on a day, its amount included (parameters bound). */
export function itemFields(item: PolicyItem, day: number): string[] {
  const params = resolveParams(item.params, day);
  const out = fieldsOf(bindRule(effectiveRule(item), params, day));
  if (item.amount) fieldsOf(bindRule(item.amount, params, day), out);
  return out;
}

/**
 * A warm snapshot holds every non-text field, so that a draft reading a field no published
 * item reads yet needs no reload; text fields (names, numbers) only when some rule reads them.
 */
export function snapshotFields(dict: Dictionary, items: readonly PolicyItem[], day: number, extra: readonly string[] = []): string[] {
  const out = new Set<string>(['region', 'industry_section', ...extra]);
  for (const f of dict.fields.values()) if (f.type !== 'text') out.add(f.key);
  for (const it of items) {
    try {
      for (const f of itemFields(it, day)) out.add(f);
    } catch {
      // a body that does not bind is left out of matching by the catalogue as well
    }
  }
  return [...out].filter((f) => dict.fields.has(f)).sort();
}

interface Baseline {
  version: number;
  computedAt: number;
  eligible: CompactSet;
}

/** The newest eligible set of each item, for the entity jobs' "was it eligible before?". */
export class BaselineCache {
  private sets = new Map<string, Baseline | null>();
  /** Whether every stored set of this epoch has been loaded (a miss is then an item without one yet). */
  private complete = false;
  private epoch: string | null | undefined;

  /** Drops everything when some set was written since (the sets epoch moved). */
  sync(epoch: string | null): void {
    if (epoch !== this.epoch) {
      this.sets.clear();
      this.complete = false;
      this.epoch = epoch;
    }
  }

  /**
   * The sets are small (5 MB for 2,729 items at 1,000,000 entities), so the first miss after the
   * epoch moved loads them all in one query: otherwise each of the next jobs would wait for a
   * round trip and a decode of the few sets it touches first (the p99 of profile updates).
   */
  async get(q: Queryable, itemIds: readonly string[]): Promise<Map<string, Baseline | null>> {
    if (itemIds.some((id) => !this.sets.has(id))) {
      const found = await latestSets(q, this.complete ? itemIds.filter((id) => !this.sets.has(id)) : 'all', 'eligible');
      for (const [id, s] of found) this.sets.set(id, { version: s.version, computedAt: s.computedAt.getTime(), eligible: compact(await decodeBits(s.blob)) });
      this.complete = true;
      for (const id of itemIds) if (!this.sets.has(id)) this.sets.set(id, null);
    }
    return new Map(itemIds.map((id) => [id, this.sets.get(id) ?? null]));
  }

  get size(): number {
    return this.sets.size;
  }
}

export class MatchingState {
  readonly catalogue: CatalogueCache;
  readonly baseline = new BaselineCache();
  snapshot?: Snapshot;
  /** Worker threads for batch evaluation; absent in API processes (one thread is enough there). */
  pool?: ColumnarPool;
  private loading?: Promise<Snapshot | undefined>;
  /** The persisting of the last snapshot loaded from entities (in the background). */
  private saving?: Promise<SaveResult | undefined>;

  constructor(private readonly ctx: Ctx) {
    this.catalogue = new CatalogueCache(ctx.dict);
  }

  /**
   * The warm snapshot, caught up; when there is none, the persisted one (caught up); else,
   * or when it lacks a field, loaded from entities.
   */
  async warmSnapshot(need: readonly string[] = [], opts: LoadOptions = {}): Promise<Snapshot> {
    if (this.loading) await this.loading.catch(() => undefined);
    const snap = this.snapshot;
    if (snap && snap.has(need)) {
      await snap.catchUp(this.ctx.db);
      return snap;
    }
    if (!snap) {
      const restored = await this.restore(need);
      if (restored) return restored;
    }
    return this.reload(need, opts);
  }

  private async fieldsFor(need: readonly string[]): Promise<string[]> {
    const cat = await this.catalogue.get(this.ctx.db);
    return snapshotFields(this.ctx.dict, cat.items, dayOf(this.ctx.today()), [...need, ...(this.snapshot?.fields ?? [])]);
  }

  /** Why the last restore found no usable persisted snapshot. */
  restoreSkipped?: string;

  /** The persisted snapshot (cache.ts), caught up, as the warm one; undefined when there is none usable. */
  async restore(need: readonly string[] = []): Promise<Snapshot | undefined> {
    const run = async () => {
      const r = await restoreSnapshot(this.ctx, await this.fieldsFor(need));
      if (!('snapshot' in r)) {
        this.restoreSkipped = r.skipped;
        return undefined;
      }
      await r.snapshot.catchUp(this.ctx.db);
      return r.snapshot;
    };
    this.loading = run();
    try {
      const snap = await this.loading;
      if (snap) this.snapshot = snap;
      return snap;
    } finally {
      this.loading = undefined;
    }
  }

  /** Waits for the background save of the snapshot, if one is under way; its figures. */
  async saved(): Promise<SaveResult | undefined> {
    return this.saving;
  }

  /** A fresh snapshot from the database (a full run, or a field the warm one lacks). */
  async reload(need: readonly string[] = [], opts: LoadOptions = {}): Promise<Snapshot> {
    const run = async () => Snapshot.load(this.ctx, await this.fieldsFor(need), opts);
    const loading = run();
    this.loading = loading;
    try {
      const snap = await loading;
      this.snapshot = snap;
      // Persisted for the next process that starts without one; a failed save only costs
      // that process a load from entities.
      const previous = this.saving ?? Promise.resolve(undefined);
      this.saving = previous.then(() => saveSnapshot(this.ctx, snap)).catch(() => undefined);
      return snap;
    } finally {
      this.loading = undefined;
    }
  }
}

const states = new WeakMap<Ctx, MatchingState>();

export function matchingState(ctx: Ctx): MatchingState {
  let s = states.get(ctx);
  if (!s) states.set(ctx, (s = new MatchingState(ctx)));
  return s;
}

export function dayOf(date: string): number {
  const d = parseDate(date);
  if (d === undefined) throw new Error(`日期 "${date}" 无效 / invalid date "${date}"`);
  return d;
}
