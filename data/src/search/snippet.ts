// Highlighted snippets: the sentence of an entry that holds the most (and the rarest) query
// terms, with <mark> around each match, HTML-escaped, cut to a window around the first mark.

export interface Term {
  term: string;
  weight: number;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]);

/** Spans [from, to) of the terms in a text, merged where they overlap. */
export function matchSpans(text: string, terms: readonly Term[]): { spans: [number, number][]; score: number } {
  const lower = text.toLowerCase();
  const raw: [number, number][] = [];
  let score = 0;
  for (const { term, weight } of terms) {
    if (!term) continue;
    let at = lower.indexOf(term);
    if (at >= 0) score += weight;
    while (at >= 0) {
      raw.push([at, at + term.length]);
      at = lower.indexOf(term, at + term.length);
    }
  }
  raw.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const spans: [number, number][] = [];
  for (const s of raw) {
    const last = spans[spans.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else spans.push([s[0], s[1]]);
  }
  return { spans, score };
}

/** Text with <mark> around the spans, escaped. */
export function markSpans(text: string, spans: readonly [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [a, b] of spans) {
    out += escapeHtml(text.slice(at, a)) + '<mark>' + escapeHtml(text.slice(a, b)) + '</mark>';
    at = b;
  }
  return out + escapeHtml(text.slice(at));
}

/** The best sentence, highlighted and cut to about `width` characters. */
export function snippetOf(sentences: readonly string[], terms: readonly Term[], width = 96): string {
  let best = -1;
  let bestScore = 0;
  let bestSpans: [number, number][] = [];
  sentences.forEach((s, i) => {
    const { spans, score } = matchSpans(s, terms);
    // Earlier sentences (summary first) win ties; a sentence with more distinct terms wins.
    if (score > bestScore + 1e-9) [best, bestScore, bestSpans] = [i, score, spans];
  });
  if (best < 0) {
    const s = sentences[0] ?? '';
    return escapeHtml(s.length > width ? s.slice(0, width) + '…' : s);
  }
  const text = sentences[best];
  if (text.length <= width) return markSpans(text, bestSpans);
  const from = Math.max(0, Math.min(bestSpans[0][0] - Math.floor(width / 4), text.length - width));
  const to = from + width;
  const inside = bestSpans.filter(([a, b]) => a >= from && b <= to).map(([a, b]) => [a - from, b - from] as [number, number]);
  return (from > 0 ? '…' : '') + markSpans(text.slice(from, to), inside) + (to < text.length ? '…' : '');
}
