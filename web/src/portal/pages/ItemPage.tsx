// /items/:id — one policy item as people read it (图解): who it is for, the conditions as a
// checklist printed from the rule, the amount as a formula with a worked example taken from
// the item's own test cases, the department, the window, materials, the mode, related items;
// and for a logged-in enterprise or resident, its own verdict with the explanation.
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Card, Descriptions, List, Space, Table, Tag, Typography } from 'antd';
import { api } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { isStaff, useSession } from '../../app/session.tsx';
import { AudienceTag, Explanation, Loading, ModeBadge, VerdictTag, ZhOnly, money, useLoad } from '../components/common.tsx';
import { useDepartmentName } from '../../app/departments.ts';
import { unitText } from '../../../../engine/src/explain/units.ts';
import { Checklist } from '../components/Checklist.tsx';
import { formatValue, useDictionary } from '../components/dictionary.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type ItemDetail = ResponseOf<'/api/v1/items/{id}', 'get'>;
type Version = NonNullable<ItemDetail['current']>;

interface Case { name: string; date: string; facts: Record<string, unknown>; expect: { verdict: string; amount?: string | null } }
interface TierRow { min?: string; max?: string; value: string }
interface ParamValue { kind: string; value?: unknown; rows?: TierRow[]; entries?: Record<string, string>; default?: string; text?: string }
interface Param { name: string; label?: { zh: string; en?: string }; unit?: string; versions: { from: string; to?: string; value: ParamValue }[] }

/** The version of a parameter in force on a day (the versions are dated). */
function versionOn(p: Param, day: string): ParamValue | undefined {
  return (p.versions.filter((x) => x.from <= day && (!x.to || x.to >= day)).at(-1) ?? p.versions.at(-1))?.value;
}

/** A parameter's value on a day: a number with its unit, a list, or its table (band → amount, code → amount) — QA 9. */
function ParamOn({ p, day }: { p: Param; day: string }) {
  const { t, locale } = useI18n();
  const dict = useDictionary();
  const v = versionOn(p, day);
  if (!v) return <>—</>;
  const unit = p.unit ? ` ${unitText(p.unit, locale === 'en' ? 'en' : 'zh')}` : '';
  const table = (rows: { key: string; band: string; amount: string }[]) => (
    <table className="kx-param-table" style={{ borderCollapse: 'collapse' }}>
      <thead><tr><th scope="col" style={{ textAlign: 'start', paddingInlineEnd: 16 }}>{v.kind === 'tiers' ? t('档次', 'Band') : t('类别', 'Category')}</th><th scope="col" style={{ textAlign: 'end' }}>{t('金额', 'Amount')}</th></tr></thead>
      <tbody>{rows.map((r) => <tr key={r.key}><td style={{ paddingInlineEnd: 16 }}>{r.band}</td><td style={{ textAlign: 'end' }}>{r.amount}{unit}</td></tr>)}</tbody>
    </table>
  );
  if (v.kind === 'tiers' && v.rows)
    return table(v.rows.map((r, i) => ({
      key: String(i), amount: r.value,
      band: r.min !== undefined && r.max !== undefined ? t(`满 ${r.min} 不满 ${r.max}`, `${r.min} to under ${r.max}`)
        : r.min !== undefined ? t(`${r.min} 及以上`, `${r.min} and over`) : r.max !== undefined ? t(`不满 ${r.max}`, `under ${r.max}`) : t('全部', 'all'),
    })));
  if (v.kind === 'map' && v.entries) {
    const label = (code: string) => {
      const row = dict?.enums.map((e) => e.values.find((x) => x.code === code)).find(Boolean);
      return row ? (locale === 'en' ? row.en : row.zh) : code;
    };
    return table([...Object.entries(v.entries).map(([k, a]) => ({ key: k, band: label(k), amount: a })), ...(v.default ? [{ key: '*', band: t('其他', 'other'), amount: v.default }] : [])]);
  }
  if (v.kind === 'expr') return <>{v.text ?? '—'}</>;
  const val = v.value;
  return <>{Array.isArray(val) ? val.join(locale === 'en' ? ', ' : '、') : String(val ?? '—')}{unit}</>;
}

function WorkedExample({ v }: { v: Version }) {
  const { t, locale } = useI18n();
  const dict = useDictionary();
  const cases = ((v.body.cases ?? []) as Case[]).filter((c) => c.expect.verdict === 'eligible' && c.expect.amount);
  const c = cases[0];
  if (!c) return null;
  return (
    <div data-testid="worked-example" style={{ background: '#fafafa', padding: 12, borderRadius: 6, marginTop: 8 }}>
      <Typography.Text strong>{t('算例：', 'Worked example: ')}<ZhOnly text={c.name} /></Typography.Text>
      <ul style={{ margin: '6px 0' }}>
        {Object.entries(c.facts).map(([k, val]) => {
          const f = dict?.fields.find((x) => x.key === k);
          return <li key={k}>{f ? (locale === 'en' ? f.label.en : f.label.zh) : k}{t('：', ': ')}{formatValue(dict, k, val, locale)}</li>;
        })}
      </ul>
      <div>{t('可得金额', 'Amount')} = <strong>{money(c.expect.amount, v.body.amount_unit ?? '元', locale)}</strong></div>
    </div>
  );
}

function MyVerdict({ itemId }: { itemId: string }) {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const entity = me?.entity_id;
  const m = useLoad(async () => (entity ? api.get('/api/v1/entities/{id}/matches/{item}', { params: { id: entity, item: itemId } }) : null), [entity, itemId]);
  if (!entity || !m.data) return null;
  const r = m.data as unknown as { verdict: string; explanation?: unknown; amount?: { value?: string; unit?: string } | null };
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('我的情况', 'My case')}</Typography.Title>} style={{ marginTop: 16 }} data-testid="my-verdict">
      <Space wrap><VerdictTag verdict={r.verdict} />{r.amount?.value ? <span>{t('预计金额', 'Estimated amount')}：{money(r.amount.value, r.amount.unit, locale)}</span> : null}</Space>
      <div style={{ marginTop: 8 }}><Explanation node={r.explanation} /></div>
      {r.verdict !== 'eligible' && <Link to="/me">{t('补充信息，看看能否享受', 'Supply the missing facts')}</Link>}
    </Card>
  );
}

function Related({ documentId, self }: { documentId: string; self: string }) {
  const { t, locale } = useI18n();
  const d = useLoad(() => api.get('/api/v1/documents/{id}', { params: { id: documentId } }), [documentId]);
  const items = (d.data?.items ?? []).filter((i) => i.id !== self);
  if (!items.length) return null;
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('相关事项', 'Related items')}</Typography.Title>} style={{ marginTop: 16 }}>
      <List dataSource={items} renderItem={(i) => (
        <List.Item><Space wrap><Link to={`/items/${encodeURIComponent(i.id)}`}>{locale === 'en' && i.title_en ? i.title_en : i.title}</Link><ModeBadge mode={i.mode} /></Space></List.Item>
      )} />
    </Card>
  );
}

function ApplyAction({ v }: { v: Version }) {
  const { t } = useI18n();
  const { me } = useSession();
  const nav = useNavigate();
  if (v.mode === 'auto') return <Alert type="success" showIcon title={t('免申即享：符合条件的主体无需申请，系统自动兑现并通知。', 'No application needed: everyone eligible is paid automatically and notified.')} />;
  if (v.mode === 'offline') return <Alert type="info" showIcon title={t('请携带材料到责任部门窗口办理。', 'Apply in person at the department’s window, with the materials below.')} />;
  if (isStaff(me)) return null;
  return <Button type="primary" size="large" onClick={() => nav(`/apply/${encodeURIComponent(v.item_id)}`)}>{t('在线申请', 'Apply online')}</Button>;
}

export default function ItemPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const deptName = useDepartmentName();
  const state = useLoad(() => api.get('/api/v1/items/{id}', { params: { id } }), [id]);
  return (
    <Loading state={state}>
      {(item) => {
        const v = item.current;
        if (!v) return <Alert type="warning" title={t('该事项尚未发布。', 'This item is not published.')} />;
        const b = v.body;
        const en = locale === 'en';
        const lines = en && v.rule.eligibility_en?.length ? v.rule.eligibility_en : v.rule.eligibility_zh;
        const formula = (en ? v.rule.amount_en ?? v.rule.amount_zh : v.rule.amount_zh)?.replace(/^[a-z]/, (c) => c.toUpperCase());
        const params = (b.params ?? []) as Param[];
        const day = v.rule.params_on ?? new Date().toISOString().slice(0, 10);
        return (
          <div style={{ maxWidth: 960, margin: '0 auto' }}>
            <Typography.Title level={1} style={{ fontSize: 'clamp(22px, 4vw, 30px)' }}>{en && b.title_en ? b.title_en : v.title}</Typography.Title>
            <Space wrap style={{ marginBottom: 12 }}>
              <ModeBadge mode={v.mode} />
              <AudienceTag audience={v.audience} />
              {(b.tags ?? []).map((tag) => <Tag key={tag} lang="zh-CN">{tag}</Tag>)}
            </Space>
            {b.summary && <Typography.Paragraph><ZhOnly text={b.summary} /></Typography.Paragraph>}
            <ApplyAction v={v} />
            <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginTop: 16 }}
              items={[
                { key: 'dept', label: t('责任部门', 'Department'), children: deptName(item.department, item.department_name) },
                { key: 'doc', label: t('政策文件', 'Policy document'), children: <Link to={`/documents/${encodeURIComponent(item.document_id)}`}><ZhOnly text={item.document_title} /></Link> },
                { key: 'region', label: t('适用地区', 'Region'), children: en ? (v.rule.region_names_en ?? v.rule.region_names).join(', ') : v.rule.region_names.join('、') },
                { key: 'valid', label: t('有效期', 'In force'), children: `${v.valid_from} — ${v.valid_to ?? t('长期', 'open-ended')}` },
                { key: 'window', label: t('申报期', 'Application window'), children: b.window ? `${b.window.from} — ${b.window.to ?? t('长期', 'open-ended')}` : t('全年可申报', 'all year') },
                { key: 'days', label: t('承诺办结时限', 'Statutory time limit'), children: t(`${b.statutory_days} 个工作日`, `${b.statutory_days} working days`) },
              ]} />
            <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('图解：谁能享受', 'At a glance: who is eligible')}</Typography.Title>} style={{ marginTop: 16 }}>
              <Checklist lines={lines} label={t('享受条件', 'Conditions')} />
            </Card>
            {formula && (
              <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('图解：能拿多少', 'At a glance: how much')}</Typography.Title>} style={{ marginTop: 16 }}>
                <div data-testid="formula">{formula}{b.amount_unit ? ` ${unitText(b.amount_unit, en ? 'en' : 'zh')}` : ''}{b.period === 'year' ? t('（每年）', ' (per year)') : b.period === 'month' ? t('（每月）', ' (per month)') : ''}</div>
                {params.length > 0 && (
                  <Table size="small" style={{ marginTop: 8 }} pagination={false} rowKey="name" dataSource={params}
                    columns={[
                      { title: t('参数', 'Parameter'), render: (_: unknown, p: Param) => (!p.label ? p.name : en && p.label.en ? p.label.en : <ZhOnly text={p.label.zh} />) },
                      { title: t(`取值（${day}）`, `Value (${day})`), render: (_: unknown, p: Param) => <ParamOn p={p} day={day} /> },
                    ]} />
                )}
                <WorkedExample v={v} />
              </Card>
            )}
            <MyVerdict itemId={id} />
            <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('申请材料', 'Materials')}</Typography.Title>} style={{ marginTop: 16 }}>
              {(b.materials ?? []).length === 0 ? <Typography.Text>{t('无需提交材料。', 'No materials needed.')}</Typography.Text> : (
                <ul>
                  {(b.materials ?? []).map((m) => (
                    <li key={m.name}><ZhOnly text={m.name} />{m.provided_by ? <Tag color="green" style={{ marginInlineStart: 8 }}>{t('共享数据已有时免提交', 'not needed when shared data has it')}</Tag> : m.required ? <Tag style={{ marginInlineStart: 8 }}>{t('必交', 'required')}</Tag> : null}</li>
                  ))}
                </ul>
              )}
              {(b.review_steps ?? []).length > 0 && (
                <Typography.Paragraph type="secondary">{t('办理流程：', 'Steps: ')}{en ? <ZhOnly text={(b.review_steps ?? []).map((s) => `${s.name} (${s.days} working days)`).join(' → ')} /> : (b.review_steps ?? []).map((s) => `${s.name}（${s.days} 个工作日）`).join(' → ')}</Typography.Paragraph>
              )}
            </Card>
            <Related documentId={item.document_id} self={id} />
          </div>
        );
      }}
    </Loading>
  );
}
