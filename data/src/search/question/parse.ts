// A question in plain words → facts about the asker, shown back as chips the user can
// correct: "我是东昌府区一家做轴承的小微企业，有什么补贴？" → region 东昌府区, industry 34,
// key chain 轴承, size small or micro, an enterprise; "补贴" is left to search for.
// Deterministic (dictionaries and patterns), offline, no model, no Node APIs: the portal
// can run it in the browser as the user types.
import { enumLabel, formatDate, latestBirthForAge, parseDate, ymdFromDay, type Dictionary } from '@kx/engine';
import { parseNumber, questionVocabulary, type Audience, type Entry } from './vocabulary.ts';

export interface Chip {
  /** A dictionary field, or 'age' (turned into birth_date on the match date) or 'audience'. */
  field: string;
  /** JSON value; a list on an enum field means "one of these", on a set field "at least these". */
  value: unknown;
  label_zh: string;
  /** [from, to) in the question text. */
  span: [number, number];
}

export interface ParsedQuestion {
  text: string;
  audience?: Audience;
  /** Whom the question is about when it is not the asker (father, mother, child, spouse). */
  relation?: string;
  /** Facts as JSON (dates as YYYY-MM-DD); enum alternatives as lists. */
  facts: Record<string, unknown>;
  chips: Chip[];
  /** What is left to search for ("补贴", "轴承 小微企业"). */
  keywords: string[];
}

export interface ParseOptions {
  /** YYYY-MM-DD: ages become birth dates as of this day. */
  date?: string;
}

const NUM = '(\\d{1,3}|[零〇一二两三四五六七八九十百]{1,5})';
interface Pattern {
  re: RegExp;
  chip: (m: RegExpExecArray) => Omit<Chip, 'span'> | undefined;
  audience?: Audience;
}

const PATTERNS: Pattern[] = [
  {
    re: new RegExp(`${NUM}\\s*(多)?\\s*(周岁|岁)`, 'g'),
    audience: 'person',
    chip: (m) => {
      const n = parseNumber(m[1]);
      if (n === undefined || n > 130) return undefined;
      return { field: 'age', value: n, label_zh: m[2] ? `年龄：${n}多岁（按${n}岁）` : `年龄：${n}岁` };
    },
  },
  {
    re: new RegExp(`年满\\s*${NUM}`, 'g'),
    audience: 'person',
    chip: (m) => {
      const n = parseNumber(m[1]);
      return n === undefined || n > 130 ? undefined : { field: 'age', value: n, label_zh: `年龄：年满${n}岁` };
    },
  },
  {
    re: /((?:19|20)\d{2})\s*年\s*(?:出生|生)/g,
    audience: 'person',
    // The day of birth is not said: mid-year is off by at most half a year either way.
    chip: (m) => ({ field: 'birth_date', value: `${m[1]}-07-01`, label_zh: `出生日期：${m[1]}年（按年中）` }),
  },
  {
    re: /(\d{1,2}|[一二两三四五六七八九十])\s*口人/g,
    audience: 'person',
    chip: (m) => ({ field: 'household_size', value: parseNumber(m[1]), label_zh: `家庭人口：${parseNumber(m[1])}人` }),
  },
  {
    re: /人均(?:月)?收入\s*(?:约|大概|只有|才)?\s*(\d+(?:\.\d+)?)\s*元?/g,
    audience: 'person',
    chip: (m) => ({ field: 'household_income_pc', value: Number(m[1]), label_zh: `家庭月人均收入：${m[1]}元` }),
  },
  {
    re: /(\d+)\s*(?:多)?\s*(?:个|名)?\s*(?:员工|职工|工人|人)/g,
    chip: (m) => ({ field: 'employees', value: Number(m[1]), label_zh: `从业人员：${m[1]}人` }),
  },
  {
    re: /(?:营收|营业收入|年收入|销售额|产值)\s*(?:约|大概|有|达到)?\s*(\d+(?:\.\d+)?)\s*(亿|万)/g,
    audience: 'enterprise',
    chip: (m) => {
      const v = Number(m[1]) * (m[2] === '亿' ? 10000 : 1);
      return { field: 'revenue', value: v, label_zh: `上年度营业收入：${m[1]}${m[2]}元` };
    },
  },
];

const TIME_QUALIFIER = /(?:去年|今年|前年|上年度|上一年度|上年|本年度|本年|全年|当年|近一年)\s*(?:的|度)?\s*$/;

// Phrases that only make a sentence a question. Single characters are stripped only at the
// edges of a chunk, so 有关 keeps its 有.
const FILLERS = `请问 我想问 我想知道 想了解 了解一下 有什么 有哪些 有没有 哪些 什么 能享受 可以享受 能申请 可以申请 可以领 能领 享受 申请
  我是 我们是 我们 一家 一个 住在 现在 今年 目前 怎么办 怎么 政策 能不能 可不可以 可以 符合 条件 户口 户籍`.trim().split(/\s+/).sort((a, b) => b.length - a.length);
const EDGE_CHARS = new Set([...'的了吗呢啊吧我是在做有能啥哪想要给请问和及与、']);

function keywordsOf(text: string, silent: [number, number][], cuts: number[]): string[] {
  // Chip boundaries cut words apart (小微|软件); silent spans (places, ages, family) go.
  const cutAt = new Set(cuts);
  let t = [...text].map((c, i) => (silent.some(([a, b]) => i >= a && i < b) ? ' ' : (cutAt.has(i) ? ' ' : '') + c)).join('');
  for (const f of FILLERS) t = t.split(f).join(' ');
  const out: string[] = [];
  for (const raw of t.split(/[\s，。？！、,.?!；;：:“”"'（）()的]+/)) {
    let w = raw;
    while (w && EDGE_CHARS.has(w[0])) w = w.slice(1);
    while (w && EDGE_CHARS.has(w[w.length - 1])) w = w.slice(0, -1);
    // A lone character left over is grammar (住, 人), not a topic.
    if (w.length > 1 && !out.includes(w)) out.push(w);
  }
  return out;
}

function normalize(text: string): string {
  // Full-width digits and letters to ASCII, one character for one, so spans stay valid.
  return [...text]
    .map((c) => {
      const code = c.charCodeAt(0);
      return code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : c;
    })
    .join('')
    .toLowerCase();
}

function labelOf(dict: Dictionary, field: string, value: unknown, given?: string): string {
  const def = dict.fields.get(field);
  const name = field === 'age' ? '年龄' : (def?.label.zh ?? field);
  let v = given;
  if (v === undefined) {
    if (def?.type === 'enum' || def?.type === 'set') {
      const codes = Array.isArray(value) ? value : [value];
      v = codes.map((c) => enumLabel(dict, def.enum!, String(c))).join(def.type === 'enum' ? '或' : '、');
    } else if (typeof value === 'boolean') v = value ? '是' : '否';
    else v = String(value);
  }
  return `${name}：${v}`;
}

/** Reads a question; `date` turns ages into birth dates (without it they stay as 'age' chips). */
export function parseQuestion(text: string, dict: Dictionary, opts: ParseOptions = {}): ParsedQuestion {
  const t = normalize(text);
  const taken = new Uint8Array(t.length);
  const chips: Chip[] = [];
  const silent: [number, number][] = [];
  const votes: Record<Audience, number> = { enterprise: 0, person: 0 };
  let relation: string | undefined;
  const extra: string[] = [];
  let objectUntil = -1;
  let hired = false;

  for (const p of PATTERNS)
    for (const m of t.matchAll(p.re)) {
      const to = m.index! + m[0].length;
      // 去年营收800万: the year belongs to the figure (the fact is the last year's anyway), so it is
      // part of the chip rather than a word left over that nobody understood.
      const when = TIME_QUALIFIER.exec(t.slice(Math.max(0, m.index! - 8), m.index!));
      const from = m.index! - (when?.[0].length ?? 0);
      if (taken.subarray(from, to).some((x) => x)) continue;
      const c = p.chip(m as RegExpExecArray);
      if (!c) continue;
      taken.fill(1, from, to);
      chips.push({ ...c, span: [from, to] });
      silent.push([from, to]);
      if (p.audience) votes[p.audience] += 2;
    }

  const vocab = questionVocabulary();
  const maxLen = Math.max(...[...vocab.keys()].map((w) => w.length));
  for (let i = 0; i < t.length; ) {
    let hit: [string, Entry] | undefined;
    if (!taken[i])
      for (let n = Math.min(maxLen, t.length - i); n >= 1 && !hit; n--) {
        const w = t.slice(i, i + n);
        const e = vocab.get(w);
        if (e && !taken.subarray(i, i + n).some((x) => x)) hit = [w, e];
      }
    if (!hit) {
      i++;
      continue;
    }
    const [w, e] = hit;
    const span: [number, number] = [i, i + w.length];
    if (e.object) objectUntil = clauseEnd(t, i);
    const isObject = i < objectUntil && e.audience?.[0] === 'person';
    if (isObject) {
      // 招了应届毕业生: the enterprise hired graduates — at least one.
      if (e.effects.some((x) => x.field === 'education' || x.field === 'graduation_year') && !hired) {
        hired = true;
        chips.push({ field: 'new_graduate_hires', value: 1, label_zh: labelOf(dict, 'new_graduate_hires', 1, '至少1人'), span });
      }
      i += w.length;
      continue;
    }
    if (e.audience) votes[e.audience[0]] += e.audience[1];
    if (e.relation && !relation) relation = e.relation;
    if (e.silent || e.keyword) silent.push(span);
    if (e.keyword && !extra.includes(e.keyword)) extra.push(e.keyword);
    for (const eff of e.effects) {
      let field = eff.field;
      // 户口在莘县 / 莘县户籍: the place of registration, not of residence.
      if (field === 'region' && /户口|户籍/.test(t.slice(Math.max(0, i - 4), i + w.length + 3))) field = 'hukou_region';
      chips.push({ field, value: eff.value, label_zh: labelOf(dict, field, eff.value, eff.label), span });
    }
    i += w.length;
  }

  const audience: Audience | undefined =
    votes.enterprise > votes.person ? 'enterprise' : votes.person > votes.enterprise ? 'person' : undefined;
  const kept = resolveChips(chips, dict, audience);
  // Whoever a person asks about — themselves, a parent, a child — is alive: 高龄津贴 asks.
  if (audience === 'person' && !kept.some((c) => c.field === 'alive')) kept.push({ field: 'alive', value: true, label_zh: '健在：是', span: [0, 0] });
  if (audience) {
    const rel = { father: '父亲', mother: '母亲', child: '子女', spouse: '老伴' }[relation ?? ''] ?? '';
    kept.unshift({ field: 'audience', value: audience, label_zh: audience === 'enterprise' ? '主体：企业' : `主体：个人${rel ? `（${rel}）` : ''}`, span: [0, 0] });
  }
  return {
    text,
    ...(audience ? { audience } : {}),
    ...(relation ? { relation } : {}),
    facts: factsFromChips(kept, opts.date),
    chips: kept,
    keywords: [...new Set([...keywordsOf(t, silent, chips.flatMap((c) => c.span)), ...extra])],
  };
}

/** Is `a` one of the alternatives `b` allows, and fewer of them? */
function narrows(a: unknown, b: unknown): boolean {
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  return as.length < bs.length && as.every((x) => bs.includes(x));
}

function clauseEnd(t: string, from: number): number {
  const m = /[，。？！,.?!；;]/.exec(t.slice(from));
  return m ? from + m.index : t.length;
}

/** One chip per field: the most specific place or alternative, else the first; fields of the other kind dropped. */
function resolveChips(chips: Chip[], dict: Dictionary, audience: Audience | undefined): Chip[] {
  const out: Chip[] = [];
  for (const c of [...chips].sort((a, b) => a.span[0] - b.span[0])) {
    const def = dict.fields.get(c.field);
    if (audience && def && !def.kinds.includes(audience)) continue;
    if (c.field === 'age' && audience === 'enterprise') continue;
    const prev = out.findIndex((x) => x.field === c.field);
    if (prev < 0) out.push(c);
    else if ((c.field === 'region' || c.field === 'hukou_region') && dict.regions.contains(String(out[prev].value), String(c.value)))
      out[prev] = c; // 聊城 … 莘县: the county says more
    else if (def?.type === 'enum' && narrows(c.value, out[prev].value)) out[prev] = c; // 大学毕业生 … 本科
  }
  return out;
}

/** Facts from (possibly corrected) chips, as JSON. Ages need the date to become birth dates. */
export function factsFromChips(chips: readonly Chip[], date?: string): Record<string, unknown> {
  const day = date === undefined ? undefined : parseDate(date);
  if (date !== undefined && day === undefined) throw new Error(`日期 "${date}" 应为 YYYY-MM-DD / date "${date}" must be YYYY-MM-DD`);
  const facts: Record<string, unknown> = {};
  for (const c of chips) {
    if (c.field === 'audience') continue;
    if (c.field === 'age') {
      if (day !== undefined) facts.birth_date = formatDate(latestBirthForAge(day, Number(c.value)));
    } else if (c.field === 'graduation_year' && c.value === 'this_year') {
      if (day !== undefined) facts.graduation_year = ymdFromDay(day)[0];
    } else facts[c.field] = c.value;
  }
  return facts;
}
