// Small pieces the portal's pages share: loading data, badges for mode / verdict, the
// explanation tree of a verdict, and the guard for pages that need an entity's login.
import type { ReactNode } from 'react';
import type { Loaded } from './load.ts';
import { Navigate, useLocation } from 'react-router-dom';
import { Alert, Spin, Tag, Typography } from 'antd';
import { englishAmount } from '../../../../engine/src/explain/units.ts';
import { errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { isStaff, useSession } from '../../app/session.tsx';

export { ModeBadge, AudienceTag } from './badges.tsx';
export { useLoad, type Loaded } from './load.ts';

export function ErrorAlert({ error }: { error: unknown }) {
  const { locale } = useI18n();
  if (!error) return null;
  return <Alert type="error" showIcon role="alert" title={errorText(error, locale)} style={{ marginBlock: 12 }} />;
}

/** Shows the spinner, the error, or the page. */
export function Loading<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ReactNode }) {
  const { t } = useI18n();
  if (state.data !== undefined) return <>{children(state.data)}</>;
  if (state.error) return <ErrorAlert error={state.error} />;
  return <Spin aria-label={t('加载中', 'Loading')} style={{ display: 'block', margin: 48 }} />;
}

export const VERDICT: Record<string, { zh: string; en: string; color: string; mark: string }> = {
  eligible: { zh: '符合', en: 'Eligible', color: 'success', mark: '✓' },
  undetermined: { zh: '待确认', en: 'Undetermined', color: 'warning', mark: '？' },
  ineligible: { zh: '不符合', en: 'Not eligible', color: 'default', mark: '✗' },
};
export function VerdictTag({ verdict }: { verdict: string }) {
  const { t } = useI18n();
  const v = VERDICT[verdict] ?? VERDICT.undetermined;
  return <Tag color={v.color} data-verdict={verdict}>{v.mark} {t(v.zh, v.en)}</Tag>;
}

/** The engine's explanation node (server/engine explain/explain.ts ExplainNode). */
type Text = string | { zh: string; en?: string };
/** Explanations come in one language (?lang=) or both ({zh, en}, as stored with evidence). */
export interface ExplainNode { kind: string; result: 'T' | 'F' | 'U'; text: Text; actual?: Text; fields?: string[]; children?: ExplainNode[] }

function textOf(x: Text | undefined, locale: 'zh-CN' | 'en'): string {
  if (x === undefined || x === null) return '';
  if (typeof x === 'string') return x;
  return locale === 'en' ? x.en ?? x.zh : x.zh;
}

const RESULT = {
  T: { mark: '✓', zh: '满足', en: 'met', color: '#237804' },
  F: { mark: '✗', zh: '不满足', en: 'not met', color: '#a8071a' },
  U: { mark: '？', zh: '待确认', en: 'unknown', color: '#ad6800' },
};

/** The verdict condition by condition: mark + words (never colour alone) + the actual value. */
export function ExplanationTree({ node, depth = 0 }: { node: ExplainNode; depth?: number }) {
  const { t, locale } = useI18n();
  const r = RESULT[node.result] ?? RESULT.U;
  return (
    <li style={{ listStyle: 'none', marginInlineStart: depth ? 16 : 0 }} data-result={node.result}>
      <span style={{ color: r.color, fontWeight: 600 }} aria-label={t(r.zh, r.en)}>{r.mark}</span>{' '}
      <span>{textOf(node.text, locale)}</span>
      {node.actual !== undefined && node.kind === 'condition' && <span style={{ color: '#595959' }}>{t('（实际：', ' (actual: ')}{textOf(node.actual, locale)}{t('）', ')')}</span>}
      {node.children?.length ? (
        <ul style={{ paddingInlineStart: 0, marginBlock: 4 }}>
          {node.children.map((c, i) => <ExplanationTree key={i} node={c} depth={depth + 1} />)}
        </ul>
      ) : null}
    </li>
  );
}

export function Explanation({ node }: { node: unknown }) {
  if (!node || typeof node !== 'object') return null;
  return <ul style={{ paddingInlineStart: 0, margin: 0 }}><ExplanationTree node={node as ExplainNode} /></ul>;
}

/** A timestamp in the reader's language: 2026/11/22 09:14 or 22/11/2026, 09:14. */
export function when(iso: string, locale: 'zh-CN' | 'en'): string {
  return new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'short', timeStyle: 'short', hour12: false });
}

/** "1234567.5" → "1,234,567.50 元"; in English the unit too: "800 yuan/month", 50 万元 → "500,000 yuan". */
export function money(amount: string | number | null | undefined, unit?: string | null, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const a = locale === 'en' && unit ? englishAmount(String(amount), unit) : { text: String(amount), unit: unit ?? '' };
  const n = Number(a.text);
  const s = Number.isFinite(n) ? n.toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { minimumFractionDigits: Number.isInteger(n) ? 0 : 2, maximumFractionDigits: 2 }) : a.text;
  return `${s}${a.unit ? ` ${a.unit}` : ''}`;
}

/** Text that exists only in Chinese: on the English page it says so instead of mixing silently. */
export function ZhOnly({ text }: { text: string | null | undefined }) {
  const { locale } = useI18n();
  if (!text) return null;
  if (locale !== 'en') return <>{text}</>;
  return <><span lang="zh-CN">{text}</span> <Typography.Text type="secondary" style={{ fontSize: '0.85em' }}>(Chinese only)</Typography.Text></>;
}

/** Pages of an enterprise or resident: anonymous visitors go to the login first. */
export function RequireEntity({ children }: { children: ReactNode }) {
  const { me, loading } = useSession();
  const { t } = useI18n();
  const loc = useLocation();
  if (loading) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  if (isStaff(me)) return <Alert type="info" showIcon title={t('此页面供企业和居民使用，工作人员请前往工作台。', 'This page is for enterprises and residents; staff use the console.')} />;
  return <>{children}</>;
}
