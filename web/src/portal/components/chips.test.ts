import { describe, expect, it } from 'vitest';
import { chipsToFacts, removeChip, upsertChip, type Chip } from './chips.ts';

const chip = (field: string, value: unknown): Chip => ({ field, label_zh: field, label_en: field, value, value_label: String(value), value_label_en: String(value), text: `${field}：${String(value)}`, span: [0, 0], source_text: '' });

describe('question chips → facts', () => {
  const read = [chip('audience', 'enterprise'), chip('region', '371502'), chip('size_class', ['small', 'micro'])];

  it('sends what the question was read as, one fact per field', () => {
    expect(chipsToFacts(read)).toEqual([
      { field: 'audience', value: 'enterprise' },
      { field: 'region', value: '371502' },
      { field: 'size_class', value: ['small', 'micro'] },
    ]);
  });

  it('a corrected value replaces the chip of that field, marked as edited', () => {
    const next = upsertChip(read, chip('region', '371521'));
    expect(next).toHaveLength(3);
    expect(next[1]).toMatchObject({ field: 'region', value: '371521', edited: true });
    expect(chipsToFacts(next)).toContainEqual({ field: 'region', value: '371521' });
    expect(read[1].value).toBe('371502'); // the original list is left as it was
  });

  it('setting the same value again changes nothing', () => {
    expect(upsertChip(read, chip('region', '371502'))[1].edited).toBeUndefined();
  });

  it('an added chip comes last; a removed one is no longer sent', () => {
    const added = upsertChip(read, chip('industry_section', 'C'));
    expect(added.at(-1)).toMatchObject({ field: 'industry_section', edited: true });
    const removed = removeChip(added, 'size_class');
    expect(chipsToFacts(removed).map((f) => f.field)).toEqual(['audience', 'region', 'industry_section']);
  });

  it('empty values are not sent as facts', () => {
    expect(chipsToFacts([chip('age', null), chip('tags', []), chip('name', ''), chip('employees', 0)])).toEqual([{ field: 'employees', value: 0 }]);
  });
});
