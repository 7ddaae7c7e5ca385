// /me — 我能享受什么: every item of the entity's audience and region, grouped by verdict
// (GET /api/v1/entities/{id}/matches; the ineligible ones, only counted there, are listed with
// ?ineligible=true when their tab is opened). Per item the amount; for undetermined
// items the missing facts, each with an input typed from the dictionary that declares the fact
// (POST /api/v1/entities/{id}/facts, source 'declared', audited) and re-matches at once.
// Opening an item's 逐条说明 asks for its explanation condition by condition and what would
// make it eligible (GET /api/v1/entities/{id}/matches/{item}): the list comes without them,
// which is what keeps it fast (decision 0026).
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { App, Button, Card, Collapse, Empty, Form, Space, Tabs, Typography } from 'antd';
import { api, errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { useSession } from '../../app/session.tsx';
import { Explanation, Loading, ModeBadge, RequireEntity, VerdictTag, money, useLoad } from '../components/common.tsx';
import { FactInput, fieldOf, useDictionary } from '../components/dictionary.tsx';

interface Missing { field: string; label: string; source?: string; can_make_eligible?: boolean; hint?: string | { zh: string; en: string } }
interface Counterfactual { text: string; changes: { field: string; label: string; from: unknown; to: unknown }[] }
interface Amount { value?: string | null; unit?: string; formula?: string; inputs?: { label: string; value: string }[] }
/** A list entry (brief, amount, missing facts); opened through the one-item route, also explanation and counterfactuals. */
interface Match { item: string; title: string; department: string; mode: string; verdict: string; missing?: Missing[]; amount?: Amount | null; explanation?: unknown; counterfactuals?: Counterfactual[] }

function AmountLine({ amount }: { amount?: Amount | null }) {
  const { t, locale } = useI18n();
  if (!amount?.value) return null;
  return (
    <div data-testid="amount">
      <strong>{t('金额', 'Amount')}：{money(amount.value, amount.unit, locale)}</strong>
      {amount.formula && <div style={{ color: '#595959', fontSize: 13 }}>{t('计算：', 'Formula: ')}{amount.formula}{amount.inputs?.length ? `（${amount.inputs.map((i) => `${i.label} ${i.value}`).join('，')}）` : ''}</div>}
    </div>
  );
}

/** One missing fact: an input of the right type; saving declares it and re-matches. */
function SupplyFact({ entityId, m, onSaved }: { entityId: string; m: Missing; onSaved(): Promise<void> }) {
  const { t, locale } = useI18n();
  const dict = useDictionary();
  const { message } = App.useApp();
  const [value, setValue] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const def = fieldOf(dict, m.field);
  const label = def ? (locale === 'en' ? def.label.en : def.label.zh) : m.label;
  const id = `fact-${m.field}`;
  // What to add when the fact is known but too coarse (东昌府区 against 高新区): the API's hint.
  const hint = typeof m.hint === 'string' ? m.hint : m.hint ? (locale === 'en' ? m.hint.en : m.hint.zh) : undefined;
  const save = async () => {
    setBusy(true);
    try {
      await api.post('/api/v1/entities/{id}/facts', { params: { id: entityId }, body: { field: m.field, value } });
      message.success(t(`已补充“${label}”，已重新匹配`, `“${label}” saved; matched again`));
      await onSaved();
    } catch (e) {
      message.error(errorText(e, locale));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form layout="inline" onFinish={() => void save()} style={{ marginBlock: 6, rowGap: 6 }} data-field={m.field}>
      <Form.Item label={<label htmlFor={id}>{label}</label>} style={{ minWidth: 240 }} extra={hint ? <span id={`${id}-hint`} data-testid="missing-hint">{hint}</span> : undefined}>
        <FactInput id={id} field={def} value={value} onChange={setValue} />
      </Form.Item>
      <Button htmlType="submit" type="primary" loading={busy} disabled={value === undefined || value === null || value === ''}>{t('补充并重新匹配', 'Supply and re-match')}</Button>
    </Form>
  );
}

function Counterfactuals({ list }: { list?: Counterfactual[] }) {
  const { t } = useI18n();
  if (!list?.length) return null;
  return (
    <div data-testid="counterfactuals">
      <Typography.Text strong>{t('怎样才能符合：', 'What would make it eligible:')}</Typography.Text>
      <ul style={{ margin: '4px 0' }}>{list.map((c, i) => <li key={i}>{c.text}</li>)}</ul>
    </div>
  );
}

/** The entity's open case per item (newest first; a rejected or withdrawn one frees the item for a new application). */
type Case = { id: string; item_id: string; status: string; status_label: string };
const openCases = (apps: Case[]) => {
  const by = new Map<string, Case>();
  for (const a of apps) if (!by.has(a.item_id) && a.status !== 'rejected' && a.status !== 'withdrawn') by.set(a.item_id, a);
  return by;
};

/** Instead of 在线申请, an item that already has an application shows where that case stands. */
function CaseStatus({ c }: { c: Case }) {
  const { t } = useI18n();
  return (
    <Typography.Paragraph style={{ marginBlock: 8 }} data-testid="case-status">
      {c.status === 'draft' ? t('已开始申请（草稿）', 'Application started (draft)') : t(`已申请：${c.status_label}`, `Applied: ${c.status.replace(/_/g, ' ')}`)}{' '}
      <Link to={c.status === 'draft' ? `/apply/${encodeURIComponent(c.item_id)}` : `/me/applications/${c.id}`}>{c.status === 'draft' ? t('继续填写', 'Continue') : t('查看办理进度', 'See its progress')}</Link>
    </Typography.Paragraph>
  );
}

function MatchCard({ m, entityId, lang, profileVersion, reload, applied }: { m: Match; entityId: string; lang: 'zh' | 'en'; profileVersion?: number | null; reload(): Promise<void>; applied?: Case }) {
  const { t } = useI18n();
  const nav = useNavigate();
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-item={m.item} data-testid="match-card"
      title={<Space wrap><Link to={`/items/${encodeURIComponent(m.item)}`}>{m.title}</Link><VerdictTag verdict={m.verdict} /><ModeBadge mode={m.mode} /></Space>}>
      <AmountLine amount={m.amount} />
      {m.mode === 'online' && applied && <CaseStatus c={applied} />}
      {m.verdict === 'eligible' && m.mode === 'online' && !applied && <Button type="primary" style={{ marginBlock: 8 }} onClick={() => nav(`/apply/${encodeURIComponent(m.item)}`)}>{t('在线申请', 'Apply online')}</Button>}
      {m.verdict === 'eligible' && m.mode === 'auto' && <Typography.Paragraph>{t('免申即享：无需申请，将自动兑现。', 'No application needed: it is paid automatically.')} <Link to="/me/grants">{t('查看我的兑现', 'See my grants')}</Link></Typography.Paragraph>}
      {m.verdict === 'undetermined' && (m.missing?.length ?? 0) > 0 && (
        <section aria-label={t('待补充的信息', 'Facts to supply')} style={{ background: '#fffbe6', padding: 8, borderRadius: 6, marginBlock: 8 }}>
          <Typography.Text strong>{t('还缺这些信息：', 'Still missing:')}</Typography.Text>
          {m.missing!.map((x) => <SupplyFact key={x.field} entityId={entityId} m={x} onSaved={reload} />)}
        </section>
      )}
      {m.verdict === 'undetermined' && m.mode === 'online' && !applied && <Button style={{ marginBlock: 8 }} onClick={() => nav(`/apply/${encodeURIComponent(m.item)}`)}>{t('直接申请（在申请表中补充）', 'Apply and fill in the form')}</Button>}
      <Collapse size="small" ghost items={[{ key: 'why', label: t('逐条说明', 'Condition by condition'), children: <ItemDetail entityId={entityId} item={m.item} lang={lang} profileVersion={profileVersion} /> }]} />
    </Card>
  );
}

/**
 * An item opened: its explanation condition by condition and, unless it is met, what would make
 * it eligible — asked for on opening (the list carries neither), again after a fact is supplied.
 */
function ItemDetail({ entityId, item, lang, profileVersion }: { entityId: string; item: string; lang: 'zh' | 'en'; profileVersion?: number | null }) {
  const { t } = useI18n();
  const d = useLoad(() => api.get('/api/v1/entities/{id}/matches/{item}', { params: { id: entityId, item }, query: { lang } }), [entityId, item, lang, profileVersion]);
  return (
    <Loading state={d}>
      {(raw) => {
        const m = raw as unknown as Match;
        return (
          <>
            <Counterfactuals list={m.counterfactuals} />
            {m.verdict !== 'eligible' && !m.counterfactuals?.length && <Typography.Text type="secondary">{t('暂无可行的调整。', 'No change within reach.')}</Typography.Text>}
            <Explanation node={m.explanation} />
          </>
        );
      }}
    </Loading>
  );
}

/** The items of its audience and region it does not meet: listed when their tab is first opened. */
function IneligibleList({ entityId, lang, profileVersion }: { entityId: string; lang: 'zh' | 'en'; profileVersion?: number | null }) {
  const { t } = useI18n();
  const state = useLoad(() => api.get('/api/v1/entities/{id}/matches', { params: { id: entityId }, query: { ineligible: true, lang } }), [entityId, lang, profileVersion]);
  return (
    <Loading state={state}>
      {(d) => d.ineligible.length ? (
        <Collapse size="small" items={d.ineligible.map((m) => ({
          key: m.item,
          label: <Space wrap><span>{m.title}</span><ModeBadge mode={m.mode} /></Space>,
          children: <ItemDetail entityId={entityId} item={m.item} lang={lang} profileVersion={d.profile_version} />,
        }))} />
      ) : <Empty description={t('暂无', 'None')} />}
    </Loading>
  );
}

function Matches({ entityId }: { entityId: string }) {
  const { t, locale } = useI18n();
  const lang = locale === 'en' ? 'en' : 'zh';
  const state = useLoad(() => api.get('/api/v1/entities/{id}/matches', { params: { id: entityId }, query: { lang } }), [entityId, lang]);
  const apps = useLoad(() => api.get('/api/v1/me/applications'), [entityId]);
  const cases = openCases(apps.data ?? []);
  return (
    <Loading state={state}>
      {(d) => {
        const eligible = d.eligible as unknown as Match[];
        const undetermined = d.undetermined as unknown as Match[];
        const list = (ms: Match[]) => (ms.length ? ms.map((m) => <MatchCard key={m.item} m={m} entityId={entityId} lang={lang} profileVersion={d.profile_version} reload={state.reload} applied={cases.get(m.item)} />) : <Empty description={t('暂无', 'None')} />);
        return (
          <>
            <Typography.Paragraph type="secondary">
              {t(`按 ${d.date} 的数据匹配了 ${d.catalogue_items} 个在施事项。`, `Matched against ${d.catalogue_items} items in force, with the data of ${d.date}.`)}
            </Typography.Paragraph>
            <Tabs
              defaultActiveKey={eligible.length ? 'eligible' : 'undetermined'}
              items={[
                { key: 'eligible', label: `${t('符合', 'Eligible')} (${d.counts.eligible})`, children: list(eligible) },
                { key: 'undetermined', label: `${t('待确认', 'Undetermined')} (${d.counts.undetermined})`, children: list(undetermined) },
                // Rendered (and asked for) when first opened: antd renders a tab's pane lazily.
                { key: 'ineligible', label: `${t('不符合', 'Not eligible')} (${d.counts.ineligible})`, children: <IneligibleList entityId={entityId} lang={lang} profileVersion={d.profile_version} /> },
              ]}
            />
          </>
        );
      }}
    </Loading>
  );
}

export default function Entitlements() {
  const { t } = useI18n();
  const { me } = useSession();
  return (
    <RequireEntity>
      <div style={{ maxWidth: 960, margin: '0 auto' }}>
        <Typography.Title level={1} style={{ fontSize: 'clamp(22px, 4vw, 30px)' }}>{t('我能享受什么', 'What am I entitled to?')}</Typography.Title>
        {me?.entity_id ? <Matches entityId={me.entity_id} /> : <Empty description={t('此账号未关联企业或个人档案。', 'This account has no profile.')} />}
      </div>
    </RequireEntity>
  );
}
