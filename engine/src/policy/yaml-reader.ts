// Reading a YAML tree against an expected shape, collecting every error with its
// file:line:col instead of stopping at the first. The loader states what it wants
// (required and optional keys, value kinds); this file says what was wrong and where.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { Expr, Loc } from '../ast/ast.ts';
import { EngineError } from '../errors.ts';
import { parseExpr } from '../syntax/parser.ts';
import { parseDate } from '../values/dates.ts';
import { MAX_SIGNIFICANT, dec, decToString, isDecimalText, numToString, significantDigits } from '../values/decimal.ts';

export class YamlReader {
  readonly errors: EngineError[] = [];

  constructor(
    readonly file: string,
    private readonly source: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
  ) {}

  loc(node: unknown): Loc {
    const range = (node as Node | null | undefined)?.range;
    const { line, col } = this.lines.linePos(range ? range[0] : 0);
    return { line, col };
  }

  fail(node: unknown, path: string, zh: string, en: string): undefined {
    this.errors.push(new EngineError('POLICY_FILE', path ? `${path}：${zh}` : zh, path ? `${path}: ${en}` : en, this.loc(node), this.file));
    return undefined;
  }

  /** Plain JSON of a subtree, aliases resolved (bounded by the yaml package's alias limit). */
  toJS(node: Node): unknown {
    return node.toJS(this.doc, { maxAliasCount: 100 });
  }

  /** A mapping with exactly the allowed keys; unknown keys are reported with the nearest allowed one. */
  map(node: unknown, path: string, required: readonly string[], optional: readonly string[] = []): Fields | undefined {
    if (!isMap(node)) return this.fail(node, path, `期望键值映射，实际为${found(node).zh}`, `expected a mapping (key: value), found ${found(node).en}`);
    const entries = new Map<string, { key: unknown; value: unknown }>();
    const allowed = [...required, ...optional];
    for (const pair of (node as YAMLMap).items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (name === undefined) {
        this.fail(pair.key ?? node, path, '键必须是简单文字', 'keys must be plain words');
        continue;
      }
      if (!allowed.includes(name)) {
        const near = nearest(name, allowed);
        this.fail(pair.key, join(path, name),
          near ? `未知的键 "${name}"，是否想写 "${near}"？` : `未知的键 "${name}"，可用的键：${allowed.join('、')}`,
          near ? `unknown key "${name}"; did you mean "${near}"?` : `unknown key "${name}"; allowed keys: ${allowed.join(', ')}`);
        continue;
      }
      entries.set(name, { key: pair.key, value: pair.value });
    }
    for (const k of required)
      if (!entries.has(k)) this.fail(node, path, `缺少必填项 "${k}"`, `missing required key "${k}"`);
    return new Fields(this, node, path, entries);
  }

  /** Items of a list, each with its path. */
  seq(node: unknown, path: string): { node: unknown; path: string }[] | undefined {
    if (!isSeq(node)) return this.fail(node, path, `期望列表，实际为${found(node).zh}`, `expected a list, found ${found(node).en}`);
    return node.items.map((n, i) => ({ node: n, path: `${path}[${i}]` }));
  }

  text(node: unknown, path: string): string | undefined {
    if (!isScalar(node) || node.value === null || typeof node.value === 'boolean' || node.value === '')
      return this.fail(node, path, `期望文字，实际为${found(node).zh}`, `expected text, found ${found(node).en}`);
    return typeof node.value === 'string' ? node.value : (node.source ?? String(node.value));
  }

  date(node: unknown, path: string): string | undefined {
    const s = isScalar(node) ? String(node.value) : undefined;
    if (s !== undefined && parseDate(s) !== undefined) return s;
    return this.fail(node, path, `期望日期 YYYY-MM-DD（如 2025-01-01），实际为${found(node).zh}`,
      `expected a date YYYY-MM-DD (e.g. 2025-01-01), found ${found(node).en}`);
  }

  bool(node: unknown, path: string): boolean | undefined {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    return this.fail(node, path, `期望 true 或 false，实际为${found(node).zh}`, `expected true or false, found ${found(node).en}`);
  }

  oneOf<T extends string>(node: unknown, path: string, values: readonly T[]): T | undefined {
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    return this.fail(node, path, `期望 ${values.join(' 或 ')}，实际为${found(node).zh}`, `expected ${values.join(' or ')}, found ${found(node).en}`);
  }

  /** Exact decimal text of a number written as `12`, `0.055`, `"0.055"` or `"5.5%"`; at most 15 significant digits. */
  decimal(node: unknown, path: string): string | undefined {
    const text = decimalText(node);
    if (text === undefined)
      return this.fail(node, path, `期望数字（如 12、0.055、"5.5%"），实际为${found(node).zh}`, `expected a number (e.g. 12, 0.055, "5.5%"), found ${found(node).en}`);
    if (significantDigits(text) > MAX_SIGNIFICANT)
      return this.fail(node, path, `数字 ${text} 超过 ${MAX_SIGNIFICANT} 位有效数字`, `number ${text} has more than ${MAX_SIGNIFICANT} significant digits`);
    return text;
  }

  int(node: unknown, path: string, min?: number): number | undefined {
    const text = decimalText(node);
    const n = text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;
    if (n === undefined || !Number.isSafeInteger(n) || (min !== undefined && n < min)) {
      const want = min === undefined ? { zh: '整数', en: 'a whole number' } : { zh: `不小于 ${min} 的整数`, en: `a whole number ≥ ${min}` };
      return this.fail(node, path, `期望${want.zh}，实际为${found(node).zh}`, `expected ${want.en}, found ${found(node).en}`);
    }
    return n;
  }

  strList(node: unknown, path: string): string[] | undefined {
    const items = this.seq(node, path);
    if (!items) return undefined;
    const out: string[] = [];
    for (const it of items) {
      const s = this.text(it.node, it.path);
      if (s !== undefined) out.push(s);
    }
    return out.length === items.length ? out : undefined;
  }

  /**
   * Rule text, parsed with positions mapped to the file. Plain and block scalars are parsed
   * from their source lines, so columns are exact on every line; quoted scalars from their
   * value, offset past the opening quote.
   */
  rule(node: unknown, path: string): { expr: Expr; text: string } | undefined {
    if (!isScalar(node) || node.value === null || typeof node.value === 'object')
      return this.fail(node, path, `期望规则文本，实际为${found(node).zh}`, `expected rule text, found ${found(node).en}`);
    const s = node as Scalar;
    const [start, end] = s.range!;
    const quoted = s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE';
    const block = s.type === 'BLOCK_LITERAL' || s.type === 'BLOCK_FOLDED';
    const text = typeof s.value === 'string' ? s.value : (s.source ?? String(s.value));
    let body = quoted ? text : this.source.slice(start, end);
    let at = this.lines.linePos(start);
    let colOffset = quoted ? at.col : at.col - 1;
    if (block) {
      const nl = this.source.indexOf('\n', start);
      const from = nl < 0 || nl >= end ? end : nl + 1;
      body = this.source.slice(from, end);
      at = this.lines.linePos(from);
      colOffset = 0;
    }
    try {
      return { expr: parseExpr(body, { file: this.file, lineOffset: at.line - 1, colOffset }), text: text.trimEnd() };
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      this.errors.push(e);
      return undefined;
    }
  }
}

/** The keys of one mapping, read by name; reading a missing key gives undefined without a second error. */
export class Fields {
  constructor(
    readonly r: YamlReader,
    readonly node: unknown,
    readonly path: string,
    private readonly entries: Map<string, { key: unknown; value: unknown }>,
  ) {}

  has(k: string): boolean {
    return this.entries.has(k);
  }
  value(k: string): unknown {
    return this.entries.get(k)?.value;
  }
  keyNode(k: string): unknown {
    return this.entries.get(k)?.key;
  }
  at(k: string): string {
    return join(this.path, k);
  }
  /** Applies a reader to the key's value when the key is present. */
  get<T>(k: string, read: (node: unknown, path: string) => T | undefined): T | undefined {
    return this.entries.has(k) ? read(this.entries.get(k)!.value, this.at(k)) : undefined;
  }
  text(k: string): string | undefined {
    return this.get(k, (n, p) => this.r.text(n, p));
  }
  date(k: string): string | undefined {
    return this.get(k, (n, p) => this.r.date(n, p));
  }
  bool(k: string): boolean | undefined {
    return this.get(k, (n, p) => this.r.bool(n, p));
  }
  int(k: string, min?: number): number | undefined {
    return this.get(k, (n, p) => this.r.int(n, p, min));
  }
  decimal(k: string): string | undefined {
    return this.get(k, (n, p) => this.r.decimal(n, p));
  }
  strList(k: string): string[] | undefined {
    return this.get(k, (n, p) => this.r.strList(n, p));
  }
  oneOf<T extends string>(k: string, values: readonly T[]): T | undefined {
    return this.get(k, (n, p) => this.r.oneOf(n, p, values));
  }
}

export function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function decimalText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    // The source keeps digits a double would lose (12345678901234567), so the digit limit can see them.
    const src = node.source;
    return src !== undefined && isDecimalText(src) ? decToString(dec(src)) : numToString(v);
  }
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s.endsWith('%') && isDecimalText(s.slice(0, -1))) return decToString(dec(s.slice(0, -1)).div(100));
  return isDecimalText(s) ? decToString(dec(s)) : undefined;
}

/** How a value reads in a message. */
export function found(node: unknown): { zh: string; en: string } {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return { zh: '空值', en: 'nothing' };
  if (isMap(node)) return { zh: '键值映射', en: 'a mapping' };
  if (isSeq(node)) return { zh: '列表', en: 'a list' };
  if (isScalar(node)) {
    const raw = typeof node.value === 'string' ? node.value : (node.source ?? String(node.value));
    const shown = JSON.stringify(raw.length > 40 ? raw.slice(0, 37) + '…' : raw);
    return { zh: ` ${shown}`, en: shown };
  }
  return { zh: '无法识别的内容', en: 'something unrecognised' };
}

/** The allowed key within two edits of a misspelt one (`eligibilty` → `eligibility`). */
function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
