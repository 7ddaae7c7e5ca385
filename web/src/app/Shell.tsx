// The frame around every page: the header (name, navigation, language, who is logged in),
// the page, and a footer. Phone to desktop: the menu collapses under 768 px.
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Button, Dropdown, Layout, Menu, Segmented, Space, Spin, Typography } from 'antd';
import { useI18n } from './i18n.tsx';
import { isStaff, useSession } from './session.tsx';

const { Header, Content, Footer } = Layout;

export function Shell() {
  const { t, locale, setLocale } = useI18n();
  const { me, logout } = useSession();
  const nav = useNavigate();
  const loc = useLocation();
  const staff = isStaff(me);
  const items = [
    { key: '/', label: <Link to="/">{t('首页', 'Home')}</Link> },
    { key: '/search', label: <Link to="/search">{t('政策查询', 'Search')}</Link> },
    ...(me && !staff ? [{ key: '/me', label: <Link to="/me">{t('我能享受什么', 'My entitlements')}</Link> }] : []),
    ...(staff ? [{ key: '/console', label: <Link to="/console">{t('工作台', 'Console')}</Link> }] : []),
  ];
  const selected = items.map((i) => i.key).filter((k) => k !== '/' && loc.pathname.startsWith(k)).sort((a, b) => b.length - a.length)[0] ?? '/';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header style={{ display: 'flex', alignItems: 'center', gap: 16, paddingInline: 16 }}>
        <Link to="/" style={{ color: '#fff', fontWeight: 600, fontSize: 18, whiteSpace: 'nowrap' }} aria-label={t('政策快享首页', 'Kuaixiang home')}>
          政策快享{locale === 'en' ? ' Kuaixiang' : ''}
        </Link>
        <Menu theme="dark" mode="horizontal" selectedKeys={[selected]} items={items} style={{ flex: 1, minWidth: 0 }} />
        <Space>
          <Segmented
            size="small"
            aria-label={t('语言', 'Language')}
            value={locale}
            onChange={(v) => setLocale(v as 'zh-CN' | 'en')}
            options={[{ label: '中文', value: 'zh-CN' }, { label: 'EN', value: 'en' }]}
          />
          {me ? (
            <Dropdown menu={{ items: [{ key: 'out', label: t('退出登录', 'Log out'), onClick: () => void logout().then(() => nav('/')) }] }}>
              <Button type="text" style={{ color: '#fff' }}>{String((me as { display_name?: string }).display_name ?? (me as { username?: string }).username ?? '')}</Button>
            </Dropdown>
          ) : (
            <Button type="primary" onClick={() => nav(`/login?next=${encodeURIComponent(loc.pathname)}`)}>{t('登录', 'Log in')}</Button>
          )}
        </Space>
      </Header>
      <Content style={{ padding: '16px clamp(8px, 3vw, 32px)' }}>
        <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
          <Outlet />
        </Suspense>
      </Content>
      <Footer style={{ textAlign: 'center' }}>
        <Typography.Text type="secondary">{t('政策快享 · 政策即代码，应享尽享', 'Kuaixiang · policies as code, every benefit to everyone entitled')}</Typography.Text>
      </Footer>
    </Layout>
  );
}
