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

/** All tokens of a text, the last one `eof`. */
export function tokenize(text: string, src: SourceMap = {}): Token[] {
  const lexer = new Lexer(text, src);
  const out: Token[] = [];
  for (let k = 0; ; k++) {
    out.push(lexer.at(k));
    if (out[k].kind === 'eof') return out;
  }
}

/**
 * Tokens on demand: the parser stops hostile input (a megabyte of `(`) after a few hundred
 * tokens, so the rest is never cut up.
 */
export class Lexer {
  private readonly tokens: Token[] = [];
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private spaced = false;
  // End of text is reported right after the last token: in a YAML block the true end is the next key's line.
  private endLoc: Loc | undefined;

  constructor(
    private readonly text: string,
    private readonly src: SourceMap = {},
  ) {}

  /** Token `k` (0-based); past the end, the `eof` token. */
  at(k: number): Token {
    while (this.tokens.length <= k && this.tokens[this.tokens.length - 1]?.kind !== 'eof') this.tokens.push(this.lexOne());
    return this.tokens[Math.min(k, this.tokens.length - 1)];
  }

  private locAt(pos: number): Loc {
    return {
      line: this.line + (this.src.lineOffset ?? 0),
      col: pos - this.lineStart + 1 + (this.line === 1 ? (this.src.colOffset ?? 0) : 0),
    };
  }

  private make(kind: TokenKind, tokenText: string, start: number, end: number, loc = this.locAt(start)): Token {
    const t: Token = { kind, text: tokenText, raw: this.text.slice(start, end), loc, spaced: this.spaced };
    this.endLoc = this.locAt(end);
    this.spaced = false;
    this.i = end;
    return t;
  }

  private fail(zh: string, en: string, at: number): EngineError {
    return syntaxError(zh, en, this.locAt(at), this.src);
  }

  private lexOne(): Token {
    const text = this.text;
    while (this.i < text.length) {
      const c = text[this.i];
      if (c === '\n') {
        this.i++;
        this.line++;
        this.lineStart = this.i;
        this.spaced = true;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\u3000') {
        this.i++;
        this.spaced = true;
      } else if (c === '#') {
        while (this.i < text.length && text[this.i] !== '\n') this.i++;
        this.spaced = true;
      } else return this.lexToken(c);
    }
    return { kind: 'eof', text: '', raw: '', loc: this.endLoc ?? this.locAt(this.i), spaced: this.spaced };
  }

  private lexToken(c: string): Token {
    const text = this.text;
    const start = this.i;
    if (c === '"') {
      const loc = this.locAt(start);
      const { value, end } = readString(text, start, () => this.fail('字符串缺少结尾的双引号', 'string is not closed: expected a closing double quote', start),
        (esc) => this.fail(`字符串中不支持的转义 "\\${esc}"，只能用 \\" 和 \\\\`, `unsupported escape "\\${esc}" in a string; only \\" and \\\\ are allowed`, start));
      // Strings may span lines; keep line numbering right for what follows.
      for (let k = start; k < end; k++)
        if (text[k] === '\n') {
          this.line++;
          this.lineStart = k + 1;
        }
      return this.make('string', value, start, end, loc);
    }
    if (c >= '0' && c <= '9') {
      DATE_RE.lastIndex = start;
      const d = DATE_RE.exec(text);
      if (d) return this.make('date', d[0], start, start + d[0].length);
      LOOSE_DATE_RE.lastIndex = start;
      const loose = LOOSE_DATE_RE.exec(text);
      if (loose)
        throw this.fail(`日期 "${loose[0]}" 写法有误，期望 YYYY-MM-DD（如 2025-01-01）`, `malformed date "${loose[0]}"; expected YYYY-MM-DD (e.g. 2025-01-01)`, start);
      NUMBER_RE.lastIndex = start;
      const end = start + NUMBER_RE.exec(text)![0].length;
      if (/[A-Za-z_.]/.test(text[end] ?? ''))
        throw this.fail(`数字 "${text.slice(start, end + 1)}" 写法有误，期望如 12、0.055、5.5%`,
          `malformed number "${text.slice(start, end + 1)}"; expected e.g. 12, 0.055, 5.5%`, start);
      return this.make('number', text.slice(start, end), start, end);
    }
    if (c === '$') {
      IDENT_RE.lastIndex = start + 1;
      const m = IDENT_RE.exec(text);
      if (!m || /[A-Z]/.test(m[0]))
        throw this.fail('"$" 之后期望参数名（小写字母、数字、下划线）', 'expected a parameter name (lower-case letters, digits, _) after "$"', start);
      return this.make('param', m[0], start, start + 1 + m[0].length);
    }
    IDENT_RE.lastIndex = start;
    const w = IDENT_RE.exec(text);
    if (w) {
      if (/[A-Z]/.test(w[0]))
        throw this.fail(`名称 "${w[0]}" 含大写字母，字段名只能用小写字母、数字和下划线`,
          `name "${w[0]}" has upper-case letters; field names use lower-case letters, digits and _`, start);
      return this.make(KEYWORDS.has(w[0]) ? 'keyword' : 'ident', w[0], start, start + w[0].length);
    }
    const sym = UNICODE[c] ?? SYMBOLS.find((x) => text.startsWith(x, start));
    if (sym) return this.make('symbol', sym, start, start + (UNICODE[c] ? 1 : sym.length));
    const ch = String.fromCodePoint(text.codePointAt(start)!);
    throw this.fail(`无法识别的字符 "${ch}"`, `unexpected character "${ch}"`, start);
  }
}

/** Reads a double-quoted string at `i`; only `\"` and `\\` are escapes. */
function readString(text: string, i: number, unclosed: () => EngineError, badEscape: (esc: string) => EngineError): { value: string; end: number } {
  let out = '';
  let k = i + 1;
  for (;;) {
    if (k >= text.length) throw unclosed();
    const ch = text[k];
    if (ch === '"') return { value: out, end: k + 1 };
    if (ch === '\\') {
      const next = text[k + 1];
      if (next !== '"' && next !== '\\') throw badEscape(next ?? '');
      out += next;
      k += 2;
      continue;
    }
    out += ch;
    k++;
  }
}
