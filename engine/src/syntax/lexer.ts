// Tokens of the rule language (docs/rule-language.md). The lexer knows nothing of
// grammar; it only cuts text into words, numbers, dates, strings and symbols, each
// with its 1-based line and column, so that every later error can point at it.
import type { Loc } from '../ast/ast.ts';
import { EngineError } from '../errors.ts';

export type TokenKind = 'ident' | 'keyword' | 'param' | 'number' | 'date' | 'string' | 'symbol' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The word, symbol, number/date text (a trailing `%` kept), parameter name without `$`, or string contents. */
  text: string;
  /** As written in the source, for error messages. */
  raw: string;
  loc: Loc;
  /** Whitespace or a comment came right before this token. */
  spaced: boolean;
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  'and', 'or', 'not', 'in', 'within', 'contains', 'any', 'all', 'none', 'is', 'known', 'missing',
  'between', 'at', 'least', 'of', 'before', 'after', 'if', 'then', 'else', 'true', 'false', 'today',
]);

/** Symbols, longest first so that `<=` wins over `<`. Unicode forms map to their ASCII spelling. */
const SYMBOLS = ['<=', '>=', '!=', '=', '<', '>', '+', '-', '*', '/', '(', ')', '[', ']', ','];
const UNICODE: Record<string, string> = { '≠': '!=', '≤': '<=', '≥': '>=' };

const IDENT_RE = /[A-Za-z_][A-Za-z0-9_]*/y;
const DATE_RE = /\d{4}-\d{2}-\d{2}(?![0-9A-Za-z_])/y;
// `2025-1-1` would otherwise read as 2025 − 1 − 1: a date written wrongly must not become arithmetic.
const LOOSE_DATE_RE = /\d{4}-\d+-\d+/y;
const NUMBER_RE = /\d+(\.\d+)?%?/y;

/** Where the text is embedded in a file: `lineOffset` is added to every line, `colOffset` to columns of the first line. */
export interface SourceMap {
  file?: string;
  lineOffset?: number;
  colOffset?: number;
}

export function syntaxError(zh: string, en: string, loc: Loc, src: SourceMap): EngineError {
  return new EngineError('SYNTAX', `第${loc.line}行第${loc.col}列：${zh}`, `line ${loc.line}, column ${loc.col}: ${en}`, loc, src.file);
}

/** How a token reads in a message: `"and"`, `文本末尾 / end of text`. */
export function describe(t: Token): { zh: string; en: string } {
  if (t.kind === 'eof') return { zh: '文本末尾', en: 'end of text' };
  const shown = t.raw.length > 40 ? t.raw.slice(0, 37) + '…' : t.raw;
  return { zh: `"${shown}"`, en: `"${shown}"` };
}

export function tokenize(text: string, src: SourceMap = {}): Token[] {
  const lineOffset = src.lineOffset ?? 0;
  const colOffset = src.colOffset ?? 0;
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let spaced = false;
  const locAt = (pos: number): Loc => ({
    line: line + lineOffset,
    col: pos - lineStart + 1 + (line === 1 ? colOffset : 0),
  });
  // End of text is reported right after the last token: in a YAML block the true end is the next key's line.
  let endLoc: Loc | undefined;
  const push = (kind: TokenKind, tokenText: string, start: number, end: number) => {
    tokens.push({ kind, text: tokenText, raw: text.slice(start, end), loc: locAt(start), spaced });
    if (kind !== 'string') endLoc = locAt(end);
    spaced = false;
  };

  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      spaced = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\u3000') {
      i++;
      spaced = true;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      spaced = true;
      continue;
    }
    const start = i;
    if (c === '"') {
      i = readString(text, i, (value, end) => push('string', value, start, end), () => locAt(start), src);
      // Strings may span lines; keep line numbering right for what follows.
      for (let k = start; k < i; k++) if (text[k] === '\n') { line++; lineStart = k + 1; }
      endLoc = locAt(i);
      continue;
    }
    if (c >= '0' && c <= '9') {
      DATE_RE.lastIndex = i;
      const d = DATE_RE.exec(text);
      if (d) {
        push('date', d[0], i, i + d[0].length);
        i += d[0].length;
        continue;
      }
      LOOSE_DATE_RE.lastIndex = i;
      const loose = LOOSE_DATE_RE.exec(text);
      if (loose)
        throw syntaxError(`日期 "${loose[0]}" 写法有误，期望 YYYY-MM-DD（如 2025-01-01）`,
          `malformed date "${loose[0]}"; expected YYYY-MM-DD (e.g. 2025-01-01)`, locAt(start), src);
      NUMBER_RE.lastIndex = i;
      const n = NUMBER_RE.exec(text)!;
      i += n[0].length;
      if (/[A-Za-z_.]/.test(text[i] ?? ''))
        throw syntaxError(`数字 "${text.slice(start, i + 1)}" 写法有误，期望如 12、0.055、5.5%`,
          `malformed number "${text.slice(start, i + 1)}"; expected e.g. 12, 0.055, 5.5%`, locAt(start), src);
      push('number', n[0], start, i);
      continue;
    }
    if (c === '$') {
      IDENT_RE.lastIndex = i + 1;
      const m = IDENT_RE.exec(text);
      if (!m || /[A-Z]/.test(m[0]))
        throw syntaxError('"$" 之后期望参数名（小写字母、数字、下划线）', 'expected a parameter name (lower-case letters, digits, _) after "$"', locAt(start), src);
      i += 1 + m[0].length;
      push('param', m[0], start, i);
      continue;
    }
    IDENT_RE.lastIndex = i;
    const w = IDENT_RE.exec(text);
    if (w) {
      if (/[A-Z]/.test(w[0]))
        throw syntaxError(`名称 "${w[0]}" 含大写字母，字段名只能用小写字母、数字和下划线`,
          `name "${w[0]}" has upper-case letters; field names use lower-case letters, digits and _`, locAt(start), src);
      i += w[0].length;
      push(KEYWORDS.has(w[0]) ? 'keyword' : 'ident', w[0], start, i);
      continue;
    }
    const sym = UNICODE[c] ?? SYMBOLS.find((s) => text.startsWith(s, i));
    if (sym) {
      i += UNICODE[c] ? 1 : sym.length;
      push('symbol', sym, start, i);
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    throw syntaxError(`无法识别的字符 "${ch}"`, `unexpected character "${ch}"`, locAt(start), src);
  }
  tokens.push({ kind: 'eof', text: '', raw: '', loc: endLoc ?? locAt(i), spaced });
  return tokens;
}

/** Reads a double-quoted string at `i`; only `\"` and `\\` are escapes. Returns the index after the closing quote. */
function readString(text: string, i: number, emit: (value: string, end: number) => void, where: () => Loc, src: SourceMap): number {
  let out = '';
  let k = i + 1;
  for (;;) {
    if (k >= text.length)
      throw syntaxError('字符串缺少结尾的双引号', 'string is not closed: expected a closing double quote', where(), src);
    const ch = text[k];
    if (ch === '"') break;
    if (ch === '\\') {
      const next = text[k + 1];
      if (next !== '"' && next !== '\\')
        throw syntaxError(`字符串中不支持的转义 "\\${next ?? ''}"，只能用 \\" 和 \\\\`,
          `unsupported escape "\\${next ?? ''}" in a string; only \\" and \\\\ are allowed`, where(), src);
      out += next;
      k += 2;
      continue;
    }
    out += ch;
    k++;
  }
  emit(out, k + 1);
  return k + 1;
}
