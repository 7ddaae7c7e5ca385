// The frame around every page: the header (name, navigation, language, who is logged in, the
// unread badge), the page, and a footer. Kept light on purpose — it is in the public first
// page's JavaScript (budget ≤ 300 KB gzip, `npm run size:portal`): plain links instead of
// antd Menu/Dropdown/Layout/Badge, no icon pack. Tag text colours are darkened to meet WCAG AA
// contrast (axe-core), since antd's preset tags are lighter than 4.5:1 on their backgrounds. Phone to desktop: the navigation wraps under the name.
import { Suspense } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Button, Spin } from 'antd';
import { useI18n } from './i18n.tsx';
import { InboxProvider, useInbox } from './inbox.tsx';
import { isStaff, useSession } from './session.tsx';

const CSS = `
.kx-app{min-height:100vh;display:flex;flex-direction:column;background:#f5f5f5}
.kx-content{flex:1;padding:16px clamp(8px,3vw,32px)}
.kx-footer{text-align:center;padding:16px;color:#595959}
.kx-header{background:#001529;display:flex;flex-wrap:wrap;align-items:center;gap:4px 16px;padding:8px 16px;height:auto;line-height:1.5}
.kx-brand{color:#fff;font-weight:600;font-size:18px;white-space:nowrap}
.kx-nav{display:flex;flex-wrap:wrap;gap:2px 4px;flex:1;min-width:0}
.kx-nav a{color:rgba(255,255,255,.8);padding:6px 10px;border-radius:6px;white-space:nowrap}
.kx-nav a:hover,.kx-nav a:focus-visible{color:#fff;background:rgba(255,255,255,.12)}
.kx-nav a.active{color:#fff;background:#c8102e}
.kx-count{display:inline-block;min-width:18px;height:18px;line-height:18px;padding:0 5px;margin-inline-start:4px;border-radius:9px;background:#ff4d4f;color:#fff;font-size:12px;text-align:center;vertical-align:top}
.kx-app p a:not(.ant-btn),.kx-app .ant-typography a:not(.ant-btn){text-decoration:underline}
.kx-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.kx-app .ant-tag.ant-tag-green,.kx-app .ant-tag.ant-tag-success{color:#135200!important}
.kx-app .ant-tag.ant-tag-orange,.kx-app .ant-tag.ant-tag-warning,.kx-app .ant-tag.ant-tag-gold{color:#873800!important}
.kx-app .ant-tag.ant-tag-blue,.kx-app .ant-tag.ant-tag-processing,.kx-app .ant-tag.ant-tag-geekblue{color:#002c8c!important}
.kx-app .ant-tag.ant-tag-red,.kx-app .ant-tag.ant-tag-error{color:#a8071a!important}
.kx-app .ant-tag.ant-tag-purple{color:#391085!important}
.kx-user{display:flex;align-items:center;gap:8px;color:#fff;flex-wrap:wrap}
.kx-user .ant-btn-text{color:#fff}
@media (max-width:600px){.kx-nav{order:3;flex-basis:100%}}
`;

function InboxLink() {
  const { t } = useI18n();
  const { unread } = useInbox();
  const n = unread ?? 0;
  return (
    <NavLink to="/me/inbox" data-testid="inbox-link">
      {t('消息', 'Inbox')}
      {n > 0 && <><span className="kx-count" aria-hidden="true">{n > 99 ? '99+' : n}</span><span className="kx-sr">{t(`（${n} 条未读）`, ` (${n} unread)`)}</span></>}
    </NavLink>
  );
}

function Frame() {
  const { t, locale, setLocale } = useI18n();
  const { me, logout } = useSession();
  const nav = useNavigate();
  const loc = useLocation();
  const staff = isStaff(me);
  const name = me ? String(me.display_name ?? me.username ?? '') : '';
  return (
    <div className="kx-app">
      <style>{CSS}</style>
      <header className="kx-header">
        {/* The accessible name starts with the visible text (axe label-content-name-mismatch). */}
        <Link to="/" className="kx-brand" aria-label={t('政策快享 首页', '政策快享 Kuaixiang home')}>
          政策快享{locale === 'en' ? ' Kuaixiang' : ''}
        </Link>
        <nav className="kx-nav" aria-label={t('主导航', 'Main navigation')}>
          <NavLink to="/" end>{t('首页', 'Home')}</NavLink>
          <NavLink to="/search">{t('政策查询', 'Search')}</NavLink>
          {me && !staff && <NavLink to="/me" end>{t('我能享受什么', 'My entitlements')}</NavLink>}
          {me && !staff && <NavLink to="/me/applications">{t('我的申请', 'Applications')}</NavLink>}
          {me && !staff && <NavLink to="/me/grants">{t('我的兑现', 'My grants')}</NavLink>}
          {me && <InboxLink />}
          {staff && <NavLink to="/console">{t('工作台', 'Console')}</NavLink>}
        </nav>
        <div className="kx-user">
          <Button size="small" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')} title={locale === 'en' ? '切换到中文' : 'Switch to English'} lang={locale === 'en' ? 'zh-CN' : 'en'}>
            {locale === 'en' ? '中文' : 'EN'}
          </Button>
          {me ? (
            <>
              <span>{name}</span>
              <Button size="small" type="text" onClick={() => void logout().then(() => nav('/'))}>{t('退出登录', 'Log out')}</Button>
            </>
          ) : (
            loc.pathname !== '/login' && (
              <Button type="primary" size="small" onClick={() => nav(`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`)}>{t('登录', 'Log in')}</Button>
            )
          )}
        </div>
      </header>
      <main className="kx-content">
        <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="kx-footer">{t('政策快享 · 政策即代码，应享尽享', 'Kuaixiang · policies as code, every benefit to everyone entitled')}</footer>
    </div>
  );
}

export function Shell() {
  return (
    <InboxProvider>
      <Frame />
    </InboxProvider>
  );
}
