// Payout batches: batch the department's payable cases, export the bank file (CSV/XLSX),
// upload the bank's result file, and reconcile (paid / failed / unanswered lines).
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { api, errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { ConsoleFrame } from '../Frame.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type Batches = ResponseOf<'/api/v1/payouts/batches', 'get'>;
type Recon = ResponseOf<'/api/v1/payouts/batches/{id}/reconciliation', 'get'>;

function Reconciliation({ id, onChanged }: { id: string; onChanged(): void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [r, setR] = useState<Recon>();
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => api.get('/api/v1/payouts/batches/{id}/reconciliation', { params: { id } }).then(setR, () => undefined), [id]);
  useEffect(() => { void load(); }, [load]);
  const upload = async (file: File) => {
    setBusy(true);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const res = await fetch(`/api/v1/payouts/batches/${id}/results`, { method: 'POST', body: form, credentials: 'same-origin' });
      const body = (await res.json()) as { paid?: number; failed?: number; message?: string; message_en?: string };
      if (!res.ok) throw new Error(locale === 'en' ? body.message_en ?? body.message : body.message);
      message.success(t(`已导入：支付成功 ${body.paid}，失败 ${body.failed}`, `Imported: ${body.paid} paid, ${body.failed} failed`));
      await load();
      onChanged();
    } catch (e) { message.error(e instanceof Error ? e.message : errorText(e, locale)); } finally { setBusy(false); }
  };
  if (!r) return null;
  const lineCols = [
    { title: t('收款人', 'Payee'), dataIndex: 'payee' }, { title: t('账号', 'Account'), dataIndex: 'account' }, { title: t('金额', 'Amount'), dataIndex: 'amount' },
    { title: t('原因', 'Reason'), dataIndex: 'failure_reason' },
  ];
  return (
    <Card title={t(`批次 ${id} 对账`, `Batch ${id}: reconciliation`)} style={{ marginTop: 16 }}>
      <Space wrap style={{ marginBottom: 12 }}>
        <a href={`/api/v1/payouts/batches/${id}/export?format=csv`} download>{t('导出 CSV', 'Export CSV')}</a>
        <a href={`/api/v1/payouts/batches/${id}/export?format=xlsx`} download>{t('导出 XLSX', 'Export XLSX')}</a>
        <label htmlFor="bank-file">{t('上传银行回盘文件', 'Upload the bank\'s result file')}</label>
        <input id="bank-file" type="file" accept=".csv,.xlsx" disabled={busy} onChange={(e) => { const f = e.target.files?.[0]; if (f) void upload(f); e.target.value = ''; }} />
      </Space>
      <Row gutter={16}>
        <Col xs={12} md={6}><Statistic title={t('导出', 'Exported')} value={`${r.exported.lines} / ¥${r.exported.amount}`} /></Col>
        <Col xs={12} md={6}><Statistic title={t('已支付', 'Paid')} value={`${r.paid.lines} / ¥${r.paid.amount}`} /></Col>
        <Col xs={12} md={6}><Statistic title={t('失败', 'Failed')} value={`${r.failed.lines} / ¥${r.failed.amount}`} /></Col>
        <Col xs={12} md={6}><Statistic title={t('未回复', 'Unanswered')} value={`${r.unanswered.lines} / ¥${r.unanswered.amount}`} /></Col>
      </Row>
      <Typography.Paragraph style={{ marginTop: 8 }}>{r.balanced ? <Tag color="green">{t('账目平衡', 'balanced')}</Tag> : <Tag color="red">{t('账目不平', 'NOT balanced')}</Tag>}</Typography.Paragraph>
      {r.failed_lines.length > 0 && <><Typography.Title level={5}>{t('失败明细', 'Failed lines')}</Typography.Title><Table size="small" rowKey="id" dataSource={r.failed_lines} columns={lineCols} pagination={false} scroll={{ x: true }} /></>}
      {r.unanswered_lines.length > 0 && <><Typography.Title level={5}>{t('未回复明细', 'Unanswered lines')}</Typography.Title><Table size="small" rowKey="id" dataSource={r.unanswered_lines} columns={lineCols.slice(0, 3)} pagination={false} scroll={{ x: true }} /></>}
    </Card>
  );
}

export default function Payouts() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [data, setData] = useState<Batches>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const current = params.get('batch');
  const load = useCallback(() => api.get('/api/v1/payouts/batches', { query: { page_size: 50 } }).then((d) => { setData(d); setError(undefined); }, (e: unknown) => setError(errorText(e, locale))), [locale]);
  useEffect(() => { void load(); }, [load]);
  const create = async () => {
    setBusy(true);
    try {
      const r = await api.post('/api/v1/payouts/batches');
      message.success(t(`已建批次 ${r.batch.id}：${r.batch.line_count} 笔，¥${r.batch.total_amount}${r.skipped.length ? `；${r.skipped.length} 件缺账号或金额未入批` : ''}`, `Batch ${r.batch.id}: ${r.batch.line_count} lines, ¥${r.batch.total_amount}${r.skipped.length ? `; ${r.skipped.length} skipped` : ''}`));
      setParams({ batch: r.batch.id });
      await load();
    } catch (e) { message.error(errorText(e, locale)); } finally { setBusy(false); }
  };
  return (
    <ConsoleFrame>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={2} style={{ margin: 0 }}>{t('资金拨付', 'Payouts')}</Typography.Title>
        <Button type="primary" loading={busy} onClick={() => void create()}>{t('为待拨付案件建批次', 'Batch the payable cases')}</Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table
        style={{ marginTop: 12 }} rowKey="id" dataSource={data?.items ?? []} loading={!data && !error} scroll={{ x: true }} pagination={false}
        columns={[
          { title: t('批次', 'Batch'), dataIndex: 'id', render: (v: string) => <Button type="link" onClick={() => setParams({ batch: v })} aria-label={t(`查看批次 ${v}`, `Open batch ${v}`)}>{v}</Button> },
          { title: t('状态', 'Status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'reconciled' ? 'green' : s === 'partially_failed' ? 'red' : 'blue'}>{({ draft: t('草稿', 'draft'), exported: t('已导出待回盘', 'exported'), reconciled: t('已对账', 'reconciled'), partially_failed: t('部分失败', 'partially failed') } as Record<string, string>)[s] ?? s}</Tag> },
          { title: t('笔数', 'Lines'), dataIndex: 'line_count' },
          { title: t('总额（元）', 'Total (yuan)'), dataIndex: 'total_amount' },
          { title: t('建立时间', 'Created'), dataIndex: 'created_at', render: (v: string) => v.slice(0, 16).replace('T', ' ') },
        ]}
      />
      {current && <Reconciliation key={current} id={current} onChanged={() => void load()} />}
    </ConsoleFrame>
  );
}
