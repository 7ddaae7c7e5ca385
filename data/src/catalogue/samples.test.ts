import { describe, expect, it } from 'vitest';
import { normalizeFacts } from '@kx/engine';
import { liaochengDictionary } from '../dictionary/dictionary.ts';
import { validateIdNumber } from '../codes/id-number.ts';
import { validateUscc } from '../codes/uscc.ts';
import { DEMO_PROFILES } from './samples.ts';

describe('demo profiles', () => {
  it('are valid facts with valid identifiers', () => {
    for (const p of DEMO_PROFILES) {
      expect(normalizeFacts(liaochengDictionary(), p.kind, p.facts).errors).toEqual([]);
      if (p.kind === 'person') expect(validateIdNumber(String(p.facts.id_number), '2025-06-30').valid).toBe(true);
      else expect(validateUscc(String(p.facts.uscc)).valid).toBe(true);
    }
  });
});
