// The code modules feed facts into the field dictionary; what they derive must be
// accepted by it, or every synthetic enterprise and resident would be rejected on import.
import { normalizeFacts } from '@kx/engine';
import { describe, expect, it } from 'vitest';
import { liaochengDictionary } from '../dictionary/dictionary.ts';
import { makeIdNumber, validateIdNumber } from './id-number.ts';
import { CLASSES, KEY_CHAINS, chainsOf, industryFacts } from './industries.ts';
import { classifySize } from './size-class.ts';
import { USCC_CATEGORIES, makeUscc, validateUscc } from './uscc.ts';

const dict = liaochengDictionary();

describe('derived facts fit the dictionary', () => {
  it('industry facts, size class and key chain of every class', () => {
    for (const c of CLASSES) {
      const size = classifySize({ industry: c.code, employees: 50, revenue: 800, assets: 900 }).size;
      const facts = { ...industryFacts(c.code), ...(size ? { size_class: size } : {}), ...(chainsOf(c.code)[0] ? { key_chain: chainsOf(c.code)[0] } : {}) };
      expect(normalizeFacts(dict, 'enterprise', facts).errors, c.code).toEqual([]);
    }
    expect(Object.keys(KEY_CHAINS)).toHaveLength(12);
  });

  it('USCC facts of every category', () => {
    for (const category of Object.keys(USCC_CATEGORIES)) {
      const code = makeUscc({ category, region: '371522', body: 'MA3C5K7Q' });
      const f = validateUscc(code).facts!;
      const { errors } = normalizeFacts(dict, 'enterprise', { uscc: code, legal_form: f.legal_form, region: f.region });
      expect(errors, category).toEqual([]);
    }
  });

  it('ID number facts, including the historical 茌平县 code', () => {
    for (const region of ['371502', '371503', '371523', '371581']) {
      const f = validateIdNumber(makeIdNumber(region, '1950-02-28', 7), '2025-06-30').facts!;
      const { errors, entity } = normalizeFacts(dict, 'person', { birth_date: f.birth_date, sex: f.sex, hukou_region: f.address_code });
      expect(errors, region).toEqual([]);
      expect(entity.facts.sex).toBe('m');
    }
  });
});
