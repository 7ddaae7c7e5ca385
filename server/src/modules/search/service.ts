// Smart search over the published catalogue (R9). The index lives in memory, one per process,
// built from the database — the item versions in force (the matching module's catalogue) and
// their documents — never from files. Every request reads the catalogue version (the
// matching epoch, the documents' last change, today) in one small query and rebuilds when it
// moved: a publication, withdrawal or expiry in any process is seen by every process on its
// next request, on PGlite and PostgreSQL alike.
import { departmentByCode, departmentLabel, buildSearchIndex, industryProfiles, rankEntries, search, suggest, type SearchFilters, type SearchIndex } from '@kx/data';
import type { PolicyDocument, PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { badInput } from '../../errors.ts';
import { EPOCH_EXPR, type Catalogue } from '../matching/catalogue.ts';
import { matchingState } from '../matching/state.ts';
import type { SearchAnswer, SearchQuery, SuggestQuery } from './schema.ts';

export interface LoadedIndex {
  /** epoch | documents' last change | day: what the index was built from. */
  version: string;
  index: SearchIndex;
  catalogue: Catalogue;
  documents: number;
  date: string;
}

interface SearchState {
  current?: LoadedIndex;
  loading?: { version: string; promise: Promise<LoadedIndex> };
}

const states = new WeakMap<Ctx, SearchState>();

function stateOf(ctx: Ctx): SearchState {
  let s = states.get(ctx);
  if (!s) states.set(ctx, (s = {}));
  return s;
}

interface DocumentRow {
  id: string;
  title: string;
  number: string;
  issuers: string[];
  published_on: string;
  valid_from: string | null;
  valid_to: string | null;
  url: string | null;
  summary: string;
  interpretation: string;
}

/** Documents with their items in force today, in a fixed order (documents and items by id). */
async function documentsOf(ctx: Ctx, cat: Catalogue, date: string): Promise<PolicyDocument[]> {
  // A version past its end stays 'published' until the daily expiry job runs; search drops it at once.
  const items = cat.items.filter((it) => !it.valid_to || it.valid_to >= date);
  const byDoc = new Map<string, PolicyItem[]>();
  for (const it of items) byDoc.set(it.document_id, [...(byDoc.get(it.document_id) ?? []), it]);
  const r = await ctx.db.query<DocumentRow>(
    `SELECT d.id, d.title, d.number, d.issuers, d.published_on::text AS published_on, d.valid_from::text AS valid_from, d.valid_to::text AS valid_to,
            d.url, d.summary, d.interpretation
       FROM documents d WHERE d.id = ANY($1::text[]) ORDER BY d.id`,
    [[...byDoc.keys()]],
  );
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return r.rows.map((d) => ({
    id: d.id, title: d.title, number: d.number, issuers: d.issuers, published_on: d.published_on, summary: d.summary, interpretation: d.interpretation,
    ...(d.valid_from ? { valid_from: d.valid_from } : {}), ...(d.valid_to ? { valid_to: d.valid_to } : {}), ...(d.url ? { url: d.url } : {}),
    items: byDoc.get(d.id)!.sort(byId),
  }));
}

async function build(ctx: Ctx, epoch: string, version: string, date: string): Promise<LoadedIndex> {
  const catalogue = await matchingState(ctx).catalogue.get(ctx.db, epoch);
  const docs = await documentsOf(ctx, catalogue, date);
  // Parameters in force today appear in the rule descriptions and amount caps it indexes.
  return { version, index: buildSearchIndex(docs, ctx.dict, { date }), catalogue, documents: docs.length, date };
}

/** The index of the catalogue in force now; rebuilt when the catalogue, a document or the day changed. */
export async function currentIndex(ctx: Ctx): Promise<LoadedIndex> {
  const date = ctx.today();
  const r = await ctx.db.query<{ epoch: string; docs: string }>(`SELECT ${EPOCH_EXPR} AS epoch, (SELECT coalesce(max(d.updated_at)::text, '-') FROM documents d) AS docs`);
  const { epoch, docs } = r.rows[0];
  const version = `${epoch}|${docs}|${date}`;
  const s = stateOf(ctx);
  if (s.current?.version === version) return s.current;
  // One build per version at a time; requests that arrive meanwhile wait for it.
  if (s.loading?.version !== version) {
    const promise = build(ctx, epoch, version, date).finally(() => {
      if (s.loading?.promise === promise) s.loading = undefined;
    });
    s.loading = { version, promise };
  }
  const built = await s.loading.promise;
  s.current = built;
  return built;
}

// ───────────── search ─────────────

const AUDIENCE_LABEL: Record<string, [string, string]> = { enterprise: ['企业', 'enterprises'], person: ['个人', 'people'] };
const MODE_LABEL: Record<string, [string, string]> = { auto: ['免申即享', 'automatic'], online: ['网上申请', 'online'], offline: ['线下办理', 'in person'] };

export const departmentName = (code: string) => departmentByCode(code)?.name ?? code;

/** The filters of a query, each value checked: an unknown one is a 400 naming its parameter. */
async function filtersOf(ctx: Ctx, q: SearchQuery): Promise<SearchFilters> {
  const f: SearchFilters = {};
  if (q.department !== undefined) {
    const d = await ctx.db.query('SELECT 1 FROM departments WHERE code = $1', [q.department]);
    if (!d.rows.length) throw badInput('department', `部门代码 "${q.department}" 不存在`, `no department "${q.department}"`);
    f.department = q.department;
  }
  if (q.region !== undefined) {
    // A code of the right shape is not enough: the filter offers the places the city knows.
    if (!ctx.dict.regions.isValid(q.region) || ctx.dict.regions.name(q.region) === undefined)
      throw badInput('region', `地区代码 "${q.region}" 不是本市已知的地区`, `"${q.region}" is not a region of this city`);
    f.region = q.region;
  }
  if (q.industry !== undefined) {
    try {
      industryProfiles(q.industry);
    } catch (e) {
      const [zh, en] = (e as Error).message.split(' / ');
      throw badInput('industry', zh, en ?? zh);
    }
    f.industry = q.industry;
  }
  if (q.amount_min !== undefined && q.amount_max !== undefined && q.amount_min > q.amount_max)
    throw badInput('amount_min', `金额下限 ${q.amount_min} 大于上限 ${q.amount_max}`, `amount_min ${q.amount_min} is above amount_max ${q.amount_max}`);
  if (q.amount_min !== undefined || q.amount_max !== undefined)
    f.amount = { ...(q.amount_min !== undefined ? { min: q.amount_min } : {}), ...(q.amount_max !== undefined ? { max: q.amount_max } : {}) };
  if (q.audience) f.audience = q.audience;
  if (q.mode) f.mode = q.mode;
  if (q.open_now) f.open_now = true;
  return f;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * The library's escaped text with <mark> → plain text and the ranges it marks, so that a
 * client can highlight without rendering HTML.
 */
export function marksOf(html: string): { text: string; marks: [number, number][] } {
  let text = '';
  const marks: [number, number][] = [];
  let open = -1;
  for (const m of html.matchAll(/<mark>|<\/mark>|&(?:amp|lt|gt|quot|#39);|[^<&]+|[<&]/g)) {
    const t = m[0];
    if (t === '<mark>') open = text.length;
    else if (t === '</mark>') {
      if (open >= 0 && text.length > open) marks.push([open, text.length]);
      open = -1;
    } else text += ENTITIES[t] ?? t;
  }
  return { text, marks };
}

function facetOf(counts: Map<string, number>, label: (v: string) => [string, string]): SearchAnswer['facets']['department'] {
  return [...counts]
    .map(([value, count]) => ({ value, label: label(value)[0], label_en: label(value)[1], count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

export async function searchCatalogue(ctx: Ctx, query: SearchQuery): Promise<SearchAnswer> {
  const q = query.q.trim();
  if (!q) throw badInput('q', '请输入查询词', 'q is empty');
  const filters = await filtersOf(ctx, query);
  const loaded = await currentIndex(ctx);
  const t0 = performance.now();
  const { index, date } = loaded;
  const kind = query.kind ?? 'all';
  const page = query.page ?? 1;
  const size = query.size ?? 10;
  const opts = { kind, filters, date } as const;
  const r = search(index, q, { ...opts, offset: (page - 1) * size, limit: size });
  // Facets count every hit under the filters (not only this page).
  const all = rankEntries(index, q, opts);
  const kinds = { item: 0, document: 0 };
  const department = new Map<string, number>();
  const audience = new Map<string, number>();
  const mode = new Map<string, number>();
  for (const { entry } of all) {
    const e = index.entries[entry];
    kinds[e.kind]++;
    if (e.kind !== 'item') continue;
    bump(department, e.item!.department);
    bump(audience, e.item!.audience);
    bump(mode, e.item!.mode);
  }
  const openNow = kind === 'document' ? 0 : rankEntries(index, q, { kind: 'item', filters: { ...filters, open_now: true }, date }).length;
  const hits = r.hits.map((h) => {
    const title = marksOf(h.title_html);
    const snippet = marksOf(h.snippet);
    const item = h.item_id !== undefined ? loaded.catalogue.items[loaded.catalogue.index.get(h.item_id)!] : undefined;
    return {
      kind: h.kind, ...(h.item_id !== undefined ? { item_id: h.item_id } : {}), document_id: h.document_id, score: h.score,
      title: h.title, title_marks: title.marks, title_html: h.title_html,
      snippet: snippet.text, snippet_marks: snippet.marks, snippet_html: h.snippet,
      departments: h.departments.map((code) => ({ code, name: departmentName(code) })),
      ...(h.audience ? { audience: h.audience } : {}), ...(h.mode ? { mode: h.mode } : {}), ...(h.region_scope ? { region_scope: h.region_scope } : {}),
      ...(h.amount_max !== undefined ? { amount_max: h.amount_max } : {}), ...(item?.amount_unit ? { amount_unit: item.amount_unit } : {}),
    };
  });
  return {
    q, date, total: r.total, page, size, hits, terms: r.terms,
    facets: {
      kind: kinds,
      department: facetOf(department, (c) => { const l = departmentLabel(c); return [l.zh, l.en]; }),
      audience: facetOf(audience, (v) => AUDIENCE_LABEL[v] ?? [v, v]),
      mode: facetOf(mode, (v) => MODE_LABEL[v] ?? [v, v]),
      open_now: openNow,
    },
    catalogue: { items: index.entries.length - loaded.documents, documents: loaded.documents, version: loaded.version },
    took_ms: Math.round((performance.now() - t0) * 1000) / 1000,
  };
}

export async function suggestions(ctx: Ctx, query: SuggestQuery): Promise<{ q: string; suggestions: ReturnType<typeof suggest>; took_ms: number }> {
  const q = query.q.trim();
  if (!q) throw badInput('q', '请输入文字', 'q is empty');
  const { index } = await currentIndex(ctx);
  const t0 = performance.now();
  const out = suggest(index, q, { limit: query.size ?? 8 });
  return { q, suggestions: out, took_ms: Math.round((performance.now() - t0) * 1000) / 1000 };
}
