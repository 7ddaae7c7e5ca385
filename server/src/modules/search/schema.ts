// Request and response shapes of smart search (智能查询, R9): full-text search, suggestions,
// and a question in plain words turned into chips and matched against the catalogue.
import { Type, type Static } from 'typebox';
import { Audience, Mode } from '../catalogue/schema.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** [from, to) in a text, in characters (UTF-16 code units). */
const Span = Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })], { description: '[起, 止) 字符位置 / [from, to) character offsets' });
const Marks = Type.Array(Span, { description: '高亮区间（对应纯文本）/ highlighted ranges of the plain text' });

export const QUESTION_MAX = 500;

export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 100, description: '查询词：中文、拼音或首字母 / words, pinyin or initials' }),
  kind: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('item'), Type.Literal('document')], { description: '事项、政策文件或全部（默认）/ items, documents or both (default)' })),
  department: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '责任部门代码 / responsible department code' })),
  region: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: '地区代码：范围包含该地或位于该地之内的事项 / region: items whose scope contains it or lies within it' })),
  audience: Type.Optional(Audience),
  mode: Type.Optional(Mode),
  industry: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: '行业：门类字母、两位大类、四位小类或重点产业链代码 / section letter, division, class or key chain' })),
  amount_min: Type.Optional(Type.Number({ minimum: 0, description: '事项最高可得金额不低于 / the most an item pays is at least' })),
  amount_max: Type.Optional(Type.Number({ minimum: 0, description: '事项最高可得金额不超过（无上限的事项不计入）/ at most (items without a cap excluded)' })),
  open_now: Type.Optional(Type.Boolean({ description: '今天在有效期和申报期内 / in force and open for applications today' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
});
export type SearchQuery = Static<typeof SearchQuery>;

const DepartmentRef = Type.Object({ code: Type.String(), name: Type.String() });

export const SearchHit = Type.Object({
  kind: Type.Union([Type.Literal('item'), Type.Literal('document')]),
  item_id: Type.Optional(Type.String()),
  document_id: Type.String(),
  score: Type.Number(),
  title: Type.String({ description: '纯文本 / plain text' }),
  title_marks: Marks,
  title_html: Type.String({ description: '已做 HTML 转义，仅含 <mark> 标签 / HTML-escaped; its only tags are <mark>…</mark>' }),
  snippet: Type.String({ description: '最相关的一句，纯文本 / the best sentence, plain text' }),
  snippet_marks: Marks,
  snippet_html: Type.String({ description: '已做 HTML 转义，仅含 <mark> 标签 / HTML-escaped; its only tags are <mark>…</mark>' }),
  departments: Type.Array(DepartmentRef),
  audience: Type.Optional(Audience),
  mode: Type.Optional(Mode),
  region_scope: Type.Optional(Type.Array(Type.String())),
  amount_max: Type.Optional(Nullable(Type.Number({ description: '最高可得金额；null 表示随事实增长、无上限 / the most it pays; null: grows without a cap' }))),
  amount_unit: Type.Optional(Type.String()),
});

const FacetCount = Type.Object({ value: Type.String(), label: Type.String(), label_en: Type.String(), count: Type.Integer() });

export const SearchAnswer = Type.Object({
  q: Type.String(),
  date: Type.String({ description: '"正在受理"等按此日判断 / the day open_now is judged on' }),
  total: Type.Integer(),
  page: Type.Integer(),
  size: Type.Integer(),
  hits: Type.Array(SearchHit),
  terms: Type.Array(Type.Object({ word: Type.String(), also: Type.Array(Type.String()) }), { description: '实际检索的词及其同义词 / words searched for, with synonyms' }),
  facets: Type.Object(
    {
      kind: Type.Object({ item: Type.Integer(), document: Type.Integer() }),
      department: Type.Array(FacetCount),
      audience: Type.Array(FacetCount),
      mode: Type.Array(FacetCount),
      open_now: Type.Integer({ description: '其中今天正在受理的事项数 / items among the hits open today' }),
    },
    { description: '对全部命中结果（含筛选）的计数：事项按自身，文件不计入部门等分面 / counts over every hit under the filters; department, audience and mode count items' },
  ),
  catalogue: Type.Object({ items: Type.Integer(), documents: Type.Integer(), version: Type.String() }),
  took_ms: Type.Number(),
});
export type SearchAnswer = Static<typeof SearchAnswer>;

export const SuggestQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 50, description: '已输入的文字、拼音或首字母 / what has been typed' }),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 8 })),
});
export type SuggestQuery = Static<typeof SuggestQuery>;

export const SuggestAnswer = Type.Object({
  q: Type.String(),
  suggestions: Type.Array(
    Type.Object({
      text: Type.String(),
      kind: Type.Union([Type.Literal('title'), Type.Literal('word')], { description: 'title：可直接打开；word：可检索的词 / a title to open, or a word to search' }),
      item_id: Type.Optional(Type.String()),
      document_id: Type.Optional(Type.String()),
    }),
  ),
  took_ms: Type.Number(),
});

export const QuestionBody = Type.Object({
  text: Type.String({ minLength: 1, maxLength: QUESTION_MAX, description: '用自己的话提问 / a question in plain words' }),
});
export type QuestionBody = Static<typeof QuestionBody>;

export const ChipOut = Type.Object({
  field: Type.String({ description: '字段字典中的字段，或 audience（主体类型）、age（年龄）/ a dictionary field, or audience, age' }),
  label_zh: Type.String({ description: '字段名 / field name' }),
  label_en: Type.String(),
  value: Type.Unknown({ description: '枚举字段为列表时表示“其中之一”，集合字段为列表时表示“至少这些” / a list: one of these (enum), at least these (set)' }),
  value_label: Type.String(),
  value_label_en: Type.String(),
  text: Type.String({ description: '完整标签 / the whole chip, e.g. 年龄：85岁' }),
  span: Span,
  source_text: Type.String({ description: '问题中对应的文字；推断出的为空 / the words it was read from; empty when inferred' }),
});

export const QuestionAnswer = Type.Object({
  text: Type.String({ description: '问题原文，身份证号与手机号已打码 / the question, ID and mobile numbers masked' }),
  date: Type.String({ description: '年龄按此日换算为出生日期 / ages become birth dates as of this day' }),
  audience: Type.Optional(Audience),
  relation: Type.Optional(Type.String({ description: '所问的人：father、mother、child、spouse / whom the question is about' })),
  chips: Type.Array(ChipOut),
  keywords: Type.Array(Type.String(), { description: '留作检索的词 / words left to search for' }),
  not_understood: Type.Array(Type.String(), { description: '既未识别为事实、政策库中也找不到的词 / words read as no fact and found nowhere in the catalogue' }),
  notices: Type.Array(Type.String(), { description: '如：身份证号已隐去、未使用 / e.g. an ID number was masked and not used' }),
  took_ms: Type.Number(),
});
export type QuestionAnswer = Static<typeof QuestionAnswer>;

export const MatchBody = Type.Object({
  facts: Type.Array(
    Type.Object({ field: Type.String({ minLength: 1, maxLength: 60 }), value: Type.Unknown() }, { additionalProperties: true }),
    { maxItems: 40, description: '（可能已被用户修改的）标签：field 与 value，其余属性忽略 / the chips, possibly corrected: field and value (other properties ignored)' },
  ),
  keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20, description: '来自 /search/question，用于相关度排序 / from /search/question, for relevance' })),
  use_profile: Type.Optional(Type.Boolean({ description: '企业或居民用户：以本主体档案为底、标签覆盖其上（默认否）/ an enterprise or resident user: the chips over the own profile (default false)' })),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20, description: '每组最多条数 / items per group' })),
});
export type MatchBody = Static<typeof MatchBody>;

const Missing = Type.Object({ field: Type.String(), label_zh: Type.String(), label_en: Type.String() });

export const MatchedItem = Type.Object({
  item_id: Type.String(),
  version: Type.Integer(),
  title: Type.String(),
  title_en: Type.Optional(Type.String()),
  document_id: Type.String(),
  department: DepartmentRef,
  mode: Mode,
  verdict: Type.Union([Type.Literal('eligible'), Type.Literal('undetermined')]),
  satisfied: Type.Integer({ description: '标签已满足的条件数 / conditions the chips satisfy' }),
  conditions: Type.Integer(),
  relevance: Type.Number(),
  score: Type.Number(),
  missing: Type.Array(Missing, { description: '待定事项：补充这些事实即可判定，最关键的在前 / undetermined: the facts that would decide it, most decisive first' }),
  add_zh: Type.Optional(Type.String()),
  add_en: Type.Optional(Type.String()),
  amount: Type.Optional(Nullable(Type.String({ description: '按标签算出的金额 / the amount on the chips' }))),
  amount_unit: Type.Optional(Type.String()),
});

export const MatchAnswer = Type.Object({
  date: Type.String(),
  audience: Type.Optional(Audience),
  profile: Type.Object(
    {
      used: Type.Boolean(),
      entity_id: Type.Optional(Type.String()),
      fields: Type.Integer({ description: '取自档案（未被标签覆盖）的事实数 / facts taken from the profile, not overridden by a chip' }),
      note: Type.String(),
    },
    { description: '是否以登录主体的档案为底 / whether the caller\'s own profile was merged under the chips' },
  ),
  ignored: Type.Array(Type.Object({ field: Type.String(), reason: Type.String() }), { description: '不适用于该主体类型而未使用的标签 / chips of the other kind of entity, not used' }),
  counts: Type.Object({ eligible: Type.Integer(), undetermined: Type.Integer(), ineligible: Type.Integer(), other_audience: Type.Integer() }),
  eligible: Type.Array(MatchedItem),
  undetermined: Type.Array(MatchedItem),
  catalogue: Type.Object({ items: Type.Integer(), version: Type.String() }),
  took_ms: Type.Number(),
});
export type MatchAnswer = Static<typeof MatchAnswer>;
