// Chinese word segmentation for the index and the query: jieba (prebuilt @node-rs/jieba, its
// dictionary ships in the package, nothing is downloaded) plus the domain words of
// lexicon.ts, so 稳岗返还 and 专精特新 stay whole. Both sides use search mode, which also
// emits the known words inside a compound (专精特新小巨人 → 专精, 专精特新, 小巨人 …), so a
// query for a part finds the whole. Character bigrams are a second, weaker channel that
// survives typos and words jieba splits differently.
import { createRequire } from 'node:module';
import { domainWords } from './lexicon.ts';

interface JiebaLike {
  cutForSearch(sentence: string, hmm?: boolean): string[];
  loadDict(dict: Uint8Array): void;
}

let jieba: JiebaLike | undefined;

function loadJieba(): JiebaLike {
  if (jieba) return jieba;
  // Loaded on first use: importing @kx/data must not pay 200 ms for a dictionary it may never need.
  const require = createRequire(import.meta.url);
  const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(d: Uint8Array): JiebaLike } };
  const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
  const j = Jieba.withDict(dict);
  // A high frequency makes the domain word win over the general dictionary's split.
  j.loadDict(Buffer.from(domainWords().map((w) => `${w} 200000 n`).join('\n') + '\n'));
  jieba = j;
  return j;
}

const CJK = /[\u3400-\u9fff]/;
const CJK_RUN = /[\u3400-\u9fff]+/g;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Full-width forms to half-width, Latin to lower case: 'ＡＢＣ（套）' → 'abc(套)'. */
export function normalizeText(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

export function isCjk(s: string): boolean {
  return CJK.test(s);
}

/** Words of a text in search mode, normalized, without punctuation and spaces. */
export function segment(text: string): string[] {
  const t = normalizeText(text);
  if (!t.trim()) return [];
  return loadJieba()
    .cutForSearch(t, false)
    .filter((w) => WORD_CHAR.test(w))
    .map((w) => w.trim())
    .filter((w) => w.length > 0);
}

/** Character bigrams of every run of Chinese characters ('稳岗返还' → 稳岗, 岗返, 返还). */
export function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const m of normalizeText(text).matchAll(CJK_RUN)) {
    const run = m[0];
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

/** Loads the segmenter now (first use otherwise pays its start-up inside a timed query). */
export function warmTokenizer(): void {
  loadJieba();
}
