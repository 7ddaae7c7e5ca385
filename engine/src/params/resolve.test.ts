import { describe, expect, it } from 'vitest';
import { parseExpr } from '../syntax/parser.ts';
import { parseDate } from '../values/dates.ts';
import type { ParamDef } from '../policy/types.ts';
import { resolveParams, versionOn } from './resolve.ts';

const day = (s: string) => parseDate(s)!;
const num = (name: string, versions: [string, string | undefined, string][]): ParamDef => ({
  name, type: 'dec', versions: versions.map(([from, to, v]) => ({ from, ...(to ? { to } : {}), value: { kind: 'num', value: v } })),
});

describe('dated parameters', () => {
  const cap = num('cap', [['2020-01-01', '2022-12-31', '0.05'], ['2023-01-01', undefined, '0.055'], ['2025-07-01', undefined, '0.06']]);

  it('chooses the version in force on the date; a later start wins', () => {
    expect(versionOn(cap, day('2021-06-01'))?.value).toEqual({ kind: 'num', value: '0.05' });
    expect(versionOn(cap, day('2022-12-31'))?.value).toEqual({ kind: 'num', value: '0.05' });
    expect(versionOn(cap, day('2023-01-01'))?.value).toEqual({ kind: 'num', value: '0.055' });
    expect(versionOn(cap, day('2025-07-01'))?.value).toEqual({ kind: 'num', value: '0.06' });
    expect(versionOn(cap, day('2019-12-31'))).toBeUndefined();
  });

  it('says which parameter has no value in force, and when', () => {
    expect(() => resolveParams([cap], day('2019-01-01'))).toThrow('参数 $cap 在 2019-01-01 没有生效的取值');
  });

  it('resolves every kind of value, and expressions over other parameters', () => {
    const ps: ParamDef[] = [
      num('base', [['2024-01-01', undefined, '800']]),
      { name: 'derived', type: 'dec', versions: [{ from: '2024-01-01', value: { kind: 'expr', expr: parseExpr('round(max($base * 1.3, 1000) / 3, 2)') } }] },
      { name: 'flag', type: 'bool', versions: [{ from: '2024-01-01', value: { kind: 'bool', value: true } }] },
      { name: 'start', type: 'date', versions: [{ from: '2024-01-01', value: { kind: 'date', value: '2024-03-01' } }] },
      { name: 'codes', type: 'list', versions: [{ from: '2024-01-01', value: { kind: 'list', value: ['a', 'b'] } }] },
      { name: 'bands', type: 'tiers', versions: [{ from: '2024-01-01', value: { kind: 'tiers', rows: [{ min: '80', max: '90', value: '100' }] } }] },
      { name: 'map', type: 'map', versions: [{ from: '2024-01-01', value: { kind: 'map', entries: { a: '1' }, default: '0' } }] },
    ];
    const r = resolveParams(ps, day('2025-01-01'));
    expect(r.get('derived')).toMatchObject({ type: 'num' });
    expect(String((r.get('derived') as { value: unknown }).value)).toBe('346.67');
    expect(r.get('flag')).toEqual({ type: 'bool', value: true });
    expect(r.get('start')).toEqual({ type: 'date', value: day('2024-03-01') });
    expect(r.get('codes')).toEqual({ type: 'list', value: ['a', 'b'] });
    expect(r.get('bands')?.type).toBe('tiers');
    expect(r.get('map')?.type).toBe('map');
  });

  it('rejects division by zero and facts inside parameter expressions', () => {
    const div: ParamDef = { name: 'd', type: 'dec', versions: [{ from: '2024-01-01', value: { kind: 'expr', expr: parseExpr('1 / 0') } }] };
    expect(() => resolveParams([div], day('2025-01-01'))).toThrow('参数表达式除数为零');
    const fact: ParamDef = { name: 'f', type: 'dec', versions: [{ from: '2024-01-01', value: { kind: 'expr', expr: parseExpr('employees * 2') } }] };
    expect(() => resolveParams([fact], day('2025-01-01'))).toThrow('参数表达式中不支持 field');
  });
});
