// The published catalogue as the matching reads it: the item versions in force (now, or on
// a past date for replays), each with a compiled CatalogueMatcher per evaluation day. A
// process keeps one and reloads it when the catalogue epoch — how many versions are in
// force and the newest publication — changes; reading the epoch is one index-only query.
import { CatalogueMatcher, type Dictionary, type PolicyItem } from '@kx/engine';
import type { Queryable } from '../../db/db.ts';

export interface CatalogueEntry {
  item: PolicyItem;
  department: string;
}

/** The items in force (one version each) and their compiled matchers. */
export class Catalogue {
  readonly items: PolicyItem[];
  readonly departments: string[];
  /** Item id → position in `items`. */
  readonly index: Map<string, number>;
  /** Items left out because they do not compile (never expected: publication validates). */
  readonly broken: string[] = [];
  private readonly matchers = new Map<number, CatalogueMatcher>();
  private readonly scopeMemo = new Map<string, boolean>();

  constructor(
    private readonly dict: Dictionary,
    entries: CatalogueEntry[],
    readonly epoch: string,
  ) {
    this.items = entries.map((e) => e.item);
    this.departments = entries.map((e) => e.department);
    this.index = new Map(this.items.map((it, i) => [it.id, i]));
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * May the region lie in item i's scope (memoised per scope and region)? True also where it
   * only overlaps the scope (东昌府区 and a 高新区 item): the item may be the entity's, so it is
   * listed among the entity's items, never left out as another region's.
   */
  inScope(i: number, region: string): boolean {
    const scope = this.items[i].region_scope;
    if (!scope.length) return true;
    const key = `${scope.join(',')}|${region}`;
    let hit = this.scopeMemo.get(key);
    if (hit === undefined) {
      hit = scope.some((r) => this.dict.regions.overlaps(r, region));
      if (this.scopeMemo.size < 200_000) this.scopeMemo.set(key, hit);
    }
    return hit;
  }

  /** Verdict codes (0 F, 1 T, 2 U) of every item on the day, through one compiled matcher per day. */
  matcher(day: number): CatalogueMatcher {
    let m = this.matchers.get(day);
    if (!m) {
      m = this.compile(day);
      if (this.matchers.size >= 4) this.matchers.delete(this.matchers.keys().next().value!);
      this.matchers.set(day, m);
    }
    return m;
  }

  private compile(day: number): CatalogueMatcher {
    try {
      return new CatalogueMatcher(this.items, this.dict, day);
    } catch {
      // One bad body must not stop matching for all: leave it out (as never in force).
      const ok = this.items.map((it) => {
        try {
          new CatalogueMatcher([it], this.dict, day);
          return it;
        } catch {
          if (!this.broken.includes(it.id)) this.broken.push(it.id);
          return { ...it, valid_from: '2200-12-31', valid_to: '2200-12-31' };
        }
      });
      return new CatalogueMatcher(ok, this.dict, day);
    }
  }
}

/** The catalogue epoch as an SQL expression, to fold into another query. */
// A counter that migration 050's triggers bump with any change to a published version: one
// primary-key read (it was a count over item_versions, ≈ 3 ms per request).
export const EPOCH_EXPR = `coalesce((SELECT s.value::text FROM settings s WHERE s.key = 'catalogue_epoch'), '0')`;

export async function catalogueEpoch(q: Queryable): Promise<string> {
  return (await q.query<{ epoch: string }>(`SELECT ${EPOCH_EXPR} AS epoch`)).rows[0].epoch;
}

interface VersionRow {
  item_id: string;
  version: number;
  body: PolicyItem;
  department: string;
}

const asItem = (r: VersionRow): CatalogueEntry => ({ item: { ...r.body, id: r.item_id, version: Number(r.version) }, department: r.department });

/** The versions in force now. */
export async function loadCurrent(q: Queryable, dict: Dictionary): Promise<Catalogue> {
  const epoch = await catalogueEpoch(q);
  const r = await q.query<VersionRow>(
    `SELECT v.item_id, v.version, v.body, i.department FROM item_versions v JOIN items i ON i.id = v.item_id
      WHERE v.status = 'published' ORDER BY v.item_id, v.version`,
  );
  // At most one version of an item is published; should two be, the newer is in force.
  const latest = new Map<string, VersionRow>();
  for (const row of r.rows) latest.set(row.item_id, row);
  return new Catalogue(dict, [...latest.values()].map(asItem), epoch);
}

/**
 * The versions in force at the end of a past day (UTC, as ctx.today()): published by then,
 * and not superseded, withdrawn or expired by then.
 */
export async function loadAsOf(q: Queryable, dict: Dictionary, date: string, epoch: string): Promise<Catalogue> {
  const r = await q.query<VersionRow>(
    `SELECT DISTINCT ON (v.item_id) v.item_id, v.version, v.body, i.department FROM item_versions v JOIN items i ON i.id = v.item_id
      WHERE v.published_at IS NOT NULL AND v.published_at < (($1::date + 1)::timestamp AT TIME ZONE 'UTC')
        AND (v.ended_at IS NULL OR v.ended_at >= (($1::date + 1)::timestamp AT TIME ZONE 'UTC'))
        AND v.status IN ('published', 'superseded', 'expired', 'withdrawn')
      ORDER BY v.item_id, v.version DESC`,
    [date],
  );
  return new Catalogue(dict, r.rows.map(asItem), `${date}|${epoch}`);
}

/** One per process: the current catalogue, reloaded on a new epoch, and a few past days. */
export class CatalogueCache {
  private current?: Catalogue;
  private loading?: Promise<Catalogue>;
  private readonly past = new Map<string, Catalogue>();

  constructor(private readonly dict: Dictionary) {}

  /** The catalogue in force; pass the epoch when the caller already read it. */
  async get(q: Queryable, epoch?: string): Promise<Catalogue> {
    const want = epoch ?? (await catalogueEpoch(q));
    if (this.current?.epoch === want) return this.current;
    // One reload at a time; callers that arrive meanwhile share it.
    this.loading ??= loadCurrent(q, this.dict).finally(() => (this.loading = undefined));
    const c = await this.loading;
    if (!this.current || c.epoch !== this.current.epoch) this.current = c;
    return c;
  }

  async asOf(q: Queryable, date: string): Promise<Catalogue> {
    const epoch = await catalogueEpoch(q);
    const key = `${date}|${epoch}`;
    let c = this.past.get(key);
    if (!c) {
      c = await loadAsOf(q, this.dict, date, epoch);
      if (this.past.size >= 8) this.past.delete(this.past.keys().next().value!);
      this.past.set(key, c);
    }
    return c;
  }

  /** Forget the current catalogue (after a publication this process handled itself). */
  invalidate(): void {
    this.current = undefined;
  }
}
