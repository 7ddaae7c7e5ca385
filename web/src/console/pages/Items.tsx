// A department's policy items (drafts included) with their latest version's status.
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Input, Select, Space, Table, Typography } from 'antd';
import { api, errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { useSession } from '../../app/session.tsx';
import { ConsoleFrame, roleOf } from '../Frame.tsx';
import { STATUS_ZH, StatusTag } from '../parts.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type Page = ResponseOf<'/api/v1/departments/{code}/items', 'get'>;
type Status = NonNullable<NonNullable<Parameters<typeof api.get<'/api/v1/departments/{code}/items'>>[1]>['query']>['status'];

export default function Items() {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const nav = useNavigate();
  const department = (me as { department?: string | null } | null)?.department ?? '';
  const [status, setStatus] = useState<Status>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!department) return;
    api.get('/api/v1/departments/{code}/items', { params: { code: department }, query: { page, page_size: 20, ...(status ? { status } : {}), ...(q ? { q } : {}) } })
      .then((d) => { setData(d); setError(undefined); }, (e: unknown) => setError(errorText(e, locale)));
  }, [department, status, q, page, locale]);
  return (
    <ConsoleFrame>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>{t('政策事项', 'Policy items')}</Typography.Title>
        {roleOf(me) === 'clerk' && <Button type="primary" onClick={() => nav('/console/items/new')}>{t('新建事项', 'New item')}</Button>}
      </Space>
      {!department && <Typography.Paragraph>{t('管理员请从政策查询中查看事项。', 'Admins: see items through the catalogue search.')}</Typography.Paragraph>}
      <Space wrap style={{ margin: '12px 0' }}>
        <Input.Search aria-label={t('搜索事项', 'Search items')} placeholder={t('标题或编号', 'Title or id')} allowClear onSearch={(v) => { setQ(v); setPage(1); }} style={{ width: 240 }} />
        <Select aria-label={t('状态', 'Status')} allowClear placeholder={t('全部状态', 'Any status')} style={{ width: 160 }} value={status}
          onChange={(v: Status) => { setStatus(v); setPage(1); }} options={Object.entries(STATUS_ZH).map(([k, [zh, en]]) => ({ value: k, label: t(zh, en) }))} />
      </Space>
      {error && <Typography.Text type="danger" role="alert">{error}</Typography.Text>}
      <Table
        rowKey="id" dataSource={data?.items ?? []} loading={!data && !error && !!department} scroll={{ x: 'max-content' }}
        pagination={{ current: page, total: data?.total ?? 0, pageSize: 20, onChange: setPage }}
        columns={[
          { title: t('事项', 'Item'), dataIndex: 'title', render: (v: string, r) => <Link to={`/console/items/${r.id}/edit`}>{v}</Link> },
          { title: t('编号', 'Id'), dataIndex: 'id' },
          { title: t('最新版本', 'Latest'), dataIndex: 'latest_version', render: (v: number, r) => <>{v} <StatusTag status={r.status} /></> },
          { title: t('现行版本', 'In force'), dataIndex: 'published_version', render: (v: number | null) => v ?? '—' },
          { title: t('更新时间', 'Updated'), dataIndex: 'updated_at', render: (v: string) => v.slice(0, 16).replace('T', ' ') },
        ]}
      />
    </ConsoleFrame>
  );
}
