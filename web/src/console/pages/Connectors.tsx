// Connector status (admin): per source system, the last import, its rows ok / failed and its
// first errors, and when data last arrived.
import { useEffect, useState } from 'react';
import { Alert, Table, Tag, Typography } from 'antd';
import { api, errorText } from '../../app/api.ts';
import { useI18n, useLabel } from '../../app/i18n.tsx';
import { ConsoleFrame } from '../Frame.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type Status = ResponseOf<'/api/v1/sources', 'get'>;

export default function Connectors() {
  const { t, locale } = useI18n();
  const label = useLabel();
  const [data, setData] = useState<Status>();
  const [error, setError] = useState<string>();
  useEffect(() => { api.get('/api/v1/sources').then(setData, (e: unknown) => setError(errorText(e, locale))); }, [locale]);
  const when = (v: string | null | undefined) => (v ? new Date(v).toLocaleString(locale) : '—');
  return (
    <ConsoleFrame>
      <Typography.Title level={2}>{t('数据接入', 'Connectors')}</Typography.Title>
      {error && <Alert type="error" showIcon title={error} />}
      <Table
        rowKey="source" dataSource={data ?? []} loading={!data && !error} scroll={{ x: true }} pagination={false}
        expandable={{ rowExpandable: (r) => !!r.last?.errors.length, expandedRowRender: (r) => <ul>{r.last!.errors.map((e, i) => <li key={i}>{t('第', 'row ')}{e.row}{t(' 行', '')} · {e.field}：{e.message}</li>)}</ul> }}
        columns={[
          { title: t('数据源', 'Source'), key: 's', render: (_v, r) => <>{label(r.label)} <Typography.Text type="secondary">{r.source}</Typography.Text></> },
          { title: t('最近导入', 'Last import'), key: 'l', render: (_v, r) => (r.last ? `${when(r.last.created_at)} · ${r.last.filename ?? r.last.format}` : t('从未导入', 'never')) },
          { title: t('结果', 'Result'), key: 'st', render: (_v, r) => r.last && <Tag color={r.last.status === 'applied' ? 'green' : r.last.status === 'running' ? 'blue' : 'red'}>{({ applied: t('已入库', 'applied'), running: t('进行中', 'running'), rejected: t('整批拒绝', 'rejected'), failed: t('失败', 'failed') } as Record<string, string>)[r.last.status]}</Tag> },
          { title: t('行数 成功/失败', 'Rows ok/failed'), key: 'rows', render: (_v, r) => (r.last ? `${r.last.rows_ok} / ${r.last.rows_failed}` : '—') },
          { title: t('最近成功入库', 'Data last arrived'), key: 'a', render: (_v, r) => when(r.last_applied_at) },
          { title: t('导入次数', 'Imports'), dataIndex: 'imports' },
        ]}
      />
    </ConsoleFrame>
  );
}
