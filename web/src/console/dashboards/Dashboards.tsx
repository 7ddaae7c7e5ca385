// 智能成图: the leaders' dashboards — the catalogue, the uptake funnel, money by month, county
// (a schematic tile map of 聊城) and industry, and time to money against the statutory days.
// Leaders and admins see the city or one department; department staff see their own.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Col, ConfigProvider, Row, Segmented, Select, Space, Spin, Statistic, Typography } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { api, errorText } from '../../app/api.ts';
import { useI18n, useLabel } from '../../app/i18n.tsx';
import { useSession } from '../../app/session.tsx';
import { shortDepartment, useDepartmentName } from '../../app/departments.ts';
import type { ResponseOf } from '../../../../server/client/client.ts';
import { ChartCard, type ChartData } from './Chart.tsx';
import { TILE_NAME, TILES } from './tiles.ts';

type Catalogue = ResponseOf<'/api/v1/stats/catalogue', 'get'>;
type Funnel = ResponseOf<'/api/v1/stats/funnel', 'get'>;
type Money = ResponseOf<'/api/v1/stats/money', 'get'>;
type Ttm = ResponseOf<'/api/v1/stats/time-to-money', 'get'>;
type MoneyRow = Money['total'];
type Measure = 'committed' | 'paid' | 'committed_cases' | 'paid_cases';

interface Figures { catalogue: Catalogue; funnel: Funnel; money: Money; ttm: Ttm }

const yuan = (s: string) => Number(s);
const fmt = (n: number, locale: string) => n.toLocaleString(locale === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 2 });
const measureOf = (r: MoneyRow, m: Measure) => (m === 'committed' || m === 'paid' ? yuan(r[m]) : r[m]);

function useFigures(department: string | undefined) {
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    const query = department ? { department } : {};
    setFigures(null);
    setError(null);
    Promise.all([
      api.get('/api/v1/stats/catalogue', { query }),
      api.get('/api/v1/stats/funnel', { query }),
      api.get('/api/v1/stats/money', { query }),
      api.get('/api/v1/stats/time-to-money', { query: { ...query, group: 'department' } }),
    ])
      .then(([catalogue, funnel, money, ttm]) => live && setFigures({ catalogue, funnel, money, ttm }))
      .catch((e: unknown) => live && setError(e));
    return () => { live = false; };
  }, [department]);
  return { figures, error };
}

const bar = (categories: string[], series: { name: string; data: number[] }[], axis: { x: string; y: string }, horizontal = false): EChartsCoreOption => {
  const cat = { type: 'category', data: categories, name: horizontal ? axis.y : axis.x, nameLocation: 'middle', nameGap: horizontal ? 90 : 28, axisLabel: horizontal ? { width: 80, overflow: 'truncate' } : { interval: 0, hideOverlap: true } };
  const val = { type: 'value', name: horizontal ? axis.x : axis.y, nameLocation: 'middle', nameGap: horizontal ? 26 : 50 };
  return {
    tooltip: { trigger: 'axis' },
    legend: series.length > 1 ? { top: 30 } : undefined,
    grid: { left: horizontal ? 100 : 64, right: 16, top: series.length > 1 ? 72 : 40, bottom: 48, containLabel: false },
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? { ...cat, inverse: true } : val,
    series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data, label: { show: categories.length <= 12, position: horizontal ? 'right' : 'top', fontSize: 10 } })),
  };
};

const pie = (rows: { name: string; value: number }[], name: string): EChartsCoreOption => ({
  tooltip: { trigger: 'item' },
  legend: { bottom: 0 },
  series: [{ type: 'pie', name, radius: ['35%', '62%'], top: 24, data: rows, label: { formatter: '{b}\n{c}' } }],
});

export default function Dashboards() {
  const { t, locale } = useI18n();
  const label = useLabel();
  const dept = useDepartmentName();
  const { me } = useSession();
  const role = String((me as { role?: string } | null)?.role ?? '');
  const city = role === 'leader' || role === 'admin';
  const [department, setDepartment] = useState<string | undefined>(undefined);
  const [measure, setMeasure] = useState<Measure>('committed');
  const { figures, error } = useFigures(city ? department : undefined);
  const [departments, setDepartments] = useState<Catalogue['by_department']>([]);
  useEffect(() => {
    if (figures && !department && city) setDepartments(figures.catalogue.by_department);
  }, [figures, department, city]);

  const charts = useMemo(() => (figures ? buildCharts(figures, t, label, dept, locale, measure) : null), [figures, t, label, dept, locale, measure]);

  return (
    // antd's default secondary and placeholder greys are below WCAG AA (4.5:1) on white.
    <ConfigProvider theme={{ token: { colorTextDescription: '#595959', colorTextPlaceholder: '#595959', colorTextTertiary: '#595959' } }}>
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ marginBottom: 0 }}>{t('智能成图', 'Dashboards')}</Typography.Title>
      <Space wrap>
        {city ? (
          <label>
            <span style={{ marginInlineEnd: 8 }}>{t('部门', 'Department')}</span>
            <Select
              aria-label={t('部门', 'Department')}
              style={{ minWidth: 220 }}
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder={t('全市', 'Whole city')}
              value={department}
              onChange={(v) => setDepartment(v || undefined)}
              options={departments.map((d) => ({ value: d.key, label: `${dept(d.key, d.label.zh)}（${d.key}）` }))}
            />
          </label>
        ) : (
          <Typography.Text>{t('本部门', 'Your department')}：{dept((me as { department?: string } | null)?.department)}</Typography.Text>
        )}
      </Space>
      {error ? <Alert type="error" showIcon message={errorText(error, locale)} /> : null}
      {!figures && !error ? <Spin aria-label={t('加载中', 'Loading')} /> : null}
      {figures && charts ? (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}><Statistic title={t('在施事项', 'Items in force')} value={figures.catalogue.total} /></Col>
            <Col xs={12} md={6}><Statistic title={t('当前符合条件（主体×事项）', 'Eligible now (entity × item)')} value={figures.funnel.stages.eligible} /></Col>
            <Col xs={12} md={6}><Statistic title={t('承诺金额（元）', 'Committed (yuan)')} value={fmt(yuan(figures.money.total.committed), locale)} /></Col>
            <Col xs={12} md={6}><Statistic title={t('已拨付（元）', 'Paid (yuan)')} value={fmt(yuan(figures.money.total.paid), locale)} /></Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}><ChartCard {...charts.funnel} /></Col>
            <Col xs={24} lg={12}>
              <ChartCard {...charts.map} height={360} />
              <div style={{ marginTop: 8 }}>
                <Segmented
                  aria-label={t('地图指标', 'Map measure')}
                  value={measure}
                  onChange={(v) => setMeasure(v as Measure)}
                  options={[
                    { value: 'committed', label: t('承诺金额', 'Committed') },
                    { value: 'paid', label: t('拨付金额', 'Paid') },
                    { value: 'committed_cases', label: t('承诺件数', 'Cases committed') },
                    { value: 'paid_cases', label: t('拨付件数', 'Cases paid') },
                  ]}
                />
              </div>
            </Col>
            <Col xs={24} lg={12}><ChartCard {...charts.month} /></Col>
            <Col xs={24} lg={12}><ChartCard {...charts.industry} /></Col>
            <Col xs={24} lg={12}><ChartCard {...charts.ttm} /></Col>
            <Col xs={24} lg={12}><ChartCard {...charts.departments} /></Col>
            <Col xs={24} md={12}><ChartCard {...charts.mode} /></Col>
            <Col xs={24} md={12}><ChartCard {...charts.audience} /></Col>
          </Row>
        </>
      ) : null}
    </Space>
    </ConfigProvider>
  );
}

type T = (zh: string, en: string) => string;
type L = ReturnType<typeof useLabel>;
type D = ReturnType<typeof useDepartmentName>;
type Spec = { id: string; title: string; option: EChartsCoreOption; data: ChartData };

// Departments are named, never shown as their code (QA 8); the code stays in the CSV's code column.
function buildCharts(f: Figures, t: T, label: L, dept: D, locale: string, measure: Measure): Record<'funnel' | 'map' | 'month' | 'industry' | 'ttm' | 'departments' | 'mode' | 'audience', Spec> {
  const stageNames: [keyof Funnel['stages'], string][] = [
    ['eligible', t('符合条件', 'Eligible')], ['notified', t('已通知', 'Notified')], ['applied', t('已申请', 'Applied')], ['approved', t('已批准', 'Approved')], ['paid', t('已拨付', 'Paid')],
  ];
  const pairs = t('主体×事项（对）', 'entity × item pairs');
  const yuanAxis = t('金额（元）', 'Amount (yuan)');
  const measureName: Record<Measure, string> = {
    committed: t('承诺金额（元）', 'Committed (yuan)'), paid: t('拨付金额（元）', 'Paid (yuan)'),
    committed_cases: t('承诺件数', 'Cases committed'), paid_cases: t('拨付件数', 'Cases paid'),
  };
  const moneyColumns = [t('分组', 'Group'), t('承诺金额（元）', 'Committed (yuan)'), t('承诺件数', 'Cases committed'), t('拨付金额（元）', 'Paid (yuan)'), t('拨付件数', 'Cases paid')];
  const moneyRows = (rows: MoneyRow[]) => rows.map((r) => [label(r.label), r.committed, r.committed_cases, r.paid, r.paid_cases]);

  const byCounty = new Map(f.money.by_county.map((r) => [r.key, r]));
  const tileValue = (key: string) => { const r = byCounty.get(key); return r ? measureOf(r, measure) : 0; };
  const tileName = (key: string) => (locale === 'en' ? TILE_NAME[key].en : TILE_NAME[key].zh);
  const max = Math.max(1, ...TILES.map((x) => tileValue(x.key)));

  const industry = f.money.by_industry.slice(0, 12);
  const depts = f.catalogue.by_department.slice(0, 15);
  const ttm = f.ttm.groups;
  return {
    funnel: {
      id: 'funnel', title: t('兑现漏斗：符合条件→通知→申请→批准→拨付', 'Uptake funnel: eligible → notified → applied → approved → paid'),
      option: bar(stageNames.map(([, n]) => n), [{ name: pairs, data: stageNames.map(([k]) => f.funnel.stages[k]) }], { x: t('环节', 'Stage'), y: pairs }),
      data: {
        columns: [t('事项', 'Item'), t('部门', 'Department'), ...stageNames.map(([, n]) => n)],
        rows: [[t('合计', 'Total'), '', ...stageNames.map(([k]) => f.funnel.stages[k])], ...f.funnel.items.map((i) => [`${i.title}（${i.item_id}）`, dept(i.department), ...stageNames.map(([k]) => i.stages[k])])],
      },
    },
    map: {
      id: 'county-map', title: `${t('聊城市各县市区', 'Liaocheng by county')}：${measureName[measure]}`,
      option: {
        tooltip: { formatter: (p: { data: [number, number, number, string] }) => `${p.data[3]}: ${fmt(p.data[2], locale)}` },
        grid: { left: 8, right: 8, top: 36, bottom: 56 },
        xAxis: { type: 'category', data: [0, 1, 2, 3], show: false },
        yAxis: { type: 'category', data: [0, 1, 2, 3], show: false, inverse: true },
        visualMap: { min: 0, max, dimension: 2, seriesIndex: 0, calculable: false, orient: 'horizontal', left: 'center', bottom: 4, text: [fmt(max, locale), '0'], inRange: { color: ['#e6f4ff', '#0958d9'] } },
        series: [{
          type: 'heatmap', name: measureName[measure],
          data: TILES.map((x) => [x.x, x.y, tileValue(x.key), tileName(x.key)]),
          label: { show: true, formatter: (p: { data: [number, number, number, string] }) => `${p.data[3]}\n${fmt(p.data[2], locale)}`, fontSize: 11, color: '#000', backgroundColor: 'rgba(255,255,255,0.75)', padding: 2 },
          itemStyle: { borderColor: '#fff', borderWidth: 3 },
        }],
      },
      data: { columns: moneyColumns, rows: moneyRows(f.money.by_county) },
    },
    month: {
      id: 'money-by-month', title: t('资金：按月份', 'Money by month'),
      option: {
        ...bar(f.money.by_month.map((r) => r.key), [
          { name: t('承诺金额', 'Committed'), data: f.money.by_month.map((r) => yuan(r.committed)) },
          { name: t('拨付金额', 'Paid'), data: f.money.by_month.map((r) => yuan(r.paid)) },
        ], { x: t('月份', 'Month'), y: yuanAxis }),
        grid: { left: 80, right: 16, top: 72, bottom: 48 },
      },
      data: { columns: moneyColumns, rows: moneyRows(f.money.by_month) },
    },
    industry: {
      id: 'money-by-industry', title: t('资金：按行业门类', 'Money by industry section'),
      option: { ...bar(industry.map((r) => label(r.label)), [{ name: t('承诺金额', 'Committed'), data: industry.map((r) => yuan(r.committed)) }, { name: t('拨付金额', 'Paid'), data: industry.map((r) => yuan(r.paid)) }], { x: yuanAxis, y: t('行业', 'Industry') }, true), grid: { left: 110, right: 40, top: 72, bottom: 48 } },
      data: { columns: moneyColumns, rows: moneyRows(f.money.by_industry) },
    },
    ttm: {
      id: 'time-to-money', title: t('兑现时效：符合条件→到账（天）与承诺时限', 'Time to money (days) against statutory days'),
      option: bar(ttm.map((g) => shortDepartment(dept(g.key))), [
        { name: t('中位数（自然日）', 'Median (calendar days)'), data: ttm.map((g) => g.eligible_to_paid.median_days ?? 0) },
        { name: t('第90百分位（自然日）', '90th percentile (calendar days)'), data: ttm.map((g) => g.eligible_to_paid.p90_days ?? 0) },
        { name: t('承诺时限（工作日，最长）', 'Statutory limit (working days, longest)'), data: ttm.map((g) => Math.max(0, ...g.statutory_days)) },
      ], { x: t('部门', 'Department'), y: t('天', 'Days') }),
      data: {
        columns: [t('部门', 'Department'), t('案件数', 'Cases'), t('已拨付', 'Paid'), t('中位数（天）', 'Median (days)'), t('第90百分位（天）', 'P90 (days)'), t('承诺时限（工作日）', 'Statutory (working days)'), t('时限内拨付', 'Paid within limit'), t('当前超期', 'Overdue now')],
        rows: ttm.map((g) => [dept(g.key), g.cases, g.paid, g.eligible_to_paid.median_days, g.eligible_to_paid.p90_days, g.statutory_days.join('/'), g.paid_within_statutory, g.overdue_now]),
      },
    },
    departments: {
      id: 'catalogue-by-department', title: t('在施事项：按部门', 'Items in force by department'),
      option: bar(depts.map((d) => shortDepartment(dept(d.key, label(d.label)))), [{ name: t('事项数', 'Items'), data: depts.map((d) => d.items) }], { x: t('事项数', 'Items'), y: t('部门', 'Department') }, true),
      data: { columns: [t('部门代码', 'Code'), t('部门', 'Department'), t('事项数', 'Items')], rows: f.catalogue.by_department.map((d) => [d.key, dept(d.key, d.label.zh), d.items]) },
    },
    mode: {
      id: 'catalogue-by-mode', title: t('在施事项：按办理方式', 'Items in force by mode'),
      option: pie(f.catalogue.by_mode.map((d) => ({ name: label(d.label), value: d.items })), t('事项数', 'Items')),
      data: { columns: [t('办理方式', 'Mode'), t('事项数', 'Items')], rows: f.catalogue.by_mode.map((d) => [label(d.label), d.items]) },
    },
    audience: {
      id: 'catalogue-by-audience', title: t('在施事项：按对象', 'Items in force by audience'),
      option: pie(f.catalogue.by_audience.map((d) => ({ name: label(d.label), value: d.items })), t('事项数', 'Items')),
      data: { columns: [t('对象', 'Audience'), t('事项数', 'Items')], rows: f.catalogue.by_audience.map((d) => [label(d.label), d.items]) },
    },
  };
}
