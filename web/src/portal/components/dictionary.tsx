// The field dictionary (GET /api/v1/dictionary, public, cached for the tab): labels, types,
// units and code tables, so a missing fact gets an input of the right type and a value is
// shown with its label (a code → its name).
import { useEffect, useState } from 'react';
import { DatePicker, Input, InputNumber, Radio, Select } from 'antd';
import dayjs from 'dayjs';
import { api } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { quantityText } from '../../../../engine/src/explain/units.ts';
import type { ResponseOf } from '../../../../server/client/client.ts';

export type DictionaryView = ResponseOf<'/api/v1/dictionary', 'get'>;
export type FieldDef = DictionaryView['fields'][number];

let cache: Promise<DictionaryView> | undefined;
export function loadDictionary(): Promise<DictionaryView> {
  cache ??= api.get('/api/v1/dictionary').catch((e: unknown) => { cache = undefined; throw e; });
  return cache;
}

export function useDictionary(): DictionaryView | undefined {
  const [d, setD] = useState<DictionaryView>();
  useEffect(() => { loadDictionary().then(setD, () => {}); }, []);
  return d;
}

export function fieldOf(dict: DictionaryView | undefined, key: string): FieldDef | undefined {
  return dict?.fields.find((f) => f.key === key);
}

/** A stored or chip value as people read it: codes → names, booleans → 是/否, units added. */
export function formatValue(dict: DictionaryView | undefined, key: string, value: unknown, locale: 'zh-CN' | 'en'): string {
  const f = fieldOf(dict, key);
  const en = locale === 'en';
  const one = (v: unknown): string => {
    if (v === null || v === undefined) return en ? 'unknown' : '未知';
    if (typeof v === 'boolean') return v ? (en ? 'yes' : '是') : (en ? 'no' : '否');
    if (f?.enum) {
      const row = dict?.enums.find((e) => e.name === f.enum)?.values.find((x) => x.code === String(v));
      if (row) return en ? row.en : row.zh;
    }
    if (f?.type === 'region') {
      const r = dict?.regions.find((x) => x.code === String(v));
      if (r) return en ? r.name_en : r.name;
    }
    // 50 万元 reads "500,000 yuan" in English, never "50 10k yuan" (QA 8).
    return f?.unit?.zh ? quantityText(String(v), f.unit, en ? 'en' : 'zh') : String(v);
  };
  return Array.isArray(value) ? value.map(one).join(en ? ', ' : '、') : one(value);
}

/** An input typed from the dictionary: numbers, yes/no, dates, a code table, a region. */
export function FactInput({ field, value, onChange, id }: { field: FieldDef | undefined; value: unknown; onChange(v: unknown): void; id?: string }) {
  const { t, locale } = useI18n();
  const dict = useDictionary();
  const label = field ? (locale === 'en' ? field.label.en : field.label.zh) : '';
  const unit = field?.unit ? (locale === 'en' ? field.unit.en : field.unit.zh) : undefined;
  const common = { id, 'aria-label': label, style: { width: '100%', minWidth: 180 } };
  switch (field?.type) {
    case 'int':
    case 'dec':
      return <InputNumber {...common} value={value as number | null} onChange={(v) => onChange(v)} step={field.type === 'int' ? 1 : 0.01} precision={field.type === 'int' ? 0 : undefined} suffix={unit} />;
    case 'bool':
      return (
        <Radio.Group aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} id={id}>
          <Radio value={true}>{t('是', 'Yes')}</Radio>
          <Radio value={false}>{t('否', 'No')}</Radio>
        </Radio.Group>
      );
    case 'date':
      return <DatePicker {...common} value={typeof value === 'string' && value ? dayjs(value) : null} onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : null)} />;
    case 'enum':
    case 'set': {
      const rows = dict?.enums.find((e) => e.name === field.enum)?.values ?? [];
      return (
        <Select {...common} mode={field.type === 'set' ? 'multiple' : undefined} showSearch={{ optionFilterProp: 'label' }} value={value as string | string[] | undefined}
          onChange={(v) => onChange(v)} options={rows.map((r) => ({ value: r.code, label: locale === 'en' ? r.en : r.zh }))} />
      );
    }
    case 'region': {
      const rows = (dict?.regions ?? []).filter((r) => !r.historical && !r.members);
      return <Select {...common} showSearch={{ optionFilterProp: 'label' }} value={value as string | undefined} onChange={(v) => onChange(v)} options={rows.map((r) => ({ value: r.code, label: r.name }))} />;
    }
    default:
      return <Input {...common} value={(value as string | undefined) ?? ''} onChange={(e) => onChange(e.target.value)} suffix={unit} />;
  }
}
