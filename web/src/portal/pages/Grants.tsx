// /me/grants — my grants (免申即享 and paid status) with the evidence behind each: which facts,
// from which source, as of when, the formula; a way to confirm when asked, and to contest.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { api, errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { Loading, RequireEntity, money, useLoad, when } from '../components/common.tsx';
import { formatValue, useDictionary } from '../components/dictionary.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type Grant = ResponseOf<'/api/v1/me/grants', 'get'>['items'][number];
type Fact = Grant['evidence']['facts'][number];

const STATUS: Record<string, { zh: string; en: string; color: string }> = {
  pending_confirmation: { zh: '待确认领取', en: 'confirm to receive', color: 'orange' },
  granted: { zh: '已核定，待拨付', en: 'granted, to be paid', color: 'blue' },
  batched: { zh: '拨付中', en: 'being paid', color: 'geekblue' },
  paid: { zh: '已到账', en: 'paid', color: 'green' },
  payment_failed: { zh: '拨付失败', en: 'payment failed', color: 'red' },
  superseded: { zh: '已被更高待遇取代', en: 'superseded', color: 'default' },
  blocked_budget: { zh: '预算不足暂缓', en: 'held: budget', color: 'default' },
  blocked_quota: { zh: '名额已满暂缓', en: 'held: quota', color: 'default' },
  cancelled: { zh: '已撤销', en: 'cancelled', color: 'default' },
};

function Contest({ grant, onDone }: { grant: Grant; onDone(): Promise<void> }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    try {
      await api.post('/api/v1/grants/{id}/contest', { params: { id: grant.id }, body: { reason } });
      message.success(t('异议已提交，部门将核查并答复。', 'Contest sent — the department will check and reply.'));
      setOpen(false);
      await onDone();
    } catch (e) {
      message.error(errorText(e, locale));
    } finally {
      setBusy(false);
    }
  };
  if (grant.contested) return <Tag color="purple">{t('已提出异议', 'contested')}</Tag>;
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>{t('提出异议', 'Contest')}</Button>
      <Modal open={open} title={t(`对“${grant.item_title}”提出异议`, `Contest “${grant.item_title}”`)} onCancel={() => setOpen(false)} onOk={() => void send()} okText={t('提交', 'Send')} cancelText={t('取消', 'Cancel')}
        okButtonProps={{ disabled: reason.trim().length < 2, loading: busy }}>
        <Form layout="vertical">
          <Form.Item label={t('异议理由（如数据有误、金额不对）', 'Why is it wrong (wrong data, wrong amount)?')} htmlFor={`contest-${grant.id}`}>
            <Input.TextArea id={`contest-${grant.id}`} value={reason} onChange={(e) => setReason(e.target.value)} rows={4} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function Evidence({ g }: { g: Grant }) {
  const { t, locale } = useI18n();
  const dict = useDictionary();
  const en = locale === 'en';
  return (
    <div data-testid="grant-evidence">
      <Typography.Paragraph>
        {t(`依据：${g.evidence.date} 按事项第 ${g.evidence.item_version} 版评估，自 ${when(g.evidence.cause.at, locale)} 起符合条件。`,
          `Basis: evaluated on ${g.evidence.date} with version ${g.evidence.item_version}; eligible since ${when(g.evidence.cause.at, locale)}.`)}
        {/* Residents read the formula in words (QA 10); rule code stays for staff. */}
        {g.evidence.formula_words && g.evidence.formula_words.zh !== g.evidence.item_amount && <><br />{t('金额计算：', 'How the amount is worked out: ')}{en ? g.evidence.formula_words.en : g.evidence.formula_words.zh} = {money(g.evidence.item_amount, '元', locale)}</>}
      </Typography.Paragraph>
      <Table size="small" rowKey="field" pagination={false} dataSource={g.evidence.facts} scroll={{ x: true }}
        columns={[
          { title: t('所用数据', 'Data used'), render: (_: unknown, f: Fact) => (en ? f.label.en : f.label.zh) },
          { title: t('取值', 'Value'), render: (_: unknown, f: Fact) => (f.value === undefined ? '—' : formatValue(dict, f.field, f.value, locale)) },
          { title: t('来源', 'Source'), render: (_: unknown, f: Fact) => (en ? f.source_label.en : f.source_label.zh) },
          { title: t('数据日期', 'As of'), render: (_: unknown, f: Fact) => f.as_of ?? '—' },
        ]} />
    </div>
  );
}

function GrantList() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const state = useLoad(() => api.get('/api/v1/me/grants', { query: { page_size: 100 } }), []);
  const confirm = async (g: Grant) => {
    try {
      await api.post('/api/v1/grants/{id}/confirm', { params: { id: g.id } });
      message.success(t('已确认领取', 'Confirmed'));
      await state.reload();
    } catch (e) {
      message.error(errorText(e, locale));
    }
  };
  return (
    <Loading state={state}>
      {(page) => (page.items.length === 0 ? <Empty description={t('暂无兑现记录。', 'No grants yet.')} /> : (
        <>
          {page.items.map((g) => {
            const s = STATUS[g.status] ?? { zh: g.status, en: g.status, color: 'default' };
            return (
              <Card key={g.id} size="small" style={{ marginBottom: 12 }} data-testid="grant" data-item={g.item_id} data-status={g.status}
                title={<Space wrap><Link to={`/items/${encodeURIComponent(g.item_id)}`}>{g.item_title}</Link><Tag color={s.color}>{t(s.zh, s.en)}</Tag><span>{g.period_key === 'once' ? t('一次性', 'one-off') : g.period_key}</span></Space>}
                extra={<Space>{g.status === 'pending_confirmation' && <Button type="primary" size="small" onClick={() => void confirm(g)}>{t('确认领取', 'Confirm')}</Button>}<Contest grant={g} onDone={state.reload} /></Space>}>
                <div style={{ fontSize: 18, marginBottom: 8 }}><strong>{money(g.amount, '元', locale)}</strong>
                  {g.amount !== g.item_amount && <Typography.Text type="secondary">{t(`（事项测算 ${money(g.item_amount)}，同组已享部分已扣除）`, ` (item amount ${money(g.item_amount, '元', 'en')}, less what the same group already paid)`)}</Typography.Text>}
                </div>
                <Evidence g={g} />
              </Card>
            );
          })}
          {page.total > page.items.length && <Alert type="info" title={t(`仅显示最近 ${page.items.length} 条，共 ${page.total} 条。`, `Showing the latest ${page.items.length} of ${page.total}.`)} />}
        </>
      ))}
    </Loading>
  );
}

export default function Grants() {
  const { t } = useI18n();
  return (
    <RequireEntity>
      <div style={{ maxWidth: 1000, margin: '0 auto' }}>
        <Typography.Title level={1} style={{ fontSize: 'clamp(22px, 4vw, 30px)' }}>{t('我的兑现', 'My grants')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('免申即享由系统按共享数据自动核定；每笔都列出所用的数据、来源和日期。如有不符，可提出异议。', 'Automatic grants are decided from shared data; each lists the data used, its source and date. If something is wrong, contest it.')}</Typography.Paragraph>
        <GrantList />
      </div>
    </RequireEntity>
  );
}
