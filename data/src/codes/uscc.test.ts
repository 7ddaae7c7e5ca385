import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  USCC_CHARSET,
  completeUscc,
  isValidUscc,
  makeUscc,
  orgCheckChar,
  usccCheckChar,
  usccFromSerial,
  validateUscc,
} from './uscc.ts';

describe('test vectors of domain.md §2.1', () => {
  it.each(['91350200MA2YJ1XR9G', '913502000728319549', '91371500MA3C5K7Q26'])('%s is valid', (code) => {
    const r = validateUscc(code);
    expect(r.problems).toEqual([]);
    expect(r.valid && r.accepted && !r.flagged).toBe(true);
  });

  it('computes the worked example: body MA3C5K7Q → 2, then 6', () => {
    expect(orgCheckChar('MA3C5K7Q')).toBe('2');
    expect(usccCheckChar('91371500MA3C5K7Q2')).toBe('6');
    expect(completeUscc('91371500MA3C5K7Q')).toBe('91371500MA3C5K7Q26');
    expect(orgCheckChar('MA2YJ1XR')).toBe('9');
    expect(usccCheckChar('91350200MA2YJ1XR9')).toBe('G');
  });

  it('rejects 91350203M0001QAY9B and names the expected check character', () => {
    const r = validateUscc('91350203M0001QAY9B');
    expect(r.valid).toBe(false);
    expect(r.accepted).toBe(false);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: 'CHECK', position: 18, expected: '9', actual: 'B' });
    expect(r.problems[0].message).toBe('校验位应为 "9"，实际为 "B" / check character should be "9", got "B"');
  });

  it('keeps but flags that record when it arrives from the registry feed', () => {
    const r = validateUscc('91350203M0001QAY9B', { lenient: true });
    expect(r).toMatchObject({ valid: false, accepted: true, flagged: true });
    expect(r.facts?.region).toBe('350203');
  });
});

describe('explaining failures', () => {
  it('reports a wrong org-code check character at position 17', () => {
    const r = validateUscc('91371500MA3C5K7Q36');
    const org = r.problems.find((p) => p.code === 'ORG_CHECK');
    expect(org).toMatchObject({ position: 17, expected: '2', actual: '3' });
    expect(org?.message).toContain('第 17 位');
  });

  it('reports letters the code does not use, and non-digits in the region', () => {
    const r = validateUscc('91371500MA3C5K7QI6');
    expect(r.problems).toEqual([expect.objectContaining({ code: 'CHARSET', position: 17, actual: 'I' })]);
    expect(r.problems[0].message).toMatch(/不使用 I、O、S、V、Z/);
    expect(validateUscc('9137A500MA3C5K7Q26').problems[0]).toMatchObject({ code: 'REGION_FORMAT', position: 5 });
    for (const bad of ['O', 'S', 'V', 'Z']) expect(validateUscc(`91371500MA3C5K7Q2${bad}`).valid).toBe(false);
  });

  it('reports the length, and rejects malformed codes even in lenient mode', () => {
    expect(validateUscc('91371500MA3C5K7Q2').problems[0]).toMatchObject({ code: 'LENGTH' });
    expect(validateUscc('91371500MA3C5K7Q2', { lenient: true }).accepted).toBe(false);
    expect(validateUscc('  ').problems[0].code).toBe('EMPTY');
  });

  it('accepts lower case and spaces from a form', () => {
    expect(validateUscc(' 91371500ma3c5k7q26 ').valid).toBe(true);
    expect(validateUscc('913715 00MA3C5K7Q26').code).toBe('91371500MA3C5K7Q26');
  });
});

describe('derived facts', () => {
  it('derives authority, category, legal form, region and org code', () => {
    expect(validateUscc('91371500MA3C5K7Q26').facts).toEqual({
      authority: '9', authority_zh: '工商/市场监管', category: '91', category_zh: '企业', legal_form: 'company',
      region: '371500', region_name: '聊城市', org_code: 'MA3C5K7Q2',
    });
  });

  it.each([
    ['92', 'individual', '个体工商户'],
    ['93', 'cooperative', '农民专业合作社'],
    ['51', 'social_org', '社会团体'],
    ['52', 'social_org', '民办非企业单位'],
    ['53', 'social_org', '基金会'],
    ['12', 'institution', '事业单位'],
    ['11', 'other', '机关'],
    ['N2', 'other', '村级集体经济组织'],
  ])('category %s → %s', (category, legal, zh) => {
    const f = validateUscc(makeUscc({ category, region: '371522', body: 'MA3C5K7Q' })).facts!;
    expect(f.legal_form).toBe(legal);
    expect(f.category_zh).toBe(zh);
    expect(f.region_name).toBe('莘县');
  });
});

describe('generators', () => {
  it('makes distinct valid codes from serials', () => {
    const a = usccFromSerial('371502', 0);
    const b = usccFromSerial('371502', 1);
    expect(a).not.toBe(b);
    expect(isValidUscc(a) && isValidUscc(b)).toBe(true);
    expect(a.startsWith('91371502MA')).toBe(true);
    expect(() => usccFromSerial('371502', -1)).toThrow(/序号/);
    expect(() => completeUscc('91371500MA3C5K7')).toThrow(/前 16 位/);
  });

  const region = fc.constantFrom('371500', '371502', '371503', '371521', '371522', '371524', '371525', '371526', '371581');
  const first16 = fc
    .tuple(
      fc.constantFrom('91', '92', '93', '12', '51', '52', '53', 'N1', 'Y1'),
      region,
      fc.array(fc.constantFrom(...USCC_CHARSET), { minLength: 8, maxLength: 8 }),
    )
    .map(([cat, reg, body]) => cat + reg + body.join(''));

  it('every generated code validates', () => {
    fc.assert(fc.property(first16, (s) => validateUscc(completeUscc(s)).valid));
  });

  it('detects any single-character change', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    fc.assert(
      fc.property(first16, fc.nat(17), fc.constantFrom(...alphabet), (s, pos, c) => {
        const code = completeUscc(s);
        fc.pre(code[pos] !== c);
        const changed = code.slice(0, pos) + c + code.slice(pos + 1);
        return !validateUscc(changed).valid;
      }),
      { numRuns: 2000 },
    );
  });

  it('serials in range always produce valid, distinct codes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 31 ** 6 - 1 }), fc.integer({ min: 0, max: 31 ** 6 - 1 }), (m, n) => {
        fc.pre(m !== n);
        const a = usccFromSerial('371526', m);
        return isValidUscc(a) && a !== usccFromSerial('371526', n);
      }),
    );
  });
});
