// npm run eval:search — quality on the judged set over the demo catalogue, latency over the
// 2,728-item benchmark catalogue (generateCatalogue, seed 1). Ends with one JSON line:
// {"queries":N,"ndcg10":x,"recall10":y,"p99_ms":z}.
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { generateCatalogue, SEED_CATALOGUE } from '../generate/catalogue.ts';
import { liaochengDictionary } from '../dictionary/dictionary.ts';
import { loadCatalogue } from '../catalogue/files.ts';
import { buildSearchIndex } from './build.ts';
import { evaluateJudged, loadJudged, percentile, timeQueries } from './evaluate.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const ROUNDS = Number(process.env.EVAL_ROUNDS ?? 5);
const f3 = (x: number) => x.toFixed(3);

const dict = liaochengDictionary();
const demo = loadCatalogue(join(ROOT, 'policies'), dict);
if (demo.errors.length) throw new Error(demo.errors.map((e) => e.message).join('\n'));
const judged = loadJudged(join(ROOT, 'search', 'judged.json'));

const demoIndex = buildSearchIndex(demo.documents, dict);
const summary = evaluateJudged(judged, demoIndex, demo.items, dict);
console.log(`Quality — demo catalogue: ${demo.items.length} items, ${demo.documents.length} documents; ${summary.queries} judged queries (date ${judged.date})`);
for (const r of summary.results)
  if (r.misses.length || r.ndcg10 < 0.8)
    console.log(`  ${r.id} ${r.type.padEnd(8)} nDCG ${f3(r.ndcg10)} recall ${f3(r.recall10)}  ${r.query}\n      missed: ${r.misses.map(([id, g]) => `${id}(${g})`).join(' ') || '—'}`);
console.log('\n  type       queries  nDCG@10  recall@10');
for (const [t, s] of Object.entries(summary.byType)) console.log(`  ${t.padEnd(10)} ${String(s.queries).padStart(7)}  ${f3(s.ndcg10).padStart(7)}  ${f3(s.recall10).padStart(9)}`);
console.log(`  ${'all'.padEnd(10)} ${String(summary.queries).padStart(7)}  ${f3(summary.ndcg10).padStart(7)}  ${f3(summary.recall10).padStart(9)}`);

const bench = generateCatalogue({ documents: demo.documents }, { items: SEED_CATALOGUE.items, documents: SEED_CATALOGUE.documents, seed: 1, dict });
const benchIndex = buildSearchIndex(bench.documents, dict);
const timing = timeQueries(judged, benchIndex, bench.items, dict, ROUNDS);
console.log(`\nLatency — benchmark catalogue: ${bench.items.length} items, ${bench.documents.length} documents (index built in ${Math.round(benchIndex.built_ms)} ms); ${ROUNDS} rounds of ${judged.queries.length} queries after a warm-up round`);
for (const [t, xs] of Object.entries(timing.byType))
  console.log(`  ${t.padEnd(9)} p50 ${f3(percentile(xs, 50))} ms  p99 ${f3(percentile(xs, 99))} ms  max ${f3(Math.max(...xs))} ms  (${xs.length} runs)`);
const p99 = percentile(timing.ms, 99);
console.log(`  ${'all'.padEnd(9)} p50 ${f3(percentile(timing.ms, 50))} ms  p99 ${f3(p99)} ms`);
console.log(`  cpu       p50 ${f3(percentile(timing.cpu, 50))} ms  p99 ${f3(percentile(timing.cpu, 99))} ms  (process CPU time; wall time includes waiting when the machine is shared — load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`);
console.log(JSON.stringify({ queries: summary.queries, ndcg10: Number(f3(summary.ndcg10)), recall10: Number(f3(summary.recall10)), p99_ms: Number(p99.toFixed(2)) }));
