// Payout batches: batch the department's payable cases, export the bank file (CSV/XLSX),
// upload the bank's result file, and reconcile (paid / failed / unanswered lines).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { api, errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { ConsoleFrame } from '../Frame.tsx';
import { BatchStatusTag } from '../parts.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type Batches = ResponseOf<'/api/v1/payouts/batches', 'get'>;
type Recon = ResponseOf<'/api/v1/payouts/batches/{id}/reconciliation', 'get'>;
type Lines = ResponseOf<'/api/v1/payouts/batches/{id}/lines', 'get'>;

type T = (zh: string, en: string) => string;
const LINE_STATUS: Record<string, [string, string, string]> = {
  pending: ['待导出', 'pending', 'default'], exported: ['已导出', 'exported', 'blue'], paid: ['已支付', 'paid', 'green'], failed: ['失败', 'failed', 'red'],
};
const localTime = (v: string | null | undefined) => (v ? new Date(v).toLocaleString('zh-CN', { hour12: false }) : '—');

/** A platform error answer of a call outside the typed client, in the reader's language, with its row-by-row errors. */
class Refused extends Error {
  constructor(message: string, readonly rows: string[]) { super(message); }
}
async function failure(res: Response, t: T): Promise<Refused> {
  const body = (await res.json().catch(() => ({}))) as { message?: string; message_en?: string; details?: { errors?: { row?: number; message: string; message_en?: string }[] } };
  const rows = (body.details?.errors ?? []).map((e) => `${e.row !== undefined ? t(`第 ${e.row} 行：`, `row ${e.row}: `) : ''}${t(e.message, e.message_en ?? e.message)}`);
  return new Refused(t(body.message ?? `请求失败（${res.status}）`, body.message_en ?? body.message ?? `request failed (${res.status})`), rows);
}

function Reconciliation({ id, onChanged }: { id: string; onChanged(): void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [r, setR] = useState<Recon>();
  const [lines, setLines] = useState<Lines>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<'csv' | 'xlsx' | 'upload' | null>(null);
  const [rejected, setRejected] = useState<Refused>();
  const file = useRef<HTMLInputElement>(null);
  const load = useCallback(() => Promise.all([
    api.get('/api/v1/payouts/batches/{id}/reconciliation', { params: { id } }).then(setR),
    api.get('/api/v1/payouts/batches/{id}/lines', { params: { id }, query: { page_size: 500 } }).then(setLines),
  ]).then(() => setError(undefined), (e: unknown) => setError(errorText(e, locale))), [id, locale]);
  useEffect(() => { void load(); }, [load]);
  // The export is fetched rather than linked: the first export moves the batch to "exported",
  // which the page then shows, and a refusal is shown as a message instead of a JSON page.
  const download = async (format: 'csv' | 'xlsx') => {
    setBusy(format);
    try {
      const res = await fetch(`/api/v1/payouts/batches/${encodeURIComponent(id)}/export?format=${format}`, { credentials: 'same-origin' });
      if (!res.ok) throw await failure(res, t);
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `payout-batch-${id}.${format}`;
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      await load();
      onChanged();
    } catch (e) { message.error(e instanceof Error ? e.message : errorText(e, locale)); } finally { setBusy(null); }
  };
  const upload = async (f: File) => {
    setBusy('upload');
    setRejected(undefined);
    try {
      const form = new FormData();
      form.append('file', f, f.name);
      const res = await fetch(`/api/v1/payouts/batches/${encodeURIComponent(id)}/results`, { method: 'POST', body: form, credentials: 'same-origin' });
      if (!res.ok) throw await failure(res, t);
      const body = (await res.json()) as { paid?: number; failed?: number };
      message.success(t(`已导入：支付成功 ${body.paid}，失败 ${body.failed}`, `Imported: ${body.paid} paid, ${body.failed} failed`));
      await load();
      onChanged();
    } catch (e) {
      if (e instanceof Refused && e.rows.length) setRejected(e);
      message.error(e instanceof Error ? e.message : errorText(e, locale));
    } finally { setBusy(null); }
  };
  if (error) return <Alert style={{ marginTop: 16 }} type="error" showIcon title={error} />;
  if (!r) return null;
  const money = (x: { lines: number; amount: string }) => t(`${x.lines} 笔 · ¥${x.amount}`, `${x.lines} · ¥${x.amount}`);
  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{t(`批次 ${id}`, `Batch ${id}`)}</Typography.Title>} style={{ marginTop: 16 }} data-testid="batch">
      <Space wrap style={{ marginBottom: 4 }}>
        <Button icon={<DownloadOutlined />} loading={busy === 'csv'} onClick={() => void download('csv')}>{t('导出 CSV', 'Export CSV')}</Button>
        <Button icon={<DownloadOutlined />} loading={busy === 'xlsx'} onClick={() => void download('xlsx')}>{t('导出 XLSX', 'Export XLSX')}</Button>
        <input ref={file} id={`bank-file-${id}`} type="file" accept=".csv,.xlsx" hidden aria-label={t('上传银行回盘文件', 'Upload the bank\'s result file')}
          onChange={(e) => { const f = e.target.files?.[0]; if (f) void upload(f); e.target.value = ''; }} />
        <Button icon={<UploadOutlined />} loading={busy === 'upload'} onClick={() => file.current?.click()}>{t('上传银行回盘文件', 'Upload the bank\'s result file')}</Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('回盘文件（CSV 或 XLSX）列：明细号或参考号、状态（成功/失败）、银行流水号、失败原因、支付日期；有错的文件整份拒绝并逐行说明，重复导入不产生变化。导出文件含明文账号，每次导出均记入审计日志。',
          'Result file (CSV or XLSX) columns: line id or reference, status (paid/failed), bank reference, failure reason, paid date; a file with errors is refused whole, line by line; importing it again changes nothing. The export holds the accounts in clear and every export is audited.')}
      </Typography.Paragraph>
      {rejected && (
        <Alert type="error" showIcon role="alert" closable onClose={() => setRejected(undefined)} style={{ marginBottom: 12 }} title={rejected.message}
          description={<ul style={{ margin: 0 }}>{rejected.rows.map((r, i) => <li key={i}>{r}</li>)}</ul>} />
      )}
      <Row gutter={[16, 8]}>
        <Col xs={12} md={6}><Statistic title={t('已导出', 'Exported')} value={money(r.exported)} valueStyle={{ fontSize: 20 }} /></Col>
        <Col xs={12} md={6}><Statistic title={t('已支付', 'Paid')} value={money(r.paid)} valueStyle={{ color: '#237804', fontSize: 20 }} /></Col>
        <Col xs={12} md={6}><Statistic title={t('失败', 'Failed')} value={money(r.failed)} valueStyle={{ fontSize: 20, ...(r.failed.lines ? { color: '#a8071a' } : {}) }} /></Col>
        <Col xs={12} md={6}><Statistic title={t('银行未回复', 'Unanswered')} value={money(r.unanswered)} valueStyle={{ fontSize: 20 }} /></Col>
      </Row>
      <Typography.Paragraph style={{ marginTop: 8 }}>{r.balanced ? <Tag color="green">{t('账目平衡：导出 = 已支付 + 失败 + 未回复', 'balanced: exported = paid + failed + unanswered')}</Tag> : <Tag color="red">{t('账目不平', 'NOT balanced')}</Tag>}
        {r.failed.lines > 0 && <Typography.Text type="secondary">{t('失败的案件已退回待拨付，可在下一批次重新拨付。', 'Failed cases are payable again in the next batch.')}</Typography.Text>}</Typography.Paragraph>
      <Typography.Title level={4} style={{ fontSize: 15 }}>{t('明细', 'Lines')}</Typography.Title>
      <Table
        size="small" rowKey="id" dataSource={lines?.items ?? []} loading={!lines} pagination={false} scroll={{ x: 'max-content' }}
        columns={[
          { title: t('明细号', 'Line'), dataIndex: 'id' },
          { title: t('收款人', 'Payee'), dataIndex: 'payee' },
          { title: t('账号（脱敏）', 'Account (masked)'), dataIndex: 'account' },
          { title: t('金额（元）', 'Amount (yuan)'), dataIndex: 'amount', align: 'right' },
          { title: t('参考号', 'Reference'), dataIndex: 'reference' },
          { title: t('状态', 'Status'), dataIndex: 'status', render: (s: string) => { const [zh, en, color] = LINE_STATUS[s] ?? [s, s, 'default']; return <Tag color={color}>{t(zh, en)}</Tag>; } },
          { title: t('银行流水号 / 失败原因', 'Bank ref / failure'), key: 'res', render: (_v, l) => l.failure_reason ? <Typography.Text type="danger">{l.failure_reason}</Typography.Text> : l.bank_ref ?? '—' },
          { title: t('支付日期', 'Paid'), dataIndex: 'paid_at', render: (v: string | null) => v?.slice(0, 10) ?? '—' },
        ]}
      />
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
        style={{ marginTop: 12 }} rowKey="id" dataSource={data?.items ?? []} loading={!data && !error} scroll={{ x: 'max-content' }} pagination={false}
        locale={{ emptyText: t('还没有批次：审核通过或免申即享发放的案件可建批次拨付', 'No batches yet: approved and granted cases can be batched') }}
        rowClassName={(b) => (b.id === current ? 'ant-table-row-selected' : '')}
        columns={[
          { title: t('批次', 'Batch'), dataIndex: 'id', render: (v: string) => <Button type="link" onClick={() => setParams({ batch: v })} aria-label={t(`查看批次 ${v}`, `Open batch ${v}`)}>{v}</Button> },
          { title: t('状态', 'Status'), dataIndex: 'status', render: (s: string) => <BatchStatusTag status={s} /> },
          { title: t('笔数', 'Lines'), dataIndex: 'line_count' },
          { title: t('总额（元）', 'Total (yuan)'), dataIndex: 'total_amount', align: 'right' },
          { title: t('建立时间', 'Created'), dataIndex: 'created_at', render: localTime },
        ]}
      />
      {current && <Reconciliation key={current} id={current} onChanged={() => void load()} />}
    </ConsoleFrame>
  );
}
