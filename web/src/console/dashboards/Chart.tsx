// One ECharts chart in a card, with its exports: the picture as PNG (getDataURL) and the data
// behind it as CSV (UTF-8 with a BOM, so Excel reads the Chinese). ECharts is imported here,
// from echarts/core with only the charts used — this file is reached only from the lazy
// dashboards page, so the portal's first page never carries it.
import { useEffect, useRef } from 'react';
import { Button, Card, Space } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { useI18n } from '../../app/i18n.tsx';
import { toCsv } from './csv.ts';

echarts.use([BarChart, LineChart, PieChart, HeatmapChart, TitleComponent, TooltipComponent, GridComponent, LegendComponent, VisualMapComponent, AriaComponent, CanvasRenderer]);

export interface ChartData {
  /** Column headings, in the current language. */
  columns: string[];
  rows: (string | number | null)[][];
}

function download(href: string, filename: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function ChartCard({ id, title, option, data, height = 320 }: { id: string; title: string; option: EChartsCoreOption; data: ChartData; height?: number }) {
  const { t, locale } = useI18n();
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, null, { renderer: 'canvas', locale: locale === 'en' ? 'EN' : 'ZH' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [locale]);

  useEffect(() => {
    // The chart's own title is drawn too, so the exported PNG says what it shows.
    chart.current?.setOption({ aria: { enabled: true }, title: { text: title, left: 'center', textStyle: { fontSize: 14 } }, animation: false, ...option }, true);
  }, [option, title, locale]);

  const png = () => {
    const url = chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    if (url) download(url, `${id}.png`);
  };
  const csv = () => {
    const blob = new Blob(['\ufeff', toCsv([data.columns, ...data.rows])], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    download(url, `${id}.csv`);
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <Card
      size="small"
      title={<h3 style={{ margin: 0, fontSize: 16 }}>{title}</h3>}
      extra={
        <Space size={4}>
          <Button size="small" icon={<DownloadOutlined />} onClick={png} aria-label={`PNG ${t('图片导出', 'export')}：${title}`}>PNG</Button>
          <Button size="small" icon={<DownloadOutlined />} onClick={csv} aria-label={`CSV ${t('数据导出', 'export')}：${title}`}>CSV</Button>
        </Space>
      }
    >
      <div ref={el} role="img" aria-label={title} data-chart={id} style={{ width: '100%', height }} />
    </Card>
  );
}
