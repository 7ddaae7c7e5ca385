// Rules in plain words. Every condition prints as a short Chinese (or English) phrase
// built from the dictionary's labels and units, e.g. "上年度失业保险缴费月数 ≥ 12 个月".
// Parameters print as their value on the evaluation date, because that is the number
// the citizen has to meet.
import type { Expr, LitValue } from '../ast/ast.ts';
import type { Dictionary, FieldDef } from '../dictionary/types.ts';
import { enumLabel } from '../dictionary/dictionary.ts';
import type { ResolvedParams } from '../params/resolve.ts';
import { paramToLit } from '../params/resolve.ts';
import { formatDate } from '../values/dates.ts';
import { dec, decToString } from '../values/decimal.ts';
import type { RV } from '../evaluate/interpret.ts';
import { quantityText } from './units.ts';

export { groupDigits, quantityText, unitText } from './units.ts';

export type Lang = 'zh' | 'en';

export interface DescribeEnv {
  dict: Dictionary;
  params?: ResolvedParams;
}

const CMP_TEXT: Record<Lang, Record<string, string>> = {
  zh: { '=': '为', '!=': '不为', '<': '<', '<=': '≤', '>': '>', '>=': '≥' },
  en: { '=': 'is', '!=': 'is not', '<': '<', '<=': '≤', '>': '>', '>=': '≥' },
};
const DATE_CMP: Record<Lang, Record<string, string>> = {
  zh: { '<': '早于', '<=': '不晚于', '>': '晚于', '>=': '不早于' },
  en: { '<': 'before', '<=': 'on or before', '>': 'after', '>=': 'on or after' },
};

/** The field a value expression is about, for units and code labels. */
export function subjectField(e: Expr, dict: Dictionary): FieldDef | undefined {
  if (e.op === 'field') return dict.fields.get(e.name);
  return undefined;
}

function fmtNumber(text: string, def: FieldDef | undefined, lang: Lang, pct?: boolean): string {
  if (pct || def?.percent) return `${decToString(dec(text).times(100))}%`;
  if (!def?.unit?.[lang]) return text;
  return quantityText(text, def.unit, lang);
}

function fmtCode(code: string, def: FieldDef | undefined, env: DescribeEnv, lang: Lang): string {
  if (def?.type === 'enum' || def?.type === 'set') return enumLabel(env.dict, def.enum!, code, lang);
  if (def?.type === 'region') {
    return env.dict.regions.name(code, lang) ?? code;
  }
  return lang === 'zh' ? `“${code}”` : `"${code}"`;
}

export function fmtLit(v: LitValue, def: FieldDef | undefined, env: DescribeEnv, lang: Lang): string {
  if (typeof v === 'boolean') return lang === 'zh' ? (v ? '是' : '否') : v ? 'yes' : 'no';
  if (typeof v === 'string') return fmtCode(v, def, env, lang);
  if ('num' in v) return fmtNumber(v.num, def, lang, v.pct);
  if ('date' in v) return v.date;
  return v.list.map((m) => fmtLit(m, def, env, lang)).join(lang === 'zh' ? '、' : ', ');
}

/** A runtime value as the user should read it ("8 个月", "东昌府区", "未知"). */
export function fmtValue(v: RV | undefined, def: FieldDef | undefined, env: DescribeEnv, lang: Lang): string {
  if (v === undefined) return lang === 'zh' ? '未知' : 'unknown';
  switch (v.t) {
    case 'num':
      return fmtNumber(decToString(v.v), def, lang);
    case 'bool':
      return lang === 'zh' ? (v.v ? '是' : '否') : v.v ? 'yes' : 'no';
    case 'date':
      return formatDate(v.v);
    case 'str':
      return def?.type === 'region' ? `${v.v} ${env.dict.regions.name(v.v, lang) ?? ''}`.trim() : fmtCode(v.v, def, env, lang);
    case 'set':
      return v.v.length ? v.v.map((c) => fmtCode(c, def, env, lang)).join(lang === 'zh' ? '、' : ', ') : lang === 'zh' ? '无' : 'none';
    case 'list':
      return v.v.map((m) => fmtValue(m, def, env, lang)).join(lang === 'zh' ? '、' : ', ');
  }
}

const FN_ZH: Record<string, string> = {
  age: '年龄',
  years_since: '距今年数',
  months_since: '距今月数',
  days_since: '距今天数',
  count: '个数',
};

/** A value expression in words. `def` formats literals in the context of a field. */
export function describeValue(e: Expr, env: DescribeEnv, lang: Lang, def?: FieldDef): string {
  const d = (x: Expr) => describeValue(x, env, lang, def ?? subjectField(x, env.dict));
  switch (e.op) {
    case 'lit':
      return fmtLit(e.value, def, env, lang);
    case 'field': {
      const f = env.dict.fields.get(e.name);
      return f ? f.label[lang] : e.name;
    }
    case 'param': {
      const r = env.params?.get(e.name);
      const lit = r ? paramToLit(r) : undefined;
      return lit !== undefined ? fmtLit(lit, def, env, lang) : `$${e.name}`;
    }
    case 'today':
      return lang === 'zh' ? '评估日' : 'the evaluation date';
    case 'arith': {
      const sym = { '+': '+', '-': '−', '*': '×', '/': '÷' }[e.arith];
      // A conditional operand is bracketed too: "(若…则 A，否则 B) × 10%" — without the brackets the
      // factor reads as belonging to the else branch alone.
      const wrap = (x: Expr) => (x.op === 'arith' || x.op === 'if' ? `(${d(x)})` : d(x));
      return `${wrap(e.left)} ${sym} ${wrap(e.right)}`;
    }
    case 'neg':
      return `−${d(e.arg)}`;
    case 'call': {
      const arg0 = e.args[0];
      const label = arg0 ? describeValue(arg0, env, lang) : '';
      if (e.fn === 'age') return lang === 'zh' ? '年龄' : 'age';
      if (e.fn === 'years_since') return lang === 'zh' ? `${label.replace(/日期$/, '')}年限` : `years since ${label}`;
      if (e.fn === 'months_since') return lang === 'zh' ? `${label}至今月数` : `months since ${label}`;
      if (e.fn === 'days_since') return lang === 'zh' ? `${label}至今天数` : `days since ${label}`;
      if (e.fn === 'count') return lang === 'zh' ? `${label}数量` : `number of ${label}`;
      // Arithmetic functions in words: residents read them (QA 10), not only rule authors.
      const [a, b] = e.args.map((x) => describeValue(x, env, lang, def));
      if (e.fn === 'round' && e.args.length === 2 && e.args[1].op === 'lit') {
        const places = describeValue(e.args[1], env, lang);
        return lang === 'zh' ? `${a}（四舍五入保留 ${places} 位小数）` : `${a}, rounded to ${places} decimal places`;
      }
      if ((e.fn === 'min' || e.fn === 'max') && e.args.length === 2)
        return lang === 'zh' ? `${a} 与 ${b} 中${e.fn === 'min' ? '较小' : '较大'}者` : `the ${e.fn === 'min' ? 'lesser' : 'greater'} of ${a} and ${b}`;
      const args = e.args.map((a) => describeValue(a, env, lang)).join(', ');
      return lang === 'zh' && FN_ZH[e.fn] ? `${FN_ZH[e.fn]}(${args})` : `${e.fn}(${args})`;
    }
    case 'if':
      return lang === 'zh'
        ? `若${describeCondition(e.cond, env, lang)}则 ${d(e.then)}，否则 ${d(e.else)}`
        : `if ${describeCondition(e.cond, env, lang)} then ${d(e.then)} else ${d(e.else)}`;
    case 'tier': {
      const head = lang === 'zh' ? `按${describeValue(e.value, env, lang)}分档` : `tier of ${describeValue(e.value, env, lang)}`;
      const t = env.params?.get(e.table);
      if (t?.type !== 'tiers') return head;
      // The table itself, so that a resident reads the amounts, not the name of a parameter (QA 9, 10).
      const vdef = subjectField(e.value, env.dict) ?? fnUnitDef(e.value, lang);
      const rows = t.rows.map((r) => `${bandText(r.min && decToString(r.min), r.max && decToString(r.max), vdef, lang)}${lang === 'zh' ? '：' : ': '}${decToString(r.value)}`);
      return lang === 'zh' ? `${head}（${rows.join('；')}）` : `${head} (${rows.join('; ')})`;
    }
    case 'lookup': {
      const head = lang === 'zh' ? `按${describeValue(e.value, env, lang)}对照` : `by ${describeValue(e.value, env, lang)}`;
      const m = env.params?.get(e.table);
      if (m?.type !== 'map') return head;
      const vdef = subjectField(e.value, env.dict);
      const rows = [...m.entries].map(([k, v]) => `${fmtCode(k, vdef, env, lang)}${lang === 'zh' ? '：' : ': '}${decToString(v)}`);
      if (m.default) rows.push(`${lang === 'zh' ? '其他' : 'other'}${lang === 'zh' ? '：' : ': '}${decToString(m.default)}`);
      return lang === 'zh' ? `${head}（${rows.join('；')}）` : `${head} (${rows.join('; ')})`;
    }
    default:
      return describeCondition(e, env, lang);
  }
}

/** One band of a tier table (lower bound in, upper out): "满 80 不满 90 周岁" / "80 to under 90 years", "100 周岁及以上". */
export function bandText(min: string | undefined, max: string | undefined, def: FieldDef | undefined, lang: Lang): string {
  const q = (x: string) => fmtNumber(x, def, lang);
  if (min !== undefined && max !== undefined) return lang === 'zh' ? `满 ${min} 不满 ${q(max)}` : `${min} to under ${q(max)}`;
  if (min !== undefined) return lang === 'zh' ? `${q(min)}及以上` : `${q(min)} and over`;
  if (max !== undefined) return lang === 'zh' ? `不满 ${q(max)}` : `under ${q(max)}`;
  return lang === 'zh' ? '全部' : 'all';
}

/** Unit suffix for the result of a function (ages are in years). */
function fnUnitDef(e: Expr, lang: Lang): FieldDef | undefined {
  if (e.op !== 'call') return undefined;
  const unit =
    e.fn === 'age' || e.fn === 'years_since'
      ? { zh: '周岁', en: 'years' }
      : e.fn === 'months_since'
        ? { zh: '个月', en: 'months' }
        : e.fn === 'days_since'
          ? { zh: '天', en: 'days' }
          : undefined;
  if (!unit) return undefined;
  if (e.fn === 'years_since') unit.zh = '年';
  void lang;
  return { key: '', type: 'int', label: unit, source: '', kinds: [], unit };
}

// A yes/no fact that must be false, said as people would say it — "没有具备…的人",
// "you have no relative …", "未参加…", "不是低保对象" — rather than "非有…" / "not Has …".
const NEG_ZH: [RegExp, string][] = [
  [/^有/, '没有'],
  [/^存在/, '不存在'],
  [/^(在[^有]*)有/, '$1没有'],
  [/^(?=在|享受|参加|报废|由|列入)/, '未'],
  [/^([^已]*)已/, '$1未'],
];
const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s);

function negatedEn(en: string): string {
  const has = /^Has (?:an? )?(.*)$/.exec(en);
  if (has) return `you have no ${has[1]}`;
  const verb = /^(Own|Live|Run|Receive)s (.*)$/.exec(en);
  if (verb) return `you do not ${verb[1].toLowerCase()} ${verb[2]}`;
  if (/ already /.test(en)) return lowerFirst(en.replace(' already ', ' not yet '));
  return / on record$/.test(en) ? `no ${lowerFirst(en)}` : `not ${lowerFirst(en)}`;
}

/** "低保对象" must be false: "不是低保对象" / "not a minimum-living-allowance recipient". */
export function negatedFact(label: { zh: string; en: string }, lang: Lang): string {
  if (lang === 'zh') {
    const rule = NEG_ZH.find(([re]) => re.test(label.zh));
    if (rule) return label.zh.replace(rule[0], rule[1]);
    return /(人员|对象|军人|企业|家庭|人口|者)(（[^）]*）)?$/.test(label.zh) ? `不是${label.zh}` : `${label.zh}：否`;
  }
  return negatedEn(label.en);
}

/** A bool field in a condition, when the expression is one. */
function boolField(e: Expr, env: DescribeEnv): FieldDef | undefined {
  const f = subjectField(e, env.dict);
  return f?.type === 'bool' ? f : undefined;
}

/** A condition in words, without its result. */
export function describeCondition(e: Expr, env: DescribeEnv, lang: Lang): string {
  const zh = lang === 'zh';
  const sub = (x: Expr) => subjectField(x, env.dict) ?? fnUnitDef(x, lang);
  switch (e.op) {
    case 'cmp': {
      const def = sub(e.left) ?? sub(e.right);
      const left = describeValue(e.left, env, lang, def);
      const right = describeValue(e.right, env, lang, def);
      const isDate = def?.type === 'date' || e.right.op === 'today' || (e.right.op === 'lit' && typeof e.right.value === 'object' && 'date' in e.right.value);
      if (isDate && DATE_CMP[lang][e.cmp]) return `${left} ${DATE_CMP[lang][e.cmp]} ${right}`;
      if (def?.type === 'bool' && e.right.op === 'lit' && typeof e.right.value === 'boolean')
        return (e.right.value === (e.cmp === '=')) ? left : negatedFact(def.label, lang);
      return `${left} ${CMP_TEXT[lang][e.cmp]} ${right}`;
    }
    case 'between': {
      const def = sub(e.value);
      const [x, lo, hi] = [e.value, e.low, e.high].map((v) => describeValue(v, env, lang, def));
      return zh ? `${x} 在 ${lo} 至 ${hi} 之间` : `${x} between ${lo} and ${hi}`;
    }
    case 'in': {
      const def = sub(e.value);
      const list = describeValue(e.list, env, lang, def);
      const x = describeValue(e.value, env, lang);
      return zh ? `${x}${e.negate ? '不属于' : '属于'}［${list}］` : `${x} ${e.negate ? 'not in' : 'in'} [${list}]`;
    }
    case 'contains': {
      const def = sub(e.set);
      const list = describeValue(e.list, env, lang, def);
      const x = describeValue(e.set, env, lang);
      const word = zh ? { any: '包含任一', all: '包含全部', none: '不包含' }[e.mode] : { any: 'includes any of', all: 'includes all of', none: 'includes none of' }[e.mode];
      return zh ? `${x}${word}［${list}］` : `${x} ${word} [${list}]`;
    }
    case 'within': {
      const x = describeValue(e.value, env, lang);
      const names = e.regions.map((r) => env.dict.regions.name(r, lang) ?? r).join(zh ? '、' : ', ');
      return zh ? `${x}${e.negate ? '不在' : '在'}${names}范围内` : `${x} ${e.negate ? 'outside' : 'within'} ${names}`;
    }
    case 'known': {
      const x = describeValue(e.value, env, lang);
      return zh ? `${x}${e.negate ? '未知' : '已知'}` : `${x} is ${e.negate ? 'missing' : 'known'}`;
    }
    case 'and':
      return e.args.map((a) => describeCondition(a, env, lang)).join(zh ? '，且' : ', and ');
    case 'or': {
      const parts = e.args.map((a) => describeCondition(a, env, lang));
      return zh ? `（${parts.join('，或')}）` : `(${parts.join(', or ')})`;
    }
    case 'not': {
      const f = boolField(e.arg, env);
      if (f) return negatedFact(f.label, lang);
      return zh ? `并非（${describeCondition(e.arg, env, lang)}）` : `not (${describeCondition(e.arg, env, lang)})`;
    }
    case 'atleast':
      return zh
        ? `以下 ${e.args.length} 项中至少满足 ${e.n} 项`
        : `at least ${e.n} of these ${e.args.length}`;
    case 'field': {
      const f = env.dict.fields.get(e.name);
      return f ? f.label[lang] : e.name;
    }
    default:
      return describeValue(e, env, lang);
  }
}
