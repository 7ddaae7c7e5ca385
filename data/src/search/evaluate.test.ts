import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../catalogue/files.ts';
import { liaochengDictionary } from '../dictionary/dictionary.ts';
import { buildSearchIndex } from './build.ts';
import { evaluateJudged, loadJudged, ndcgAt, percentile, recallAt } from './evaluate.ts';

// The figures recorded in docs/search.md (npm run eval:search). A change that loses more than
// the margin on the judged set fails here; a change that gains should update both.
const RECORDED = { ndcg10: 0.953, recall10: 0.967 };
const MARGIN = 0.015;

const dict = liaochengDictionary();
const ROOT = join(import.meta.dirname, '..', '..');
const judged = loadJudged(join(ROOT, 'search', 'judged.json'));
const demo = loadCatalogue(join(ROOT, 'policies'), dict);

describe('metrics', () => {
  it('nDCG@10: 1 for the ideal order, less when a better item comes later, 0 when nothing relevant is found', () => {
    const rel = { a: 3, b: 1 };
    expect(ndcgAt(['a', 'b'], rel)).toBe(1);
    expect(ndcgAt(['b', 'a'], rel)).toBeCloseTo((1 + 7 / Math.log2(3)) / (7 + 1 / Math.log2(3)), 10);
    expect(ndcgAt(['x', 'y'], rel)).toBe(0);
    // Found only at rank 11: outside the cut.
    expect(ndcgAt([...'cdefghijkl'.split(''), 'a'], rel)).toBe(0);
  });

  it('recall@10 counts at most ten relevant items', () => {
    expect(recallAt(['a', 'x'], { a: 1, b: 2 })).toBe(0.5);
    const many = Object.fromEntries([...'abcdefghijkl'].map((c) => [c, 1]));
    expect(recallAt([...'abcdefghij'], many)).toBe(1);
  });

  it('percentile by nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([], 99)).toBe(0);
  });
});

describe('judged set', () => {
  it('has at least 60 queries: 20 keyword, 20 questions, pinyin, typos and synonyms, all judging real items', () => {
    const count = (t: string) => judged.queries.filter((q) => q.type === t).length;
    expect(judged.queries.length).toBeGreaterThanOrEqual(60);
    expect(count('keyword')).toBeGreaterThanOrEqual(20);
    expect(count('question')).toBeGreaterThanOrEqual(20);
    expect(count('pinyin') + count('typo') + count('synonym')).toBeGreaterThanOrEqual(10);
    const ids = new Set(demo.items.map((i) => i.id));
    for (const q of judged.queries) for (const id of Object.keys(q.relevant)) expect(ids, `${q.id}: ${id}`).toContain(id);
    expect(new Set(judged.queries.map((q) => q.id)).size).toBe(judged.queries.length);
  });

  it(`does not fall below the recorded nDCG@10 ${RECORDED.ndcg10} and recall@10 ${RECORDED.recall10} (margin ${MARGIN})`, () => {
    const s = evaluateJudged(judged, buildSearchIndex(demo.documents, dict), demo.items, dict);
    expect(s.queries).toBe(judged.queries.length);
    expect(s.ndcg10).toBeGreaterThanOrEqual(RECORDED.ndcg10 - MARGIN);
    expect(s.recall10).toBeGreaterThanOrEqual(RECORDED.recall10 - MARGIN);
  });
});
