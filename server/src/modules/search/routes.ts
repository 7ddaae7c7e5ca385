// The smart search API (R9): public, like the catalogue it searches. Questions may carry
// personal words (an age, an illness, an ID number): bodies are never logged (http/logging.ts)
// and ID and mobile numbers are masked before anything is read or answered.
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.ts';
import { errors } from '../../http/schemas.ts';
import { matchChips, readQuestion } from './question.ts';
import { MatchAnswer, MatchBody, QuestionAnswer, QuestionBody, SearchAnswer, SearchQuery, SuggestAnswer, SuggestQuery } from './schema.ts';
import { searchCatalogue, suggestions } from './service.ts';

export async function searchRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const tags = ['search'];
  const pub = { access: 'public' as const };

  app.get<{ Querystring: SearchQuery }>(
    '/api/v1/search',
    {
      config: pub,
      schema: {
        tags, summary: '智能查询：全文检索政策文件与事项（分词、同义词、拼音、筛选、高亮、分面）/ full-text search over documents and items',
        description: '高亮：title_html/snippet_html 已做 HTML 转义、只含 <mark> 标签；title_marks/snippet_marks 为对应纯文本的区间。 / Highlights: *_html are HTML-escaped with <mark> as the only tag; *_marks are ranges of the plain text.',
        querystring: SearchQuery, response: { 200: SearchAnswer, ...errors(400) },
      },
    },
    async (req) => searchCatalogue(ctx, req.query),
  );

  app.get<{ Querystring: SuggestQuery }>(
    '/api/v1/search/suggest',
    { config: pub, schema: { tags, summary: '输入提示：中文前缀、拼音、首字母 / suggestions as you type: Chinese prefix, pinyin, initials', querystring: SuggestQuery, response: { 200: SuggestAnswer, ...errors(400) } } },
    async (req) => suggestions(ctx, req.query),
  );

  app.post<{ Body: QuestionBody }>(
    '/api/v1/search/question',
    {
      config: pub,
      schema: {
        tags, summary: '把问题读成可修改的标签（地区、行业、规模、年龄……）/ a question read into chips the user can correct',
        description: '不使用任何外部模型；身份证号、手机号打码且不被使用。 / Deterministic, offline; ID and mobile numbers are masked and not used.',
        body: QuestionBody, response: { 200: QuestionAnswer, ...errors(400) },
      },
    },
    async (req) => readQuestion(ctx, req.body.text),
  );

  app.post<{ Body: MatchBody }>(
    '/api/v1/search/question/match',
    {
      config: pub,
      schema: {
        tags, summary: '用（修改后的）标签匹配现行政策：符合 / 待定（附需补充的事实）/ the chips matched against the catalogue in force',
        description: '不符合的事项只计数。企业或居民用户可选 use_profile，以本主体档案为底。 / Ineligible items are counted only. An enterprise or resident user may set use_profile to merge the chips over the own profile.',
        body: MatchBody, response: { 200: MatchAnswer, ...errors(400) },
      },
    },
    async (req) => matchChips(ctx, req.principal, req.body),
  );
}
