// The search index: one entry per item and per document, an inverted index of words with
// BM25F weights, a weaker inverted index of character bigrams for typos, and per entry what
// filters, snippets and pinyin quick search need. Written here rather than taken from
// MiniSearch or Orama: the index is small (a few thousand entries), the parts that matter —
// jieba words plus bigrams, per-field boosts with per-field length norms, synonym groups
// scored as one term, homophone fallback — would all be custom tokenizer and scoring hooks
// there anyway, and a hand-written one has no dependency and is easy to reason about.
import {
  describeCondition, inValidity, parseDate, resolveParams, type Dictionary, type PolicyDocument, type PolicyItem,
} from '@kx/engine';
import { departmentByCode } from '../codes/departments.ts';
import { maxAmount } from './amount.ts';
import { pinyinText, soundKey, syllablesOf, type PinyinText } from './pinyin.ts';
import { bigrams, segment } from './tokenizer.ts';

export type EntryKind = 'item' | 'document';

export interface SearchEntry {
  kind: EntryKind;
  /** Item id or document id. */
  id: string;
  document_id: string;
  title: string;
  document: PolicyDocument;
  item?: PolicyItem;
  /** The items this entry stands for: itself, or a document's items (for filters). */
  items: PolicyItem[];
  departments: string[];
  /** Toneless syllables of the title, and of each tag, for pinyin quick search. */
  syllables: string[];
  pinyin: PinyinText;
  tagPinyin: PinyinText[];
  /** Largest amount per item of `items` (null: no cap; undefined: pays no money). */
  amountMax: (number | null | undefined)[];
  /** Snippet candidates in order of preference (summary first). */
  sentences: string[];
}

export interface Posting {
  entries: number[];
  /** Field-boosted, length-normalized term frequency (the tf of BM25F). */
  weights: number[];
}

export interface SearchIndex {
  entries: SearchEntry[];
  words: Map<string, Posting>;
  bigrams: Map<string, Posting>;
  /** Homophone key → words of the index that sound so (稳刚 → 稳岗). */
  soundsWords: Map<string, string[]>;
  soundsBigrams: Map<string, string[]>;
  dict: Dictionary;
  /** Date given at build: parameters in rule descriptions and amount caps as on that day. */
  day?: number;
  /** Lazy per-filter-value verdicts: industry value → per entry 0 unknown, 1 passes, 2 fails. */
  industryCache: Map<string, Uint8Array>;
  built_ms: number;
}

export interface BuildOptions {
  /** Parameters in force on this date are shown in rule descriptions (default: each item's start). */
  date?: string;
}

interface Field {
  text: string;
  boost: number;
  /** BM25 length normalization strength for this field. */
  b: number;
  bigram?: boolean;
}

export const K1 = 1.2;

function sentencesOf(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/(?<=[。！？；;!?])|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 1);
}

function titlePinyin(title: string): { syllables: string[]; pinyin: PinyinText } {
  const syllables = syllablesOf(title);
  return { syllables, pinyin: pinyinText(syllables) };
}

function deptNames(codes: string[]): string {
  return codes.map((c) => departmentByCode(c)?.name ?? '').join(' ');
}

function itemFields(item: PolicyItem, doc: PolicyDocument, rule: string): Field[] {
  return [
    { text: item.title, boost: 3, b: 0.5, bigram: true },
    { text: (item.tags ?? []).join(' '), boost: 2, b: 0.3, bigram: true },
    { text: item.summary ?? '', boost: 1, b: 0.6, bigram: true },
    { text: doc.title, boost: 1, b: 0.5, bigram: true },
    { text: doc.interpretation, boost: 0.7, b: 0.75 },
    { text: deptNames([item.department]), boost: 1, b: 0.3 },
    { text: rule, boost: 1, b: 0.6 },
    { text: item.title_en ?? '', boost: 1, b: 0.5 },
  ];
}

function documentFields(doc: PolicyDocument): Field[] {
  return [
    { text: doc.title, boost: 3, b: 0.5, bigram: true },
    { text: doc.items.map((i) => i.title).join('；'), boost: 1.5, b: 0.5, bigram: true },
    { text: doc.summary, boost: 1, b: 0.6, bigram: true },
    { text: doc.interpretation, boost: 1, b: 0.75 },
    { text: deptNames(doc.issuers), boost: 1, b: 0.3 },
    { text: [...new Set(doc.items.flatMap((i) => i.tags ?? []))].join(' '), boost: 1.5, b: 0.3, bigram: true },
  ];
}

/** The rule of an item in plain Chinese, with parameters as on `day`. */
function ruleText(item: PolicyItem, dict: Dictionary, day: number): string {
  try {
    return describeCondition(item.eligibility, { dict, params: resolveParams(item.params, day) }, 'zh');
  } catch {
    return '';
  }
}

class PostingBuilder {
  readonly map = new Map<string, Posting>();
  add(entry: number, tf: Map<string, number>): void {
    for (const [t, w] of tf) {
      let p = this.map.get(t);
      if (!p) this.map.set(t, (p = { entries: [], weights: [] }));
      p.entries.push(entry);
      p.weights.push(w);
    }
  }
}

function soundsOf(vocab: Iterable<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const w of vocab) {
    if (!/[\u3400-\u9fff]/.test(w)) continue;
    const k = soundKey(w);
    const list = out.get(k);
    if (list) list.push(w);
    else out.set(k, [w]);
  }
  return out;
}

/** Builds the index over a catalogue's documents (their items included). */
export function buildSearchIndex(documents: readonly PolicyDocument[], dict: Dictionary, opts: BuildOptions = {}): SearchIndex {
  const t0 = performance.now();
  const at = opts.date === undefined ? undefined : parseDate(opts.date);
  if (opts.date !== undefined && at === undefined)
    throw new Error(`日期 "${opts.date}" 应为 YYYY-MM-DD / date "${opts.date}" must be YYYY-MM-DD`);
  const entries: SearchEntry[] = [];
  const fieldsOf: Field[][] = [];
  for (const doc of documents) {
    const items = doc.items;
    const dayOf = (item: PolicyItem) => (at !== undefined && inValidity(item, at) ? at : parseDate(item.valid_from)!);
    for (const item of items) {
      const day = dayOf(item);
      const rule = ruleText(item, dict, day);
      entries.push({
        kind: 'item', id: item.id, document_id: doc.id, title: item.title, document: doc, item, items: [item],
        departments: [item.department], ...titlePinyin(item.title), tagPinyin: (item.tags ?? []).map((t) => pinyinText(syllablesOf(t))),
        amountMax: [maxAmount(item, day)],
        sentences: [...sentencesOf(item.summary), ...sentencesOf(doc.interpretation), ...sentencesOf(rule), item.title],
      });
      fieldsOf.push(itemFields(item, doc, rule));
    }
    entries.push({
      kind: 'document', id: doc.id, document_id: doc.id, title: doc.title, document: doc, items: [...items],
      departments: [...doc.issuers], ...titlePinyin(doc.title), tagPinyin: [],
      amountMax: items.map((i) => maxAmount(i, dayOf(i))),
      sentences: [...sentencesOf(doc.summary), ...sentencesOf(doc.interpretation)],
    });
    fieldsOf.push(documentFields(doc));
  }
  // Per-field token lists first: BM25F needs each field's average length.
  // Items of a document share its title and interpretation: segment each text once.
  const memo = new Map<string, string[]>();
  const words = (text: string) => {
    let w = memo.get(text);
    if (!w) memo.set(text, (w = segment(text)));
    return w;
  };
  const wordToks = fieldsOf.map((fs) => fs.map((f) => words(f.text)));
  const bigramToks = fieldsOf.map((fs) => fs.map((f) => (f.bigram ? bigrams(f.text) : [])));
  const kinds = entries.map((e) => e.kind);
  const wordPostings = weigh(kinds, fieldsOf, wordToks);
  const bis = weigh(kinds, fieldsOf, bigramToks);
  return {
    entries, words: wordPostings, bigrams: bis, soundsWords: soundsOf(wordPostings.keys()), soundsBigrams: soundsOf(bis.keys()), dict,
    day: at, industryCache: new Map(), built_ms: performance.now() - t0,
  };
}

function weigh(kinds: EntryKind[], fieldsOf: Field[][], toks: string[][][]): Map<string, Posting> {
  // Items and documents have different fields: average lengths per kind and field.
  const sum = new Map<string, [number, number]>();
  toks.forEach((fields, e) =>
    fields.forEach((ts, f) => {
      if (!ts.length) return;
      const k = `${kinds[e]}:${f}`;
      const s = sum.get(k) ?? [0, 0];
      sum.set(k, [s[0] + ts.length, s[1] + 1]);
    }),
  );
  const pb = new PostingBuilder();
  toks.forEach((fields, e) => {
    const tf = new Map<string, number>();
    fields.forEach((ts, f) => {
      if (!ts.length) return;
      const { boost, b } = fieldsOf[e][f];
      const [total, count] = sum.get(`${kinds[e]}:${f}`)!;
      const norm = 1 - b + (b * ts.length) / (total / count);
      for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + boost / norm);
    });
    pb.add(e, tf);
  });
  return pb.map;
}

/** BM25 inverse document frequency of a term in n entries. */
export function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}
