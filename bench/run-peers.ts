// Runs the peer engines on the benchmark's bound rules and a sample of entities, and
// reports ns per decision, how many items each could express, and how often each agrees
// with our verdict where ours is decided (T or F; peers have no "unknown").
import { performance } from 'node:perf_hooks';
import jsonLogic from 'json-logic-js';
import { LogicEngine } from 'json-logic-engine';
import { Engine } from 'json-rules-engine';
import { ZenEngine } from '@gorules/zen-engine';
import type { Dictionary, Entity, Expr, PolicyItem, Tri } from '../engine/src/index.ts';
import { datesToThresholds, JRE_OPERATORS, toJsonLogic, toJsonRulesEngine, toZen, Untranslatable, zenGraph, type ZoneMembers } from './peers.ts';

export interface PeerResult {
  ns_per_decision: number;
  items: number;
  agree_pct: number;
}

interface PeerInput {
  dict: Dictionary;
  items: PolicyItem[];
  bound: Expr[];
  live: boolean[];
  entities: Entity[];
  ours: Tri[][];
  day: number;
  log: (s: string) => void;
}

/** Facts as a peer sees them: plain JSON values, dates as day numbers, unknown = absent. */
function plainFacts(e: Entity): Record<string, unknown> {
  return { ...e.facts, entity_kind: e.kind };
}

/** A peer that throws on missing data (json-logic-engine does, on null operands) answers false. */
let thrown = 0;
function guarded(fn: () => unknown): boolean {
  try {
    return Boolean(fn());
  } catch {
    thrown++;
    return false;
  }
}

function translate<T>(exprs: { i: number; e: Expr }[], fn: (e: Expr) => T): { i: number; rule: T }[] {
  const out: { i: number; rule: T }[] = [];
  for (const { i, e } of exprs) {
    try {
      out.push({ i, rule: fn(e) });
    } catch (err) {
      if (!(err instanceof Untranslatable)) throw err;
    }
  }
  return out;
}

export async function runPeers(input: PeerInput): Promise<Record<string, PeerResult>> {
  const { dict, entities, ours, log } = input;
  const zoneMap = new Map(dict.regions.zones().map((z) => [z.code, z.members]));
  const zones: ZoneMembers = (c) => zoneMap.get(c);
  const exprs: { i: number; e: Expr }[] = [];
  input.bound.forEach((b, i) => {
    if (!input.live[i]) return;
    try {
      exprs.push({ i, e: datesToThresholds(b, input.day) });
    } catch (err) {
      if (!(err instanceof Untranslatable)) throw err;
    }
  });
  const facts = entities.map(plainFacts);
  const results: Record<string, PeerResult> = {};

  const score = (name: string, n: number, elapsedMs: number, verdicts: boolean[][], idx: number[]) => {
    let agree = 0;
    let decided = 0;
    verdicts.forEach((row, e) =>
      row.forEach((v, k) => {
        const o = ours[e][idx[k]];
        if (o === 'U') return;
        decided++;
        if ((o === 'T') === v) agree++;
      }),
    );
    results[name] = { ns_per_decision: (elapsedMs * 1e6) / (n * entities.length), items: n, agree_pct: Number(((100 * agree) / Math.max(1, decided)).toFixed(1)) };
    log(`  ${name}: ${n} items translated, ${results[name].ns_per_decision.toFixed(1)} ns/decision, agrees on ${results[name].agree_pct}% of decided verdicts`);
  };

  // json-logic-js: apply() per rule and entity, as its README shows.
  {
    const rules = translate(exprs, (e) => toJsonLogic(e, zones));
    const out: boolean[][] = [];
    for (const f of facts.slice(0, 20)) rules.forEach((r) => guarded(() => jsonLogic.apply(r.rule as never, f))); // warm-up
    thrown = 0;
    const s = performance.now();
    for (const f of facts) out.push(rules.map((r) => guarded(() => jsonLogic.apply(r.rule as never, f))));
    score('json-logic-js', rules.length, performance.now() - s, out, rules.map((r) => r.i));
    if (thrown) log(`    (json-logic-js threw on ${thrown} decisions: missing data; counted as false)`);
    thrown = 0;
  }
  // json-logic-engine, compiled mode: build() once per rule.
  {
    const engine = new LogicEngine();
    const rules = translate(exprs, (e) => toJsonLogic(e, zones)).map((r) => ({ i: r.i, fn: engine.build(r.rule as never) as (d: unknown) => unknown }));
    const out: boolean[][] = [];
    for (const f of facts.slice(0, 20)) rules.forEach((r) => guarded(() => r.fn(f))); // warm-up
    thrown = 0;
    const s = performance.now();
    for (const f of facts) out.push(rules.map((r) => guarded(() => r.fn(f))));
    score('json-logic-engine (compiled)', rules.length, performance.now() - s, out, rules.map((r) => r.i));
    if (thrown) log(`    (json-logic-engine threw on ${thrown} of ${rules.length * facts.length} decisions: missing data; counted as false)`);
  }
  // json-rules-engine: one engine holding every rule, run once per entity.
  {
    const rules = translate(exprs, (e) => toJsonRulesEngine(e, zones));
    const engine = new Engine([], { allowUndefinedFacts: true });
    for (const [name, fn] of JRE_OPERATORS) engine.addOperator(name, fn as never);
    rules.forEach((r, k) => engine.addRule({ conditions: (r.rule && 'all' in r.rule ? r.rule : { all: [r.rule] }) as never, event: { type: String(k) } }));
    const out: boolean[][] = [];
    for (const f of facts.slice(0, 5)) await engine.run(f); // warm-up
    const s = performance.now();
    for (const f of facts) {
      const { events } = await engine.run(f);
      const hit = new Set(events.map((ev) => Number(ev.type)));
      out.push(rules.map((_, k) => hit.has(k)));
    }
    score('json-rules-engine', rules.length, performance.now() - s, out, rules.map((r) => r.i));
  }
  // GoRules ZEN: one JDM decision with an expression node computing every item.
  {
    const rules = translate(exprs, (e) => toZen(e, zones));
    const zen = new ZenEngine();
    const decision = zen.createDecision(zenGraph(rules.map((r, k) => ({ key: `i${k}`, value: r.rule }))));
    const out: boolean[][] = [];
    let failures = 0;
    for (const f of facts.slice(0, 5)) await decision.safeEvaluate(f); // warm-up
    const s = performance.now();
    for (const f of facts) {
      const res = await decision.safeEvaluate(f);
      if (!res.success) {
        failures++;
        out.push(rules.map(() => false));
        continue;
      }
      const r = res.data.result as Record<string, unknown>;
      out.push(rules.map((_, k) => r[`i${k}`] === true));
    }
    score('@gorules/zen-engine', rules.length, performance.now() - s, out, rules.map((r) => r.i));
    if (failures) log(`    (ZEN failed on ${failures} of ${facts.length} entities)`);
    zen.dispose();
  }
  return results;
}
