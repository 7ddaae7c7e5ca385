import { describe, expect, it } from 'vitest';
import { checklistRows } from './checklist-rows.ts';

describe('checklist rows from the rule lines', () => {
  it('a flat and-chain is one row per condition, none a group', () => {
    expect(checklistRows(['企业规模属于［中型、小型、微型］', '行业门类 为 制造业'])).toEqual([
      { text: '企业规模属于［中型、小型、微型］', depth: 0, group: false },
      { text: '行业门类 为 制造业', depth: 0, group: false },
    ]);
  });

  it('a nested group heads its indented conditions', () => {
    const rows = checklistRows(['年龄 ≥ 80 周岁', '满足以下任一条件：', '  户籍在聊城', '  同时满足以下条件：', '    居住满 1 年', '    已登记']);
    expect(rows.map((r) => [r.depth, r.group])).toEqual([[0, false], [0, true], [1, false], [1, true], [2, false], [2, false]]);
    expect(rows[4].text).toBe('居住满 1 年');
  });

  it('no lines, no rows', () => {
    expect(checklistRows([])).toEqual([]);
  });
});
