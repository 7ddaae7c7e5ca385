// The synthetic city: residents first, then market entities. Profile k is a pure function
// of (seed, as-of date, k) — nothing depends on other profiles or on how many were asked
// for — so a run can be split across workers by index range and every part is the same
// bytes as in a single run. Used by `kx generate population`, the benchmarks and the server.
// Every figure the city is drawn from, and where it comes from, is in distributions.ts.
import { normalizeFacts, type Dictionary, type Entity, type EntityKind } from '@kx/engine';
import { createContext, DEFAULT_AS_OF, type GenContext } from './context.ts';
import { enterpriseFacts, enterpriseId } from './enterprises.ts';
import { personFacts, personId } from './people.ts';
import { SLOT_SPACE } from './slots.ts';

export interface PopulationOptions {
  people: number;
  enterprises: number;
  /** Integer or any text (hashed). */
  seed: number | string;
  /** Date the facts describe (ages, years since registration); default 2025-07-01. */
  asOf?: string;
  /**
   * Leave facts missing as the city's data would (default true). False gives every source
   * system's full answer — what the population looks like with no data gaps at all.
   */
  gaps?: boolean;
}

/** One profile as written to files: JSON facts as normalizeFacts accepts them. */
export interface Profile {
  id: string;
  kind: EntityKind;
  facts: Record<string, unknown>;
}

export class Population {
  readonly ctx: GenContext;
  readonly people: number;
  readonly enterprises: number;
  readonly size: number;

  constructor(opts: PopulationOptions) {
    for (const [name, n, max] of [['people', opts.people, SLOT_SPACE], ['enterprises', opts.enterprises, 2 ** 31]] as const)
      if (!Number.isSafeInteger(n) || n < 0 || n > max)
        throw new Error(`${name === 'people' ? '人口数' : '企业数'}应为 0 到 ${max} 的整数，实际为 ${n} / ${name} must be an integer from 0 to ${max}, got ${n}`);
    this.ctx = createContext(opts.seed, opts.asOf ?? DEFAULT_AS_OF, opts.gaps ?? true);
    this.people = opts.people;
    this.enterprises = opts.enterprises;
    this.size = opts.people + opts.enterprises;
  }

  /** Profile k: person k for k < people, else enterprise k − people. */
  profile(k: number): Profile {
    if (!Number.isInteger(k) || k < 0 || k >= this.size)
      throw new Error(`档案序号应为 0 到 ${this.size - 1}，实际为 ${k} / profile index must be 0..${this.size - 1}, got ${k}`);
    if (k < this.people) return { id: personId(k), kind: 'person', facts: personFacts(this.ctx, k) };
    const j = k - this.people;
    return { id: enterpriseId(j), kind: 'enterprise', facts: enterpriseFacts(this.ctx, j) };
  }

  /** Profiles from..to−1, in order; holds one profile at a time. */
  *profiles(from = 0, to = this.size): Generator<Profile> {
    for (let k = Math.max(0, from); k < Math.min(to, this.size); k++) yield this.profile(k);
  }
}

export function createPopulation(opts: PopulationOptions): Population {
  return new Population(opts);
}

/**
 * The population as normalized entities, in memory, for benchmarks and tests. Facts that
 * fail normalization would be a generator bug, so they throw rather than pass silently.
 */
export function generateEntities(dict: Dictionary, opts: PopulationOptions): Entity[] {
  const pop = new Population(opts);
  const out: Entity[] = new Array(pop.size);
  for (let k = 0; k < pop.size; k++) {
    const p = pop.profile(k);
    const { entity, errors } = normalizeFacts(dict, p.kind, p.facts);
    if (errors.length)
      throw new Error(`生成的档案 ${p.id} 不符合字段字典：${errors.map((e) => e.message).join('；')} / generated profile ${p.id} fails the dictionary`);
    out[k] = { ...entity, id: p.id };
  }
  return out;
}
