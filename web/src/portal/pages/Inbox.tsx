// /me/inbox — my notices, newest first, live: new ones arrive over the Shell's EventSource
// (/api/v1/me/inbox/stream) and are put on top. Opening one marks it read. The "receive
// notifications on this device" button subscribes this browser to web push with the
// service's VAPID key (PushManager.subscribe → POST /api/v1/me/push-subscriptions).
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Badge, Button, Empty, List, Pagination, Space, Tag, Typography } from 'antd';
import { api, errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { useInbox, type Notice } from '../../app/inbox.tsx';
import { useSession } from '../../app/session.tsx';
import { Loading, useLoad, when } from '../components/common.tsx';
import { PushButton } from '../components/PushButton.tsx';

const EVENT: Record<string, { zh: string; en: string }> = {
  newly_eligible: { zh: '新符合', en: 'newly eligible' },
  auto_grant: { zh: '免申即享', en: 'auto grant' },
  missing_fact: { zh: '待补充', en: 'missing fact' },
  application_status: { zh: '办理进度', en: 'application' },
  review_deadline: { zh: '审核时限', en: 'deadline' },
  payout_made: { zh: '资金到账', en: 'paid' },
  closing_soon: { zh: '即将截止', en: 'closing soon' },
  weekly_digest: { zh: '每周汇总', en: 'weekly digest' },
};

/** Where a notice leads: its application, its item, or nowhere. */
export function noticeLink(n: Notice): string | null {
  if (n.case_type === 'application' && n.case_id) return `/me/applications/${n.case_id}`;
  if (n.case_type === 'grant') return '/me/grants';
  if (n.item_id) return `/items/${encodeURIComponent(n.item_id)}`;
  return null;
}

function Notices() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const { onNotice, setUnread, live } = useInbox();
  const [page, setPage] = useState(1);
  const state = useLoad(() => api.get('/api/v1/me/inbox', { query: { page, page_size: 20 } }), [page]);
  const [fresh, setFresh] = useState<Notice[]>([]);
  const [read, setRead] = useState<Set<string>>(new Set());
  useEffect(() => onNotice((n) => { if (page === 1) setFresh((f) => [n, ...f.filter((x) => x.id !== n.id)]); }), [onNotice, page]);
  useEffect(() => { if (state.data) { setUnread(state.data.unread); setFresh([]); } }, [state.data, setUnread]);
  const markRead = async (n: Notice) => {
    if (n.read_at || read.has(n.id)) return;
    try {
      await api.post('/api/v1/me/inbox/{id}/read', { params: { id: n.id } });
      setRead((r) => new Set(r).add(n.id));
      setUnread(Math.max(0, (state.data?.unread ?? 1) + fresh.filter((f) => !f.read_at).length - read.size - 1));
    } catch (e) {
      message.error(errorText(e, locale));
    }
  };
  return (
    <Loading state={state}>
      {(d) => {
        const rows = [...fresh.filter((f) => !d.notices.some((n) => n.id === f.id)), ...d.notices];
        return (
          <>
            <Space style={{ marginBottom: 8 }} wrap>
              <span role="status" data-testid="inbox-unread">{t(`未读 ${Math.max(0, d.unread + fresh.length - read.size)} 条`, `${Math.max(0, d.unread + fresh.length - read.size)} unread`)}</span>
              <Tag color={live ? 'green' : 'default'}>{live ? t('实时更新中', 'live') : t('未连接实时通道', 'not live')}</Tag>
            </Space>
            {rows.length === 0 ? <Empty description={t('暂无消息', 'No notices')} /> : (
              <List aria-label={t('消息列表', 'Notices')} dataSource={rows} renderItem={(n) => {
                const unread = !n.read_at && !read.has(n.id);
                const to = noticeLink(n);
                const ev = EVENT[n.event_kind];
                return (
                  <List.Item data-testid="notice" data-notice={n.id} data-unread={unread ? 'true' : 'false'}
                    actions={unread ? [<Button key="read" size="small" onClick={() => void markRead(n)}>{t('标为已读', 'Mark read')}</Button>] : []}>
                    <List.Item.Meta
                      title={<Space wrap>
                        {unread && <Badge status="processing" text={t('未读', 'unread')} />}
                        {to ? <Link to={to} onClick={() => void markRead(n)}>{n.title}</Link> : <span>{n.title}</span>}
                        {ev && <Tag>{t(ev.zh, ev.en)}</Tag>}
                      </Space>}
                      description={<><div style={{ whiteSpace: 'pre-wrap' }}>{n.body}</div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{when(n.created_at, locale)}</Typography.Text></>}
                    />
                  </List.Item>
                );
              }} />
            )}
            {d.total > d.page_size && <Pagination style={{ marginTop: 12 }} current={page} pageSize={d.page_size} total={d.total} onChange={setPage} showSizeChanger={false} />}
          </>
        );
      }}
    </Loading>
  );
}

export default function Inbox() {
  const { t } = useI18n();
  const { me, loading } = useSession();
  return (
    <div style={{ maxWidth: 900, margin: '0 auto' }}>
      <Typography.Title level={1} style={{ fontSize: 'clamp(22px, 4vw, 30px)' }}>{t('消息', 'Inbox')}</Typography.Title>
      {!loading && !me ? <Alert type="info" showIcon title={<Link to="/login?next=%2Fme%2Finbox">{t('请先登录', 'Please log in')}</Link>} /> : (
        <>
          <Space wrap style={{ display: 'flex', marginBottom: 12 }}>
            <PushButton />
            <Link to="/me/preferences">{t('通知设置', 'Notification settings')}</Link>
          </Space>
          <Notices />
        </>
      )}
    </div>
  );
}
