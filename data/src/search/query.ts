// From query text to scores. Each query word is a group: the word, its synonyms and, when
// the index has no such word, its homophones (稳刚 → 稳岗); a group scores its best member,
// so a text that says both 补贴 and 补助 is not counted twice. Bigrams add a weaker score
// that survives words jieba cut differently; Latin letters are also tried as pinyin.
import { K1, idf, type Posting, type SearchIndex } from './build.ts';
import { CLOSE_GROUPS, QUERY_EXPANSIONS, STOPWORDS, SYNONYM_GROUPS } from './lexicon.ts';
import { isPinyinQuery, matchPinyin, matchPinyinFast, normalizePinyin, soundKey, type PinyinMatch, type PinyinText } from './pinyin.ts';
import { bigrams, isCjk, normalizeText, segment } from './tokenizer.ts';

export interface QueryAlt {
  term: string;
  weight: number;
}

export interface QueryGroup {
  text: string;
  alts: QueryAlt[];
}

export interface AnalyzedQuery {
  text: string;
  words: QueryGroup[];
  bigrams: QueryGroup[];
  /** Letters to try as pinyin (normalized), when the query is only Latin letters. */
  pinyin?: string;
}

/** Weight of a synonym, a one-way expansion and a homophone, relative to the word typed. */
export const SYNONYM_WEIGHT = 0.7;
export const CLOSE_SYNONYM_WEIGHT = 0.9;
export const EXPANSION_WEIGHT = 0.6;
export const HOMOPHONE_WEIGHT = 0.8;
export const SINGLE_CHAR_WEIGHT = 0.5;
/** Weight of the bigram channel relative to words. */
export const BIGRAM_WEIGHT = 0.3;
/** Score of a title matched in full by pinyin; partial matches score less. */
export const PINYIN_SCORE = 8;

const SYNONYMS = new Map<string, Map<string, number>>();
for (const g of SYNONYM_GROUPS) {
  const weight = CLOSE_GROUPS.has(g[0]) ? CLOSE_SYNONYM_WEIGHT : SYNONYM_WEIGHT;
  for (const w of g) {
    const m = SYNONYMS.get(w) ?? new Map<string, number>();
    for (const x of g) if (x !== w) m.set(x, Math.max(m.get(x) ?? 0, weight));
    SYNONYMS.set(w, m);
  }
}
for (const [w, xs] of QUERY_EXPANSIONS) {
  const m = SYNONYMS.get(w) ?? new Map<string, number>();
  for (const x of xs) if (!m.has(x)) m.set(x, EXPANSION_WEIGHT);
  SYNONYMS.set(w, m);
}

// Bigrams with these characters are grammar, not topic ("有什么", "我是").
const FUNCTION_CHARS = new Set([...'的了吗呢吧啊呀我你您他她是有么什哪些在和与及或也都就还要想能可以请问怎样如何给']);

function alternatives(term: string, postings: Map<string, Posting>, sounds: Map<string, string[]>, syn: boolean, soundAlike = true): QueryAlt[] {
  const alts = new Map<string, number>();
  const known = postings.has(term);
  // A single character is a weak clue (稳 of a mistyped 稳岗 also finds 稳存量).
  if (known) alts.set(term, isCjk(term) && term.length === 1 ? SINGLE_CHAR_WEIGHT : 1);
  else if (soundAlike && isCjk(term) && term.length >= 2)
    for (const h of sounds.get(soundKey(term)) ?? []) alts.set(h, HOMOPHONE_WEIGHT);
  // When the word typed is not in any text, its synonyms stand in for it almost fully.
  if (syn)
    for (const [x, w] of SYNONYMS.get(term) ?? [])
      if (postings.has(x) && !alts.has(x)) alts.set(x, known ? w : Math.max(w, HOMOPHONE_WEIGHT));
  return [...alts].map(([t, weight]) => ({ term: t, weight }));
}

/** Groups for runs of single characters that sound like a word of the index (稳/刚 → 稳岗). */
function soundAlikeGroups(tokens: string[], index: SearchIndex): QueryGroup[] {
  const out: QueryGroup[] = [];
  let run: string[] = [];
  const flush = () => {
    for (let i = 0; i < run.length; i++)
      for (let n = 2; n <= 4 && i + n <= run.length; n++) {
        const w = run.slice(i, i + n).join('');
        if (index.words.has(w)) continue;
        const hs = index.soundsWords.get(soundKey(w));
        if (hs) out.push({ text: w, alts: hs.map((h) => ({ term: h, weight: HOMOPHONE_WEIGHT })) });
      }
    run = [];
  };
  for (const t of tokens) {
    if (t.length === 1 && isCjk(t)) run.push(t);
    else flush();
  }
  flush();
  return out;
}

export function analyzeQuery(index: SearchIndex, query: string): AnalyzedQuery {
  const text = normalizeText(query).trim();
  const words: QueryGroup[] = [];
  const seen = new Set<string>();
  const tokens = segment(text);
  for (const w of tokens) {
    if (STOPWORDS.has(w) || seen.has(w)) continue;
    seen.add(w);
    // Homophones only for whole words typed: 保户 inside 五保户 is not a mistyped 保护.
    const inner = tokens.some((x) => x.length > w.length && x.includes(w));
    words.push({ text: w, alts: alternatives(w, index.words, index.soundsWords, true, !inner) });
  }
  words.push(...soundAlikeGroups(tokens.filter((t) => !STOPWORDS.has(t)), index));
  const bis: QueryGroup[] = [];
  for (const b of new Set(bigrams(text))) {
    if (STOPWORDS.has(b) || [...b].some((c) => FUNCTION_CHARS.has(c))) continue;
    bis.push({ text: b, alts: alternatives(b, index.bigrams, index.soundsBigrams, false) });
  }
  return { text, words, bigrams: bis, ...(isPinyinQuery(text) ? { pinyin: normalizePinyin(text) } : {}) };
}

function addChannel(index: SearchIndex, groups: QueryGroup[], postings: Map<string, Posting>, weight: number, out: Float64Array): void {
  const n = index.entries.length;
  const best = new Float64Array(n);
  const touched: number[] = [];
  for (const g of groups) {
    // A group is one concept: no member is rarer than its most common one (津贴 for 补贴).
    let cap = Infinity;
    for (const a of g.alts) {
      const p = postings.get(a.term);
      if (p) cap = Math.min(cap, idf(p.entries.length, n));
    }
    for (const a of g.alts) {
      const p = postings.get(a.term);
      if (!p) continue;
      const w0 = weight * a.weight * Math.min(cap, idf(p.entries.length, n));
      for (let k = 0; k < p.entries.length; k++) {
        const e = p.entries[k];
        const tf = p.weights[k];
        const s = (w0 * tf * (K1 + 1)) / (K1 + tf);
        if (best[e] === 0) touched.push(e);
        if (s > best[e]) best[e] = s;
      }
    }
    for (const e of touched) {
      out[e] += best[e];
      best[e] = 0;
    }
    touched.length = 0;
  }
}

type Matcher = (q: string, p: PinyinText) => PinyinMatch | undefined;
const slow: Matcher = (q, p) => matchPinyin(q, p.syllables);

/** Pinyin score of an entry: its title, or one of its tags typed whole. */
export function pinyinScore(title: PinyinText, tags: readonly PinyinText[], q: string, match: Matcher = matchPinyinFast): number {
  let s = 0;
  const m = match(q, title);
  if (m) {
    const quality = 0.6 + (0.4 * m.full) / m.length;
    const coverage = m.length / Math.max(title.syllables.length, 1);
    s = PINYIN_SCORE * (0.5 + 0.5 * coverage) * quality * (m.start === 0 ? 1.1 : 1);
  }
  for (const t of tags) {
    const mt = match(q, t);
    if (mt && mt.start === 0 && mt.length === t.syllables.length) s = Math.max(s, PINYIN_SCORE * 0.6 * (0.6 + (0.4 * mt.full) / mt.length));
  }
  return s;
}

/** Scores of every entry (0 = no match). */
export function scoreEntries(index: SearchIndex, q: AnalyzedQuery): Float64Array {
  const scores = new Float64Array(index.entries.length);
  addChannel(index, q.words, index.words, 1, scores);
  addChannel(index, q.bigrams, index.bigrams, BIGRAM_WEIGHT, scores);
  if (q.pinyin) {
    // String search first; the syllable-by-syllable matcher only when no title matched that way.
    let hits = 0;
    for (const match of [matchPinyinFast, slow]) {
      index.entries.forEach((e, i) => {
        const s = pinyinScore(e.pinyin, e.tagPinyin, q.pinyin!, match);
        if (s > 0) {
          scores[i] += s;
          hits++;
        }
      });
      if (hits) break;
    }
  }
  return scores;
}

/** Every term a query may have matched, for highlighting: words, synonyms, homophones, bigrams. */
export function highlightTerms(q: AnalyzedQuery): { term: string; weight: number }[] {
  const out = new Map<string, number>();
  for (const g of q.words) for (const a of g.alts) out.set(a.term, Math.max(out.get(a.term) ?? 0, a.weight));
  for (const g of q.bigrams) for (const a of g.alts) out.set(a.term, Math.max(out.get(a.term) ?? 0, a.weight * BIGRAM_WEIGHT));
  return [...out].map(([term, weight]) => ({ term, weight }));
}
