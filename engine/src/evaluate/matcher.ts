// All items for one entity, fast: "what am I entitled to" must answer in well under a
// millisecond for a catalogue of thousands of items. Most items cannot apply to a given
// entity — wrong audience, or another county's region scope — so items are grouped by
// (audience, region scope) and a whole group is decided by one memoised region test
// before any eligibility closure runs. The result is exactly the effective rule
// `entity_kind = audience and region within scope and eligibility` under Kleene logic.
import { withinCode } from '../dictionary/dictionary.ts';
import type { Dictionary } from '../dictionary/types.ts';
import type { PolicyItem } from '../policy/types.ts';
import type { Entity } from '../values/facts.ts';
import { compileBool, F, T, U, type BoolFn, type TriCode } from './compile.ts';
import { inValidity, itemContext } from './item.ts';

interface Group {
  audience: string;
  scope: string[];
  items: number[];
  rules: BoolFn[];
  /** region code → within scope? */
  memo: Map<string, TriCode>;
}

export class CatalogueMatcher {
  readonly size: number;
  private readonly groups: Group[] = [];

  constructor(
    items: readonly PolicyItem[],
    private readonly dict: Dictionary,
    day: number,
  ) {
    this.size = items.length;
    const byKey = new Map<string, Group>();
    items.forEach((item, i) => {
      if (!inValidity(item, day)) return; // stays F
      const scope = [...item.region_scope].sort();
      const key = `${item.audience}|${scope.join(',')}`;
      let g = byKey.get(key);
      if (!g) byKey.set(key, (g = { audience: item.audience, scope, items: [], rules: [], memo: new Map() }));
      g.items.push(i);
      g.rules.push(compileBool(item.eligibility, itemContext(item, dict, day)));
    });
    this.groups = [...byKey.values()];
  }

  private inScope(g: Group, region: string | undefined): TriCode {
    if (g.scope.length === 0) return T;
    if (region === undefined) return U;
    let hit = g.memo.get(region);
    if (hit === undefined) {
      hit = withinCode(this.dict.regions, g.scope, region);
      if (g.memo.size < 100_000) g.memo.set(region, hit);
    }
    return hit;
  }

  /** Verdict codes (0 F, 1 T, 2 U) of every item, in catalogue order. */
  evaluate(entity: Entity, out: Uint8Array = new Uint8Array(this.size)): Uint8Array {
    out.fill(F);
    const facts = entity.facts.entity_kind === entity.kind ? entity.facts : { ...entity.facts, entity_kind: entity.kind };
    const region = facts.region as string | undefined;
    for (const g of this.groups) {
      if (g.audience !== entity.kind) continue;
      const scope = this.inScope(g, region);
      if (scope === F) continue;
      for (let k = 0; k < g.items.length; k++) {
        const r = g.rules[k](facts);
        out[g.items[k]] = scope === T ? r : r === F ? F : U;
      }
    }
    return out;
  }
}
