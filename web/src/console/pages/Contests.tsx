// Contests (异议) of my department's auto-grants: the open ones first; each is resolved once —
// upheld (the grant cancelled, or its amount corrected) or dismissed — with a reason the entity
// is told (POST /api/v1/contests/{id}/resolve).
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Input, Modal, Radio, Segmented, Space, Table, Tag, Typography } from 'antd';
import { api, errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { ConsoleFrame } from '../Frame.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type Page = ResponseOf<'/api/v1/contests', 'get'>;
type Row = Page['items'][number];
type Choice = 'dismiss' | 'cancel' | 'correct';

const STATUS: Record<Row['status'], [string, string, string]> = { open: ['待处理', 'open', 'gold'], upheld: ['异议成立', 'upheld', 'green'], dismissed: ['异议不成立', 'dismissed', 'default'] };

export default function Contests() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [show, setShow] = useState<'open' | 'resolved'>('open');
  const [data, setData] = useState<Page>();
  const [error, setError] = useState<string>();
  const [row, setRow] = useState<Row | null>(null);
  const [choice, setChoice] = useState<Choice>('dismiss');
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => api.get('/api/v1/contests', { query: { status: show, page_size: 100 } }).then((d) => { setData(d); setError(undefined); }, (e: unknown) => setError(errorText(e, locale))), [show, locale]);
  useEffect(() => { void load(); }, [load]);
  const close = () => { setRow(null); setReason(''); setAmount(''); setChoice('dismiss'); };
  const resolve = async () => {
    if (!row) return;
    setBusy(true);
    try {
      const body = choice === 'dismiss' ? { decision: 'dismiss' as const, reason } : choice === 'cancel' ? { decision: 'uphold' as const, reason } : { decision: 'uphold' as const, reason, amount: amount.trim() };
      await api.post('/api/v1/contests/{id}/resolve', { params: { id: row.id }, body });
      message.success(t('已处理，申请主体将收到通知', 'Resolved; the entity is told'));
      close();
      await load();
    } catch (e) { message.error(errorText(e, locale)); } finally { setBusy(false); }
  };
  const ready = reason.trim().length >= 2 && (choice !== 'correct' || /^\d{1,12}(\.\d{1,2})?$/.test(amount.trim()));
  return (
    <ConsoleFrame>
      <Typography.Title level={2}>{t('兑现异议', 'Grant contests')}</Typography.Title>
      {error && <Alert type="error" showIcon title={error} />}
      <Space wrap style={{ marginBottom: 8 }}>
        <Segmented aria-label={t('显示', 'Show')} value={show} onChange={(v) => { setShow(v as 'open' | 'resolved'); setData(undefined); }}
          options={[{ value: 'open', label: t('待处理', 'Open') }, { value: 'resolved', label: t('已处理', 'Resolved') }]} />
        {data && <Typography.Text type="secondary">{t(`共 ${data.total} 件`, `${data.total} in all`)}</Typography.Text>}
      </Space>
      <Table rowKey="id" dataSource={data?.items ?? []} loading={!data && !error} pagination={false} scroll={{ x: 'max-content' }}
        columns={[
          { title: t('提出时间', 'Raised'), key: 'at', render: (_v, r) => new Date(r.created_at).toLocaleDateString(locale === 'en' ? 'en' : 'zh-CN') },
          { title: t('兑现', 'Grant'), key: 'grant', render: (_v, r) => <>{r.item_title}<br /><Typography.Text type="secondary">#{r.grant_id} · {r.entity_name ?? `#${r.entity_id}`} · {r.period_key} · ¥{r.amount}</Typography.Text></> },
          { title: t('异议理由', 'Reason'), dataIndex: 'reason', key: 'reason' },
          { title: t('状态', 'Status'), key: 'status', render: (_v, r) => <><Tag color={STATUS[r.status][2]}>{t(STATUS[r.status][0], STATUS[r.status][1])}</Tag>{r.outcome && <Tag>{r.outcome === 'cancelled' ? t('已撤销', 'cancelled') : t(`更正为 ¥${r.new_amount}`, `corrected to ¥${r.new_amount}`)}</Tag>}{r.resolution && <><br /><Typography.Text type="secondary">{r.resolution}{r.resolved_by ? ` — ${r.resolved_by}` : ''}</Typography.Text></>}</> },
          { title: t('操作', 'Actions'), key: 'act', render: (_v, r) => r.status === 'open' && <Button size="small" onClick={() => setRow(r)} aria-label={t(`处理异议 ${r.id}`, `Resolve contest ${r.id}`)}>{t('处理', 'Resolve')}</Button> },
        ]} />
      <Modal open={!!row} title={t('处理异议', 'Resolve the contest')} onCancel={close} onOk={() => void resolve()} okText={t('确定', 'Confirm')} cancelText={t('取消', 'Cancel')} okButtonProps={{ disabled: !ready, loading: busy }}>
        {row && <Typography.Paragraph>{row.item_title} · ¥{row.amount} · {row.reason}</Typography.Paragraph>}
        <Radio.Group aria-label={t('处理结果', 'Decision')} value={choice} onChange={(e) => setChoice(e.target.value as Choice)} style={{ display: 'flex', flexDirection: 'column', gap: 4, marginBottom: 8 }}
          options={[
            { value: 'dismiss', label: t('异议不成立，维持兑现', 'Dismiss: the grant stands') },
            { value: 'cancel', label: t('异议成立，撤销该笔兑现', 'Uphold: cancel the grant') },
            { value: 'correct', label: t('异议成立，更正金额', 'Uphold: correct the amount') },
          ]} />
        {choice === 'correct' && (
          <div style={{ marginBottom: 8 }}>
            <label htmlFor="contest-amount">{t('更正后金额（元）', 'Corrected amount (yuan)')}</label>
            <Input id="contest-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
          </div>
        )}
        <label htmlFor="contest-reason">{t('理由（告知申请主体）', 'Reason (told to the entity)')}</label>
        <Input.TextArea id="contest-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </ConsoleFrame>
  );
}
