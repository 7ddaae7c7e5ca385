// The console's frame: a side menu of the console pages for the logged-in role (collapses
// to nothing on phones, with a button to open it) beside the page. Pages render inside it;
// the dashboards can too (import { ConsoleFrame } from '../Frame.tsx').
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { Alert, Button, Grid, Layout, Menu } from 'antd';
import { MenuOutlined } from '@ant-design/icons';
import { useI18n } from '../app/i18n.tsx';
import { isStaff, useSession } from '../app/session.tsx';

type Role = 'clerk' | 'approver' | 'payout' | 'admin' | 'leader';

/** The console pages and who sees them. */
export const CONSOLE_PAGES: { path: string; zh: string; en: string; roles: Role[] }[] = [
  { path: '/console', zh: '工作台', en: 'Overview', roles: ['clerk', 'approver', 'payout', 'admin', 'leader'] },
  { path: '/console/items', zh: '政策事项', en: 'Policy items', roles: ['clerk', 'approver', 'admin'] },
  { path: '/console/reviews', zh: '审核队列', en: 'Review queue', roles: ['clerk', 'approver'] },
  { path: '/console/contests', zh: '兑现异议', en: 'Grant contests', roles: ['clerk', 'approver'] },
  { path: '/console/payouts', zh: '资金拨付', en: 'Payouts', roles: ['payout'] },
  { path: '/console/dashboards', zh: '数据看板', en: 'Dashboards', roles: ['clerk', 'approver', 'payout', 'admin', 'leader'] },
  { path: '/console/audit', zh: '审计日志', en: 'Audit log', roles: ['admin'] },
  { path: '/console/users', zh: '用户与部门', en: 'Users & departments', roles: ['admin'] },
  { path: '/console/connectors', zh: '数据接入', en: 'Connectors', roles: ['admin'] },
];

export function roleOf(me: unknown): Role | undefined {
  return (me as { role?: Role } | null)?.role;
}

/**
 * A table wider than a phone scrolls sideways inside antd's own container, which a keyboard
 * cannot reach: every such container in the page gets a tab stop (WCAG 2.1.1; axe
 * scrollable-region-focusable), also those rendered later.
 */
function useScrollablesFocusable() {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const mark = () => root.querySelectorAll<HTMLElement>('.ant-table-content, .ant-table-body').forEach((el) => { if (!el.hasAttribute('tabindex')) el.tabIndex = 0; });
    mark();
    const watch = new MutationObserver(mark);
    watch.observe(root, { childList: true, subtree: true });
    return () => watch.disconnect();
  });
  return ref;
}

export function ConsoleFrame({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { me, loading } = useSession();
  const loc = useLocation();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [open, setOpen] = useState(false);
  const body = useScrollablesFocusable();
  if (loading) return null;
  if (!me || !isStaff(me))
    return <Alert type="warning" showIcon title={t('请以工作人员账号登录后使用工作台', 'Log in with a staff account to use the console')} action={<Link to={`/login?next=${encodeURIComponent(loc.pathname)}`}>{t('登录', 'Log in')}</Link>} />;
  const role = roleOf(me)!;
  const pages = CONSOLE_PAGES.filter((p) => p.roles.includes(role));
  const selected = pages.map((p) => p.path).filter((p) => loc.pathname === p || loc.pathname.startsWith(`${p}/`)).sort((a, b) => b.length - a.length)[0] ?? '/console';
  const menu = (
    <nav aria-label={t('工作台菜单', 'Console menu')}>
      <Menu mode="inline" selectedKeys={[selected]} onClick={() => setOpen(false)} items={pages.map((p) => ({ key: p.path, label: <Link to={p.path}>{t(p.zh, p.en)}</Link> }))} style={{ borderInlineEnd: 0 }} />
    </nav>
  );
  return (
    <Layout style={{ background: 'transparent', gap: 16 }}>
      {phone ? null : <Layout.Sider width={190} theme="light" style={{ background: '#fff', borderRadius: 6, alignSelf: 'flex-start' }}>{menu}</Layout.Sider>}
      {/* Not Layout.Content: that is a <main>, and the page shell already has the one main landmark. */}
      <div ref={body} style={{ minWidth: 0, flex: 'auto' }}>
        {phone && (
          <div style={{ marginBottom: 8 }}>
            <Button icon={<MenuOutlined />} aria-expanded={open} onClick={() => setOpen(!open)}>{t('工作台菜单', 'Console menu')}</Button>
            {open && <div style={{ background: '#fff', marginTop: 4, borderRadius: 6 }}>{menu}</div>}
          </div>
        )}
        {children}
      </div>
    </Layout>
  );
}

/** Shared: a page body inside the frame. */
export const framed = (node: ReactNode) => <ConsoleFrame>{node}</ConsoleFrame>;
