// Connector status (admin): per source system, the last import, its rows ok / failed and its
// first errors, and when data last arrived; a source system's access token is issued here
// (shown once: only its hash is kept).
import { useEffect, useState } from 'react';
import { Alert, App, Button, Input, Modal, Table, Tag, Typography } from 'antd';
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
  const { message } = App.useApp();
  const [issuing, setIssuing] = useState<{ source: string; label: string; name: string; token?: string; busy?: boolean } | null>(null);
  const issue = async () => {
    if (!issuing) return;
    setIssuing({ ...issuing, busy: true });
    try {
      const r = await api.post('/api/v1/tokens', { body: { name: issuing.name, source: issuing.source } });
      setIssuing({ ...issuing, busy: false, token: r.token });
    } catch (e) { message.error(errorText(e, locale)); setIssuing({ ...issuing, busy: false }); }
  };
  useEffect(() => { api.get('/api/v1/sources').then(setData, (e: unknown) => setError(errorText(e, locale))); }, [locale]);
  const when = (v: string | null | undefined) => (v ? new Date(v).toLocaleString(locale) : '—');
  return (
    <ConsoleFrame>
      <Typography.Title level={2}>{t('数据接入', 'Connectors')}</Typography.Title>
      {error && <Alert type="error" showIcon title={error} />}
      <Table
        rowKey="source" dataSource={data ?? []} loading={!data && !error} scroll={{ x: 'max-content' }} pagination={false}
        expandable={{ rowExpandable: (r) => !!r.last?.errors.length, expandedRowRender: (r) => <ul>{r.last!.errors.map((e, i) => <li key={i}>{t('第', 'row ')}{e.row}{t(' 行', '')} · {e.field}：{e.message}</li>)}</ul> }}
        columns={[
          { title: t('数据源', 'Source'), key: 's', render: (_v, r) => <>{label(r.label)} <Typography.Text type="secondary">{r.source}</Typography.Text></> },
          { title: t('最近导入', 'Last import'), key: 'l', render: (_v, r) => (r.last ? `${when(r.last.created_at)} · ${r.last.filename ?? r.last.format}` : t('从未导入', 'never')) },
          { title: t('结果', 'Result'), key: 'st', render: (_v, r) => r.last && <Tag color={r.last.status === 'applied' ? 'green' : r.last.status === 'running' ? 'blue' : 'red'}>{({ applied: t('已入库', 'applied'), running: t('进行中', 'running'), rejected: t('整批拒绝', 'rejected'), failed: t('失败', 'failed') } as Record<string, string>)[r.last.status]}</Tag> },
          { title: t('行数 成功/失败', 'Rows ok/failed'), key: 'rows', render: (_v, r) => (r.last ? `${r.last.rows_ok} / ${r.last.rows_failed}` : '—') },
          { title: t('最近成功入库', 'Data last arrived'), key: 'a', render: (_v, r) => when(r.last_applied_at) },
          { title: t('导入次数', 'Imports'), dataIndex: 'imports' },
          { title: t('操作', 'Actions'), key: 'act', render: (_v, r) => <Button size="small" onClick={() => setIssuing({ source: r.source, label: label(r.label), name: `${label(r.label)} ${t('接口', 'feed')}` })} aria-label={t(`签发令牌：${label(r.label)}`, `Issue token: ${label(r.label)}`)}>{t('签发令牌', 'Issue token')}</Button> },
        ]}
      />
      <Modal
        open={!!issuing} title={issuing ? t(`为「${issuing.label}」签发接入令牌`, `Issue an access token for ${issuing.label}`) : ''} onCancel={() => setIssuing(null)}
        footer={issuing?.token ? <Button type="primary" onClick={() => setIssuing(null)}>{t('我已妥善保存', 'I have stored it')}</Button> : undefined}
        onOk={() => void issue()} okText={t('签发', 'Issue')} okButtonProps={{ loading: issuing?.busy, disabled: !issuing?.name.trim() }}>
        {issuing && !issuing.token && (
          <>
            <label htmlFor="token-name">{t('令牌名称（便于日后识别）', 'Token name (to recognise it later)')}</label>
            <Input id="token-name" value={issuing.name} onChange={(e) => setIssuing({ ...issuing, name: e.target.value })} />
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('数据源系统以此令牌推送数据（Authorization: Bearer …），只能写入本数据源的字段。', 'The source system pushes its data with this token (Authorization: Bearer …) and may write only its own fields.')}</Typography.Paragraph>
          </>
        )}
        {issuing?.token && (
          <>
            <Alert type="warning" showIcon title={t('令牌只显示这一次，请立即复制保存', 'The token is shown this once: copy it now')} />
            <Typography.Paragraph copyable={{ text: issuing.token }} style={{ marginTop: 8 }} data-testid="issued-token"><code style={{ wordBreak: 'break-all' }}>{issuing.token}</code></Typography.Paragraph>
          </>
        )}
      </Modal>
    </ConsoleFrame>
  );
}
