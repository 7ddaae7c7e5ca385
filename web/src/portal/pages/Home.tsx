// The public front door (/): the search box with suggestions, live counts of the catalogue,
// newly published items and those closing soon. Light on purpose: it is the first page
// (`npm run size:portal`), so only a few antd components and no icon pack.
import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { ModeBadge } from '../components/badges.tsx';
import { useLoad } from '../components/load.ts';
import { SearchBox } from '../components/SearchBox.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type ItemSummary = ResponseOf<'/api/v1/items', 'get'>['items'][number];

const today = () => new Date().toISOString().slice(0, 10);
/** The day applications close: the window's end, else the end of validity. */
export const closesOn = (i: ItemSummary): string | null => i.window?.to ?? i.valid_to ?? null;

async function loadHome() {
  const total = (q: Record<string, string>) => api.get('/api/v1/items', { query: { page_size: 1, ...q } }).then((r) => r.total);
  const [items, docs, auto, online, newest, open] = await Promise.all([
    total({}),
    api.get('/api/v1/documents', { query: { page_size: 1 } }).then((r) => r.total),
    total({ mode: 'auto' }),
    total({ mode: 'online' }),
    api.get('/api/v1/items', { query: { page_size: 6 } }).then((r) => r.items),
    api.get('/api/v1/items', { query: { page_size: 200, open_on: today() } }).then((r) => r.items),
  ]);
  const closing = open.filter((i) => closesOn(i)).sort((a, b) => closesOn(a)!.localeCompare(closesOn(b)!)).slice(0, 6);
  return { counts: { items, docs, auto, online }, newest, closing };
}

function ItemList({ items, closing, loading }: { items: ItemSummary[]; closing?: boolean; loading: boolean }) {
  const { t, locale } = useI18n();
  if (!items.length) return <p style={{ color: '#595959' }}>{loading ? t('加载中…', 'Loading…') : t('暂无', 'None')}</p>;
  return (
    <ul className="kx-list">
      {items.map((i) => (
        <li key={i.id}>
          <Link to={`/items/${encodeURIComponent(i.id)}`}>{locale === 'en' && i.title_en ? i.title_en : i.title}</Link>
          <div className="kx-meta">
            <ModeBadge mode={i.mode} />
            <span>{i.department_name}</span>
            {closing ? <span>{t('截止', 'closes')} {closesOn(i)}</span> : i.published_at ? <span>{t('发布于', 'published')} {i.published_at.slice(0, 10)}</span> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

// Plain elements instead of antd Card/List/Statistic/Grid: the first page stays small.
const CSS = `
.kx-stats{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:12px}
.kx-stat,.kx-panel{background:#fff;border:1px solid #f0f0f0;border-radius:8px;padding:12px 16px}
.kx-stat .kx-n{font-size:28px;font-weight:600;color:#1f1f1f}
.kx-stat .kx-l{color:#595959}
.kx-panels{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px;margin-top:16px}
.kx-panel h2{font-size:18px;margin:0 0 8px}
.kx-list{list-style:none;margin:0;padding:0}
.kx-list li{padding:10px 0;border-bottom:1px solid #f0f0f0}
.kx-list li:last-child{border-bottom:0}
.kx-meta{color:#595959;font-size:13px;display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-top:4px}
@media (max-width:768px){.kx-stats{grid-template-columns:repeat(2,minmax(0,1fr))}.kx-panels{grid-template-columns:1fr}}
`;

export default function Home() {
  const { t } = useI18n();
  const home = useLoad(loadHome, []);
  // live counts: read again every minute while the page is open and visible
  useEffect(() => {
    const timer = setInterval(() => { if (document.visibilityState === 'visible') void home.reload(); }, 60_000);
    return () => clearInterval(timer);
  }, [home.reload]);
  const c = home.data?.counts;
  return (
    <div style={{ maxWidth: 1100, margin: '0 auto' }}>
      <style>{CSS}</style>
      <section style={{ textAlign: 'center', padding: 'clamp(12px, 4vw, 40px) 0' }}>
        <h1 style={{ fontSize: 'clamp(24px, 5vw, 36px)', fontWeight: 600, margin: '0 0 16px' }}>{t('政策快享：应享尽享，一网通办', 'Kuaixiang: every benefit you are entitled to, in one place')}</h1>
        <div style={{ maxWidth: 720, margin: '0 auto' }} role="search">
          <SearchBox />
        </div>
        <p style={{ marginTop: 8, color: '#595959' }}>
          {t('可输入政策名称、拼音首字母，或用一句话描述您的情况。', 'Type a policy name, pinyin initials, or describe your situation in a sentence.')}
        </p>
      </section>
      <section aria-label={t('政策统计', 'Catalogue figures')} className="kx-stats">
        {[
          { key: 'docs', title: t('政策文件', 'Policy documents'), value: c?.docs },
          { key: 'items', title: t('政策事项', 'Policy items'), value: c?.items },
          { key: 'auto', title: t('免申即享', 'No application needed'), value: c?.auto },
          { key: 'online', title: t('网上可办', 'Apply online'), value: c?.online },
        ].map((s) => (
          <div className="kx-stat" key={s.key} data-stat={s.key}>
            <div className="kx-l">{s.title}</div>
            <div className="kx-n">{s.value ?? '—'}</div>
          </div>
        ))}
      </section>
      <div className="kx-panels">
        <section className="kx-panel" aria-labelledby="kx-newest">
          <h2 id="kx-newest">{t('最新发布', 'Newly published')}</h2>
          <ItemList items={home.data?.newest ?? []} loading={home.loading} />
        </section>
        <section className="kx-panel" aria-labelledby="kx-closing">
          <h2 id="kx-closing">{t('即将截止', 'Closing soon')}</h2>
          <ItemList items={home.data?.closing ?? []} closing loading={home.loading} />
        </section>
      </div>
    </div>
  );
}
