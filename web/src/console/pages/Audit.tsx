// The audit log for administrators: filters (actor, action, subject — a trailing * matches a
// prefix — outcome, dates) and the hash chain's verification status.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { api, errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { ConsoleFrame } from '../Frame.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type Page = ResponseOf<'/api/v1/audit', 'get'>;
type Verify = ResponseOf<'/api/v1/audit/verify', 'get'>;
type Filters = { actor?: string; action?: string; subject?: string; outcome?: 'ok' | 'denied' | 'failed'; from?: string; to?: string };

export default function Audit() {
  const { t, locale } = useI18n();
  const [draft, setDraft] = useState<Filters>({});
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page>();
  const [error, setError] = useState<string>();
  const [verify, setVerify] = useState<Verify>();
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    const q = Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as Filters;
    api.get('/api/v1/audit', { query: { ...q, page, page_size: 20 } }).then((d) => { setData(d); setError(undefined); }, (e: unknown) => setError(errorText(e, locale)));
  }, [filters, page, locale]);
  const check = useCallback(() => { setChecking(true); api.get('/api/v1/audit/verify').then(setVerify, (e: unknown) => setError(errorText(e, locale))).finally(() => setChecking(false)); }, [locale]);
  useEffect(() => { check(); }, [check]);
  const input = (k: keyof Filters, zh: string, en: string, ph?: string) => (
    <span><label htmlFor={`audit-${k}`} style={{ display: 'block', fontSize: 12 }}>{t(zh, en)}</label>
      <Input id={`audit-${k}`} value={draft[k] ?? ''} placeholder={ph} style={{ width: 170 }} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} onPressEnter={() => { setFilters(draft); setPage(1); }} /></span>
  );
  return (
    <ConsoleFrame>
      <Typography.Title level={2}>{t('审计日志', 'Audit log')}</Typography.Title>
      <div role="status" aria-live="polite" style={{ marginBottom: 12 }}>
        {verify && (verify.ok
          ? <Alert type="success" showIcon title={t(`哈希链校验通过：${verify.rows} 条记录完整`, `Hash chain verified: ${verify.rows} rows intact`)} action={<Button size="small" loading={checking} onClick={check}>{t('重新校验', 'Verify again')}</Button>} />
          : <Alert type="error" showIcon title={t(`哈希链校验失败：记录 ${verify.broken?.id}`, `Hash chain BROKEN at row ${verify.broken?.id}`)} description={verify.broken?.reason} action={<Button size="small" loading={checking} onClick={check}>{t('重新校验', 'Verify again')}</Button>} />)}
      </div>
      <Space wrap align="end" style={{ marginBottom: 12 }}>
        {input('actor', '执行者', 'Actor', 'user:12*')}
        {input('action', '动作', 'Action', 'item.*')}
        {input('subject', '对象', 'Subject', 'item:lc-*')}
        <span><label htmlFor="audit-outcome" style={{ display: 'block', fontSize: 12 }}>{t('结果', 'Outcome')}</label>
          <Select id="audit-outcome" allowClear style={{ width: 120 }} value={draft.outcome} onChange={(v) => setDraft({ ...draft, outcome: v })} options={[{ value: 'ok', label: 'ok' }, { value: 'denied', label: 'denied' }, { value: 'failed', label: 'failed' }]} /></span>
        {input('from', '起（日期）', 'From (date)', 'YYYY-MM-DD')}
        {input('to', '止（日期）', 'To (date)', 'YYYY-MM-DD')}
        <Button type="primary" onClick={() => { setFilters(draft); setPage(1); }}>{t('筛选', 'Filter')}</Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table
        rowKey="id" dataSource={data?.items ?? []} loading={!data && !error} scroll={{ x: 'max-content' }} size="small"
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('时间', 'At'), dataIndex: 'at', render: (v: string) => new Date(v).toLocaleString(locale) },
          { title: t('执行者', 'Actor'), dataIndex: 'actor' },
          { title: t('动作', 'Action'), dataIndex: 'action' },
          { title: t('对象', 'Subject'), dataIndex: 'subject' },
          { title: t('结果', 'Outcome'), dataIndex: 'outcome', render: (o: string) => <Tag color={o === 'ok' ? 'green' : 'red'}>{o}</Tag> },
          { title: t('详情', 'Detail'), dataIndex: 'detail', render: (d: unknown) => <code style={{ fontSize: 11 }}>{JSON.stringify(d).slice(0, 120)}</code> },
        ]}
      />
    </ConsoleFrame>
  );
}
