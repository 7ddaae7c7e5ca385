import { describe, expect, it } from 'vitest';
import { completeUscc, liaochengDictionary, makeIdNumber } from '@kx/data';
import { createFieldCrypto } from '../../crypto/fields.ts';
import { maskValue, seal, unseal } from './sensitive.ts';
import { validateRecord } from './validate.ts';

const dict = liaochengDictionary();
const crypto = createFieldCrypto(Buffer.alloc(32, 3));
const opts = { source: 'hrss', asOf: '2025-06-30' };
const ID = makeIdNumber('371502', '1980-05-17', 123);
const USCC = completeUscc('92371525MA3CXY7Q');
const wrongCheck = (code: string) => code.slice(0, -1) + (code.endsWith('1') ? '2' : '1');

describe('validating a record', () => {
  it('derives birth date and sex from the ID number, and legal form and region from the credit code', () => {
    const p = validateRecord(dict, crypto, { kind: 'person', facts: { id_number: ID, name: '王小明' } }, opts);
    expect(p.issues).toEqual([]);
    expect(p.record).toMatchObject({ kind: 'person', key: ID, facts: { id_number: ID, name: '王小明' }, derived: { birth_date: '1980-05-17', sex: 'm' } });
    const e = validateRecord(dict, crypto, { kind: 'enterprise', key: USCC.toLowerCase(), facts: { legal_form: 'company' } }, opts);
    expect(e.record).toMatchObject({ key: USCC, facts: { uscc: USCC, legal_form: 'company' }, derived: { region: '371525' } });
    expect(e.record!.derived).not.toHaveProperty('legal_form'); // given, so not derived
  });

  it('finds the same entity whatever the key looks like, and never mixes enterprises and persons', () => {
    const a = validateRecord(dict, crypto, { kind: 'person', key: ` ${ID.toLowerCase()} `, facts: {} }, opts).record!;
    const b = validateRecord(dict, crypto, { kind: 'person', facts: { id_number: ID } }, opts).record!;
    expect(a.keyHash).toBe(b.keyHash);
    expect(a.keyHash).not.toContain(ID);
  });

  it('names the field, the value and why for every kind of mistake', () => {
    const r = validateRecord(dict, crypto, { kind: 'enterprise', key: USCC, facts: { employes: 3, employees: 'many', registered_on: '2024-02-30', size_class: 'huge', id_number: ID } }, opts);
    expect(r.record).toBeUndefined();
    const byField = Object.fromEntries(r.issues.map((i) => [i.field, i.message]));
    expect(byField.employes).toMatch(/未知字段.*unknown field/);
    expect(byField.employees).toMatch(/整数.*integer/);
    expect(byField.registered_on).toMatch(/日期.*date/);
    expect(byField.size_class).toMatch(/代码表.*size_class/);
    expect(byField.id_number).toMatch(/不适用于企业/);
  });

  it('holds user input to the standard but flags a registry feed whose check character is wrong', () => {
    const bad = wrongCheck(USCC);
    const strict = validateRecord(dict, crypto, { kind: 'enterprise', key: bad, facts: {} }, opts);
    expect(strict.record).toBeUndefined();
    expect(strict.issues[0]).toMatchObject({ field: 'key', message: expect.stringContaining('校验位') });
    const registry = validateRecord(dict, crypto, { kind: 'enterprise', key: bad, facts: {} }, { ...opts, source: 'market' });
    expect(registry.record?.key).toBe(bad);
    expect(registry.issues).toEqual([expect.objectContaining({ warning: true, field: 'key' })]);
    const police = validateRecord(dict, crypto, { kind: 'person', facts: { id_number: wrongCheck(ID) } }, { ...opts, source: 'police' });
    expect(police.record).toBeDefined();
    expect(validateRecord(dict, crypto, { kind: 'person', facts: { id_number: wrongCheck(ID) } }, opts).record).toBeUndefined();
  });

  it('never repeats a personal value in its findings', () => {
    const r = validateRecord(dict, crypto, { kind: 'person', facts: { id_number: '37150219800517123', household_income_pc: '月入三千' } }, opts);
    const text = JSON.stringify(r.issues);
    expect(text).not.toContain('37150219800517123');
    expect(text).not.toContain('月入三千');
    expect(r.issues.find((i) => i.field === 'id_number')?.value).toBe('371502*******7123');
  });

  it('keeps a null as "the source says unknown", but only for a field the entity can have', () => {
    expect(validateRecord(dict, crypto, { kind: 'person', key: ID, facts: { dibao: null } }, opts).record?.facts).toMatchObject({ dibao: null });
    expect(validateRecord(dict, crypto, { kind: 'person', key: ID, facts: { revenue: null } }, opts).issues[0].field).toBe('revenue');
    expect(validateRecord(dict, crypto, { kind: 'robot', facts: {} }, opts).issues[0].field).toBe('kind');
  });
});

describe('personal values', () => {
  it('are sealed at rest and masked by their kind', () => {
    const id = dict.fields.get('id_number')!;
    const sealed = seal(crypto, id, ID);
    expect(JSON.stringify(sealed)).not.toContain(ID.slice(6, 14));
    expect(unseal(crypto, sealed)).toBe(ID);
    expect(seal(crypto, dict.fields.get('employees'), 5)).toBe(5);
    expect(maskValue(id, 'person', '371502198005171234')).toBe('371502********1234');
    expect(maskValue(dict.fields.get('name'), 'person', '王小明')).toBe('王**');
    expect(maskValue(dict.fields.get('name'), 'enterprise', '聊城佳宏建材股份有限公司')).toBe('聊城佳宏建材股份有限公司');
    expect(maskValue(dict.fields.get('household_income_pc'), 'person', 1403.81)).toBe('***');
  });
});
