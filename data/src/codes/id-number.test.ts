import fc from 'fast-check';
import { formatDate } from '@kx/engine';
import { describe, expect, it } from 'vitest';
import { idCheckChar, isValidIdNumber, makeIdNumber, upgradeId15, validateIdNumber } from './id-number.ts';

const AS_OF = '2025-06-30';

describe('test vectors of domain.md §2.2', () => {
  it('11010519491231002X: the standard’s own example, check X, female', () => {
    const r = validateIdNumber('11010519491231002X', AS_OF);
    expect(r.valid).toBe(true);
    expect(r.facts).toMatchObject({ birth_date: '1949-12-31', sex: 'f', address_code: '110105' });
    expect(idCheckChar('11010519491231002')).toBe('X');
  });

  it('440524188001010014 is valid (born 1880)', () => {
    expect(validateIdNumber('440524188001010014', AS_OF).facts).toMatchObject({ birth_date: '1880-01-01', sex: 'm' });
  });

  it('371502198001010018 is a man from 东昌府区', () => {
    expect(validateIdNumber('371502198001010018', AS_OF)).toMatchObject({
      valid: true,
      facts: { birth_date: '1980-01-01', sex: 'm', address_code: '371502', address_name: '东昌府区' },
    });
  });

  it('371526199003150028 is a woman from 高唐县', () => {
    expect(validateIdNumber('371526199003150028', AS_OF).facts).toMatchObject({ sex: 'f', birth_date: '1990-03-15', address_name: '高唐县' });
  });

  it('accepts a lower-case x', () => {
    expect(validateIdNumber('11010519491231002x', AS_OF)).toMatchObject({ valid: true, number: '11010519491231002X' });
  });
});

describe('failures are explained', () => {
  it('names the expected check character', () => {
    const r = validateIdNumber('371502198001010019', AS_OF);
    expect(r.valid).toBe(false);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'CHECK', expected: '8', actual: '9' })]);
    expect(r.problems[0].message).toBe('校验位应为 "8"，实际为 "9" / check character should be "8", got "9"');
    expect(r.facts?.sex).toBe('m');
  });

  it('rejects a birth date that is not a real day', () => {
    const id = '371502198002300016';
    const r = validateIdNumber(id.slice(0, 17) + idCheckChar(id.slice(0, 17)), AS_OF);
    expect(r.problems.map((p) => p.code)).toEqual(['BIRTH_DATE']);
    expect(r.problems[0].message).toContain('19800230');
    expect(r.facts).toBeUndefined();
    expect(isValidIdNumber(makeIdNumber('371502', '2000-02-29', 1), AS_OF)).toBe(true);
    const notLeap = '371502190002290011';
    expect(validateIdNumber(notLeap.slice(0, 17) + idCheckChar(notLeap.slice(0, 17)), AS_OF).problems[0].code).toBe('BIRTH_DATE');
  });

  it('judges a future birth date against asOf, not a clock', () => {
    const id = makeIdNumber('371502', '2025-07-01', 12);
    expect(validateIdNumber(id, '2025-06-30').problems.map((p) => p.code)).toEqual(['FUTURE_BIRTH']);
    expect(validateIdNumber(id, '2025-07-01').valid).toBe(true);
    expect(() => validateIdNumber(id, '2025-13-01')).toThrow(/核验日期/);
  });

  it('rejects bad length, characters and address codes', () => {
    expect(validateIdNumber('37150219800101001', AS_OF).problems[0].code).toBe('FORMAT');
    expect(validateIdNumber('3715021980010100A8', AS_OF).problems[0].code).toBe('FORMAT');
    expect(validateIdNumber('', AS_OF).problems[0].code).toBe('EMPTY');
    expect(validateIdNumber(makeIdNumber('991502', '1980-01-01', 1), AS_OF).problems[0].code).toBe('ADDRESS');
  });
});

describe('historical address codes and 15-digit numbers', () => {
  it('accepts 371523 茌平县, deprecated in 2019', () => {
    expect(validateIdNumber(makeIdNumber('371523', '1975-05-05', 33), AS_OF)).toMatchObject({
      valid: true,
      facts: { address_code: '371523', address_name: '茌平县', address_historical: true },
    });
  });

  it('upgrades a 15-digit number by inserting 19 and computing the check', () => {
    expect(upgradeId15('371502800101001')).toBe('371502198001010018');
    const r = validateIdNumber('371502800101001', AS_OF);
    expect(r).toMatchObject({ valid: true, upgraded: true, number: '371502198001010018', facts: { birth_date: '1980-01-01' } });
    expect(validateIdNumber('371502801301001', AS_OF).problems[0].code).toBe('BIRTH_DATE');
    expect(() => upgradeId15('37150280010100')).toThrow(/15 位/);
  });
});

describe('generator and properties', () => {
  const region = fc.constantFrom('371500', '371502', '371503', '371521', '371522', '371523', '371524', '371525', '371526', '371581');
  // 1900-01-01 .. 2025-06-30 as days since 1970-01-01.
  const birth = fc.integer({ min: -25567, max: 20269 }).map(formatDate);
  const seq = fc.integer({ min: 0, max: 999 });

  it('generated numbers validate and give back birth date and sex', () => {
    fc.assert(
      fc.property(region, birth, seq, (r, b, s) => {
        const res = validateIdNumber(makeIdNumber(r, b, s), AS_OF);
        return res.valid && res.facts!.birth_date === b && res.facts!.sex === (s % 2 === 1 ? 'm' : 'f') && res.facts!.address_code === r;
      }),
    );
  });

  it('any single-digit change is detected', () => {
    fc.assert(
      fc.property(region, birth, seq, fc.nat(17), fc.constantFrom(...'0123456789X'), (r, b, s, pos, c) => {
        const id = makeIdNumber(r, b, s);
        fc.pre(id[pos] !== c);
        return !isValidIdNumber(id.slice(0, pos) + c + id.slice(pos + 1), AS_OF);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses bad generator input', () => {
    expect(() => makeIdNumber('37150', '1980-01-01', 1)).toThrow(/地址码/);
    expect(() => makeIdNumber('371502', '1980-02-30', 1)).toThrow(/出生日期/);
    expect(() => makeIdNumber('371502', '1980-01-01', 1000)).toThrow(/顺序码/);
  });
});
