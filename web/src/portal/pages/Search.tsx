// /search?q=… — full-text search with highlighted snippets and filters (GET /api/v1/search),
// and the question mode (/search?ask=…): a question in plain words → chips the user can
// correct (edit, remove, add) → items grouped eligible / undetermined with what to add
// (POST /api/v1/search/question, then /search/question/match).
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Checkbox, Col, Empty, Form, Input, InputNumber, List, Pagination, Row, Select, Space, Tabs, Tag, Typography } from 'antd';
import { api } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { useDepartmentName } from '../../app/departments.ts';
import { useSession, isStaff } from '../../app/session.tsx';
import { ErrorAlert, ModeBadge, VerdictTag, money, useLoad } from '../components/common.tsx';
import { chipsToFacts, chipText, removeChip, upsertChip, type Chip } from '../components/chips.ts';
import { FactInput, fieldOf, formatValue, useDictionary, type DictionaryView } from '../components/dictionary.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type SearchAnswer = ResponseOf<'/api/v1/search', 'get'>;
type MatchAnswer = ResponseOf<'/api/v1/search/question/match', 'post'>;
type MatchedItem = MatchAnswer['eligible'][number];

/** Only <mark> survives: the server escapes everything else (title_html / snippet_html). */
function Marked({ html }: { html: string }) {
  return <span className="kx-marked" dangerouslySetInnerHTML={{ __html: html }} />;
}

const FILTER_KEYS = ['department', 'region', 'audience', 'mode', 'industry', 'amount_min', 'amount_max', 'open_now'] as const;

function Filters({ answer, dict }: { answer?: SearchAnswer; dict?: DictionaryView }) {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const set = (k: string, v: string | number | boolean | null | undefined) => {
    const next = new URLSearchParams(params);
    if (v === undefined || v === null || v === '' || v === false) next.delete(k);
    else next.set(k, String(v));
    next.delete('page');
    setParams(next);
  };
  const lab = (f: { label: string; label_en: string; count: number }) => `${locale === 'en' ? f.label_en : f.label} (${f.count})`;
  const counties = (dict?.regions ?? []).filter((r) => (r.level === 'city' || r.level === 'county') && !r.historical);
  const industries = dict?.enums.find((e) => e.name === 'industry_section')?.values ?? [];
  const sel = { style: { width: '100%' }, allowClear: true, placeholder: t('不限', 'Any') } as const;
  return (
    <Form layout="vertical" size="small" aria-label={t('筛选', 'Filters')}>
      <Form.Item label={t('责任部门', 'Department')} htmlFor="f-department">
        <Select {...sel} id="f-department" value={params.get('department') ?? undefined} onChange={(v) => set('department', v)}
          options={(answer?.facets.department ?? []).map((f) => ({ value: f.value, label: lab(f) }))} />
      </Form.Item>
      <Form.Item label={t('地区', 'Region')} htmlFor="f-region">
        <Select {...sel} id="f-region" showSearch={{ optionFilterProp: 'label' }} value={params.get('region') ?? undefined} onChange={(v) => set('region', v)} options={counties.map((r) => ({ value: r.code, label: locale === 'en' ? r.name_en : r.name }))} />
      </Form.Item>
      <Form.Item label={t('对象', 'Audience')} htmlFor="f-audience">
        <Select {...sel} id="f-audience" value={params.get('audience') ?? undefined} onChange={(v) => set('audience', v)}
          options={[{ value: 'enterprise', label: t('企业', 'Enterprises') }, { value: 'person', label: t('个人', 'Residents') }]} />
      </Form.Item>
      <Form.Item label={t('办理方式', 'Mode')} htmlFor="f-mode">
        <Select {...sel} id="f-mode" value={params.get('mode') ?? undefined} onChange={(v) => set('mode', v)}
          options={[{ value: 'auto', label: t('免申即享', 'No application needed') }, { value: 'online', label: t('网上申请', 'Apply online') }, { value: 'offline', label: t('线下办理', 'In person') }]} />
      </Form.Item>
      <Form.Item label={t('行业', 'Industry')} htmlFor="f-industry">
        <Select {...sel} id="f-industry" showSearch={{ optionFilterProp: 'label' }} value={params.get('industry') ?? undefined} onChange={(v) => set('industry', v)}
          options={industries.map((r) => ({ value: r.code, label: `${r.code} ${locale === 'en' ? r.en : r.zh}` }))} />
      </Form.Item>
      <Form.Item label={t('最高金额（元）', 'Amount (yuan)')}>
        <Space.Compact style={{ width: '100%' }}>
          <InputNumber aria-label={t('金额下限', 'Amount from')} min={0} placeholder={t('从', 'from')} value={params.get('amount_min') ? Number(params.get('amount_min')) : null} onChange={(v) => set('amount_min', v)} style={{ width: '50%' }} />
          <InputNumber aria-label={t('金额上限', 'Amount to')} min={0} placeholder={t('到', 'to')} value={params.get('amount_max') ? Number(params.get('amount_max')) : null} onChange={(v) => set('amount_max', v)} style={{ width: '50%' }} />
        </Space.Compact>
      </Form.Item>
      <Checkbox checked={params.get('open_now') === 'true'} onChange={(e) => set('open_now', e.target.checked)}>
        {t('正在受理', 'Open now')}{answer ? ` (${answer.facets.open_now})` : ''}
      </Checkbox>
    </Form>
  );
}

function Results() {
  const { t, locale } = useI18n();
  const deptName = useDepartmentName();
  const dict = useDictionary();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = (params.get('kind') ?? 'all') as 'all' | 'item' | 'document';
  const page = Number(params.get('page') ?? 1);
  const key = params.toString();
  const state = useLoad(async () => {
    if (!q.trim()) return null;
    const f = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v));
    return api.get('/api/v1/search', {
      query: {
        q, kind, page, size: 10,
        ...(f.department ? { department: f.department } : {}), ...(f.region ? { region: f.region } : {}), ...(f.industry ? { industry: f.industry } : {}),
        ...(f.audience ? { audience: f.audience as 'enterprise' | 'person' } : {}), ...(f.mode ? { mode: f.mode as 'auto' | 'online' | 'offline' } : {}),
        ...(f.amount_min ? { amount_min: Number(f.amount_min) } : {}), ...(f.amount_max ? { amount_max: Number(f.amount_max) } : {}),
        ...(f.open_now === 'true' ? { open_now: true } : {}),
      },
    });
  }, [key]);
  const a = state.data ?? undefined;
  const setKind = (k: string) => { const n = new URLSearchParams(params); n.set('kind', k); n.delete('page'); setParams(n); };
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={7}>
        <Card size="small" title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('筛选', 'Filters')}</Typography.Title>}>
          <Filters answer={a} dict={dict} />
        </Card>
      </Col>
      <Col xs={24} md={17}>
        <ErrorAlert error={state.error} />
        {!q.trim() ? <Empty description={t('请输入要查找的内容', 'Type what you are looking for')} /> : (
          <>
            <Space wrap style={{ marginBottom: 8 }}>
              <Select aria-label={t('结果类型', 'Result kind')} value={kind} onChange={setKind} style={{ width: 160 }} options={[
                { value: 'all', label: t('全部', 'All') },
                { value: 'item', label: `${t('政策事项', 'Items')}${a ? ` (${a.facets.kind.item})` : ''}` },
                { value: 'document', label: `${t('政策文件', 'Documents')}${a ? ` (${a.facets.kind.document})` : ''}` },
              ]} />
              {a && <span role="status">{t(`共 ${a.total} 条结果`, `${a.total} results`)}</span>}
              {a?.terms.some((x) => x.also.length) && (
                <Typography.Text type="secondary">{t('同时检索：', 'Also searched: ')}{a.terms.flatMap((x) => x.also).slice(0, 6).join('、')}</Typography.Text>
              )}
            </Space>
            <List
              loading={state.loading}
              dataSource={a?.hits ?? []}
              locale={{ emptyText: t('没有找到相关政策。试试换个说法，或用“一句话提问”。', 'Nothing found. Try other words, or ask a question.') }}
              renderItem={(h) => (
                <List.Item data-testid="search-hit">
                  <div style={{ width: '100%' }}>
                    <Link to={h.kind === 'item' && h.item_id ? `/items/${encodeURIComponent(h.item_id)}` : `/documents/${encodeURIComponent(h.document_id)}`} style={{ fontSize: 16 }}>
                      <Marked html={h.title_html} />
                    </Link>
                    <div style={{ margin: '4px 0', color: '#434343' }}><Marked html={h.snippet_html} /></div>
                    <Space wrap size={4}>
                      <Tag>{h.kind === 'item' ? t('事项', 'Item') : t('文件', 'Document')}</Tag>
                      {h.mode && <ModeBadge mode={h.mode} />}
                      {h.departments.map((d) => <Tag key={d.code}>{deptName(d.code, d.name)}</Tag>)}
                      {h.amount_max !== undefined && h.amount_max !== null && <Tag color="gold">{t('最高', 'up to')} {money(h.amount_max, h.amount_unit, locale)}</Tag>}
                    </Space>
                  </div>
                </List.Item>
              )}
            />
            {a && a.total > a.size && (
              <Pagination style={{ marginTop: 12 }} current={a.page} pageSize={a.size} total={a.total} showSizeChanger={false}
                onChange={(p) => { const n = new URLSearchParams(params); n.set('page', String(p)); setParams(n); }} />
            )}
          </>
        )}
      </Col>
    </Row>
  );
}

/** A chip's value as a label in the current language (codes → names). */
function valueLabel(dict: DictionaryView | undefined, field: string, value: unknown, locale: 'zh-CN' | 'en'): string {
  if (field === 'audience') return value === 'enterprise' ? (locale === 'en' ? 'enterprise' : '企业') : (locale === 'en' ? 'resident' : '个人');
  if (field === 'age') return locale === 'en' ? `${String(value)} years` : `${String(value)} 岁`;
  return formatValue(dict, field, value, locale);
}

function ChipEditor({ dict, chip, onDone, onCancel }: { dict?: DictionaryView; chip?: Chip; onDone(c: Chip): void; onCancel(): void }) {
  const { t, locale } = useI18n();
  const [field, setField] = useState<string | undefined>(chip?.field);
  const [value, setValue] = useState<unknown>(chip?.value);
  const def = field ? fieldOf(dict, field) : undefined;
  const fieldOptions = [
    { value: 'audience', label: t('主体类型', 'Who') },
    { value: 'age', label: t('年龄', 'Age') },
    ...(dict?.fields ?? []).filter((f) => !f.sensitive && f.type !== 'text' && f.key !== 'entity_kind').map((f) => ({ value: f.key, label: locale === 'en' ? f.label.en : f.label.zh })),
  ];
  const labelOf = (k: string) => fieldOptions.find((o) => o.value === k)?.label ?? k;
  const done = () => {
    if (!field || value === undefined || value === null || value === '') return;
    const zh = field === 'audience' ? '主体类型' : field === 'age' ? '年龄' : def?.label.zh ?? field;
    const en = field === 'audience' ? 'Who' : field === 'age' ? 'Age' : def?.label.en ?? field;
    const vzh = valueLabel(dict, field, value, 'zh-CN');
    const ven = valueLabel(dict, field, value, 'en');
    onDone({ field, label_zh: zh, label_en: en, value, value_label: vzh, value_label_en: ven, text: chipText(zh, vzh), span: [0, 0], source_text: '' });
  };
  return (
    <Card size="small" style={{ marginTop: 8 }} data-testid="chip-editor">
      <Space wrap align="end">
        <div>
          <label htmlFor="chip-field" style={{ display: 'block' }}>{t('条件字段', 'Field')}</label>
          <Select id="chip-field" style={{ minWidth: 200 }} showSearch={{ optionFilterProp: 'label' }} value={field} disabled={!!chip}
            onChange={(v: string) => { setField(v); setValue(undefined); }} options={fieldOptions} aria-label={t('条件字段', 'Field')} />
        </div>
        {field && (
          <div>
            <label htmlFor="chip-value" style={{ display: 'block' }}>{labelOf(field)}</label>
            {field === 'audience' ? (
              <Select id="chip-value" style={{ minWidth: 160 }} value={value as string | undefined} onChange={setValue}
                options={[{ value: 'enterprise', label: t('企业', 'Enterprise') }, { value: 'person', label: t('个人', 'Resident') }]} />
            ) : field === 'age' ? (
              <InputNumber id="chip-value" min={0} max={130} value={value as number | null} onChange={setValue} aria-label={t('年龄', 'Age')} />
            ) : (
              <FactInput id="chip-value" field={def} value={value} onChange={setValue} />
            )}
          </div>
        )}
        <Button type="primary" onClick={done}>{t('确定', 'OK')}</Button>
        <Button onClick={onCancel}>{t('取消', 'Cancel')}</Button>
      </Space>
    </Card>
  );
}

function MatchedList({ items, empty }: { items: MatchedItem[]; empty: string }) {
  const { t, locale } = useI18n();
  const deptName = useDepartmentName();
  if (!items.length) return <Empty description={empty} />;
  return (
    <List dataSource={items} renderItem={(m) => (
      <List.Item data-testid="question-match" data-item={m.item_id}>
        <div style={{ width: '100%' }}>
          <Space wrap>
            <Link to={`/items/${encodeURIComponent(m.item_id)}`}>{locale === 'en' && m.title_en ? m.title_en : m.title}</Link>
            <VerdictTag verdict={m.verdict} /><ModeBadge mode={m.mode} />
            <span style={{ color: '#595959' }}>{deptName(m.department.code, m.department.name)}</span>
          </Space>
          <div style={{ color: '#595959', fontSize: 13, marginTop: 4 }}>
            {t(`已满足 ${m.satisfied}/${m.conditions} 项条件`, `${m.satisfied} of ${m.conditions} conditions met`)}
            {m.amount ? ` · ${t('按所述可得', 'amount')} ${money(m.amount, m.amount_unit, locale)}` : ''}
          </div>
          {m.verdict === 'undetermined' && (
            <div style={{ marginTop: 4 }} data-testid="what-to-add">
              {(locale === 'en' ? m.add_en : m.add_zh) ?? `${t('还需说明：', 'Tell us: ')}${m.missing.map((x) => (locale === 'en' ? x.label_en : x.label_zh)).join(t('、', ', '))}`}
            </div>
          )}
        </div>
      </List.Item>
    )} />
  );
}

function Question() {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const dict = useDictionary();
  const [params, setParams] = useSearchParams();
  const asked = params.get('ask') ?? '';
  const [text, setText] = useState(asked);
  const [chips, setChips] = useState<Chip[]>([]);
  const [keywords, setKeywords] = useState<string[]>([]);
  const [notes, setNotes] = useState<string[]>([]);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [result, setResult] = useState<MatchAnswer>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [useProfile, setUseProfile] = useState(false);
  const entityUser = !!me && !isStaff(me);
  useEffect(() => setText(asked), [asked]);

  // Reading the question: chips come back; matching runs right after on them.
  useEffect(() => {
    if (!asked.trim()) return;
    let stale = false;
    setBusy(true);
    api.post('/api/v1/search/question', { body: { text: asked } }).then((r) => {
      if (stale) return;
      setChips(r.chips as Chip[]);
      setKeywords(r.keywords);
      setNotes([...r.notices, ...(r.not_understood.length ? [t(`未识别：${r.not_understood.join('、')}`, `Not understood: ${r.not_understood.join(', ')}`)] : [])]);
      setError(undefined);
    }, (e: unknown) => { if (!stale) { setError(e); setBusy(false); } });
    return () => { stale = true; };
  }, [asked]);

  const facts = useMemo(() => chipsToFacts(chips), [chips]);
  useEffect(() => {
    if (!asked.trim() && !chips.length) return;
    let stale = false;
    setBusy(true);
    api.post('/api/v1/search/question/match', { body: { facts, keywords, size: 20, ...(entityUser && useProfile ? { use_profile: true } : {}) } }).then(
      (r) => { if (!stale) { setResult(r); setError(undefined); } },
      (e: unknown) => { if (!stale) setError(e); },
    ).finally(() => { if (!stale) setBusy(false); });
    return () => { stale = true; };
  }, [JSON.stringify(facts), keywords.join(' '), useProfile]);

  const ask = () => { const n = new URLSearchParams(); n.set('ask', text.trim()); setParams(n); };
  const chipLabel = (c: Chip) => `${locale === 'en' ? c.label_en : c.label_zh}：${locale === 'en' ? c.value_label_en : c.value_label}`;
  return (
    <div>
      <Form layout="vertical" onFinish={ask}>
        <Form.Item label={t('用一句话描述您的情况', 'Describe your situation in a sentence')} htmlFor="question-text">
          <Input.TextArea id="question-text" value={text} onChange={(e) => setText(e.target.value)} autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500}
            placeholder={t('例如：我是东昌府区一家做轴承的小微企业，有什么补贴？', 'e.g. I run a small bearing factory in Dongchangfu district — what subsidies are there?')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" disabled={!text.trim()} loading={busy}>{t('提问', 'Ask')}</Button>
      </Form>
      <ErrorAlert error={error} />
      {(asked || chips.length > 0) && (
        <Card size="small" style={{ marginTop: 16 }} title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('我们这样理解您的情况（可修改）', 'How we read it (you can correct it)')}</Typography.Title>}>
          <div role="list" aria-label={t('识别出的条件', 'What we understood')} style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
            {chips.map((c) => (
              <span role="listitem" key={c.field} data-field={c.field} data-testid="chip">
                <Tag color={c.edited ? 'blue' : 'red'} style={{ fontSize: 14, padding: '2px 8px', marginInlineEnd: 0 }}>
                  <button type="button" onClick={() => setEditing(c.field)} aria-label={t(`修改 ${chipLabel(c)}`, `Edit ${chipLabel(c)}`)}
                    style={{ background: 'none', border: 0, padding: 0, cursor: 'pointer', color: 'inherit', font: 'inherit' }}>{chipLabel(c)}</button>
                  <button type="button" onClick={() => setChips((cs) => removeChip(cs, c.field))} aria-label={t(`删除 ${chipLabel(c)}`, `Remove ${chipLabel(c)}`)}
                    style={{ background: 'none', border: 0, paddingInlineStart: 6, cursor: 'pointer', color: 'inherit' }}>×</button>
                </Tag>
              </span>
            ))}
          </div>
          <Button size="small" type="dashed" style={{ marginTop: 8 }} onClick={() => setEditing('new')}>{t('＋ 添加条件', '+ Add a condition')}</Button>
          {editing && (
            <ChipEditor key={editing} dict={dict} chip={editing === 'new' ? undefined : chips.find((c) => c.field === editing)}
              onCancel={() => setEditing(null)} onDone={(c) => { setChips((cs) => upsertChip(cs, c)); setEditing(null); }} />
          )}
          {notes.map((n, i) => <Typography.Paragraph key={i} type="secondary" style={{ margin: '6px 0 0' }}>{n}</Typography.Paragraph>)}
          {entityUser && (
            <Checkbox style={{ marginTop: 8 }} checked={useProfile} onChange={(e) => setUseProfile(e.target.checked)}>{t('结合我的档案一起判断', 'Also use my profile')}</Checkbox>
          )}
        </Card>
      )}
      {result && (
        <div style={{ marginTop: 16 }} aria-busy={busy}>
          {result.ignored.length > 0 && <Alert type="info" showIcon title={result.ignored.map((x) => x.reason).join('；')} style={{ marginBottom: 8 }} />}
          <Tabs key={result.counts.eligible ? 'e' : 'u'} defaultActiveKey={result.counts.eligible ? 'eligible' : 'undetermined'} items={[
            { key: 'eligible', label: `${t('可以享受', 'Eligible')} (${result.counts.eligible})`, children: <MatchedList items={result.eligible} empty={t('按目前的条件还没有确定能享受的政策，补充条件试试。', 'Nothing certain yet — add a condition.')} /> },
            { key: 'undetermined', label: `${t('还需补充', 'Need more')} (${result.counts.undetermined})`, children: <MatchedList items={result.undetermined} empty={t('暂无', 'None')} /> },
          ]} />
        </div>
      )}
    </div>
  );
}

export default function Search() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const mode = params.has('ask') || params.get('mode') === 'question' ? 'question' : 'search';
  return (
    <div style={{ maxWidth: 1200, margin: '0 auto' }}>
      <style>{'.kx-marked mark{background:#fff1b8;padding:0 1px;color:inherit;font-weight:600}'}</style>
      <Typography.Title level={1} style={{ fontSize: 'clamp(22px, 4vw, 30px)' }}>{t('政策查询', 'Find policies')}</Typography.Title>
      <Tabs
        activeKey={mode}
        onChange={(k) => setParams(k === 'question' ? { mode: 'question' } : {})}
        items={[
          {
            key: 'search', label: t('关键词检索', 'Keyword search'),
            children: (
              <>
                <div role="search" style={{ maxWidth: 720, marginBottom: 16 }}>
                  <SearchBox initial={params.get('q') ?? ''} onSearch={(q) => { const n = new URLSearchParams(params); n.set('q', q); n.delete('page'); setParams(n); }} />
                </div>
                <Results />
              </>
            ),
          },
          { key: 'question', label: t('一句话提问', 'Ask a question'), children: <Question /> },
        ]}
      />
    </div>
  );
}
