// The benchmark catalogue at the seeds' scale (product.md: 1,394 documents, 2,728 items of
// which 466 免申即享 and 2,115 online, 186 departments), grown from the demo catalogue: each
// generated document is a county's, a zone's or another year's version of a template
// document, with its own department, scope, parameters and dates. Cases are carried over
// with their facts moved to the new region, and their expectations recomputed by evaluating
// the new item — the generator cannot know a county's intent, only what its rule says.
import {
  evaluateItem, formatDate, normalizeFacts, parseDate, type Dictionary, type Mode, type PolicyDocument, type PolicyItem, type TestCase,
} from '@kx/engine';
import { CITY, ZONES } from '../codes/regions.ts';
import { DEPARTMENT_PREFIX, DEPARTMENTS, departmentByCode, departmentFor } from '../codes/departments.ts';
import { liaochengDictionary } from '../dictionary/dictionary.ts';
import { COUNTY_WEIGHTS } from './distributions.ts';
import { Rng, seedOf, STREAM, Weighted } from './prng.ts';
import {
  localiseHukou, nudge, PLACES, retitle, shiftDate, shiftRuleDates, shiftYearsInText, varyParams, type Place,
} from './vary.ts';

/** The seeds' catalogue (product.md, seed 004). */
export const SEED_CATALOGUE = { documents: 1394, items: 2728, auto: 466, online: 2115, offline: 147, departments: 186 };

export interface CatalogueOptions {
  items: number;
  documents: number;
  seed: number | string;
  dict?: Dictionary;
}

export interface GeneratedCatalogue {
  documents: PolicyDocument[];
  items: PolicyItem[];
  /** Generated item id → id of the template item it was grown from. */
  templateOf: Map<string, string>;
}

/** Items per mode for a catalogue of n items, in the seeds' proportions (exact at 2,728). */
export function modeCounts(n: number): Record<Mode, number> {
  const auto = Math.round((n * SEED_CATALOGUE.auto) / SEED_CATALOGUE.items);
  const online = Math.round((n * SEED_CATALOGUE.online) / SEED_CATALOGUE.items);
  return { auto, online, offline: n - auto - online };
}

const POP_TOTAL = COUNTY_WEIGHTS.reduce((s, [, w]) => s + w, 0);
const POP_SHARE = new Map<string, number>([
  [CITY, 1],
  ...COUNTY_WEIGHTS.map(([c, w]) => [c, w / POP_TOTAL] as [string, number]),
  ...ZONES.map((z) => [z.code, (z.population ?? 0) / POP_TOTAL] as [string, number]),
]);
// Where generated documents are issued: the city a fifth, each county ≈ 8.5%, each zone 4% [A].
const PLACE_PICK = new Weighted(PLACES.map((p) => [p, p.code === CITY ? 20 : p.code.startsWith('LC-') ? 4 : 8.5] as const));
const YEAR_SHIFT = new Weighted<number>([[0, 55], [1, 30], [-1, 15]]);

function shuffle<T>(xs: T[], rng: Rng): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function mapDepartment(code: string, place: Place): string {
  const d = departmentByCode(code);
  return d ? (departmentFor(d.kind, place.code)?.code ?? code) : code;
}

/** A template item that would come out identical at this place: same scope, nothing to vary. */
function wouldCopy(t: PolicyItem, place: Place): boolean {
  return t.region_scope.length === 1 && t.region_scope[0] === place.code && !varyParams(t.params, 1.2, 0).changed;
}

export function generateCatalogue(templates: { documents: PolicyDocument[] }, opts: CatalogueOptions): GeneratedCatalogue {
  const { items: n, documents: nDocs } = opts;
  const pool = templates.documents.filter((d) => d.items.length > 0);
  if (!pool.length) throw new Error('没有可用的模板政策 / no template policies to grow from');
  if (!Number.isInteger(nDocs) || nDocs < 1 || !Number.isInteger(n) || n < nDocs)
    throw new Error(`政策文件数应 ≥ 1 且不多于事项数，实际为 ${nDocs} 份文件、${n} 个事项 / need 1 ≤ documents ≤ items, got ${nDocs} and ${n}`);
  const dict = opts.dict ?? liaochengDictionary();
  const rng = new Rng(seedOf(opts.seed), STREAM.catalogue, 0);

  // Which template each document follows (every template in turn, reshuffled each round) and where it is issued.
  const plan: { doc: PolicyDocument; place: Place; items: PolicyItem[] }[] = [];
  let round: PolicyDocument[] = [];
  for (let d = 0; d < nDocs; d++) {
    if (!round.length) round = shuffle(pool, rng);
    const doc = round.pop()!;
    let place = d < PLACES.length ? PLACES[(d * 5) % PLACES.length] : PLACE_PICK.draw(rng);
    if (doc.items.some((t) => wouldCopy(t, place))) place = PLACES.find((p) => p.code !== CITY && !doc.items.some((t) => wouldCopy(t, p)))!;
    plan.push({ doc, place, items: [...doc.items] });
  }
  // Exactly n items: drop from documents with several, or add a related item (same kind of department) to some.
  const allItems = pool.flatMap((d) => d.items);
  let total = plan.reduce((s, p) => s + p.items.length, 0);
  while (total > n) {
    const p = plan[rng.int(0, plan.length - 1)];
    if (p.items.length > 1) {
      p.items.splice(rng.int(0, p.items.length - 1), 1);
      total--;
    }
  }
  while (total < n) {
    const p = plan[rng.int(0, plan.length - 1)];
    const kind = departmentByCode(p.doc.items[0].department)?.kind;
    const related = allItems.filter((t) => !p.items.includes(t) && !wouldCopy(t, p.place) && departmentByCode(t.department)?.kind === kind);
    const others = allItems.filter((t) => !p.items.includes(t) && !wouldCopy(t, p.place));
    p.items.push(rng.pick(related.length ? related : others.length ? others : allItems));
    total++;
  }

  const numbers = new Map<string, number>();
  const documents: PolicyDocument[] = [];
  const templateMode: Mode[] = [];
  const templateOf = new Map<string, string>();
  plan.forEach((p, d) => {
    const years = YEAR_SHIFT.draw(rng);
    const factor = rng.chance(0.5) ? rng.range(0.8, 0.95) : rng.range(1.05, 1.2);
    const serial = String(d + 1).padStart(4, '0');
    const prefix = DEPARTMENT_PREFIX[p.place.code];
    const year = Number(p.doc.published_on.slice(0, 4)) + years;
    const items = p.items.map((t, k) => {
      templateMode.push(t.mode);
      const id = `${prefix}-${stripPlace(t.id)}-${serial}-${k + 1}`;
      templateOf.set(id, t.id);
      return varyItem(t, { id, year, documentId: '', place: p.place, years, factor, dict, rng });
    });
    const issuers = [...new Set(p.doc.issuers.map((c) => mapDepartment(c, p.place)))];
    const main = departmentByCode(issuers[0]);
    const word = (main?.short ?? '').replace(/(局|委员会|委)$/, '');
    const key = `${p.place.code}|${word}|${year}`;
    const no = (numbers.get(key) ?? 30) + 1;
    numbers.set(key, no);
    const id = `${prefix}-${stripPlace(p.doc.id).replace(/(^|-)(20\d\d)(?=-|$)/g, (_m, s: string, y: string) => s + (Number(y) + years))}-${serial}`;
    const published = parseDate(shiftDate(p.doc.published_on, years))! + rng.int(0, 45);
    for (const it of items) it.document_id = id;
    documents.push({
      id,
      // The city's own later versions are told apart by the year of the revision.
      title: retitle(shiftYearsInText(p.doc.title, years), p.place, true) + (p.place.code === CITY ? `（${year}年修订）` : ''),
      number: `${p.place.abbr}${word}发〔${year}〕${no}号`,
      issuers,
      published_on: formatDate(published),
      ...(p.doc.valid_from ? { valid_from: shiftDate(p.doc.valid_from, years) } : {}),
      ...(p.doc.valid_to ? { valid_to: shiftDate(p.doc.valid_to, years) } : {}),
      summary: retitle(shiftYearsInText(p.doc.summary, years), p.place, false),
      interpretation:
        retitle(shiftYearsInText(p.doc.interpretation, years), p.place, false).trimEnd() +
        `\n\n（本文件为性能基准用合成数据，据示例政策《${p.doc.title}》改写；条件和金额以各事项参数为准。）\n`,
      items,
    });
  });

  const items = documents.flatMap((d) => d.items);
  assignModes(items, templateMode, modeCounts(n), rng);
  coverDepartments(documents);
  return { documents, items, templateOf };
}

/** Exactly the seeds' numbers of 免申即享 and offline items, preferring items whose template is run that way. */
function assignModes(items: PolicyItem[], templateMode: Mode[], want: Record<Mode, number>, rng: Rng): void {
  const order = shuffle(items.map((_, i) => i), rng);
  const mode: (Mode | undefined)[] = new Array(items.length);
  for (const m of ['auto', 'offline'] as const) {
    let left = want[m];
    for (const pass of [m, 'online'] as const)
      for (const i of order) {
        if (left === 0) break;
        if (mode[i] === undefined && templateMode[i] === pass) {
          mode[i] = m;
          left--;
        }
      }
    if (left > 0)
      for (const i of order) {
        if (left === 0) break;
        if (mode[i] === undefined) {
          mode[i] = m;
          left--;
        }
      }
  }
  items.forEach((it, i) => (it.mode = mode[i] ?? 'online'));
}

/** Every department of the city and counties publishes: one with no document of its own co-issues one of its region's. */
function coverDepartments(documents: PolicyDocument[]): void {
  const used = new Set(documents.flatMap((d) => [...d.issuers, ...d.items.map((i) => i.department)]));
  for (const dept of DEPARTMENTS) {
    if (used.has(dept.code)) continue;
    const local = documents.filter((d) => d.items[0]?.region_scope[0] === dept.region);
    if (!local.length) continue;
    const target = local.reduce((a, b) => (b.issuers.length < a.issuers.length ? b : a));
    target.issuers.push(dept.code);
    used.add(dept.code);
  }
}

function stripPlace(id: string): string {
  return id.replace(/^[a-z]+-/, '');
}

interface VaryContext {
  id: string;
  /** Year of the generated document. */
  year: number;
  documentId: string;
  place: Place;
  years: number;
  factor: number;
  dict: Dictionary;
  rng: Rng;
}

function varyItem(t: PolicyItem, g: VaryContext): PolicyItem {
  const county = g.place.code !== CITY && !g.place.code.startsWith('LC-');
  let eligibility = shiftRuleDates(t.eligibility, g.years);
  if (county) eligibility = localiseHukou(eligibility, g.place.code);
  const varied = varyParams(t.params, g.factor, g.years);
  // Same scope and nothing moved would be a copy: take the full 20% instead.
  const params = !varied.changed && t.region_scope.join() === g.place.code ? varyParams(t.params, 1.2, g.years).params : varied.params;
  const share = POP_SHARE.get(g.place.code) ?? 1;
  const { eligibility_text: _e, amount_text: _a, ...rest } = t;
  const item: PolicyItem = {
    ...rest,
    id: g.id,
    version: 1,
    title: retitle(shiftYearsInText(t.title, g.years), g.place, true) + (g.place.code === CITY ? `（${g.year}年版）` : ''),
    document_id: g.documentId,
    department: mapDepartment(t.department, g.place),
    region_scope: [g.place.code],
    valid_from: shiftDate(t.valid_from, g.years),
    ...(t.valid_to ? { valid_to: shiftDate(t.valid_to, g.years) } : {}),
    ...(t.window ? { window: { from: shiftDate(t.window.from, g.years), ...(t.window.to ? { to: shiftDate(t.window.to, g.years) } : {}) } } : {}),
    eligibility,
    ...(t.amount ? { amount: shiftRuleDates(t.amount, g.years) } : {}),
    params,
    ...(t.quota
      ? {
          quota: {
            ...(t.quota.budget !== undefined ? { budget: nudge(t.quota.budget, share * g.factor, false) } : {}),
            ...(t.quota.count !== undefined ? { count: Number(nudge(String(t.quota.count), share * g.factor, true)) } : {}),
          },
        }
      : {}),
    review_steps: t.review_steps.map((s) => (s.department ? { ...s, department: mapDepartment(s.department, g.place) } : s)),
    ...(t.summary ? { summary: retitle(shiftYearsInText(t.summary, g.years), g.place, false) } : {}),
    source_note: `性能基准合成事项（据 ${t.id} 生成），参数为示例，以部门公布为准`,
    cases: [],
  };
  item.cases = t.cases.flatMap((c) => adaptCase(c, t, item, g));
  return item;
}

/** The case with its facts moved to the new place and dates, and the new item's own verdict as the expectation. */
function adaptCase(c: TestCase, t: PolicyItem, item: PolicyItem, g: VaryContext): TestCase[] {
  const facts: Record<string, unknown> = {};
  const inOldScope = (v: unknown) => typeof v === 'string' && t.region_scope.some((s) => g.dict.regions.contains(s, v));
  const zone = ZONES.find((z) => z.code === g.place.code);
  for (const [k, v] of Object.entries(c.facts)) {
    const def = g.dict.fields.get(k);
    if (g.place.code !== CITY && (k === 'region' || k === 'hukou_region') && inOldScope(v))
      facts[k] = zone ? (k === 'region' ? zone.members[0] : '371502') : g.place.code;
    else if (def?.type === 'date' && typeof v === 'string' && parseDate(v) !== undefined) facts[k] = shiftDate(v, g.years);
    else facts[k] = v;
  }
  const date = shiftDate(c.date, g.years);
  const { entity, errors } = normalizeFacts(g.dict, item.audience, facts);
  if (errors.length) return [];
  const v = evaluateItem(item, entity, g.dict, parseDate(date)!, { explain: false, counterfactuals: false });
  const missing = (c.expect.missing ?? []).filter((m) => v.missing.some((x) => x.field === m));
  return [{
    name: shiftYearsInText(c.name, g.years),
    date,
    facts,
    expect: {
      verdict: v.verdict,
      ...(item.amount && v.verdict === 'eligible' ? { amount: v.amount?.value ?? null } : {}),
      ...(missing.length ? { missing } : {}),
    },
  }];
}

export interface CatalogueCounts {
  documents: number;
  items: number;
  auto_grant: number;
  online: number;
  offline: number;
  departments: number;
}

export function catalogueCounts(cat: Pick<GeneratedCatalogue, 'documents' | 'items'>): CatalogueCounts {
  const by = (m: Mode) => cat.items.filter((i) => i.mode === m).length;
  const departments = new Set(cat.documents.flatMap((d) => [...d.issuers, ...d.items.map((i) => i.department)]));
  return { documents: cat.documents.length, items: cat.items.length, auto_grant: by('auto'), online: by('online'), offline: by('offline'), departments: departments.size };
}
