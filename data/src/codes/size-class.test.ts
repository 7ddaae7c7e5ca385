import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIZE_SECTORS, classifySize, sizeSectorOf, type SizeClass, type SizeIndicator } from './size-class.ts';

// domain.md §4, transcribed a second time as the oracle: sector, an industry code in it,
// and per indicator the lower bounds of large, medium and small.
type B = [number, number, number];
const TABLE: [sector: string, industry: string, bounds: Partial<Record<SizeIndicator, B>>][] = [
  ['agriculture', '0112', { revenue: [20000, 500, 50] }],
  ['industry', '3451', { employees: [1000, 300, 20], revenue: [40000, 2000, 300] }],
  ['construction', '4710', { revenue: [80000, 6000, 300], assets: [80000, 5000, 300] }],
  ['wholesale', '5164', { employees: [200, 20, 5], revenue: [40000, 5000, 1000] }],
  ['retail', '5212', { employees: [300, 50, 10], revenue: [20000, 500, 100] }],
  ['transport', '5431', { employees: [1000, 300, 20], revenue: [30000, 3000, 200] }],
  ['warehousing', '5920', { employees: [200, 100, 20], revenue: [30000, 1000, 100] }],
  ['postal', '6020', { employees: [1000, 300, 20], revenue: [30000, 2000, 100] }],
  ['accommodation_catering', '6210', { employees: [300, 100, 10], revenue: [10000, 2000, 100] }],
  ['info_transmission', '6312', { employees: [2000, 100, 10], revenue: [100000, 1000, 100] }],
  ['software', '6513', { employees: [300, 100, 10], revenue: [10000, 1000, 50] }],
  ['real_estate_development', '7010', { revenue: [200000, 1000, 100], assets: [10000, 5000, 2000] }],
  ['property_management', '7020', { employees: [1000, 300, 100], revenue: [5000, 1000, 500] }],
  ['leasing_business', '7212', { employees: [300, 100, 10], assets: [120000, 8000, 100] }],
  ['other', '7320', { employees: [300, 100, 10] }],
];
const CLASSES: SizeClass[] = ['large', 'medium', 'small', 'micro'];
const HUGE = 10_000_000;

describe('the table matches domain.md §4', () => {
  it('has the same sectors and bounds as the oracle', () => {
    expect(SIZE_SECTORS.map((s) => [s.code, s.bounds])).toEqual(TABLE.map(([s, , b]) => [s, b]));
  });
});

describe('every threshold: just below, at and just above', () => {
  const cases: [string, string, SizeIndicator, number, SizeClass][] = [];
  for (const [sector, industry, bounds] of TABLE)
    for (const [key, b] of Object.entries(bounds) as [SizeIndicator, B][])
      b.forEach((bound, k) => {
        const step = key === 'employees' ? 1 : 0.01;
        cases.push([sector, industry, key, bound - step, CLASSES[k + 1]]);
        cases.push([sector, industry, key, bound, CLASSES[k]]);
        cases.push([sector, industry, key, bound + step, CLASSES[k]]);
      });

  it.each(cases)('%s (%s): %s = %d → %s', (sector, industry, key, value, expected) => {
    // The other indicators sit far in the large range, so this indicator decides.
    const r = classifySize({ industry, employees: HUGE, revenue: HUGE, assets: HUGE, [key]: value });
    expect(r.sector).toBe(sector);
    expect(r.size).toBe(expected);
    expect(r.missing).toEqual([]);
  });

  it('covers 3 values × 3 bounds of all 28 indicator rows', () => {
    expect(cases).toHaveLength(28 * 9);
  });
});

describe('the rules', () => {
  it('drops to the lower tier when one indicator misses the lower bound', () => {
    const r = classifySize({ industry: '3451', employees: 350, revenue: 1500 });
    expect(r.size).toBe('small');
    expect(r.reason_zh).toContain('同时满足');
    expect(classifySize({ industry: '3451', employees: 1200, revenue: 30000 }).size).toBe('medium');
  });

  it('one micro indicator makes the firm micro, whatever the other says', () => {
    expect(classifySize({ industry: '3451', employees: 5000, revenue: 299 }).size).toBe('micro');
    expect(classifySize({ industry: '5212', employees: 9, revenue: 50000 }).size).toBe('micro');
    expect(classifySize({ industry: '7010', revenue: 500000, assets: 1999 }).size).toBe('micro');
  });

  it('single-indicator sectors use that indicator only', () => {
    expect(classifySize({ industry: '0113', revenue: 600, employees: 1 }).size).toBe('medium');
    expect(classifySize({ industry: '8040', employees: 150, revenue: 0 })).toMatchObject({ size: 'medium', sector: 'other' });
  });

  it('a missing indicator leaves the size open unless a known one is micro', () => {
    expect(classifySize({ industry: '3451', employees: 500 })).toMatchObject({ size: undefined, missing: ['revenue'], atBest: 'medium' });
    expect(classifySize({ industry: '3451', employees: 19 })).toMatchObject({ size: 'micro', missing: ['revenue'] });
    expect(classifySize({ industry: '3451' })).toMatchObject({ size: undefined, missing: ['employees', 'revenue'] });
    expect(classifySize({ industry: '3451', employees: 500 }).reason_zh).toContain('缺少营业收入');
  });

  it('rejects negative or non-numeric indicators', () => {
    expect(() => classifySize({ industry: '3451', employees: -1, revenue: 10 })).toThrow(/从业人员应为非负数/);
    expect(() => classifySize({ industry: '3451', employees: 10, revenue: Number.NaN })).toThrow(/营业收入/);
  });
});

describe('sector resolution', () => {
  it.each([
    ['01', 'agriculture'], ['0512', 'agriculture'], ['06', 'industry'], ['13', 'industry'], ['3451', 'industry'],
    ['4420', 'industry'], ['47', 'construction'], ['50', 'construction'], ['51', 'wholesale'], ['5164', 'wholesale'],
    ['52', 'retail'], ['53', 'other'], ['5320', 'other'], ['54', 'transport'], ['58', 'transport'], ['59', 'warehousing'],
    ['60', 'postal'], ['61', 'accommodation_catering'], ['62', 'accommodation_catering'], ['63', 'info_transmission'],
    ['64', 'info_transmission'], ['65', 'software'], ['7010', 'real_estate_development'], ['701', 'real_estate_development'],
    ['702', 'property_management'], ['7020', 'property_management'], ['7030', 'other'], ['7090', 'other'], ['7040', 'other'],
    ['71', 'leasing_business'], ['7291', 'leasing_business'], ['73', 'other'], ['85', 'other'], ['66', 'other'], ['97', 'other'],
  ])('%s → %s', (code, sector) => {
    expect(sizeSectorOf(code)?.sector.code).toBe(sector);
  });

  it('says when an industry falls outside the listed scope', () => {
    expect(sizeSectorOf('6621')?.listed).toBe(false);
    expect(sizeSectorOf('8514')?.listed).toBe(true);
    expect(sizeSectorOf('7030')?.listed).toBe(true);
    expect(classifySize({ industry: '6621', employees: 50 }).reason_zh).toContain('金融业另有划型标准');
  });

  it('needs the class in real estate, and a real code', () => {
    expect(classifySize({ industry: '70', employees: 5 })).toMatchObject({ size: undefined, missing: ['industry'], sector: 'unknown' });
    expect(classifySize({ industry: '98', employees: 5 }).sector).toBe('unknown');
    expect(classifySize({ industry: 'C34', employees: 5 }).reason_zh).toContain('C34');
  });
});

describe('properties', () => {
  const rank = (s: SizeClass | undefined) => CLASSES.length - CLASSES.indexOf(s as SizeClass);
  const industry = fc.constantFrom(...TABLE.map(([, code]) => code));
  const amount = fc.integer({ min: 0, max: 400_000 });

  it('more of every indicator never gives a smaller class', () => {
    fc.assert(
      fc.property(industry, amount, amount, amount, amount, amount, amount, (ind, x, y, z, dx, dy, dz) => {
        const a = classifySize({ industry: ind, employees: x % 5000, revenue: y, assets: z });
        const b = classifySize({ industry: ind, employees: (x % 5000) + (dx % 5000), revenue: y + dy, assets: z + dz });
        return rank(b.size) >= rank(a.size);
      }),
      { numRuns: 1000 },
    );
  });

  it('the class is the lowest of the classes each indicator alone would give', () => {
    fc.assert(
      fc.property(industry, amount, amount, amount, (ind, x, y, z) => {
        const all = classifySize({ industry: ind, employees: x % 5000, revenue: y, assets: z }).size;
        const alone = [
          classifySize({ industry: ind, employees: x % 5000, revenue: HUGE, assets: HUGE }).size,
          classifySize({ industry: ind, employees: HUGE, revenue: y, assets: HUGE }).size,
          classifySize({ industry: ind, employees: HUGE, revenue: HUGE, assets: z }).size,
        ];
        return rank(all) === Math.min(...alone.map(rank));
      }),
      { numRuns: 1000 },
    );
  });
});
