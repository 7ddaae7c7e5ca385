// /me/applications — my applications with their status and open review steps.
import { Link } from 'react-router-dom';
import { Table, Tag, Typography } from 'antd';
import { api } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { Loading, RequireEntity, money, useLoad } from '../components/common.tsx';

function List() {
  const { t } = useI18n();
  const state = useLoad(() => api.get('/api/v1/me/applications'), []);
  return (
    <Loading state={state}>
      {(rows) => (
        <Table size="small" rowKey="id" dataSource={rows} pagination={false} scroll={{ x: true }} locale={{ emptyText: <span style={{ color: '#595959' }}>{t('还没有申请。可在“我能享受什么”中发起。', 'No applications yet — start one from “My entitlements”.')}</span> }}
          columns={[
            { title: t('事项', 'Item'), render: (_: unknown, r: (typeof rows)[number]) => <Link to={`/me/applications/${r.id}`}>{r.item_title}</Link> },
            { title: t('期次', 'Period'), dataIndex: 'period' },
            { title: t('状态', 'Status'), render: (_: unknown, r: (typeof rows)[number]) => <Tag data-status={r.status}>{r.status_label}</Tag> },
            { title: t('金额', 'Amount'), render: (_: unknown, r: (typeof rows)[number]) => money(r.amount) },
            { title: t('当前环节', 'Now at'), render: (_: unknown, r: (typeof rows)[number]) => r.open_steps.map((s) => `${s.name}${s.remaining_text ? `（${s.remaining_text}）` : ''}`).join('；') || '—' },
          ]} />
      )}
    </Loading>
  );
}

export default function Applications() {
  const { t } = useI18n();
  return (
    <RequireEntity>
      <div style={{ maxWidth: 1000, margin: '0 auto' }}>
        <Typography.Title level={1} style={{ fontSize: 'clamp(22px, 4vw, 30px)' }}>{t('我的申请', 'My applications')}</Typography.Title>
        <List />
      </div>
    </RequireEntity>
  );
}
