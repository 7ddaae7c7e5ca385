// /me/preferences — which notices reach me on which channel (web push, e-mail, SMS; the inbox
// always gets everything) and quiet hours (GET/PUT /api/v1/me/notification-preferences).
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, Checkbox, Input, Space, Switch, Table, Typography } from 'antd';
import { api, errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { Loading, RequireEntity, useLoad } from '../components/common.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type Channel = 'webpush' | 'email' | 'sms';
type Prefs = ResponseOf<'/api/v1/me/notification-preferences', 'get'>;
type PrefsInput = NonNullable<RequestBody['preferences']>;
type RequestBody = Parameters<typeof api.put<'/api/v1/me/notification-preferences'>>[1]['body'];

const CHANNELS: { key: Channel; zh: string; en: string }[] = [
  { key: 'webpush', zh: '本设备推送', en: 'Push' },
  { key: 'email', zh: '电子邮件', en: 'E-mail' },
  { key: 'sms', zh: '短信', en: 'SMS' },
];
const KINDS: Record<string, { zh: string; en: string }> = {
  newly_eligible: { zh: '有新政策符合条件', en: 'A new item I am eligible for' },
  auto_grant: { zh: '免申即享已发放', en: 'An automatic grant' },
  missing_fact: { zh: '需补充信息', en: 'A fact is missing' },
  application_status: { zh: '申请办理进度', en: 'Application progress' },
  review_deadline: { zh: '审核时限提醒', en: 'Review deadlines' },
  payout_made: { zh: '资金到账', en: 'Money paid' },
  closing_soon: { zh: '申报即将截止', en: 'Closing soon' },
  weekly_digest: { zh: '每周汇总', en: 'Weekly digest' },
};
const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

function Editor({ initial }: { initial: Prefs }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [rows, setRows] = useState(initial.preferences);
  const [quiet, setQuiet] = useState(initial.quiet_hours);
  const [busy, setBusy] = useState(false);
  useEffect(() => { setRows(initial.preferences); setQuiet(initial.quiet_hours); }, [initial]);
  const kinds = [...new Set(rows.map((r) => r.event_kind))];
  const on = (k: string, c: Channel) => rows.find((r) => r.event_kind === k && r.channel === c)?.enabled ?? false;
  const toggle = (k: string, c: Channel, v: boolean) => setRows((rs) => rs.map((r) => (r.event_kind === k && r.channel === c ? { ...r, enabled: v } : r)));
  const save = async () => {
    setBusy(true);
    try {
      await api.put('/api/v1/me/notification-preferences', { body: { preferences: rows.map(({ channel, event_kind, enabled }) => ({ channel, event_kind, enabled })) as PrefsInput, quiet_hours: quiet } });
      message.success(t('已保存', 'Saved'));
    } catch (e) {
      message.error(errorText(e, locale));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('接收哪些通知', 'What reaches me where')}</Typography.Title>}>
        <Table size="small" pagination={false} rowKey={(k) => k} dataSource={kinds} scroll={{ x: true }}
          columns={[
            { title: t('通知', 'Notice'), render: (_: unknown, k: string) => (KINDS[k] ? t(KINDS[k].zh, KINDS[k].en) : k) },
            ...CHANNELS.map((c) => ({
              title: t(c.zh, c.en),
              render: (_: unknown, k: string) => rows.some((r) => r.event_kind === k && r.channel === c.key)
                ? <Switch size="small" checked={on(k, c.key)} onChange={(v) => toggle(k, c.key, v)} aria-label={`${KINDS[k] ? t(KINDS[k].zh, KINDS[k].en) : k} · ${t(c.zh, c.en)}`} />
                : '—',
            })),
          ]} />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('站内消息始终接收。', 'The inbox always receives every notice.')}</Typography.Paragraph>
      </Card>
      <Card style={{ marginTop: 16 }} title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('免打扰时段', 'Quiet hours')}</Typography.Title>}>
        <Space wrap>
          <Checkbox checked={quiet.enabled} onChange={(e) => setQuiet({ ...quiet, enabled: e.target.checked })}>{t('开启免打扰', 'Quiet hours on')}</Checkbox>
          <label htmlFor="quiet-from">{t('从', 'From')}</label>
          <Input id="quiet-from" style={{ width: 90 }} value={quiet.starts} status={HHMM.test(quiet.starts) ? '' : 'error'} onChange={(e) => setQuiet({ ...quiet, starts: e.target.value })} />
          <label htmlFor="quiet-to">{t('到', 'to')}</label>
          <Input id="quiet-to" style={{ width: 90 }} value={quiet.ends} status={HHMM.test(quiet.ends) ? '' : 'error'} onChange={(e) => setQuiet({ ...quiet, ends: e.target.value })} />
        </Space>
      </Card>
      <Button type="primary" style={{ marginTop: 16 }} loading={busy} disabled={!HHMM.test(quiet.starts) || !HHMM.test(quiet.ends)} onClick={() => void save()}>{t('保存设置', 'Save')}</Button>
    </>
  );
}

export default function Preferences() {
  const { t } = useI18n();
  const state = useLoad(() => api.get('/api/v1/me/notification-preferences'), []);
  return (
    <RequireEntity>
      <div style={{ maxWidth: 900, margin: '0 auto' }}>
        <Typography.Title level={1} style={{ fontSize: 'clamp(22px, 4vw, 30px)' }}>{t('通知设置', 'Notification settings')}</Typography.Title>
        <Loading state={state}>{(p) => <Editor initial={p} />}</Loading>
        <div style={{ marginTop: 16 }}><Link to="/me/inbox">{t('← 消息', '← Inbox')}</Link></div>
      </div>
    </RequireEntity>
  );
}
