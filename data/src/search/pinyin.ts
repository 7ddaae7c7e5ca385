// Quick search by pinyin: 'gljt' finds 高龄津贴, 'wengang' finds 稳岗, 'wengangfh' finds
// 稳岗返还. Titles are read with context (pinyin-pro picks 莘县 shen xian, 长寿 chang shou);
// single characters, used for the typo channel, are read alone and cached.
import { createRequire } from 'node:module';

let loaded: typeof import('pinyin-pro').pinyin | undefined;

// Loaded on first use, like jieba: whoever imports @kx/data without searching pays nothing.
function lib(): typeof import('pinyin-pro').pinyin {
  loaded ??= (createRequire(import.meta.url)('pinyin-pro') as typeof import('pinyin-pro')).pinyin;
  return loaded;
}

export interface PinyinMatch {
  /** First syllable matched. */
  start: number;
  /** Syllables matched. */
  length: number;
  /** Of which typed in full (the rest by their initials or, the last one, by a prefix). */
  full: number;
}

/** Toneless syllables of the Chinese characters of a text, in order (others are dropped). */
export function syllablesOf(text: string): string[] {
  if (!/[\u3400-\u9fff]/.test(text)) return [];
  return lib()(text, { toneType: 'none', type: 'array', nonZh: 'removed', v: true }).filter((s) => /^[a-z]+$/.test(s));
}

const charCache = new Map<string, string>();

/** The toneless reading of one character ('岗' → 'gang'); the character itself when it has none. */
export function charPinyin(ch: string): string {
  let p = charCache.get(ch);
  if (p === undefined) {
    p = /[\u3400-\u9fff]/.test(ch) ? lib()(ch, { toneType: 'none', v: true }) : ch;
    if (charCache.size < 50_000) charCache.set(ch, p);
  }
  return p;
}

/** The homophone key of a word: its characters' readings ('稳刚' and '稳岗' → 'wen gang'). */
export function soundKey(word: string): string {
  return [...word].map(charPinyin).join(' ');
}

/** Lower case, without spaces and apostrophes ("Wen Gang" → "wengang"). */
export function normalizePinyin(q: string): string {
  return q.toLowerCase().replace(/[' ]/g, '');
}

/** A query typed in Latin letters only (spaces and apostrophes allowed), at least two letters. */
export function isPinyinQuery(q: string): boolean {
  const s = q.trim().toLowerCase();
  return /^[a-z' ]+$/.test(s) && s.replace(/[' ]/g, '').length >= 2;
}

function initialOf(s: string): string {
  return /^(zh|ch|sh)/.test(s) ? s.slice(0, 2) : s[0];
}

/**
 * Matches typed letters from `pos` against consecutive syllables from `i`: each syllable
 * typed in full or by its initial; the last may be any prefix (the user is still typing).
 * Returns [syllables, full] of the way that types most syllables in full, or undefined.
 * Memoised on (pos, i), so hostile input stays linear in letters × syllables.
 */
function consume(q: string, pos: number, syl: readonly string[], i: number, memo: Map<number, [number, number] | null>): [number, number] | undefined {
  if (pos === q.length) return [0, 0];
  if (i >= syl.length) return undefined;
  const key = pos * 4096 + i;
  const hit = memo.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const s = syl[i];
  let best: [number, number] | undefined;
  const take = (n: number, isFull: boolean) => {
    const rest = consume(q, pos + n, syl, i + 1, memo);
    if (rest && (!best || rest[1] + (isFull ? 1 : 0) > best[1])) best = [rest[0] + 1, rest[1] + (isFull ? 1 : 0)];
  };
  if (q.startsWith(s, pos)) take(s.length, true);
  const ini = initialOf(s);
  if (ini.length < s.length && q.startsWith(ini, pos)) take(ini.length, false);
  else if (ini.length > 1 && q[pos] === s[0]) take(1, false);
  // A partial last syllable: 'wengan' for wen gang.
  const left = q.length - pos;
  if (!best && left < s.length && s.startsWith(q.slice(pos))) best = [1, 0];
  memo.set(key, best ?? null);
  return best;
}

/** The best match of pinyin letters in a title's syllables: most syllables typed in full, then earliest. */
export function matchPinyin(query: string, syllables: readonly string[]): PinyinMatch | undefined {
  const q = query.toLowerCase().replace(/[' ]/g, '');
  if (!q) return undefined;
  let best: PinyinMatch | undefined;
  for (let start = 0; start < syllables.length; start++) {
    if (syllables[start][0] !== q[0]) continue;
    const r = consume(q, 0, syllables, start, new Map());
    if (r && (!best || r[1] > best.full)) best = { start, length: r[0], full: r[1] };
  }
  return best;
}

/** A text's syllables prepared for fast matching: initials and the joined syllables. */
export interface PinyinText {
  syllables: string[];
  /** First letter of each syllable: 高龄津贴 → 'gljt'. */
  initials: string;
  /** Syllables joined: 'gaolingjintie', with each syllable's offset in `starts`. */
  full: string;
  starts: number[];
}

export function pinyinText(syllables: string[]): PinyinText {
  const starts: number[] = [];
  let full = '';
  for (const s of syllables) {
    starts.push(full.length);
    full += s;
  }
  return { syllables, initials: syllables.map((s) => s[0]).join(''), full, starts };
}

/**
 * The two common ways of typing, by string search: all initials ('gljt') or syllables in
 * full with the last one possibly cut short ('wengan'). Mixed typing ('wgfanh') needs
 * matchPinyin. Returns the match with more syllables typed in full.
 */
export function matchPinyinFast(query: string, p: PinyinText): PinyinMatch | undefined {
  // Called for every title and tag: the query is normalized once by the caller (normalizePinyin).
  const q = query;
  if (!q) return undefined;
  let best: PinyinMatch | undefined;
  const i = p.initials.indexOf(q);
  if (i >= 0) {
    let full = 0;
    for (let k = i; k < i + q.length; k++) if (p.syllables[k].length === 1) full++;
    best = { start: i, length: q.length, full };
  }
  for (let at = p.full.indexOf(q); at >= 0; at = p.full.indexOf(q, at + 1)) {
    const start = p.starts.indexOf(at);
    if (start < 0) continue; // not at a syllable boundary
    const end = at + q.length;
    let k = start;
    while (k < p.syllables.length && p.starts[k] < end) k++;
    const length = k - start;
    const full = p.starts[k - 1] + p.syllables[k - 1].length <= end ? length : length - 1;
    if (!best || full > best.full) best = { start, length, full };
    break;
  }
  return best;
}
