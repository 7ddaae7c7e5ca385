// /me/applications/:id — one application: the form prefilled from the profile (each value
// with its source and date; the applicant fills only what no source supplies), materials
// (upload only what is missing; PDF/JPG/PNG/OFD ≤ 10 MB), submit, the review steps with
// their deadlines, the timeline, and — when returned — what to correct.
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Popconfirm, Space, Steps, Table, Tag, Timeline, Typography } from 'antd';
import { api, errorText } from '../../app/api.ts';
import { rawApi } from '../../app/raw.ts';
import { useI18n } from '../../app/i18n.tsx';
import { Explanation, Loading, RequireEntity, money, useLoad, when } from '../components/common.tsx';
import { FactInput, fieldOf, useDictionary } from '../components/dictionary.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type AppView = ResponseOf<'/api/v1/applications/{id}', 'get'>;
type FieldRow = AppView['form'][number];
type MaterialRow = AppView['materials'][number];

const EDITABLE = new Set(['draft', 'returned']);
const ACCEPT = '.pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png';
const MAX_BYTES = 10 * 1024 * 1024;

function FieldEditor({ app, row, onSaved }: { app: AppView; row: FieldRow; onSaved(a: AppView): void }) {
  const { t, locale } = useI18n();
  const dict = useDictionary();
  const { message } = App.useApp();
  const [value, setValue] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const id = `form-${row.field}`;
  const save = async () => {
    setBusy(true);
    try {
      onSaved(await api.put('/api/v1/applications/{id}/form', { params: { id: app.id }, body: { fields: { [row.field]: value } } }));
      message.success(t('已保存', 'Saved'));
      setValue(undefined);
    } catch (e) {
      message.error(errorText(e, locale));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space wrap>
      <FactInput id={id} field={fieldOf(dict, row.field)} value={value} onChange={setValue} />
      <Button size="small" type="primary" loading={busy} onClick={() => void save()} disabled={value === undefined || value === null || value === ''}>{t('保存', 'Save')}</Button>
    </Space>
  );
}

function Upload({ app, m, onSaved }: { app: AppView; m: MaterialRow; onSaved(a: AppView): void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const id = `file-${m.name}`;
  const send = async (file: File) => {
    if (file.size > MAX_BYTES) { message.error(t('文件超过 10 MB', 'The file is larger than 10 MB')); return; }
    const form = new FormData();
    form.append('material', m.name);
    form.append('file', file, file.name);
    setBusy(true);
    try {
      onSaved(await rawApi<AppView>('POST', `/api/v1/applications/${encodeURIComponent(app.id)}/materials`, { form }));
      message.success(t(`已上传“${m.name}”`, `Uploaded “${m.name}”`));
    } catch (e) {
      message.error(errorText(e, locale));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span>
      <Button size="small" loading={busy} onClick={() => input.current?.click()} aria-label={t(`上传材料：${m.name}`, `Upload: ${m.name}`)}>
        {m.file ? t('重新上传', 'Replace') : t('上传文件', 'Upload a file')}
      </Button>
      <input ref={input} id={id} type="file" accept={ACCEPT} disabled={busy} hidden data-material={m.name}
        onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void send(f); }} />
    </span>
  );
}

const MATERIAL_STATUS: Record<string, { zh: string; en: string; color: string }> = {
  provided: { zh: '数据共享提供，免提交', en: 'supplied from shared data', color: 'green' },
  uploaded: { zh: '已上传', en: 'uploaded', color: 'blue' },
  missing: { zh: '待上传', en: 'to upload', color: 'orange' },
  optional: { zh: '选交', en: 'optional', color: 'default' },
};

function ApplicationBody({ initial }: { initial: AppView }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [app, setApp] = useState(initial);
  const [error, setError] = useState<unknown>();
  const editable = EDITABLE.has(app.status);
  const corrections = app.status === 'returned' ? app.steps.filter((s) => s.corrections).at(-1) : undefined;
  const toCorrect = new Set(corrections?.corrections?.fields ?? []);
  const toUpload = new Set(corrections?.corrections?.materials ?? []);
  const act = async (what: 'submit' | 'withdraw') => {
    setError(undefined);
    try {
      const next = what === 'submit'
        ? await api.post('/api/v1/applications/{id}/submit', { params: { id: app.id } })
        : await api.post('/api/v1/applications/{id}/withdraw', { params: { id: app.id } });
      setApp(next);
      message.success(what === 'submit' ? t('已提交，请留意办理进度。', 'Submitted — follow its progress here.') : t('已撤回', 'Withdrawn'));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div style={{ maxWidth: 1000, margin: '0 auto' }}>
      <Typography.Title level={1} style={{ fontSize: 'clamp(22px, 4vw, 30px)' }}>{app.item.title}</Typography.Title>
      <Descriptions bordered size="small" column={{ xs: 1, md: 3 }} items={[
        { key: 'status', label: t('状态', 'Status'), children: <Tag color={app.status === 'paid' || app.status === 'approved' ? 'green' : app.status === 'returned' ? 'orange' : app.status === 'rejected' ? 'red' : 'blue'} data-status={app.status} data-testid="application-status">{app.status_label}</Tag> },
        { key: 'dept', label: t('受理部门', 'Department'), children: app.item.department_name },
        { key: 'period', label: t('申报期次', 'Period'), children: app.period },
        { key: 'amount', label: t('核定金额', 'Amount approved'), children: money(app.amount, app.amount_unit) },
        { key: 'sub', label: t('提交时间', 'Submitted'), children: app.submitted_at ? when(app.submitted_at, locale) : '—' },
        { key: 'limit', label: t('承诺时限', 'Time limit'), children: t(`${app.item.statutory_days} 个工作日`, `${app.item.statutory_days} working days`) },
      ]} />
      {app.reason && <Alert style={{ marginTop: 12 }} type={app.status === 'rejected' ? 'error' : 'warning'} showIcon title={app.reason} />}
      {app.status === 'returned' && (
        <Alert style={{ marginTop: 12 }} type="warning" showIcon role="alert" data-testid="corrections"
          title={t('申请被退回，请补正后重新提交', 'Returned: please correct and resubmit')}
          description={<>
            {corrections?.note && <div>{t('退回理由：', 'Reason: ')}{corrections.note}</div>}
            {toCorrect.size > 0 && <div>{t('需补正的信息：', 'Fields to correct: ')}{app.form.filter((f) => toCorrect.has(f.field)).map((f) => (locale === 'en' ? f.label_en : f.label)).join('、')}</div>}
            {toUpload.size > 0 && <div>{t('需重新上传：', 'Upload again: ')}{[...toUpload].join('、')}</div>}
          </>} />
      )}
      <Card style={{ marginTop: 16 }} title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('申请表（已按档案预填）', 'The form (prefilled from your profile)')}</Typography.Title>}>
        <Table size="small" rowKey="field" pagination={false} dataSource={app.form} scroll={{ x: true }}
          rowClassName={(r) => (toCorrect.has(r.field) ? 'kx-correct' : '')}
          columns={[
            { title: t('项目', 'Field'), render: (_: unknown, r: FieldRow) => <span>{locale === 'en' ? r.label_en : r.label}{toCorrect.has(r.field) && <Tag color="orange" style={{ marginInlineStart: 6 }}>{t('需补正', 'correct this')}</Tag>}</span> },
            {
              title: t('内容', 'Value'),
              render: (_: unknown, r: FieldRow) => (
                <div data-field={r.field}>
                  {r.value ?? <Typography.Text type="warning">{t('待填写', 'to fill in')}</Typography.Text>}
                  {editable && (r.value === null || r.declared || toCorrect.has(r.field)) && <div style={{ marginTop: 4 }}><FieldEditor app={app} row={r} onSaved={setApp} /></div>}
                </div>
              ),
            },
            { title: t('来源', 'Source'), render: (_: unknown, r: FieldRow) => (r.declared ? t('申请人填报', 'declared by you') : r.source_label ? `${r.source_label}${r.as_of ? `（${r.as_of}）` : ''}` : '—') },
          ]} />
      </Card>
      <Card style={{ marginTop: 16 }} title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('申请材料', 'Materials')}</Typography.Title>}>
        <Typography.Paragraph type="secondary">{t('只需上传数据共享未提供的材料。支持 PDF、JPG、PNG、OFD，单个文件不超过 10 MB。', 'Upload only what shared data does not supply. PDF, JPG, PNG or OFD, at most 10 MB each.')}</Typography.Paragraph>
        <Table size="small" rowKey="name" pagination={false} dataSource={app.materials} scroll={{ x: true }}
          columns={[
            { title: t('材料', 'Material'), render: (_: unknown, m: MaterialRow) => <span>{m.name}{m.required ? '' : t('（选交）', ' (optional)')}</span> },
            { title: t('状态', 'Status'), render: (_: unknown, m: MaterialRow) => { const s = MATERIAL_STATUS[m.status] ?? MATERIAL_STATUS.missing; return <Tag color={s.color} data-material-status={m.status}>{toUpload.has(m.name) ? t('需重新上传', 'upload again') : t(s.zh, s.en)}</Tag>; } },
            { title: t('文件', 'File'), render: (_: unknown, m: MaterialRow) => (m.file ? <a href={`/api/v1/applications/${app.id}/materials/${m.file.id}`}>{m.file.filename}</a> : m.source_label ?? '—') },
            { title: t('操作', 'Action'), render: (_: unknown, m: MaterialRow) => (editable && m.status !== 'provided' ? <Upload app={app} m={m} onSaved={setApp} /> : null) },
          ]} />
      </Card>
      {error ? <div role="alert"><Alert style={{ marginTop: 12 }} type="error" showIcon title={errorText(error, locale)} /></div> : null}
      {editable && (
        <Space style={{ marginTop: 16 }} wrap>
          <Button type="primary" size="large" onClick={() => void act('submit')}>{app.status === 'returned' ? t('补正后重新提交', 'Resubmit') : t('提交申请', 'Submit')}</Button>
          <Popconfirm title={t('确定撤回此申请？', 'Withdraw this application?')} onConfirm={() => void act('withdraw')} okText={t('撤回', 'Withdraw')} cancelText={t('取消', 'Cancel')}>
            <Button danger>{t('撤回', 'Withdraw')}</Button>
          </Popconfirm>
        </Space>
      )}
      {app.status !== 'draft' && (app.status === 'submitted' || app.status === 'in_review') && (
        <Popconfirm title={t('确定撤回此申请？', 'Withdraw this application?')} onConfirm={() => void act('withdraw')} okText={t('撤回', 'Withdraw')} cancelText={t('取消', 'Cancel')}>
          <Button danger style={{ marginTop: 16 }}>{t('撤回申请', 'Withdraw')}</Button>
        </Popconfirm>
      )}
      {app.steps.length > 0 && (
        <Card style={{ marginTop: 16 }} title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('审核进度', 'Review steps')}</Typography.Title>}>
          <Steps direction="vertical" size="small" current={app.steps.findIndex((s) => !s.decided_at)} items={app.steps.map((s) => ({
            title: `${s.name} · ${s.status_label}`,
            status: s.status === 'approved' ? 'finish' : s.status === 'rejected' ? 'error' : s.decided_at ? 'finish' : s.started_on ? 'process' : 'wait',
            description: `${s.department_name}${s.deadline ? ` · ${t('时限', 'due')} ${s.deadline}` : ''}${s.remaining_text ? `（${s.remaining_text}）` : ''}${s.overdue ? t(' · 已超期', ' · overdue') : ''}${s.note ? ` · ${s.note}` : ''}`,
          }))} />
        </Card>
      )}
      {app.timeline.length > 0 && (
        <Card style={{ marginTop: 16 }} title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('办理记录', 'Timeline')}</Typography.Title>}>
          <Timeline data-testid="timeline" items={app.timeline.map((e) => ({ content: <span data-event={e.event}>{when(e.at, locale)} · {locale === 'en' ? e.label_en : e.label}{e.step ? ` · ${e.step}` : ''}</span> }))} />
        </Card>
      )}
      {app.evidence && (
        <Card style={{ marginTop: 16 }} title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('审核依据（匹配结论）', 'Evidence (the match)')}</Typography.Title>}>
          <Explanation node={app.evidence.explanation} />
        </Card>
      )}
      <div style={{ marginTop: 16 }}><Link to="/me/applications">{t('← 我的申请', '← My applications')}</Link></div>
    </div>
  );
}

export default function Application() {
  const { id = '' } = useParams();
  const state = useLoad(() => api.get('/api/v1/applications/{id}', { params: { id } }), [id]);
  return <RequireEntity><Loading state={state}>{(a) => <ApplicationBody key={a.id} initial={a} />}</Loading></RequireEntity>;
}
