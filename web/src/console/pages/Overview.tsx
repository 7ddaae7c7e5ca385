// Console home, by role: a clerk's or approver's review queue (counts, nearest deadlines) and
// the department's items waiting for them; a payout officer's batches; an admin's links.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Col, List, Row, Statistic, Tag, Typography } from 'antd';
import { api } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { useSession } from '../../app/session.tsx';
import { CONSOLE_PAGES, ConsoleFrame, roleOf } from '../Frame.tsx';
import { BatchStatusTag, DeadlineTag } from '../parts.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type Queue = ResponseOf<'/api/v1/reviews', 'get'>;
type Items = ResponseOf<'/api/v1/departments/{code}/items', 'get'>;
type Batches = ResponseOf<'/api/v1/payouts/batches', 'get'>;

/** antd's empty-list text is too pale to read (contrast below 4.5:1): the same words, darker. */
const Empty = ({ text }: { text: string }) => <span style={{ color: '#595959' }}>{text}</span>;

function DepartmentDesk({ department, role }: { department: string; role: string }) {
  const { t } = useI18n();
  const [queue, setQueue] = useState<Queue>();
  const [items, setItems] = useState<Items>();
  useEffect(() => {
    void api.get('/api/v1/reviews', { query: { page_size: 5 } }).then(setQueue, () => setQueue({ total: 0, items: [] }));
    const waiting = role === 'approver' ? 'submitted' : 'draft';
    void api.get('/api/v1/departments/{code}/items', { params: { code: department }, query: { status: waiting, page_size: 5 } }).then(setItems, () => undefined);
  }, [department, role]);
  const overdue = queue?.items.filter((x) => x.step.overdue).length ?? 0;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={12}>
        <Card title={<Link to="/console/reviews">{t('待审核的申请', 'Applications to review')}</Link>}>
          <Row gutter={16}>
            <Col span={12}><Statistic title={t('待办', 'Open')} value={queue?.total ?? '…'} /></Col>
            <Col span={12}><Statistic title={t('前五件中已超期', 'Overdue among the first five')} value={queue ? overdue : '…'} /></Col>
          </Row>
          <List
            size="small" dataSource={queue?.items ?? []} locale={{ emptyText: <Empty text={t('没有待审核的申请', 'Nothing to review')} /> }}
            renderItem={(x) => (
              <List.Item>
                <span>{x.application.item_title} · {x.application.applicant}</span>
                <DeadlineTag days={x.step.remaining_working_days} overdue={x.step.overdue} deadline={x.step.deadline} />
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col xs={24} md={12}>
        <Card title={<Link to="/console/items">{role === 'approver' ? t('待审核的事项', 'Items awaiting approval') : t('我的草稿', 'Drafts')}</Link>} extra={role === 'clerk' && <Link to="/console/items/new">{t('新建事项', 'New item')}</Link>}>
          <Statistic title={t('件数', 'Count')} value={items?.total ?? '…'} />
          <List size="small" dataSource={items?.items ?? []} locale={{ emptyText: <Empty text={t('暂无', 'None')} /> }}
            renderItem={(x) => <List.Item><Link to={`/console/items/${x.id}/edit`}>{x.title}</Link><Tag>{t('第', 'v')}{x.latest_version}{t('版', '')}</Tag></List.Item>} />
        </Card>
      </Col>
    </Row>
  );
}

function PayoutDesk() {
  const { t } = useI18n();
  const [b, setB] = useState<Batches>();
  useEffect(() => { void api.get('/api/v1/payouts/batches', { query: { page_size: 5 } }).then(setB, () => undefined); }, []);
  const open = b?.items.filter((x) => x.status === 'exported' || x.status === 'partially_failed').length ?? 0;
  return (
    <Card title={<Link to="/console/payouts">{t('拨付批次', 'Payout batches')}</Link>}>
      <Row gutter={16}>
        <Col span={12}><Statistic title={t('批次总数', 'Batches')} value={b?.total ?? '…'} /></Col>
        <Col span={12}><Statistic title={t('等待银行回盘（最近五批）', 'Awaiting the bank (last five)')} value={b ? open : '…'} /></Col>
      </Row>
      <List size="small" dataSource={b?.items ?? []} renderItem={(x) => <List.Item><Link to={`/console/payouts?batch=${x.id}`}>{t('批次', 'Batch')} {x.id}</Link><span>{x.line_count} {t('笔', 'lines')} · ¥{x.total_amount}</span><BatchStatusTag status={x.status} /></List.Item>} />
    </Card>
  );
}

export default function Overview() {
  const { t } = useI18n();
  const { me } = useSession();
  const role = roleOf(me);
  const department = (me as { department?: string | null } | null)?.department;
  return (
    <ConsoleFrame>
      <Typography.Title level={2}>{t('工作台', 'Console')}</Typography.Title>
      <Typography.Paragraph type="secondary">{(me as { display_name?: string } | null)?.display_name}{department ? ` · ${department}` : ''}</Typography.Paragraph>
      {(role === 'clerk' || role === 'approver') && department && <DepartmentDesk department={department} role={role} />}
      {role === 'payout' && <PayoutDesk />}
      {(role === 'admin' || role === 'leader') && (
        <Row gutter={[16, 16]}>
          {CONSOLE_PAGES.filter((p) => p.roles.includes(role) && p.path !== '/console').map((p) => (
            <Col xs={24} sm={12} md={8} key={p.path}><Card><Link to={p.path}>{t(p.zh, p.en)}</Link></Card></Col>
          ))}
        </Row>
      )}
    </ConsoleFrame>
  );
}
