// Quality and speed of smart search on a judged set (data/search/judged.json): nDCG@10 with
// graded gains, recall@10 against at most ten relevant items, and latency percentiles.
// Questions go through parseQuestion + matchQuestion, like the portal's "ask" box; every
// other query through search() over items.
import { readFileSync } from 'node:fs';
import type { Dictionary, PolicyItem } from '@kx/engine';
import type { SearchIndex } from './build.ts';
import { matchQuestion } from './question/match.ts';
import { parseQuestion } from './question/parse.ts';
import { search } from './search.ts';

export type QueryType = 'keyword' | 'synonym' | 'typo' | 'pinyin' | 'question';

export interface JudgedQuery {
  id: string;
  type: QueryType;
  query: string;
  /** item id → grade 1..3 */
  relevant: Record<string, number>;
  note?: string;
}

export interface JudgedSet {
  description?: string;
  /** The day questions are matched on (ages, validity). */
  date: string;
  queries: JudgedQuery[];
}

export interface QueryResult {
  id: string;
  type: QueryType;
  query: string;
  ndcg10: number;
  recall10: number;
  /** The first ten item ids returned. */
  top: string[];
  /** Relevant items not in the first ten, with their grade. */
  misses: [string, number][];
}

export interface EvalSummary {
  queries: number;
  ndcg10: number;
  recall10: number;
  byType: Record<string, { queries: number; ndcg10: number; recall10: number }>;
  results: QueryResult[];
}

export const K = 10;

export function loadJudged(path: string): JudgedSet {
  const set = JSON.parse(readFileSync(path, 'utf8')) as JudgedSet;
  for (const q of set.queries) {
    for (const [id, g] of Object.entries(q.relevant))
      if (![1, 2, 3].includes(g)) throw new Error(`${path}: 查询 ${q.id} 的 ${id} 评级应为 1–3，实际为 ${g} / query ${q.id}: grade of ${id} must be 1–3, got ${g}`);
    if (!Object.keys(q.relevant).length) throw new Error(`${path}: 查询 ${q.id} 没有相关事项 / query ${q.id} has no relevant items`);
  }
  return set;
}

/** nDCG@k with gain 2^grade − 1. */
export function ndcgAt(ranked: readonly string[], relevant: Record<string, number>, k = K): number {
  const gain = (g: number) => 2 ** g - 1;
  const dcg = ranked.slice(0, k).reduce((s, id, i) => s + gain(relevant[id] ?? 0) / Math.log2(i + 2), 0);
  const ideal = Object.values(relevant).sort((a, b) => b - a).slice(0, k).reduce((s, g, i) => s + gain(g) / Math.log2(i + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
}

/** Share of the relevant items found in the first k, out of at most k (a list of k cannot hold more). */
export function recallAt(ranked: readonly string[], relevant: Record<string, number>, k = K): number {
  const rel = Object.keys(relevant);
  const found = ranked.slice(0, k).filter((id) => id in relevant).length;
  return rel.length ? found / Math.min(k, rel.length) : 0;
}

/** The ranked item ids for one judged query. */
export function answer(q: JudgedQuery, index: SearchIndex, items: readonly PolicyItem[], dict: Dictionary, date: string, limit = K): string[] {
  if (q.type === 'question') {
    const parsed = parseQuestion(q.query, dict, { date });
    return matchQuestion(parsed, items, dict, date, { index, limit }).ranked.map((m) => m.item_id);
  }
  return search(index, q.query, { kind: 'item', limit }).hits.map((h) => h.item_id!);
}

export function evaluateJudged(set: JudgedSet, index: SearchIndex, items: readonly PolicyItem[], dict: Dictionary): EvalSummary {
  const results: QueryResult[] = set.queries.map((q) => {
    const top = answer(q, index, items, dict, set.date);
    return {
      id: q.id, type: q.type, query: q.query, top,
      ndcg10: ndcgAt(top, q.relevant), recall10: recallAt(top, q.relevant),
      misses: Object.entries(q.relevant).filter(([id]) => !top.includes(id)).sort((a, b) => b[1] - a[1]),
    };
  });
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
  const byType: EvalSummary['byType'] = {};
  for (const t of [...new Set(results.map((r) => r.type))]) {
    const rs = results.filter((r) => r.type === t);
    byType[t] = { queries: rs.length, ndcg10: mean(rs.map((r) => r.ndcg10)), recall10: mean(rs.map((r) => r.recall10)) };
  }
  return { queries: results.length, ndcg10: mean(results.map((r) => r.ndcg10)), recall10: mean(results.map((r) => r.recall10)), byType, results };
}

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(xs: readonly number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export interface Timing {
  /** Wall-clock milliseconds per answer. */
  ms: number[];
  /** CPU milliseconds of this process per answer: what the answer costs when the machine is shared. */
  cpu: number[];
  byType: Record<string, number[]>;
}

/** Milliseconds per answer for every query, `rounds` times after one warm-up round. */
export function timeQueries(set: JudgedSet, index: SearchIndex, items: readonly PolicyItem[], dict: Dictionary, rounds: number): Timing {
  const t: Timing = { ms: [], cpu: [], byType: {} };
  for (let r = 0; r <= rounds; r++)
    for (const q of set.queries) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      answer(q, index, items, dict, set.date);
      const dt = performance.now() - t0;
      const c = process.cpuUsage(c0);
      if (r === 0) continue;
      t.ms.push(dt);
      t.cpu.push((c.user + c.system) / 1000);
      (t.byType[q.type === 'question' ? 'question' : 'search'] ??= []).push(dt);
    }
  return t;
}
