// Text form → AST, by recursive descent over the precedence levels of
// docs/rule-language.md. Nesting is counted as it is entered, so hostile input
// (10,000 open parentheses) stops with a LIMIT error long before the stack does.
import type { CmpOp, Expr, LitValue, Loc } from '../ast/ast.ts';
import { attempt, type EngineError, type Result } from '../errors.ts';
import { MAX_DATE, MIN_DATE, parseDate } from '../values/dates.ts';
import { MAX_SIGNIFICANT, dec, decToString, significantDigits } from '../values/decimal.ts';
import { CALLABLE_NAMES, FUNCTION_ARITY, isFnName } from './grammar.ts';
import { RULE_LIMITS, checkDepth, limitError, utf8Length } from './limits.ts';
import { describe, Lexer, syntaxError, type SourceMap, type Token } from './lexer.ts';

export type ParseOptions = SourceMap;

const CMP_SYMBOLS = new Set(['=', '!=', '<', '<=', '>', '>=']);
const CMP_KEYWORDS = new Set(['before', 'after', 'between', 'in', 'within', 'contains', 'is']);

/** Parses one rule or formula. Throws EngineError SYNTAX or LIMIT, with line and column. */
export function parseExpr(text: string, opts: ParseOptions = {}): Expr {
  const bytes = utf8Length(text);
  if (bytes > RULE_LIMITS.maxTextBytes)
    throw limitError(`规则文本 ${bytes} 字节，超过上限 1 MB`, `rule text is ${bytes} bytes, over the 1 MB limit`,
      { line: 1 + (opts.lineOffset ?? 0), col: 1 + (opts.colOffset ?? 0) }, opts);
  const p = new Parser(new Lexer(text, opts), opts);
  const e = p.parseTop();
  checkDepth(e, opts);
  return e;
}

/** parseExpr that returns the error instead of throwing. */
export function safeParseExpr(text: string, opts: ParseOptions = {}): Result<Expr> {
  return attempt(() => parseExpr(text, opts));
}

class Parser {
  private pos = 0;
  private depth = 0;
  private nodes = 0;

  constructor(
    private readonly lexer: Lexer,
    private readonly src: SourceMap,
  ) {}

  parseTop(): Expr {
    const e = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof')
      throw this.error(t, `期望 and、or 或文本结束，实际为 ${describe(t).zh}`, `expected "and", "or" or the end of the text, found ${describe(t).en}`);
    return e;
  }

  // ---- token helpers

  private peek(ahead = 0): Token {
    return this.lexer.at(this.pos + ahead);
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private is(t: Token, kind: 'keyword' | 'symbol', text: string): boolean {
    return t.kind === kind && t.text === text;
  }
  private accept(kind: 'keyword' | 'symbol', text: string): Token | undefined {
    return this.is(this.peek(), kind, text) ? this.next() : undefined;
  }
  private expect(kind: 'keyword' | 'symbol', text: string, after?: string): Token {
    const t = this.peek();
    if (this.is(t, kind, text)) return this.next();
    const d = describe(t);
    throw this.error(t, `${after ? `${after} 之后` : ''}期望 "${text}"，实际为 ${d.zh}`, `expected "${text}"${after ? ` after "${after}"` : ''}, found ${d.en}`);
  }
  private error(t: Token, zh: string, en: string): EngineError {
    return syntaxError(zh, en, t.loc, this.src);
  }

  private node<E extends Expr>(e: E, loc: Loc): E {
    if (++this.nodes > RULE_LIMITS.maxNodes)
      throw limitError(`规则节点超过 ${RULE_LIMITS.maxNodes} 个`, `rule has more than ${RULE_LIMITS.maxNodes} nodes`, loc, this.src);
    e.loc = loc;
    return e;
  }

  /** Every recursive cycle of the grammar passes through here. */
  private nested<T>(at: Token, f: () => T): T {
    if (++this.depth > RULE_LIMITS.maxDepth)
      throw limitError(`嵌套超过 ${RULE_LIMITS.maxDepth} 层`, `nested more than ${RULE_LIMITS.maxDepth} levels deep`, at.loc, this.src);
    const r = f();
    this.depth--;
    return r;
  }

  // ---- logic levels

  private parseOr(): Expr {
    return this.nested(this.peek(), () => this.chain('or', () => this.parseAnd()));
  }
  private parseAnd(): Expr {
    return this.chain('and', () => this.parseNot());
  }
  private chain(op: 'and' | 'or', operand: () => Expr): Expr {
    const first = operand();
    if (!this.is(this.peek(), 'keyword', op)) return first;
    const loc = this.peek().loc;
    const args = [first];
    while (this.accept('keyword', op)) args.push(operand());
    return this.node({ op, args }, loc);
  }
  private parseNot(): Expr {
    const t = this.peek();
    if (!this.is(t, 'keyword', 'not')) return this.parseComparison();
    this.next();
    return this.nested(t, () => this.node({ op: 'not', arg: this.parseNot() }, t.loc));
  }

  // ---- comparison level: at most one comparison, `a < b < c` is refused

  private parseComparison(): Expr {
    const left = this.parseAdd();
    const e = this.comparisonTail(left);
    if (e !== left) {
      const t = this.peek();
      if (isComparisonStart(t))
        throw this.error(t, `比较不能连写，请用 and 连接或加括号，实际为 ${describe(t).zh}`,
          `comparisons do not chain; join them with "and" or add parentheses (found ${describe(t).en})`);
    }
    return e;
  }

  private comparisonTail(left: Expr): Expr {
    const t = this.peek();
    if (t.kind === 'symbol' && CMP_SYMBOLS.has(t.text)) {
      this.next();
      return this.node({ op: 'cmp', cmp: t.text as CmpOp, left, right: this.parseAdd() }, t.loc);
    }
    if (t.kind !== 'keyword') return left;
    switch (t.text) {
      case 'before':
      case 'after':
        this.next();
        return this.node({ op: 'cmp', cmp: t.text === 'before' ? '<' : '>', left, right: this.parseAdd() }, t.loc);
      case 'between': {
        this.next();
        const low = this.parseAdd();
        this.expect('keyword', 'and', 'between …');
        return this.node({ op: 'between', value: left, low, high: this.parseAdd() }, t.loc);
      }
      case 'in':
        this.next();
        return this.node({ op: 'in', value: left, list: this.parseAdd() }, t.loc);
      case 'within':
        this.next();
        return this.node({ op: 'within', value: left, regions: this.regionList() }, t.loc);
      case 'not': {
        const u = this.peek(1);
        if (this.is(u, 'keyword', 'in')) {
          this.pos += 2;
          return this.node({ op: 'in', value: left, list: this.parseAdd(), negate: true }, t.loc);
        }
        if (this.is(u, 'keyword', 'within')) {
          this.pos += 2;
          return this.node({ op: 'within', value: left, regions: this.regionList(), negate: true }, t.loc);
        }
        throw this.error(u, `"not" 之后期望 "in" 或 "within"，实际为 ${describe(u).zh}`, `expected "in" or "within" after "not", found ${describe(u).en}`);
      }
      case 'contains': {
        this.next();
        const m = this.next();
        if (m.kind !== 'keyword' || (m.text !== 'any' && m.text !== 'all' && m.text !== 'none'))
          throw this.error(m, `"contains" 之后期望 any、all 或 none，实际为 ${describe(m).zh}`, `expected "any", "all" or "none" after "contains", found ${describe(m).en}`);
        return this.node({ op: 'contains', mode: m.text, set: left, list: this.parseAdd() }, t.loc);
      }
      case 'is': {
        this.next();
        const k = this.next();
        if (this.is(k, 'keyword', 'known')) return this.node({ op: 'known', value: left }, t.loc);
        if (this.is(k, 'keyword', 'missing')) return this.node({ op: 'known', value: left, negate: true }, t.loc);
        throw this.error(k, `"is" 之后期望 "known" 或 "missing"，实际为 ${describe(k).zh}`, `expected "known" or "missing" after "is", found ${describe(k).en}`);
      }
      default:
        return left;
    }
  }

  private regionList(): string[] {
    const open = this.peek();
    if (!this.is(open, 'symbol', '['))
      throw this.error(open, `"within" 之后期望地区代码列表，如 ["371502"]，实际为 ${describe(open).zh}`,
        `expected a list of region codes such as ["371502"] after "within", found ${describe(open).en}`);
    const value = this.listLiteral();
    const bad = value.list.findIndex((v) => typeof v !== 'string');
    if (bad >= 0)
      throw this.error(open, '地区代码必须写成字符串，如 "371502"', 'region codes must be strings such as "371502"');
    return value.list as string[];
  }

  // ---- arithmetic

  private parseAdd(): Expr {
    let e = this.parseMul();
    for (let t = this.peek(); t.kind === 'symbol' && (t.text === '+' || t.text === '-'); t = this.peek()) {
      this.next();
      e = this.node({ op: 'arith', arith: t.text, left: e, right: this.parseMul() }, t.loc);
    }
    return e;
  }
  private parseMul(): Expr {
    let e = this.parseUnary();
    for (let t = this.peek(); t.kind === 'symbol' && (t.text === '*' || t.text === '/'); t = this.peek()) {
      this.next();
      e = this.node({ op: 'arith', arith: t.text, left: e, right: this.parseUnary() }, t.loc);
    }
    return e;
  }
  private parseUnary(): Expr {
    const t = this.peek();
    if (!this.is(t, 'symbol', '-')) return this.parsePrimary();
    this.next();
    // `-3` is the literal −3, so that printing a negative number does not invent a `neg` node.
    if (this.peek().kind === 'number') return this.node({ op: 'lit', value: this.number(this.next(), true) }, t.loc);
    return this.nested(t, () => this.node({ op: 'neg', arg: this.parseUnary() }, t.loc));
  }

  // ---- primaries

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.next();
        return this.node({ op: 'lit', value: this.number(t, false) }, t.loc);
      case 'date':
        this.next();
        return this.node({ op: 'lit', value: this.date(t) }, t.loc);
      case 'string':
        this.next();
        return this.node({ op: 'lit', value: t.text }, t.loc);
      case 'param':
        this.next();
        return this.node({ op: 'param', name: t.text }, t.loc);
      case 'ident':
        this.next();
        if (this.is(this.peek(), 'symbol', '(')) return this.call(t);
        return this.node({ op: 'field', name: t.text }, t.loc);
      case 'keyword':
        if (t.text === 'true' || t.text === 'false') {
          this.next();
          return this.node({ op: 'lit', value: t.text === 'true' }, t.loc);
        }
        if (t.text === 'today') {
          this.next();
          return this.node({ op: 'today' }, t.loc);
        }
        if (t.text === 'if') return this.conditional();
        if (t.text === 'at') return this.atLeast();
        break;
      case 'symbol':
        if (t.text === '(') {
          this.next();
          const e = this.parseOr();
          this.expect('symbol', ')');
          return e;
        }
        if (t.text === '[') return this.node({ op: 'lit', value: this.listLiteral() }, t.loc);
        break;
    }
    throw this.error(t, `期望一个值（字段、数字、字符串、日期、$参数、函数或括号），实际为 ${describe(t).zh}`,
      `expected a value (field, number, string, date, $parameter, function or parenthesis), found ${describe(t).en}`);
  }

  private conditional(): Expr {
    const t = this.next();
    const cond = this.parseOr();
    this.expect('keyword', 'then', 'if …');
    const then = this.parseOr();
    this.expect('keyword', 'else', 'if … then …');
    return this.node({ op: 'if', cond, then, else: this.parseOr() }, t.loc);
  }

  private atLeast(): Expr {
    const t = this.next();
    this.expect('keyword', 'least', 'at');
    const nTok = this.next();
    // Any whole N: the visual editor can build `at least 0 of` or more than listed, so the text must say it too.
    if (nTok.kind !== 'number' || !/^\d+$/.test(nTok.text) || !Number.isSafeInteger(Number(nTok.text)))
      throw this.error(nTok, `"at least" 之后期望整数，实际为 ${describe(nTok).zh}`, `expected a whole number after "at least", found ${describe(nTok).en}`);
    this.expect('keyword', 'of', 'at least N');
    const args = this.argList('at least N of');
    const n = Number(nTok.text);
    return this.node({ op: 'atleast', n, args }, t.loc);
  }

  private call(name: Token): Expr {
    const args = this.argList(name.text);
    if (name.text === 'tier' || name.text === 'lookup') {
      const table = args.length === 2 && args[1].op === 'param' ? args[1].name : undefined;
      if (table === undefined)
        throw this.error(name, `${name.text}(值, $表格参数) 需要两个参数，第二个是 $ 开头的表格参数`,
          `${name.text}(value, $table) takes two arguments, the second a $table parameter`);
      this.nodes--; // the table parameter is folded into the node
      return this.node({ op: name.text, value: args[0], table }, name.loc);
    }
    if (!isFnName(name.text))
      throw this.error(name, `未知函数 "${name.text}"，可用的函数：${CALLABLE_NAMES.join('、')}`,
        `unknown function "${name.text}"; known functions: ${CALLABLE_NAMES.join(', ')}`);
    const [least, most] = FUNCTION_ARITY[name.text];
    if (args.length < least || args.length > most) {
      const want = least === most ? `${least}` : `至少 ${least}`;
      const wantEn = least === most ? `${least}` : `at least ${least}`;
      throw this.error(name, `函数 ${name.text} 需要 ${want} 个参数，实际为 ${args.length} 个`, `function ${name.text} takes ${wantEn} argument(s), found ${args.length}`);
    }
    return this.node({ op: 'call', fn: name.text, args }, name.loc);
  }

  /** `( e, e, … )` — at least one expression. */
  private argList(what: string): Expr[] {
    this.expect('symbol', '(', what);
    const args = [this.parseOr()];
    while (this.accept('symbol', ',')) args.push(this.parseOr());
    const t = this.peek();
    if (!this.is(t, 'symbol', ')'))
      throw this.error(t, `${what}(…) 中期望 "," 或 ")"，实际为 ${describe(t).zh}`, `in ${what}(…): expected "," or ")", found ${describe(t).en}`);
    this.next();
    return args;
  }

  // ---- literals

  private listLiteral(): { list: LitValue[] } {
    const open = this.next();
    return this.nested(open, () => {
      const list: LitValue[] = [];
      while (!this.is(this.peek(), 'symbol', ']')) {
        if (list.length >= RULE_LIMITS.maxListMembers)
          throw limitError(`列表超过 ${RULE_LIMITS.maxListMembers} 项`, `list has more than ${RULE_LIMITS.maxListMembers} members`, open.loc, this.src);
        list.push(this.listMember());
        if (!this.accept('symbol', ',')) break;
      }
      const t = this.peek();
      if (!this.is(t, 'symbol', ']'))
        throw this.error(t, `列表中期望 "," 或 "]"，实际为 ${describe(t).zh}`, `in a list: expected "," or "]", found ${describe(t).en}`);
      this.next();
      return { list };
    });
  }

  private listMember(): LitValue {
    const t = this.next();
    if (t.kind === 'number') return this.number(t, false);
    if (this.is(t, 'symbol', '-') && this.peek().kind === 'number') return this.number(this.next(), true);
    if (t.kind === 'string') return t.text;
    if (t.kind === 'date') return this.date(t);
    if (this.is(t, 'keyword', 'true') || this.is(t, 'keyword', 'false')) return t.text === 'true';
    if (this.is(t, 'symbol', '[')) {
      this.pos--;
      return this.listLiteral();
    }
    throw this.error(t, `列表中只能写常量（数字、字符串、日期、true/false），实际为 ${describe(t).zh}`,
      `a list holds only constants (numbers, strings, dates, true/false), found ${describe(t).en}`);
  }

  /** Plain numbers keep their text exactly (`1.50` stays "1.50"); percentages are divided exactly: `5.5%` → "0.055". */
  private number(t: Token, negative: boolean): { num: string; pct?: boolean } {
    const pct = t.text.endsWith('%');
    const digits = pct ? t.text.slice(0, -1) : t.text;
    const num = pct ? decToString(dec(digits).div(negative ? -100 : 100)) : (negative ? '-' : '') + digits;
    if (significantDigits(num) > MAX_SIGNIFICANT)
      throw this.error(t, `数字 ${t.raw} 超过 ${MAX_SIGNIFICANT} 位有效数字`, `number ${t.raw} has more than ${MAX_SIGNIFICANT} significant digits`);
    return pct ? { num, pct: true } : { num };
  }

  private date(t: Token): { date: string } {
    if (parseDate(t.text) === undefined)
      throw this.error(t, `"${t.text}" 不是有效日期（期望 ${MIN_DATE} 至 ${MAX_DATE} 之间真实存在的日期）`,
        `"${t.text}" is not a valid date (expected a real day between ${MIN_DATE} and ${MAX_DATE})`);
    return { date: t.text };
  }
}

function isComparisonStart(t: Token): boolean {
  return (t.kind === 'symbol' && CMP_SYMBOLS.has(t.text)) || (t.kind === 'keyword' && CMP_KEYWORDS.has(t.text));
}
