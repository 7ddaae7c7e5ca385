// The review queue of my department: open steps sorted by deadline, coloured (and labelled)
// by remaining working days; a case's evidence, materials and prefilled facts; approve,
// reject with a reason, return for correction; bulk approve of the selected rows. Each action is
// offered only to whom the server says may take it (four eyes, final stage: step.can_decide), the
// others see why not and who may; approving asks for confirmation.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Input, Modal, Popconfirm, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { api, errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { ConsoleFrame } from '../Frame.tsx';
import { DeadlineTag } from '../parts.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type Queue = ResponseOf<'/api/v1/reviews', 'get'>;
type Row = Queue['items'][number];

const VERDICT: Record<string, [string, string, string]> = { eligible: ['符合', 'eligible', 'green'], undetermined: ['待确认', 'undetermined', 'gold'], ineligible: ['不符合', 'ineligible', 'red'] };

function VerdictTag({ verdict }: { verdict: string }) {
  const { t } = useI18n();
  const [zh, en, color] = VERDICT[verdict] ?? [verdict, verdict, 'default'];
  return <Tag color={color}>{t(zh, en)}</Tag>;
}

function CaseDetail({ row }: { row: Row }) {
  const { t } = useI18n();
  const v = row.evidence.verdict;
  return (
    <div>
      <Typography.Title level={5}>{t('预填事实（来源与数据日期）', 'Prefilled facts (source, as of)')}</Typography.Title>
      <Descriptions size="small" bordered column={1}
        items={row.evidence.form.map((f) => ({ key: f.field, label: t(f.label, f.label_en), children: <>{f.value ?? '—'} <Typography.Text type="secondary">{f.declared ? t('申请人填报', 'declared') : f.source_label ?? ''}{f.as_of ? ` · ${f.as_of}` : ''}</Typography.Text></> }))} />
      {v && (
        <Typography.Paragraph style={{ marginTop: 8 }}>
          {t(`提交时的匹配结论（${v.date}）`, `Verdict when submitted (${v.date})`)}：<VerdictTag verdict={v.verdict} />
          {v.amount && <>{t('测算金额', 'Computed amount')} ¥{v.amount}</>}
          {v.missing.length > 0 && <> · {t('缺少', 'missing')} {v.missing.map((m) => m.label).join('、')}</>}
        </Typography.Paragraph>
      )}
      <Typography.Title level={5}>{t('材料', 'Materials')}</Typography.Title>
      <ul>{row.materials.map((m) => (
        <li key={m.name}>{m.name}：<Tag color={m.status === 'missing' ? 'red' : m.status === 'optional' ? undefined : 'green'}>{m.status === 'provided' ? t(`数据源提供（${m.source_label ?? ''}）`, `provided by ${m.source_label ?? 'a source'}`) : m.status === 'uploaded' ? t('已上传', 'uploaded') : m.status === 'missing' ? t('缺失', 'missing') : t('可选', 'optional')}</Tag>
          {m.supplementary && <Tag>{t('补充材料', 'extra')}</Tag>}
          {m.file && <a href={`/api/v1/applications/${row.application.id}/materials/${m.file.id}`}>{m.file.filename}</a>}</li>
      ))}</ul>
    </div>
  );
}

export default function Reviews() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [data, setData] = useState<Queue>();
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<{ kind: 'reject' | 'return'; row: Row } | null>(null);
  const [reason, setReason] = useState('');
  const [extra, setExtra] = useState<string[]>([]);
  const [show, setShow] = useState<'open' | 'decided'>('open');
  const load = useCallback(() => api.get('/api/v1/reviews', { query: { page_size: 100, status: show } }).then((d) => { setData(d); setError(undefined); }, (e: unknown) => setError(errorText(e, locale))), [locale, show]);
  useEffect(() => { void load(); }, [load]);
  const rows = [...(data?.items ?? [])].sort((a, b) => (a.step.deadline ?? '9999').localeCompare(b.step.deadline ?? '9999'));
  const approve = async (ids: string[]) => {
    setBusy(true);
    let ok = 0;
    const failed: string[] = [];
    for (const id of ids) {
      try { await api.post('/api/v1/reviews/{stepId}/approve', { params: { stepId: id }, body: {} }); ok++; } catch (e) { failed.push(errorText(e, locale)); }
    }
    setBusy(false);
    if (ok) message.success(t(`已通过 ${ok} 件`, `${ok} approved`));
    if (failed.length) message.error(failed.length > 1 ? t(`${failed.length} 件未通过：${failed[0]}`, `${failed.length} not approved: ${failed[0]}`) : failed[0]);
    setSelected([]);
    await load();
  };
  const decide = async () => {
    if (!dialog) return;
    setBusy(true);
    try {
      const path = dialog.kind === 'reject' ? '/api/v1/reviews/{stepId}/reject' as const : '/api/v1/reviews/{stepId}/return' as const;
      await api.post(path, { params: { stepId: dialog.row.step.id }, body: dialog.kind === 'return' && extra.length ? { reason, extra_materials: extra } : { reason } });
      message.success(dialog.kind === 'reject' ? t('已不予批准', 'Rejected') : t('已退回补正', 'Returned for correction'));
      setDialog(null); setReason(''); setExtra([]);
      await load();
    } catch (e) { message.error(errorText(e, locale)); } finally { setBusy(false); }
  };
  return (
    <ConsoleFrame>
      <Typography.Title level={2}>{t('审核队列', 'Review queue')}</Typography.Title>
      {error && <Alert type="error" showIcon title={error} />}
      <Space wrap style={{ marginBottom: 8 }}>
        <Segmented aria-label={t('显示', 'Show')} value={show} onChange={(v) => { setShow(v as 'open' | 'decided'); setSelected([]); setData(undefined); }}
          options={[{ value: 'open', label: t('待办', 'To do') }, { value: 'decided', label: t('已办', 'Decided') }]} />
        {show === 'open' && (
          <Popconfirm title={t(`确认通过所选 ${selected.length} 件？`, `Approve the ${selected.length} selected?`)} okText={t('通过', 'Approve')} cancelText={t('取消', 'Cancel')} onConfirm={() => void approve(selected)} disabled={!selected.length}>
            <Button type="primary" disabled={!selected.length} loading={busy}>{t(`批量通过（${selected.length}）`, `Approve selected (${selected.length})`)}</Button>
          </Popconfirm>
        )}
        {data && <Typography.Text type="secondary">{t(`共 ${data.total} 件`, `${data.total} in all`)}</Typography.Text>}
      </Space>
      <Table
        rowKey={(r) => r.step.id} dataSource={rows} loading={!data && !error} scroll={{ x: 'max-content' }} pagination={false}
        rowSelection={show !== 'open' ? undefined : { selectedRowKeys: selected, onChange: (k) => setSelected(k.map(String)), getCheckboxProps: (r) => ({ disabled: !r.step.can_decide, 'aria-label': t(`选择申请 ${r.application.id}`, `Select application ${r.application.id}`) }) }}
        expandable={{ expandedRowRender: (r) => <CaseDetail row={r} />, expandRowByClick: false }}
        columns={[
          { title: t('截止', 'Deadline'), key: 'deadline', render: (_v, r) => <DeadlineTag days={r.step.remaining_working_days} overdue={r.step.overdue} deadline={r.step.deadline} /> },
          { title: t('申请', 'Application'), key: 'app', render: (_v, r) => <>{r.application.item_title}<br /><Typography.Text type="secondary">#{r.application.id} · {r.application.applicant}</Typography.Text></> },
          { title: t('环节', 'Step'), key: 'step', render: (_v, r) => <>{r.step.name}{r.application.round > 1 && <Tag>{t(`第 ${r.application.round} 轮`, `round ${r.application.round}`)}</Tag>}{show === 'decided' && <><br /><Tag color={r.step.status === 'approved' ? 'green' : r.step.status === 'rejected' ? 'red' : 'orange'}>{t(r.step.status_label, r.step.status)}</Tag>{r.step.note && <Typography.Text type="secondary">{r.step.note}</Typography.Text>}</>}</> },
          {
            title: t('操作', 'Actions'), key: 'act', render: (_v, r) => show === 'open' && (
              <Space wrap>
                {r.step.can_decide ? (
                  <Popconfirm title={t(`确认通过申请 ${r.application.id} 的「${r.step.name}」？`, `Approve "${r.step.name}" of application ${r.application.id}?`)} okText={t('通过', 'Approve')} cancelText={t('取消', 'Cancel')} onConfirm={() => void approve([r.step.id])}>
                    <Button size="small" type="primary" disabled={busy} aria-label={t(`通过申请 ${r.application.id}`, `Approve application ${r.application.id}`)}>{t('通过', 'Approve')}</Button>
                  </Popconfirm>
                ) : (
                  <Typography.Text type="secondary">
                    {r.step.why_not && t(r.step.why_not.zh, r.step.why_not.en)}
                    {r.step.deciders.length > 0 ? t(`（可由 ${r.step.deciders.join('、')} 通过）`, ` (may be approved by ${r.step.deciders.join(', ')})`) : t('（本部门暂无可通过本环节的人员）', ' (no one in the department may approve it now)')}
                  </Typography.Text>
                )}
                {r.step.can_return && <Button size="small" onClick={() => setDialog({ kind: 'return', row: r })} aria-label={t(`退回补正申请 ${r.application.id}`, `Return application ${r.application.id}`)}>{t('退回补正', 'Return')}</Button>}
                {r.step.can_reject && <Button size="small" danger onClick={() => setDialog({ kind: 'reject', row: r })} aria-label={t(`不予批准申请 ${r.application.id}`, `Reject application ${r.application.id}`)}>{t('不予批准', 'Reject')}</Button>}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={!!dialog} title={dialog?.kind === 'reject' ? t('不予批准', 'Reject') : t('退回补正', 'Return for correction')} onCancel={() => { setDialog(null); setReason(''); setExtra([]); }} onOk={() => void decide()} okButtonProps={{ disabled: reason.trim().length < 2, loading: busy }} okText={t('确定', 'Confirm')}>
        <label htmlFor="decision-reason">{t('理由（告知申请人）', 'Reason (shown to the applicant)')}</label>
        <Input.TextArea id="decision-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        {dialog?.kind === 'return' && (
          <div style={{ marginTop: 12 }}>
            <label htmlFor="decision-extra">{t('补充材料（本事项清单以外，申请人须补充上传；输入后回车）', 'Extra materials (not on the item\'s list; the applicant uploads them — type and press Enter)')}</label>
            <Select id="decision-extra" mode="tags" style={{ width: '100%' }} value={extra} onChange={(v) => setExtra(v)} open={false} aria-label={t('补充材料', 'Extra materials')} placeholder={t('如：医院诊断证明', 'e.g. a hospital certificate')} />
          </div>
        )}
      </Modal>
    </ConsoleFrame>
  );
}
