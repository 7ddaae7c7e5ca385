import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { liaochengDictionary } from '@kx/data';
import { parseExpr } from '@kx/engine';
import { diffVersions, lineDiff } from './diff.ts';
import { canonicalItem } from './input.ts';
import { demoItem } from './fixtures.ts';

/** Length of a longest common subsequence, the slow and obvious way. */
function lcs(a: string[], b: string[]): number {
  const m = Array.from({ length: a.length + 1 }, () => Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) m[i][j] = a[i - 1] === b[j - 1] ? m[i - 1][j - 1] + 1 : Math.max(m[i - 1][j], m[i][j - 1]);
  return m[a.length][b.length];
}

describe('lineDiff', () => {
  it('rebuilds both sides and keeps a longest common run of lines', () => {
    const lines = fc.array(fc.constantFrom('and a = 1', 'and b = 2', 'or c', '(', ')', 'd >= $x'), { maxLength: 14 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const d = lineDiff(a, b);
        expect(d.filter((l) => l.op !== '+').map((l) => l.text)).toEqual(a);
        expect(d.filter((l) => l.op !== '-').map((l) => l.text)).toEqual(b);
        expect(d.filter((l) => l.op === ' ')).toHaveLength(lcs(a, b));
      }),
      { numRuns: 300 },
    );
  });
});

describe('diffVersions', () => {
  const dict = liaochengDictionary();
  const v1 = canonicalItem(demoItem('lc-rsj-wgfh'), 1);

  it('says two equal versions are the same', () => {
    const d = diffVersions(v1, { ...structuredClone(v1), version: 2 }, dict);
    expect(d).toMatchObject({ identical: true, fields: [], params: [], eligibility: null });
    expect(d.zh).toEqual(['事项 lc-rsj-wgfh：第 1 版 → 第 2 版', '两个版本内容相同']);
  });

  it('shows a dropped condition as a removed line of the printed rule, and metadata as before → after', () => {
    const v2 = structuredClone(v1);
    v2.version = 2;
    v2.eligibility = parseExpr('ui_insured_local = true\nand ui_paid_months >= $min_paid_months\nand layoff_rate <= $layoff_cap');
    v2.region_scope = ['371502'];
    v2.mode = 'online';
    v2.valid_to = '2026-12-31';
    const d = diffVersions(v1, v2, dict);
    expect(d.eligibility!.lines.filter((l) => l.op !== ' ')).toEqual([
      { op: '-', text: 'and (' },
      { op: '-', text: '  layoff_rate <= $layoff_cap' },
      { op: '-', text: '  or insured_count <= $small_unit_size and layoff_rate <= $layoff_cap_small' },
      { op: '-', text: ')' },
      { op: '-', text: 'and credit_status != "serious"' },
      { op: '+', text: 'and layoff_rate <= $layoff_cap' },
    ]);
    expect(d.fields.map((f) => f.field)).toEqual(['mode', 'region_scope', 'valid_to']);
    expect(d.zh).toEqual(expect.arrayContaining([
      '办理方式：免申即享（auto） → 网上申请（online）',
      '适用区域：聊城市（371500） → 东昌府区（371502）',
      '失效日期：2025-12-31 → 2026-12-31',
      '资格条件：',
      '  - and credit_status != "serious"',
      '  + and layoff_rate <= $layoff_cap',
    ]));
  });

  it('lists parameter versions added and parameters removed, and cases by name', () => {
    const v2 = structuredClone(v1);
    v2.version = 2;
    const ratio = v2.params.find((p) => p.name === 'ratio_sme')!;
    ratio.versions[0].to = '2025-12-31';
    ratio.versions.push({ from: '2026-01-01', value: { kind: 'num', value: '0.75' } });
    v2.params = v2.params.filter((p) => p.name !== 'small_unit_size');
    v2.cases = v2.cases.slice(1);
    const d = diffVersions(v1, v2);
    expect(d.params).toEqual([
      expect.objectContaining({ name: 'small_unit_size', change: 'removed' }),
      {
        name: 'ratio_sme', change: 'changed', label: '中小微企业返还比例', fields: [],
        versions: [
          { from: '2023-01-01', change: 'changed', before: '0.6〔聊人社字〔2025〕12号〕', after: '0.6（至 2025-12-31）〔聊人社字〔2025〕12号〕' },
          { from: '2026-01-01', change: 'added', before: null, after: '0.75' },
        ],
      },
    ]);
    expect(d.cases).toEqual({ added: [], removed: [v1.cases[0].name], changed: [] });
    expect(d.zh).toContain('参数 $ratio_sme（中小微企业返还比例）：新增 2026-01-01 起的取值 0.75');
    expect(d.zh).toContain('参数 $small_unit_size（适用宽松裁员率的参保职工人数上限）：删除');
  });
});
