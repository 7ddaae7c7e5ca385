// npm run bench:engine — the engine at city scale, side by side with peer engines.
//
//   BENCH_ENTITIES (default 1,000,000)  population size (92% residents, 8% market entities)
//   BENCH_ITEMS    (default 2,728)      catalogue size, grown from the demo catalogue
//   BENCH_RUNS     (default 5)          timed runs of the batch (median reported)
//   BENCH_PEER_SAMPLE (default 200)     entities given to each peer engine
//
// Workload: `kx generate catalogue` and `kx generate population` in-process (same seeds).
// First it checks that our evaluators agree (interpreter, compiled, columnar, SQL on
// PGlite) on a sample; then it times them; then the peers on the same bound rules.
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import {
  bindRule,
  compileBool,
  compileCatalogue,
  ColumnarPool,
  columnarVerdicts,
  buildPopulation,
  CatalogueMatcher,
  effectiveRule,
  evalBool,
  evaluateColumnar,
  evaluateItem,
  inValidity,
  itemContext,
  normalizeFacts,
  parseDate,
  PopulationBuilder,
  planFields,
  sortForLocality,
  type BoolFn,
  type Entity,
  type Expr,
  type PolicyItem,
} from '../engine/src/index.ts';
import { createPopulation, generateCatalogue, liaochengDictionary, loadCatalogue } from '../data/src/index.ts';
import { runPeers } from './run-peers.ts';
import { sqlAgreement } from './sql-agreement.ts';

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const ENTITIES = env('BENCH_ENTITIES', 1_000_000);
const ITEMS = env('BENCH_ITEMS', 2728);
const RUNS = env('BENCH_RUNS', 5);
const PEER_SAMPLE = env('BENCH_PEER_SAMPLE', 200);
const THREADS = Math.min(2, cpus().length);
const DATE = '2025-06-30';
const day = parseDate(DATE)!;

const log = (s: string) => process.stderr.write(s + '\n');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const rssTimer = setInterval(sampleRss, 50);

// ── workload ────────────────────────────────────────────────────────────────────────────
const dict = liaochengDictionary();
const templates = loadCatalogue('data/policies', dict);
if (templates.errors.length) throw new Error(templates.errors.map((e) => e.message).join('\n'));
let t0 = performance.now();
const cat = generateCatalogue({ documents: templates.documents }, { items: ITEMS, documents: Math.max(1, Math.round((ITEMS * 1394) / 2728)), seed: 1, dict });
const items: PolicyItem[] = cat.items;
log(`catalogue: ${items.length} items in ${cat.documents.length} documents (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

// The worker pool warms up while the snapshot is built.
const pool = await ColumnarPool.create(THREADS, { warmUp: true });
t0 = performance.now();
const plan = compileCatalogue(dict, items, day);
const compileMs = performance.now() - t0;
log(`columnar plan: ${compileMs.toFixed(0)} ms; ${JSON.stringify(plan.stats)}`);

t0 = performance.now();
const enterprises = Math.round(ENTITIES * 0.08);
const gen = createPopulation({ people: ENTITIES - enterprises, enterprises, seed: 1 });
// The snapshot holds only the fields the catalogue reads, as the platform's loader does.
const builder = new PopulationBuilder(dict, { capacity: ENTITIES, fields: planFields(plan) });
const sampleEvery = Math.max(1, Math.floor(ENTITIES / 2000));
const sample: Entity[] = [];
for (let k = 0; k < gen.size; k++) {
  const p = gen.profile(k);
  // Generated facts are already valid JSON facts; normalizing them is part of the load.
  const entity = normalize(p.kind, p.facts, p.id);
  builder.add(entity);
  if (k % sampleEvery === 0) sample.push(entity);
  if (k % 200_000 === 0 && k) log(`  population ${k.toLocaleString()} / ${gen.size.toLocaleString()}`);
}
const pop = sortForLocality(builder.finish());
log(`population: ${gen.size.toLocaleString()} entities loaded into columns in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

function normalize(kind: 'person' | 'enterprise', facts: Record<string, unknown>, id: string): Entity {
  const { entity, errors } = normalizeFacts(dict, kind, facts);
  if (errors.length) throw new Error(`generated profile ${id} fails the dictionary: ${errors[0].message}`);
  return { ...entity, id };
}

// ── compiled rules, bound to the date ──────────────────────────────────────────────────────
const live = items.map((it) => inValidity(it, day));
// Items outside their validity on the date are ineligible without evaluation (their
// parameters may have no value in force then); every evaluator treats them so.
const FALSE_RULE: Expr = { op: 'lit', value: false };
const contexts = items.map((it, i) => (live[i] ? itemContext(it, dict, day) : { dict, day, params: new Map() }));
const rules: Expr[] = items.map((it, i) => (live[i] ? effectiveRule(it) : FALSE_RULE));
const bound: Expr[] = items.map((_, i) => bindRule(rules[i], contexts[i].params, day));
const compiled: BoolFn[] = items.map((_, i) => compileBool(rules[i], contexts[i]));
const TRI = ['F', 'T', 'U'] as const;

// ── 1. agreement on a sample ───────────────────────────────────────────────────────────────
t0 = performance.now();
const samplePop = buildPopulation(dict, sample, { shared: false });
const cv = columnarVerdicts(plan, samplePop);
let checked = 0;
let disagreements = 0;
for (let e = 0; e < sample.length; e++) {
  const facts = { ...sample[e].facts, entity_kind: sample[e].kind };
  for (let i = 0; i < items.length; i++) {
    const a = live[i] ? evalBool(rules[i], facts, contexts[i]) : 'F';
    const b = live[i] ? TRI[compiled[i](facts)] : 'F';
    const c = ({ eligible: 'T', ineligible: 'F', undetermined: 'U' } as const)[cv.verdict(i, e)];
    checked++;
    if (a !== b || a !== c) {
      if (disagreements < 5) log(`  DISAGREE item ${items[i].id} entity ${sample[e].id}: interpreter ${a}, compiled ${b}, columnar ${c}`);
      disagreements++;
    }
  }
}
const sql = await sqlAgreement(dict, items.slice(0, 60), sample.slice(0, 500), day, contexts, rules);
log(`agreement: ${checked.toLocaleString()} decisions × 3 evaluators, ${disagreements} disagreements; SQL ${sql.checked.toLocaleString()} decisions, ${sql.disagreements} disagreements (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
if (disagreements || sql.disagreements) process.exitCode = 1;

// ── 2. columnar batch: all items × all entities on both cores ─────────────────────────────
const times: number[] = [];
let eligibleTotal = 0;
for (let r = 0; r < RUNS + 1; r++) {
  const s = performance.now();
  const counts = await evaluateColumnar(plan, pop, { pool, threads: THREADS });
  const dt = performance.now() - s;
  sampleRss();
  if (r > 0) times.push(dt); // the first run warms the workers up
  eligibleTotal = counts.eligible.reduce((a: number, b: number) => a + b, 0);
}
await pool.close();
const batchSeconds = median(times) / 1000;
const decisions = items.length * pop.size;
const nsPerDecision = (batchSeconds * 1e9) / decisions;
log(`columnar: ${items.length} items × ${pop.size.toLocaleString()} entities in ${batchSeconds.toFixed(3)} s (median of ${RUNS}) = ${nsPerDecision.toFixed(3)} ns/decision; eligible pairs ${eligibleTotal.toLocaleString()}`);

// ── 3. one entity, all items ──────────────────────────────────────────────────────────────
// The catalogue matcher is the compiled evaluator with an applicability index: items of
// another audience or region scope are decided by one memoised test per group.
const matcher = new CatalogueMatcher(items, dict, day);
const verdictRow = new Uint8Array(items.length);
let matcherDisagreements = 0;
for (const ent of sample) {
  matcher.evaluate(ent, verdictRow);
  const facts = { ...ent.facts, entity_kind: ent.kind };
  for (let i = 0; i < items.length; i++) if (verdictRow[i] !== (live[i] ? compiled[i](facts) : 0)) matcherDisagreements++;
}
if (matcherDisagreements) {
  log(`  DISAGREE: the catalogue matcher differs from the compiled rules on ${matcherDisagreements} decisions`);
  process.exitCode = 1;
}
const perEntity: number[] = [];
for (let rep = 0; rep < 5; rep++)
  for (const ent of sample) {
    const s = performance.now();
    matcher.evaluate(ent, verdictRow);
    perEntity.push((performance.now() - s) * 1000);
  }
// What a user sees: every verdict, and the explanation, amount and missing facts of the
// items that are eligible or undetermined for them.
const explained: number[] = [];
for (const ent of sample.slice(0, 300)) {
  const s = performance.now();
  matcher.evaluate(ent, verdictRow);
  for (let i = 0; i < items.length; i++) if (verdictRow[i] !== 0) evaluateItem(items[i], ent, dict, day, { counterfactuals: false });
  explained.push((performance.now() - s) * 1000);
}
log(`one entity × ${items.length} items (catalogue matcher): p50 ${pct(perEntity, 50).toFixed(1)} µs, p99 ${pct(perEntity, 99).toFixed(1)} µs; with explanations of the eligible and undetermined: p50 ${(pct(explained, 50) / 1000).toFixed(2)} ms, p99 ${(pct(explained, 99) / 1000).toFixed(2)} ms`);

// ── 4. peers ──────────────────────────────────────────────────────────────────────────────
const peerEntities = sample.slice(0, PEER_SAMPLE);
const ours = peerEntities.map((ent) => {
  const facts = { ...ent.facts, entity_kind: ent.kind };
  return items.map((_, i) => (live[i] ? TRI[compiled[i](facts)] : 'F'));
});
const peers = await runPeers({ dict, items, bound, live, entities: peerEntities, ours, day, log });
// Per-decision cost of the compiled closures themselves, without the applicability index.
const plainTimes: number[] = [];
for (const ent of sample) {
  const facts = { ...ent.facts, entity_kind: ent.kind };
  const s = performance.now();
  for (let i = 0; i < compiled.length; i++) compiled[i](facts);
  plainTimes.push(performance.now() - s);
}
const compiledNs = (median(plainTimes) * 1e6) / items.length;
const fastestPeer = Math.min(...Object.values(peers).map((p) => p.ns_per_decision));
clearInterval(rssTimer);
sampleRss();

const result = {
  items: items.length,
  entities: pop.size,
  batch_seconds: Number(batchSeconds.toFixed(4)),
  ns_per_decision: Number(nsPerDecision.toFixed(4)),
  one_entity_us_p50: Number(pct(perEntity, 50).toFixed(1)),
  one_entity_us_p99: Number(pct(perEntity, 99).toFixed(1)),
  explained_ms_p99: Number((pct(explained, 99) / 1000).toFixed(2)),
  compiled_ns_per_decision: Number(compiledNs.toFixed(2)),
  peak_rss_mb: Math.round(peakRss / 2 ** 20),
  threads: THREADS,
  agreement: { decisions: checked + sql.checked, disagreements: disagreements + sql.disagreements },
  peers: Object.fromEntries(Object.entries(peers).map(([k, v]) => [k, Number(v.ns_per_decision.toFixed(1))])),
  peer_coverage: Object.fromEntries(Object.entries(peers).map(([k, v]) => [k, `${v.items}/${items.length} items, ${v.agree_pct}% agree`])),
  speedup_vs_fastest_peer: Math.round(fastestPeer / nsPerDecision),
  compiled_speedup_vs_fastest_peer: Number((fastestPeer / compiledNs).toFixed(1)),
};
log('');
for (const [k, v] of Object.entries(peers))
  log(`  ${k.padEnd(26)} ${v.ns_per_decision.toFixed(1).padStart(10)} ns/decision   columnar is ${Math.round(v.ns_per_decision / nsPerDecision).toLocaleString()}× faster, compiled ${(v.ns_per_decision / compiledNs).toFixed(1)}×`);
console.log(JSON.stringify(result));
