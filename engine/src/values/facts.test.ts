import { describe, expect, it } from 'vitest';
import { TEST_DICT } from '../../test/fixtures.ts';
import { factsToJson, normalizeFacts } from './facts.ts';
import { addMonths, formatDate, fullMonths, fullYears, latestBirthForAge, parseDate } from './dates.ts';

const norm = (json: Record<string, unknown>, kind: 'enterprise' | 'person' = 'enterprise') => normalizeFacts(TEST_DICT, kind, json);

describe('normalizing facts', () => {
  it('converts every type and treats null as unknown', () => {
    const { entity, errors } = norm({ employees: '12', revenue: '1234.50', registered_on: '2020-02-29', size_class: 'small', qualifications: 'zjtx，gxjs', ui_insured_local: '是', region: 371502, name: '某公司', layoff_rate: null });
    expect(errors).toEqual([]);
    expect(entity.facts).toEqual({ entity_kind: 'enterprise', employees: 12, revenue: 1234.5, registered_on: parseDate('2020-02-29'), size_class: 'small', qualifications: ['gxjs', 'zjtx'], ui_insured_local: true, region: '371502', name: '某公司' });
    expect(factsToJson(TEST_DICT, entity.facts)).toMatchObject({ registered_on: '2020-02-29', employees: 12 });
  });

  // json ; the message must name the field, the value and why
  const BAD: [Record<string, unknown>, string][] = [
    [{ employees: 1.5 }, '"employees" 应为整数，实际为 1.5'],
    [{ revenue: 'lots' }, '"revenue" 应为数值，实际为 "lots"'],
    [{ revenue: '1234567890.1234567' }, '有效数字超过 15 位'],
    [{ registered_on: '2025-02-29' }, '"registered_on" 应为 1800-01-01 至 2200-12-31 之间的日期'],
    [{ registered_on: '1799-12-31' }, '应为 1800-01-01 至 2200-12-31 之间的日期'],
    [{ size_class: 'huge' }, '"size_class" 的取值 "huge" 不在代码表 size_class 中'],
    [{ qualifications: ['zjtx', 'nobel'] }, '成员 "nobel" 不在代码表 qualification 中'],
    [{ qualifications: 5 }, '"qualifications" 应为代码列表'],
    [{ ui_insured_local: 'maybe' }, '应为 是/否（true/false）'],
    [{ region: 'nowhere' }, '行政区划代码 "nowhere" 无效'],
    [{ name: 42 }, '"name" 应为文本'],
    [{ employes: 3 }, '未知字段 "employes"'],
    [{ birth_date: '1990-01-01' }, '字段 "birth_date" 不适用于企业'],
    [{ entity_kind: 'person' }, 'entity_kind 与主体类型 enterprise 不一致'],
  ];
  it.each(BAD)('rejects %j', (json, want) => {
    const { errors } = norm(json);
    expect(errors.map((e) => e.message).join('\n')).toContain(want);
  });
});

describe('civil dates', () => {
  it('round-trips every day of four centuries', () => {
    for (let d = parseDate('1900-01-01')!; d <= parseDate('2100-12-31')!; d += 1) expect(parseDate(formatDate(d))).toBe(d);
  });
  it('accepts the documented range exactly', () => {
    expect(parseDate('1800-01-01')).toBeDefined();
    expect(parseDate('2200-12-31')).toBeDefined();
    expect(parseDate('2201-01-01')).toBeUndefined();
    expect(parseDate('2024-13-01')).toBeUndefined();
    expect(parseDate('2024-1-01')).toBeUndefined();
  });
  it('computes ages, months and month ends', () => {
    expect(fullYears(parseDate('2000-02-29')!, parseDate('2001-02-28')!)).toBe(0);
    expect(fullYears(parseDate('2000-02-29')!, parseDate('2001-03-01')!)).toBe(1);
    expect(fullMonths(parseDate('2025-01-31')!, parseDate('2025-02-28')!)).toBe(0);
    expect(formatDate(addMonths(parseDate('2024-01-31')!, 1))).toBe('2024-02-29');
    expect(formatDate(addMonths(parseDate('2024-02-29')!, 12))).toBe('2025-02-28');
    expect(formatDate(latestBirthForAge(parseDate('2024-02-29')!, 1))).toBe('2023-02-28');
  });
});
