// Templates per event kind and locale with {{variables}}: defaults here, an admin's edits in
// push_templates. Rendering never fails on a missing value (it renders empty) but saving a
// template that names an unknown variable does: a typo is caught when it is made.
import type { Queryable } from '../../db/db.ts';
import { badInput } from '../../errors.ts';
import type { EventKind } from './kinds.ts';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

export interface Template {
  title: string;
  body: string;
}

/** What a template may use. `title`/`body` are the notice's own text in the template's language. */
export const VARIABLES = ['title', 'body', 'item_title', 'item_id', 'date', 'link', 'amount', 'days', 'status', 'fields', 'count', 'items', 'case_id'] as const;
export type Vars = Partial<Record<(typeof VARIABLES)[number], string>>;

export const DEFAULT_TEMPLATES: Record<EventKind, Record<Locale, Template>> = {
  newly_eligible: {
    'zh-CN': { title: '您可能符合：{{item_title}}', body: '根据您的信息，您符合「{{item_title}}」的条件，可以申请。详情与申请：{{link}}' },
    en: { title: 'You may qualify: {{item_title}}', body: 'From what we know, you meet the conditions of "{{item_title}}" and can apply. Details: {{link}}' },
  },
  auto_grant: {
    'zh-CN': { title: '{{title}}', body: '{{body}}' },
    en: { title: 'Granted without application: {{item_title}}', body: '{{body}}' },
  },
  missing_fact: {
    'zh-CN': { title: '补充信息后可能符合：{{item_title}}', body: '补充 {{fields}} 后，您可能符合「{{item_title}}」的条件。去补充：{{link}}' },
    en: { title: 'One more fact and you may qualify: {{item_title}}', body: 'Add {{fields}} and you may meet the conditions of "{{item_title}}". Add it: {{link}}' },
  },
  application_status: {
    'zh-CN': { title: '{{title}}', body: '{{body}}' },
    en: { title: 'Your application: {{item_title}}', body: '{{body}}' },
  },
  review_deadline: {
    'zh-CN': { title: '{{title}}', body: '{{body}}' },
    en: { title: 'Review deadline: {{item_title}}', body: '{{body}}' },
  },
  payout_made: {
    'zh-CN': { title: '{{title}}', body: '{{body}}' },
    en: { title: 'Payment: {{item_title}}', body: '{{body}}' },
  },
  closing_soon: {
    'zh-CN': { title: '即将截止：{{item_title}}', body: '您符合「{{item_title}}」的条件，但尚未申请；申请将于 {{days}} 天后截止。立即申请：{{link}}' },
    en: { title: 'Closing soon: {{item_title}}', body: 'You qualify for "{{item_title}}" but have not applied; applications close in {{days}} days. Apply: {{link}}' },
  },
  weekly_digest: {
    'zh-CN': { title: '本周政策快享：{{count}} 项新机会', body: '本周您有 {{count}} 项可享受或可申请的政策：{{items}}。查看全部：{{link}}' },
    en: { title: 'This week: {{count}} new opportunities', body: 'This week {{count}} policies became available to you: {{items}}. See them all: {{link}}' },
  },
};

/** Sample values for the preview of a template. */
export const SAMPLE_VARS: Vars = {
  title: '免申即享：高龄津贴', body: '您符合「高龄津贴」的条件，已自动为您发放 100.00 元（2025-06），无需申请。',
  item_title: '高龄津贴', item_id: 'elder-allowance', date: '2025-06-30', link: '/me/inbox', amount: '100.00', days: '7', status: '已受理',
  fields: '月收入', count: '3', items: '高龄津贴、助残补贴、小微企业贷款贴息', case_id: '1001',
};

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

export function render(t: Template, vars: Vars): Template {
  const fill = (s: string) => s.replace(PLACEHOLDER, (_, name: string) => vars[name as keyof Vars] ?? '');
  return { title: fill(t.title), body: fill(t.body) };
}

/** Throws BAD_INPUT naming the first unknown variable or an over-long text. */
export function checkTemplate(t: Template): void {
  for (const [field, s] of [['title', t.title], ['body', t.body]] as const) {
    for (const m of s.matchAll(PLACEHOLDER))
      if (!(VARIABLES as readonly string[]).includes(m[1]))
        throw badInput(`body.${field}`, `模板变量 {{${m[1]}}} 不存在；可用：${VARIABLES.join('、')}`, `unknown template variable {{${m[1]}}}; known: ${VARIABLES.join(', ')}`);
    if (!s.trim()) throw badInput(`body.${field}`, '模板内容不能为空', 'the template text must not be empty');
  }
}

/** Notices are written "中文 / English": the part in the wanted language (the whole when not split). */
export function inLocale(text: string, locale: Locale): string {
  const i = text.lastIndexOf(' / ');
  if (i < 0) return text;
  return locale === 'en' ? text.slice(i + 3).trim() : text.slice(0, i).trim();
}

export type TemplateSet = Map<string, Template>;
const key = (kind: string, locale: Locale) => `${kind}|${locale}`;

/** Every template in force: the defaults overlaid with the edited ones. */
export async function loadTemplates(q: Queryable): Promise<TemplateSet> {
  const out: TemplateSet = new Map();
  for (const [kind, byLocale] of Object.entries(DEFAULT_TEMPLATES)) for (const l of LOCALES) out.set(key(kind, l), byLocale[l]);
  const r = await q.query<{ event_kind: string; locale: Locale; title: string; body: string }>('SELECT event_kind, locale, title, body FROM push_templates');
  for (const row of r.rows) out.set(key(row.event_kind, row.locale), { title: row.title, body: row.body });
  return out;
}

export function templateFor(set: TemplateSet, kind: string, locale: Locale): Template {
  return set.get(key(kind, locale)) ?? { title: '{{title}}', body: '{{body}}' };
}
