// search(): ranked, filtered, highlighted hits over items and documents; suggest(): what to
// show while the user types. Neither reads the clock: "open now" is on the date given.
import { parseDate, type EntityKind, type Mode } from '@kx/engine';
import type { EntryKind, SearchEntry, SearchIndex } from './build.ts';
import { compileFilters, type SearchFilters } from './filters.ts';
import { matchPinyin, isPinyinQuery } from './pinyin.ts';
import { analyzeQuery, highlightTerms, scoreEntries, type AnalyzedQuery } from './query.ts';
import { escapeHtml, markSpans, matchSpans, snippetOf } from './snippet.ts';
import { normalizeText } from './tokenizer.ts';

export interface SearchOptions {
  filters?: SearchFilters;
  /** Hits to return (default 10), after `offset`. */
  limit?: number;
  offset?: number;
  /** YYYY-MM-DD: the day for open_now and for parameters in industry filters. */
  date?: string;
  /** Items, documents or both (default both). */
  kind?: EntryKind | 'all';
  /** Hits scoring below this share of the best hit are dropped as noise (default 0.08). */
  minScoreRatio?: number;
}

export interface SearchHit {
  kind: EntryKind;
  item_id?: string;
  document_id: string;
  score: number;
  title: string;
  /** The title with <mark> around matched words or pinyin, HTML-escaped. */
  title_html: string;
  /** The best sentence with <mark> around matched words, HTML-escaped. */
  snippet: string;
  departments: string[];
  audience?: EntityKind;
  mode?: Mode;
  region_scope?: string[];
  /** Largest amount (null: no cap; absent: pays no money). */
  amount_max?: number | null;
}

export interface SearchResult {
  hits: SearchHit[];
  total: number;
  took_ms: number;
  /** The words searched for, with what they were expanded to (for "searched for …"). */
  terms: { word: string; also: string[] }[];
}

export const DEFAULT_MIN_SCORE_RATIO = 0.08;

function dayOf(date: string | undefined): number | undefined {
  if (date === undefined) return undefined;
  const d = parseDate(date);
  if (d === undefined) throw new Error(`查询日期 "${date}" 应为 YYYY-MM-DD / search date "${date}" must be YYYY-MM-DD`);
  return d;
}

function titleHtml(e: SearchEntry, q: AnalyzedQuery, terms: ReturnType<typeof highlightTerms>): string {
  const { spans } = matchSpans(e.title, terms);
  if (spans.length || !q.pinyin) return markSpans(e.title, spans);
  const m = matchPinyin(q.pinyin, e.syllables);
  if (!m) return escapeHtml(e.title);
  // Syllables come from the title's Chinese characters, in order.
  const cjk = [...e.title].map((c, i) => [c, i] as const).filter(([c]) => /[\u3400-\u9fff]/.test(c));
  if (cjk.length !== e.syllables.length) return escapeHtml(e.title);
  const from = cjk[m.start][1];
  const to = cjk[m.start + m.length - 1][1] + 1;
  return markSpans(e.title, [[from, to]]);
}

function hitOf(e: SearchEntry, score: number, q: AnalyzedQuery, terms: ReturnType<typeof highlightTerms>): SearchHit {
  const item = e.item;
  return {
    kind: e.kind,
    ...(item ? { item_id: item.id } : {}),
    document_id: e.document_id,
    score: Math.round(score * 1000) / 1000,
    title: e.title,
    title_html: titleHtml(e, q, terms),
    snippet: snippetOf(e.sentences, terms),
    departments: e.departments,
    ...(item
      ? { audience: item.audience, mode: item.mode, region_scope: item.region_scope, ...(e.amountMax[0] !== undefined ? { amount_max: e.amountMax[0] } : {}) }
      : {}),
  };
}

/** Entries ranked for a query (no hits built): for callers that need every score, like matchQuestion. */
export function rankEntries(index: SearchIndex, query: string, opts: SearchOptions = {}): { entry: number; score: number }[] {
  const q = analyzeQuery(index, query);
  return rank(index, q, opts);
}

function rank(index: SearchIndex, q: AnalyzedQuery, opts: SearchOptions): { entry: number; score: number }[] {
  const kind = opts.kind ?? 'all';
  const pass = compileFilters({ index, filters: opts.filters ?? {}, day: dayOf(opts.date) });
  const empty = q.words.length === 0 && q.bigrams.length === 0 && !q.pinyin;
  const scores = empty ? undefined : scoreEntries(index, q);
  let top = 0;
  if (scores) for (const s of scores) if (s > top) top = s;
  const floor = top * (opts.minScoreRatio ?? DEFAULT_MIN_SCORE_RATIO);
  const out: { entry: number; score: number }[] = [];
  index.entries.forEach((e, i) => {
    if (kind !== 'all' && e.kind !== kind) return;
    const s = scores ? scores[i] : 0;
    if (scores && (s <= 0 || s < floor)) return;
    if (pass(e, i)) out.push({ entry: i, score: s });
  });
  // Ties go to the shorter title (the query covers more of it), then to the smaller id: never
  // to the order the catalogue was read in, so that an index built from the database ranks
  // as one built from the files, and every server process ranks alike.
  const tie = (a: SearchEntry, b: SearchEntry) => a.title.length - b.title.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
  // An empty query lists in catalogue order.
  if (scores) out.sort((a, b) => b.score - a.score || tie(index.entries[a.entry], index.entries[b.entry]));
  return out;
}

/** Full-text search. An empty query lists everything that passes the filters, in catalogue order. */
export function search(index: SearchIndex, query: string, opts: SearchOptions = {}): SearchResult {
  const t0 = performance.now();
  const q = analyzeQuery(index, query);
  const ranked = rank(index, q, opts);
  const offset = opts.offset ?? 0;
  const limit = opts.limit ?? 10;
  const terms = highlightTerms(q);
  const hits = ranked.slice(offset, offset + limit).map((r) => hitOf(index.entries[r.entry], r.score, q, terms));
  return {
    hits,
    total: ranked.length,
    took_ms: Math.round((performance.now() - t0) * 1000) / 1000,
    terms: q.words.map((g) => ({ word: g.text, also: g.alts.filter((a) => a.term !== g.text).map((a) => a.term) })),
  };
}

export interface Suggestion {
  text: string;
  /** A title to open, or a word to search for. */
  kind: 'title' | 'word';
  item_id?: string;
  document_id?: string;
}

const vocabCache = new WeakMap<SearchIndex, { word: string; df: number }[]>();

function vocabulary(index: SearchIndex): { word: string; df: number }[] {
  let v = vocabCache.get(index);
  if (!v) {
    v = [...index.words].filter(([w]) => w.length >= 2 && /^[\u3400-\u9fff]+$/.test(w)).map(([word, p]) => ({ word, df: p.entries.length }));
    v.sort((a, b) => b.df - a.df || a.word.localeCompare(b.word, 'zh'));
    vocabCache.set(index, v);
  }
  return v;
}

/**
 * Suggestions as the user types: titles that start with the text, then words of the index
 * that do, then titles that contain it; Latin letters are read as pinyin or initials.
 */
export function suggest(index: SearchIndex, prefix: string, opts: { limit?: number; kind?: EntryKind | 'all' } = {}): Suggestion[] {
  const limit = opts.limit ?? 8;
  const p = normalizeText(prefix).trim();
  if (!p) return [];
  const kind = opts.kind ?? 'all';
  const scored: { s: Suggestion; rank: number; order: number }[] = [];
  const seen = new Set<string>();
  const push = (s: Suggestion, rank: number, order: number) => {
    if (seen.has(s.text)) return;
    seen.add(s.text);
    scored.push({ s, rank, order });
  };
  const titleSuggestion = (e: SearchEntry): Suggestion => ({
    text: e.title, kind: 'title', ...(e.item ? { item_id: e.item.id } : {}), document_id: e.document_id,
  });
  const pinyin = isPinyinQuery(p);
  index.entries.forEach((e, i) => {
    if (kind !== 'all' && e.kind !== kind) return;
    const t = e.title.toLowerCase();
    if (t.startsWith(p)) push(titleSuggestion(e), 0, i);
    else if (t.includes(p)) push(titleSuggestion(e), 2 + t.indexOf(p) / 100, i);
    else if (pinyin) {
      const m = matchPinyin(p, e.syllables);
      if (m) push(titleSuggestion(e), (m.start === 0 ? 0 : 2 + m.start / 100) + (m.length - m.full) / 1000, i);
    }
  });
  if (!pinyin) vocabulary(index).forEach((v, i) => v.word.startsWith(p) && v.word !== p && push({ text: v.word, kind: 'word' }, 1, i));
  scored.sort((a, b) => a.rank - b.rank || a.s.text.length - b.s.text.length || a.order - b.order);
  return scored.slice(0, limit).map((x) => x.s);
}
