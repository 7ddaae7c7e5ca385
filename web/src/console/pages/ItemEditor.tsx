// The policy editor (/console/items/new, /console/items/:id/edit): the item's fields, the
// eligibility rule in a visual builder and as text (edit either; the other follows), the
// item's test cases run in the browser with the engine on every change, and a debounced
// pre-publication simulation on the server (eligible / undetermined, cost against budget,
// by county). Then: save the draft, submit, approve, publish (refused when a case fails).
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, ConfigProvider, Form, Grid, Input, InputNumber, Modal, Row, Select, Space, Spin, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { Expr } from '../../../../engine/src/ast/ast.ts';
import { stripLoc } from '../../../../engine/src/ast/ast.ts';
import { checkExpr } from '../../../../engine/src/check/check.ts';
import type { EngineError } from '../../../../engine/src/errors.ts';
import { runItemCases, type CaseResult } from '../../../../engine/src/policy/cases.ts';
import type { ParamDef, PolicyItem, TestCase } from '../../../../engine/src/policy/types.ts';
import { safeParseExpr } from '../../../../engine/src/syntax/parser.ts';
import { printExpr } from '../../../../engine/src/syntax/printer.ts';
import { api, ApiError, errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { useSession } from '../../app/session.tsx';
import { Builder } from '../builder/Builder.tsx';
import { toAst, toTree, type Group } from '../builder/convert.ts';
import { useDictionary, type DictionaryView } from '../builder/dictionary.ts';
import { ConsoleFrame, roleOf } from '../Frame.tsx';
import { StatusTag } from '../parts.tsx';
import type { ResponseOf } from '../../../../server/client/client.ts';

type ItemDetail = ResponseOf<'/api/v1/items/{id}', 'get'>;
type Simulation = Extract<ResponseOf<'/api/v1/items/{id}/simulate', 'post'>, { status: 'done' }>['result'];
type Diff = ResponseOf<'/api/v1/items/{id}/diff', 'get'>;
type ItemInput = NonNullable<NonNullable<Parameters<typeof api.post<'/api/v1/items'>>[1]>['body']['item']>;

interface Fields {
  id: string;
  document_id: string;
  title: string;
  title_en: string;
  department: string;
  audience: 'enterprise' | 'person';
  mode: 'auto' | 'online' | 'offline';
  region_scope: string[];
  valid_from: string;
  valid_to: string;
  window_from: string;
  window_to: string;
  amount: string;
  amount_unit: string;
  period: '' | 'once' | 'year' | 'month';
  stacking_group: string;
  budget: string;
  quota_count: number | null;
  statutory_days: number;
  summary: string;
  materials: { name: string; provided_by?: string; required?: boolean }[];
  review_steps: { name: string; department?: string; days: number; parallel_group?: string }[];
  params: ParamDef[];
  cases: TestCase[];
  confirm_intent?: boolean;
  tags?: string[];
  source_note?: string;
}

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

function blank(department: string): Fields {
  return {
    id: '', document_id: '', title: '', title_en: '', department, audience: 'enterprise', mode: 'online', region_scope: ['371500'],
    valid_from: today(), valid_to: '', window_from: '', window_to: '', amount: '', amount_unit: '元', period: 'once', stacking_group: '', budget: '',
    quota_count: null, statutory_days: 20, summary: '', materials: [], review_steps: [{ name: '初审', days: 5 }, { name: '终审', days: 5 }], params: [], cases: [],
  };
}

function fromBody(b: PolicyItem): { fields: Fields; rule: string } {
  return {
    fields: {
      id: b.id, document_id: b.document_id, title: b.title, title_en: b.title_en ?? '', department: b.department, audience: b.audience, mode: b.mode,
      region_scope: b.region_scope, valid_from: b.valid_from, valid_to: b.valid_to ?? '', window_from: b.window?.from ?? '', window_to: b.window?.to ?? '',
      amount: b.amount ? printExpr(b.amount) : '', amount_unit: b.amount_unit ?? '', period: b.period ?? '', stacking_group: b.stacking_group ?? '',
      budget: b.quota?.budget ?? '', quota_count: b.quota?.count ?? null, statutory_days: b.statutory_days, summary: b.summary ?? '',
      materials: b.materials ?? [], review_steps: b.review_steps ?? [], params: b.params ?? [], cases: b.cases ?? [],
      ...(b.confirm_intent !== undefined ? { confirm_intent: b.confirm_intent } : {}), ...(b.tags ? { tags: b.tags } : {}), ...(b.source_note ? { source_note: b.source_note } : {}),
    },
    rule: printExpr(b.eligibility),
  };
}

/** What the API takes (ItemInput): rules as text, empty optional fields left out. */
function toInput(f: Fields, rule: string): ItemInput {
  const opt = <K extends string, V>(k: K, v: V | '' | null | undefined) => (v === '' || v === null || v === undefined ? {} : ({ [k]: v } as Record<K, V>));
  const quota = { ...opt('budget', f.budget), ...opt('count', f.quota_count) };
  return {
    id: f.id, title: f.title, ...opt('title_en', f.title_en), department: f.department, region_scope: f.region_scope, audience: f.audience, mode: f.mode,
    valid_from: f.valid_from, ...opt('valid_to', f.valid_to), ...(f.window_from ? { window: { from: f.window_from, ...opt('to', f.window_to) } } : {}),
    eligibility: rule, ...opt('amount', f.amount.trim()), ...opt('amount_unit', f.amount_unit), ...opt('period', f.period),
    params: f.params as ItemInput['params'], ...(Object.keys(quota).length ? { quota } : {}), ...opt('stacking_group', f.stacking_group),
    materials: f.materials, review_steps: f.review_steps, statutory_days: f.statutory_days, ...opt('summary', f.summary),
    cases: f.cases as ItemInput['cases'], ...opt('confirm_intent', f.confirm_intent), ...opt('tags', f.tags), ...opt('source_note', f.source_note),
  } as ItemInput;
}

/** An item whose validity has already ended is simulated on its first day (the server's default is today or its start). */
function simBody(item: ItemInput): { item: ItemInput; as_of?: string } {
  return item.valid_to && item.valid_to < today() ? { item, as_of: item.valid_from } : { item };
}

/** A refusal of the server, with what its details name: the failing test cases of a publish, every problem of an item. */
interface Refusal { text: string; cases?: { case: string; failures: string[] }[]; problems?: string[] }
function problemsOf(e: unknown): Omit<Refusal, 'text'> {
  const d = e instanceof ApiError ? (e.details as { failures?: { case: string; failures: string[] }[]; errors?: { field?: string; message: string }[] } | undefined) : undefined;
  return {
    ...(Array.isArray(d?.failures) ? { cases: d.failures } : {}),
    ...(Array.isArray(d?.errors) && d.errors.length > 1 ? { problems: d.errors.map((x) => `${x.field ? `${x.field}：` : ''}${x.message}`) } : {}),
  };
}
const ITEM_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const where = (e: EngineError) => (e.loc ? `${e.loc.line}:${e.loc.col} ` : '');

/** A labelled field: the label is tied to the control by id (screen readers, e2e selectors). */
function F({ label, id, children, help }: { label: string; id: string; children: ReactNode; help?: string }) {
  return <Form.Item label={label} htmlFor={id} help={help} style={{ marginBottom: 12 }}>{children}</Form.Item>;
}

/**
 * The editor's sections: tabs, or on a phone a section picker — antd hides the tabs that do
 * not fit behind a "more" button that breaks the tab list for screen readers.
 */
function Sections({ items, phone }: { items: { key: string; label: string; children: ReactNode }[]; phone: boolean }) {
  const { t } = useI18n();
  const [key, setKey] = useState(items[0].key);
  if (!phone) return <Tabs activeKey={key} onChange={setKey} items={items} />;
  const current = items.find((i) => i.key === key) ?? items[0];
  return (
    <div>
      <F label={t('编辑部分', 'Section')} id="editor-section">
        <Select id="editor-section" value={current.key} onChange={setKey} options={items.map((i) => ({ value: i.key, label: i.label }))} style={{ width: '100%' }} />
      </F>
      {current.children}
    </div>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

function CasesEditor({ cases, results, onChange }: { cases: TestCase[]; results: CaseResult[] | null; onChange(c: TestCase[]): void }) {
  const { t } = useI18n();
  const [factsText, setFactsText] = useState<Record<number, string>>({});
  const set = (i: number, c: Partial<TestCase>) => onChange(cases.map((x, j) => (j === i ? { ...x, ...c } : x)));
  return (
    <div>
      {cases.map((c, i) => {
        const r = results?.[i];
        return (
          <Card key={i} size="small" style={{ marginBottom: 8 }} role="group" aria-label={`${t('测试用例', 'Test case')} ${c.name}`}
            title={<Space>{r ? <Tag color={r.passed ? 'green' : 'red'}>{r.passed ? t('通过', 'pass') : t('未通过', 'FAIL')}</Tag> : <Tag>{t('未运行', 'not run')}</Tag>}{c.name}</Space>}
            extra={<Button type="text" danger onClick={() => onChange(cases.filter((_x, j) => j !== i))} aria-label={`${t('删除用例', 'Remove case')} ${c.name}`}>{t('删除', 'Remove')}</Button>}>
            <Row gutter={8}>
              <Col xs={24} md={8}><F label={t('用例名称', 'Case name')} id={`case-${i}-name`}><Input id={`case-${i}-name`} value={c.name} onChange={(e) => set(i, { name: e.target.value })} /></F></Col>
              <Col xs={12} md={5}><F label={t('评估日期', 'Date')} id={`case-${i}-date`}><Input id={`case-${i}-date`} value={c.date} placeholder="YYYY-MM-DD" onChange={(e) => set(i, { date: e.target.value })} /></F></Col>
              <Col xs={12} md={5}>
                <F label={t('期望结论', 'Expected verdict')} id={`case-${i}-verdict`}>
                  <Select id={`case-${i}-verdict`} value={c.expect.verdict} onChange={(v) => set(i, { expect: { ...c.expect, verdict: v } })}
                    options={[{ value: 'eligible', label: t('符合', 'eligible') }, { value: 'ineligible', label: t('不符合', 'ineligible') }, { value: 'undetermined', label: t('待定', 'undetermined') }]} />
                </F>
              </Col>
              <Col xs={24} md={6}>
                <F label={t('期望金额（可空）', 'Expected amount (optional)')} id={`case-${i}-amount`}>
                  <Input id={`case-${i}-amount`} value={c.expect.amount ?? ''} onChange={(e) => { const { amount: _a, ...rest } = c.expect; void _a; set(i, { expect: e.target.value ? { ...rest, amount: e.target.value } : rest }); }} />
                </F>
              </Col>
            </Row>
            <F label={t('事实（JSON）', 'Facts (JSON)')} id={`case-${i}-facts`}>
              <Input.TextArea id={`case-${i}-facts`} autoSize={{ minRows: 2 }} style={{ fontFamily: 'monospace' }} value={factsText[i] ?? JSON.stringify(c.facts)}
                onChange={(e) => {
                  setFactsText({ ...factsText, [i]: e.target.value });
                  try { const facts = JSON.parse(e.target.value) as Record<string, unknown>; if (facts && typeof facts === 'object') set(i, { facts }); } catch { /* keep typing */ }
                }} />
            </F>
            {r && !r.passed && <Alert type="error" showIcon title={r.failures.join('；')} />}
          </Card>
        );
      })}
      <Button onClick={() => onChange([...cases, { name: `${t('用例', 'case')} ${cases.length + 1}`, date: today(), facts: {}, expect: { verdict: 'eligible' } }])}>{t('添加测试用例', 'Add test case')}</Button>
    </div>
  );
}

function SimulationCard({ sim, state, error, budget, invalid, regionsEn }: { sim?: Simulation; state: 'idle' | 'running' | 'queued' | 'unsaved'; error?: string; budget: string; invalid: boolean; regionsEn?: Map<string, string> }) {
  const { t, locale } = useI18n();
  return (
    <Card size="small" title={<span id="sim-title">{t('发布前模拟', 'Pre-publication simulation')}</span>} extra={state === 'running' && <Spin size="small" />} aria-labelledby="sim-title" role="region">
      {state === 'unsaved' && <Typography.Text type="secondary">{t('规则无误后按全市档案模拟', 'Simulated over the population once the rule is valid')}</Typography.Text>}
      {state === 'queued' && <Typography.Text>{t('人口较多，模拟已排队', 'Large population: the simulation is queued')}</Typography.Text>}
      {error && <Typography.Text type="danger" role="alert">{error}</Typography.Text>}
      {/* While the rule text does not parse or check, the last result belongs to another rule: say so, and grey it out. */}
      {invalid && sim && (
        <Alert type="warning" showIcon style={{ marginBottom: 8 }} data-testid="simulation-stale"
          title={t('规则当前有误，下方为上次有效规则的模拟结果，已过期', 'The rule is invalid: the result below is from the last valid rule and is out of date')} />
      )}
      {sim && (
        <div aria-live="polite" data-testid="simulation" data-stale={invalid ? 'true' : undefined} style={invalid ? { border: '1px dashed #d48806', padding: 6, background: '#fffbe6' } : undefined}>
          <Row gutter={8}>
            <Col span={12}><Statistic title={t('符合条件', 'Eligible')} value={sim.eligible} /></Col>
            <Col span={12}><Statistic title={t('待定（缺信息）', 'Undetermined')} value={sim.undetermined} /></Col>
          </Row>
          <Typography.Paragraph style={{ marginTop: 8, marginBottom: 4 }}>
            {t('总成本', 'Total cost')}：{sim.total_cost ?? '—'}{sim.amount_unknown ? t(`（${sim.amount_unknown} 个无法计算金额）`, ` (${sim.amount_unknown} without an amount)`) : ''}
          </Typography.Paragraph>
          <Typography.Paragraph style={{ marginBottom: 4 }}>
            {t('预算', 'Budget')}：{sim.budget ?? (budget || '—')}{' '}
            {sim.over_budget === true && <Tag color="red">{t('超出预算', 'over budget')}</Tag>}
            {sim.over_budget === false && <Tag color="green">{t('预算内', 'within budget')}</Tag>}
            {sim.over_quota === true && <Tag color="red">{t('超出名额', 'over quota')}</Tag>}
          </Typography.Paragraph>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`${sim.entities} 个主体 · 评估日 ${sim.as_of} · 用时 ${sim.seconds} 秒`, `${sim.entities} entities · as of ${sim.as_of} · ${sim.seconds} s`)}</Typography.Text>
          <Table
            size="small" style={{ marginTop: 8 }} rowKey="code" pagination={false} dataSource={sim.by_county.slice(0, 12)}
            columns={[{ title: t('区县', 'County'), dataIndex: 'name', render: (name: string, r: { code: string }) => (locale === 'en' ? regionsEn?.get(r.code) ?? name : name) }, { title: t('符合', 'Eligible'), dataIndex: 'eligible' }, { title: t('待定', 'Undet.'), dataIndex: 'undetermined' }, { title: t('成本', 'Cost'), dataIndex: 'cost' }]}
          />
        </div>
      )}
    </Card>
  );
}

function DiffView({ id, latest }: { id: string; latest: number }) {
  const { t, locale } = useI18n();
  const [from, setFrom] = useState(Math.max(1, latest - 1));
  const [to, setTo] = useState(latest);
  const [diff, setDiff] = useState<Diff>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (from === to) return;
    api.get('/api/v1/items/{id}/diff', { params: { id }, query: { from, to } }).then((d) => { setDiff(d); setError(undefined); }, (e: unknown) => setError(errorText(e, locale)));
  }, [id, from, to, locale]);
  const versions = Array.from({ length: latest }, (_x, i) => ({ value: i + 1, label: `${t('第', 'v')}${i + 1}${t('版', '')}` }));
  if (latest < 2) return <Typography.Text type="secondary">{t('只有一个版本', 'Only one version so far')}</Typography.Text>;
  return (
    <div>
      <Space wrap>
        <F label={t('从', 'From')} id="diff-from"><Select id="diff-from" value={from} onChange={setFrom} options={versions} style={{ width: 110 }} /></F>
        <F label={t('到', 'To')} id="diff-to"><Select id="diff-to" value={to} onChange={setTo} options={versions} style={{ width: 110 }} /></F>
      </Space>
      {error && <Typography.Text type="danger" role="alert">{error}</Typography.Text>}
      {diff && (diff.identical ? <Typography.Paragraph>{t('两个版本相同', 'The versions are identical')}</Typography.Paragraph> : (
        <div data-testid="version-diff">
          <ul>{diff.zh.map((l, i) => <li key={i}>{l}</li>)}</ul>
          {diff.eligibility && (
            <pre style={{ background: '#fafafa', padding: 8, overflowX: 'auto' }} aria-label={t('资格条件差异', 'Rule diff')}>
              {diff.eligibility.lines.map((l, i) => (
                <div key={i} style={{ background: l.op === '+' ? '#e6ffed' : l.op === '-' ? '#ffeef0' : undefined }}>{l.op === ' ' ? '  ' : `${l.op} `}{l.text}</div>
              ))}
            </pre>
          )}
        </div>
      ))}
    </div>
  );
}

function ListEditor<T extends object>({ items, onChange, columns, make, addLabel, name }: { items: T[]; onChange(x: T[]): void; columns: { key: keyof T; label: string; num?: boolean }[]; make(): T; addLabel: string; name: string }) {
  const { t } = useI18n();
  return (
    <div>
      {items.map((row, i) => (
        <Space key={i} wrap style={{ marginBottom: 6 }} role="group" aria-label={`${name} ${i + 1}`}>
          {columns.map((c) => c.num ? (
            <InputNumber key={String(c.key)} aria-label={`${c.label} ${i + 1}`} placeholder={c.label} min={0} value={row[c.key] as number}
              onChange={(v) => onChange(items.map((x, j) => (j === i ? { ...x, [c.key]: v ?? 0 } : x)))} />
          ) : (
            <Input key={String(c.key)} aria-label={`${c.label} ${i + 1}`} placeholder={c.label} value={(row[c.key] as string | undefined) ?? ''} style={{ width: 180 }}
              onChange={(e) => onChange(items.map((x, j) => { if (j !== i) return x; const n = { ...x } as Record<string, unknown>; if (e.target.value) n[String(c.key)] = e.target.value; else delete n[String(c.key)]; return n as T; }))} />
          ))}
          <Button type="text" danger aria-label={`${t('删除', 'Remove')} ${name} ${i + 1}`} onClick={() => onChange(items.filter((_x, j) => j !== i))}>{t('删除', 'Remove')}</Button>
        </Space>
      ))}
      <div><Button onClick={() => onChange([...items, make()])}>{addLabel}</Button></div>
    </div>
  );
}

export default function ItemEditor() {
  const { id: routeId } = useParams();
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { message } = App.useApp();
  const nav = useNavigate();
  const role = roleOf(me);
  const dictionary = useDictionary();
  const phone = !Grid.useBreakpoint().md;
  const department = (me as { department?: string | null } | null)?.department ?? '';
  const [detail, setDetail] = useState<ItemDetail | null>(null);
  const [fields, setFields] = useState<Fields>(() => blank(department));
  const [ruleText, setRuleText] = useState('');
  const [tree, setTree] = useState<Group>(() => toTree(undefined));
  const [dirty, setDirty] = useState(!routeId);
  const [busy, setBusy] = useState(false);
  const [loadError, setLoadError] = useState<string>();
  const [docs, setDocs] = useState<{ value: string; label: string }[]>([]);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [refusal, setRefusal] = useState<Refusal>();

  const load = useCallback(async () => {
    if (!routeId) return;
    try {
      const d = await api.get('/api/v1/items/{id}', { params: { id: routeId } });
      setDetail(d);
      const v = d.draft ?? d.current;
      if (v) {
        const { fields: f, rule } = fromBody(v.body as unknown as PolicyItem);
        setFields(f);
        setRuleText(rule);
        const r = safeParseExpr(rule);
        setTree(toTree(r.ok ? stripLoc(r.value) : undefined));
      }
      setDirty(false);
    } catch (e) { setLoadError(errorText(e, locale)); }
  }, [routeId, locale]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => { if (!routeId && department) setFields((f) => ({ ...f, department: f.department || department })); }, [routeId, department]);
  useEffect(() => {
    // Only the documents the department issued (alone or jointly): an item belongs to one of them.
    void api.get('/api/v1/documents', { query: { page_size: 200 } }).then((p) => setDocs(p.items.filter((d) => !department || d.issuers.includes(department)).map((d) => ({ value: d.id, label: `${d.title}（${d.number}）` }))), () => undefined);
  }, [department]);

  const version = detail?.draft ?? detail?.current ?? null;
  const status = version?.status;
  const editable = role === 'clerk' && (!version || status === 'draft' || status === 'rejected' || status === 'published');
  const set = (patch: Partial<Fields>) => { setFields((f) => ({ ...f, ...patch })); setDirty(true); };

  // The two views of the rule: text is what is saved; the tree follows a text that parses,
  // and a change in the tree prints the text anew.
  const onText = (text: string) => {
    setRuleText(text);
    setDirty(true);
    const r = safeParseExpr(text);
    if (r.ok) setTree(toTree(stripLoc(r.value)));
  };
  const onTree = (g: Group) => {
    setTree(g);
    setDirty(true);
    const ast = toAst(g);
    setRuleText(ast ? printExpr(ast) : '');
  };

  const dict = dictionary.data?.dict;
  const parsed = useMemo(() => (ruleText.trim() ? safeParseExpr(ruleText) : null), [ruleText]);
  const amountParsed = useMemo(() => (fields.amount.trim() ? safeParseExpr(fields.amount) : null), [fields.amount]);
  const problems = useMemo(() => {
    const out: string[] = [];
    if (!parsed) return [t('资格条件为空：请添加条件', 'The rule is empty: add a condition')];
    if (!parsed.ok) return [`${t('资格条件', 'Rule')} ${where(parsed.error)}${t(parsed.error.zh, parsed.error.en)}`];
    if (amountParsed && !amountParsed.ok) out.push(`${t('金额公式', 'Amount')} ${where(amountParsed.error)}${t(amountParsed.error.zh, amountParsed.error.en)}`);
    if (dict) {
      for (const e of checkExpr(parsed.value, 'bool', { dict, params: fields.params })) out.push(`${t('资格条件', 'Rule')} ${where(e)}${t(e.zh, e.en)}`);
      if (amountParsed?.ok) for (const e of checkExpr(amountParsed.value, 'num', { dict, params: fields.params })) out.push(`${t('金额公式', 'Amount')} ${where(e)}${t(e.zh, e.en)}`);
    }
    return out;
  }, [parsed, amountParsed, dict, fields.params, t]);
  const ruleOk = problems.length === 0 && parsed?.ok === true;

  // The item's test cases, in the browser, on every change.
  const caseResults = useMemo<CaseResult[] | null>(() => {
    if (!dict || !ruleOk || !parsed?.ok || (amountParsed && !amountParsed.ok)) return null;
    const item: PolicyItem = {
      id: fields.id || 'draft', version: 1, title: fields.title, document_id: fields.document_id, department: fields.department, region_scope: fields.region_scope,
      audience: fields.audience, mode: fields.mode, valid_from: fields.valid_from, ...(fields.valid_to ? { valid_to: fields.valid_to } : {}),
      ...(fields.window_from ? { window: { from: fields.window_from, ...(fields.window_to ? { to: fields.window_to } : {}) } } : {}),
      eligibility: stripLoc(parsed.value), ...(amountParsed?.ok ? { amount: stripLoc(amountParsed.value) as Expr } : {}),
      params: fields.params, materials: fields.materials, review_steps: fields.review_steps, statutory_days: fields.statutory_days, cases: fields.cases,
    };
    try { return runItemCases(item, dict); } catch (e) { return fields.cases.map((c) => ({ item: item.id, case: c.name, passed: false, failures: [String(e)] })); }
  }, [dict, ruleOk, parsed, amountParsed, fields]);
  const failing = caseResults?.filter((r) => !r.passed) ?? [];

  // The simulation: debounced, only for a saved item (the endpoint simulates an existing item's draft).
  const input = useMemo(() => toInput(fields, ruleText), [fields, ruleText]);
  const debounced = useDebounced(ruleOk ? JSON.stringify(input) : null, 700);
  const [sim, setSim] = useState<Simulation>();
  const [simState, setSimState] = useState<'idle' | 'running' | 'queued' | 'unsaved'>('unsaved');
  const [simError, setSimError] = useState<string>();
  const simSeq = useRef(0);
  useEffect(() => {
    if (!debounced || (role !== 'clerk' && role !== 'approver')) { setSimState(detail || debounced ? 'idle' : 'unsaved'); return; }
    const seq = ++simSeq.current;
    setSimState('running');
    const body = simBody(JSON.parse(debounced) as ItemInput);
    // A new item is simulated before its first save too; what it does not have yet (an id, a
    // title) is filled with a placeholder, since the count depends on neither.
    const asked = detail
      ? api.post('/api/v1/items/{id}/simulate', { params: { id: detail.id }, body })
      : api.post('/api/v1/simulations', { body: { ...body, item: { ...body.item, id: ITEM_ID.test(body.item.id) ? body.item.id : 'new-item', title: body.item.title || '新事项' }, ...(fields.document_id ? { document_id: fields.document_id } : {}) } });
    asked.then(
      (r) => { if (seq !== simSeq.current) return; setSimError(undefined); if (r.status === 'done') { setSim(r.result); setSimState('idle'); } else setSimState('queued'); },
      (e: unknown) => { if (seq !== simSeq.current) return; setSimError(errorText(e, locale)); setSimState('idle'); },
    );
  }, [debounced, detail, role, locale, fields.document_id]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setRefusal(undefined);
    try { await what(); message.success(done); await load(); return true; } catch (e) {
      const text = errorText(e, locale);
      setRefusal({ text, ...problemsOf(e) });
      message.error(text);
      return false;
    } finally { setBusy(false); }
  };
  const save = () => act(async () => {
    if (!detail) {
      const r = await api.post('/api/v1/items', { body: { document_id: fields.document_id, item: input } });
      const id = r.versions[0]?.item_id ?? fields.id;
      nav(`/console/items/${id}/edit`, { replace: true });
    } else if (status === 'draft' || status === 'rejected') await api.put('/api/v1/items/{id}/draft', { params: { id: detail.id }, body: { item: input } });
    else await api.post('/api/v1/items', { body: { document_id: detail.document_id, item: input } });
  }, t('草稿已保存', 'Draft saved'));
  const v = version?.version;
  const step = (path: '/api/v1/items/{id}/submit' | '/api/v1/items/{id}/approve' | '/api/v1/items/{id}/publish', done: string) =>
    act(() => api.post(path, { params: { id: detail!.id }, body: v ? { version: v } : {} }), done);

  if (loadError) return <ConsoleFrame><Alert type="error" showIcon title={loadError} /></ConsoleFrame>;
  if (routeId && !detail) return <ConsoleFrame><Spin /></ConsoleFrame>;
  const view: DictionaryView | undefined = dictionary.data?.view;
  const regionsEn = new Map((view?.regions ?? []).map((r) => [r.code, r.name_en]));
  const regionOptions = (view?.regions ?? []).map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }));

  const basics = (
    <Row gutter={16}>
      <Col xs={24} md={12}><F label={t('事项名称（中文）', 'Title (Chinese)')} id="item-title"><Input id="item-title" value={fields.title} onChange={(e) => set({ title: e.target.value })} disabled={!editable} /></F></Col>
      <Col xs={24} md={12}><F label={t('事项名称（英文）', 'Title (English)')} id="item-title-en"><Input id="item-title-en" value={fields.title_en} onChange={(e) => set({ title_en: e.target.value })} disabled={!editable} /></F></Col>
      <Col xs={24} md={12}>
        <F label={t('事项编号', 'Item id')} id="item-id" help={t('小写字母、数字和连字符，如 lc-gxj-zjtx-2026', 'lower-case letters, digits, hyphens')}>
          <Input id="item-id" value={fields.id} onChange={(e) => set({ id: e.target.value })} disabled={!!detail || !editable} />
        </F>
      </Col>
      <Col xs={24} md={12}>
        <F label={t('所属政策文件', 'Policy document')} id="item-document">
          <Select id="item-document" showSearch optionFilterProp="label" value={fields.document_id || undefined} options={docs} onChange={(d: string) => set({ document_id: d })} disabled={!!detail || !editable} placeholder={t('选择文件', 'Choose a document')} />
        </F>
      </Col>
      <Col xs={12} md={6}><F label={t('主管部门', 'Department')} id="item-department"><Input id="item-department" value={fields.department} disabled /></F></Col>
      <Col xs={12} md={6}>
        <F label={t('适用对象', 'Audience')} id="item-audience">
          <Select id="item-audience" value={fields.audience} onChange={(a) => set({ audience: a })} disabled={!editable} options={[{ value: 'enterprise', label: t('企业', 'Enterprises') }, { value: 'person', label: t('个人', 'People') }]} />
        </F>
      </Col>
      <Col xs={12} md={6}>
        <F label={t('兑现方式', 'Mode')} id="item-mode">
          <Select id="item-mode" value={fields.mode} onChange={(m) => set({ mode: m })} disabled={!editable}
            options={[{ value: 'auto', label: t('免申即享', 'Automatic') }, { value: 'online', label: t('网上申请', 'Apply online') }, { value: 'offline', label: t('线下办理', 'In person') }]} />
        </F>
      </Col>
      <Col xs={12} md={6}><F label={t('法定办理时限（工作日）', 'Statutory days')} id="item-days"><InputNumber id="item-days" min={0} value={fields.statutory_days} onChange={(n) => set({ statutory_days: n ?? 0 })} disabled={!editable} /></F></Col>
      <Col xs={24} md={12}><F label={t('适用区域', 'Regions')} id="item-regions"><Select id="item-regions" mode="multiple" optionFilterProp="label" value={fields.region_scope} options={regionOptions} onChange={(r: string[]) => set({ region_scope: r })} disabled={!editable} /></F></Col>
      <Col xs={12} md={6}><F label={t('生效日期', 'In force from')} id="item-from"><Input id="item-from" placeholder="YYYY-MM-DD" value={fields.valid_from} onChange={(e) => set({ valid_from: e.target.value })} disabled={!editable} /></F></Col>
      <Col xs={12} md={6}><F label={t('失效日期', 'In force until')} id="item-to"><Input id="item-to" placeholder="YYYY-MM-DD" value={fields.valid_to} onChange={(e) => set({ valid_to: e.target.value })} disabled={!editable} /></F></Col>
      <Col xs={12} md={6}><F label={t('申报开始', 'Window opens')} id="item-window-from"><Input id="item-window-from" placeholder="YYYY-MM-DD" value={fields.window_from} onChange={(e) => set({ window_from: e.target.value })} disabled={!editable} /></F></Col>
      <Col xs={12} md={6}><F label={t('申报截止', 'Window closes')} id="item-window-to"><Input id="item-window-to" placeholder="YYYY-MM-DD" value={fields.window_to} onChange={(e) => set({ window_to: e.target.value })} disabled={!editable} /></F></Col>
      <Col xs={24}><F label={t('摘要', 'Summary')} id="item-summary"><Input.TextArea id="item-summary" autoSize value={fields.summary} onChange={(e) => set({ summary: e.target.value })} disabled={!editable} /></F></Col>
    </Row>
  );
  const ruleTab = (
    <div>
      {/* Read-only for whoever may not edit (an approver reviewing): every control of the builder disabled. */}
      {view ? <ConfigProvider componentDisabled={!editable}><Builder tree={tree} onChange={editable ? onTree : () => undefined} view={view} /></ConfigProvider> : <Spin />}
      <div style={{ height: 12 }} />
      <F label={t('规则文本（与上方可视化条件同步）', 'Rule text (kept in step with the builder above)')} id="rule-text">
        <Input.TextArea id="rule-text" autoSize={{ minRows: 3 }} style={{ fontFamily: 'monospace' }} value={ruleText} onChange={(e) => onText(e.target.value)} disabled={!editable} spellCheck={false} />
      </F>
      {problems.length > 0 && !parsed && <Alert type="info" showIcon title={problems[0]} />}
      {problems.length > 0 && parsed && <Alert type="error" showIcon role="alert" title={t('规则有误', 'The rule has errors')} description={<ul style={{ margin: 0 }}>{problems.map((p, i) => <li key={i}>{p}</li>)}</ul>} />}
    </div>
  );
  const moneyTab = (
    <Row gutter={16}>
      <Col xs={24}><F label={t('金额公式', 'Amount formula')} id="item-amount"><Input.TextArea id="item-amount" autoSize style={{ fontFamily: 'monospace' }} value={fields.amount} onChange={(e) => set({ amount: e.target.value })} disabled={!editable} placeholder="min(employees * 1000, 50000)" /></F></Col>
      <Col xs={12} md={6}><F label={t('金额单位', 'Unit')} id="item-unit"><Input id="item-unit" value={fields.amount_unit} onChange={(e) => set({ amount_unit: e.target.value })} disabled={!editable} /></F></Col>
      <Col xs={12} md={6}>
        <F label={t('兑现周期', 'Period')} id="item-period">
          <Select id="item-period" value={fields.period} onChange={(p) => set({ period: p })} disabled={!editable} options={[{ value: '', label: '—' }, { value: 'once', label: t('一次性', 'once') }, { value: 'year', label: t('每年', 'yearly') }, { value: 'month', label: t('每月', 'monthly') }]} />
        </F>
      </Col>
      <Col xs={12} md={6}><F label={t('预算（元）', 'Budget (yuan)')} id="item-budget"><Input id="item-budget" value={fields.budget} onChange={(e) => set({ budget: e.target.value.trim() })} disabled={!editable} /></F></Col>
      <Col xs={12} md={6}><F label={t('名额', 'Quota')} id="item-quota"><InputNumber id="item-quota" min={0} value={fields.quota_count} onChange={(n) => set({ quota_count: n })} disabled={!editable} /></F></Col>
      <Col xs={24} md={12}><F label={t('互斥组（同组只享其一）', 'Stacking group (one per group)')} id="item-stacking"><Input id="item-stacking" value={fields.stacking_group} onChange={(e) => set({ stacking_group: e.target.value })} disabled={!editable} /></F></Col>
      <Col xs={24}>
        <F label={t('参数（JSON，按日期分版本）', 'Parameters (JSON, dated versions)')} id="item-params">
          <Input.TextArea id="item-params" autoSize={{ minRows: 2, maxRows: 12 }} style={{ fontFamily: 'monospace' }} defaultValue={JSON.stringify(fields.params, null, 1)} key={detail?.latest_version ?? 0} disabled={!editable}
            onChange={(e) => { try { const p = JSON.parse(e.target.value) as ParamDef[]; if (Array.isArray(p)) set({ params: p }); } catch { /* keep typing */ } }} />
        </F>
      </Col>
    </Row>
  );
  const stepsTab = (
    <div>
      <Typography.Title level={4}>{t('申请材料', 'Materials')}</Typography.Title>
      <ListEditor name={t('材料', 'Material')} items={fields.materials} onChange={(m) => set({ materials: m })} make={(): Fields['materials'][number] => ({ name: '' })} addLabel={t('添加材料', 'Add material')}
        columns={[{ key: 'name', label: t('材料名称', 'Material name') }, { key: 'provided_by', label: t('由字段提供（零材料）', 'Provided by field') }]} />
      <Typography.Title level={4} style={{ marginTop: 16 }}>{t('审核环节', 'Review steps')}</Typography.Title>
      <ListEditor name={t('环节', 'Step')} items={fields.review_steps} onChange={(s) => set({ review_steps: s })} make={(): Fields['review_steps'][number] => ({ name: '', days: 5 })} addLabel={t('添加环节', 'Add step')}
        columns={[{ key: 'name', label: t('环节名称', 'Step name') }, { key: 'department', label: t('办理部门（默认本部门）', 'Department (default: own)') }, { key: 'days', label: t('时限（工作日）', 'Working days'), num: true }]} />
    </div>
  );

  const canSubmit = role === 'clerk' && !!detail && !dirty && (status === 'draft' || status === 'rejected');
  return (
    <ConsoleFrame>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {detail ? fields.title || detail.id : t('新建政策事项', 'New policy item')} {status && <StatusTag status={status} />} {v && <Tag>{t('第', 'v')}{v}{t('版', '')}</Tag>}
        </Typography.Title>
        <Space wrap>
          {editable && <Button type="primary" loading={busy} disabled={!dirty || !ruleOk || !fields.id || !fields.document_id || !fields.title} onClick={() => void save()}>{t('保存草稿', 'Save draft')}</Button>}
          {canSubmit && <Button loading={busy} onClick={() => void step('/api/v1/items/{id}/submit', t('已提交审核', 'Submitted for review'))}>{t('提交审核', 'Submit for review')}</Button>}
          {role === 'approver' && status === 'submitted' && <Button type="primary" loading={busy} onClick={() => void step('/api/v1/items/{id}/approve', t('已审核通过', 'Approved'))}>{t('审核通过', 'Approve')}</Button>}
          {role === 'approver' && status === 'submitted' && <Button danger onClick={() => setRejecting(true)}>{t('退回', 'Send back')}</Button>}
          {role === 'approver' && status === 'approved' && <Button type="primary" loading={busy} onClick={() => void step('/api/v1/items/{id}/publish', t('已发布，正在匹配并通知符合条件的主体', 'Published; matching and notifying eligible entities'))}>{t('发布', 'Publish')}</Button>}
        </Space>
      </Space>
      {version?.note && <Alert style={{ marginTop: 8 }} type="warning" showIcon title={`${t('退回理由', 'Reason')}：${version.note}`} />}
      {refusal && (
        <Alert style={{ marginTop: 8 }} type="error" showIcon role="alert" title={refusal.text} closable onClose={() => setRefusal(undefined)} data-testid="refusal"
          description={refusal.cases?.length || refusal.problems?.length ? (
            <ul style={{ margin: 0 }}>
              {refusal.cases?.map((f) => <li key={f.case}>{t('测试用例', 'Test case')}「{f.case}」：{f.failures.join('；')}</li>)}
              {refusal.problems?.map((p, i) => <li key={i}>{p}</li>)}
            </ul>
          ) : undefined} />
      )}
      {dirty && detail && <Typography.Text type="warning">{t('有未保存的修改', 'Unsaved changes')}</Typography.Text>}
      <Row gutter={16} style={{ marginTop: 12 }}>
        <Col xs={24} lg={16}>
          <Form layout="vertical" component="div">
            <Sections phone={phone} items={[
                { key: 'rule', label: t('资格条件', 'Eligibility'), children: ruleTab },
                { key: 'basics', label: t('基本信息', 'Basics'), children: basics },
                { key: 'money', label: t('金额与预算', 'Amount & budget'), children: moneyTab },
                { key: 'steps', label: t('材料与审核环节', 'Materials & steps'), children: stepsTab },
                { key: 'cases', label: `${t('测试用例', 'Test cases')}${caseResults ? ` ${caseResults.length - failing.length}/${caseResults.length}` : ''}`, children: <CasesEditor cases={fields.cases} results={caseResults} onChange={(c) => set({ cases: c })} /> },
                ...(detail ? [{ key: 'diff', label: t('版本差异', 'Version diff'), children: <DiffView id={detail.id} latest={detail.latest_version} /> }] : []),
              ]} />
          </Form>
        </Col>
        <Col xs={24} lg={8}>
          <Space direction="vertical" style={{ width: '100%', position: 'sticky', top: 8 }}>
            <Card size="small" title={<span id="cases-title">{t('测试用例（浏览器内实时运行）', 'Test cases (run live in the browser)')}</span>} role="region" aria-labelledby="cases-title">
              <div aria-live="polite" data-testid="case-summary">
                {!caseResults ? <Typography.Text type="secondary">{t('规则无误后运行', 'Runs once the rule is valid')}</Typography.Text>
                  : caseResults.length === 0 ? <Typography.Text type="secondary">{t('尚无测试用例', 'No test cases yet')}</Typography.Text>
                  : <Typography.Text strong>{failing.length ? <Tag color="red">{t('未通过', 'FAIL')}</Tag> : <Tag color="green">{t('全部通过', 'all pass')}</Tag>}{t(`${caseResults.length - failing.length}/${caseResults.length} 通过`, `${caseResults.length - failing.length}/${caseResults.length} pass`)}</Typography.Text>}
                {failing.map((f) => <div key={f.case}><Typography.Text type="danger">「{f.case}」{f.failures.join('；')}</Typography.Text></div>)}
              </div>
            </Card>
            <SimulationCard sim={sim} state={simState} error={simError} budget={fields.budget} invalid={!ruleOk} regionsEn={regionsEn} />
          </Space>
        </Col>
      </Row>
      <Modal title={t('退回事项', 'Send the item back')} open={rejecting} onCancel={() => setRejecting(false)} okText={t('退回', 'Send back')} okButtonProps={{ disabled: reason.trim().length < 2, loading: busy }}
        onOk={() => void act(() => api.post('/api/v1/items/{id}/reject', { params: { id: detail!.id }, body: { reason, ...(v ? { version: v } : {}) } }), t('已退回', 'Sent back')).then((ok) => ok && setRejecting(false))}>
        <F label={t('退回理由', 'Reason')} id="reject-reason"><Input.TextArea id="reject-reason" value={reason} onChange={(e) => setReason(e.target.value)} /></F>
      </Modal>
    </ConsoleFrame>
  );
}
