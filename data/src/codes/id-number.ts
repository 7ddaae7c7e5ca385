// 公民身份号码 (GB 11643-1999), as domain.md §2.2 gives it: address code, birth date,
// sequence (odd = male), check character. The address code is fixed at issue and never
// changes, so historical codes such as 371523 茌平县 are accepted. Whether a birth date
// lies in the future is judged against an `asOf` date the caller passes: no clock here.
import { formatDate, parseDate } from '@kx/engine';
import { REGION_BY_CODE } from './regions.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** S mod 11 = 0..10 maps to these check characters. */
const CHECK_CHARS = '10X98765432';

/** First two digits of every province-level code (GB/T 2260), including 71/81/82 and 83 (台湾居民居住证). */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43',
  '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]);

export type IdProblemCode = 'EMPTY' | 'FORMAT' | 'ADDRESS' | 'BIRTH_DATE' | 'FUTURE_BIRTH' | 'CHECK';

export interface IdProblem {
  code: IdProblemCode;
  expected?: string;
  actual?: string;
  message: string;
}

export interface IdFacts {
  /** YYYY-MM-DD. */
  birth_date: string;
  sex: 'm' | 'f';
  address_code: string;
  address_name?: string;
  /** The address code is no longer an administrative unit (still valid in ID numbers). */
  address_historical?: boolean;
}

export interface IdResult {
  /** The 18-character number: upper-case X, a 15-digit number upgraded. */
  number: string;
  valid: boolean;
  /** The input had 15 digits and was upgraded (19 inserted, check computed). */
  upgraded: boolean;
  problems: IdProblem[];
  /** Present when the address and birth date are sound, even if the check character fails. */
  facts?: IdFacts;
}

const problem = (code: IdProblemCode, zh: string, en: string, extra: Partial<IdProblem> = {}): IdProblem => ({
  code, ...extra, message: `${zh} / ${en}`,
});

/** Check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17))
    throw new Error(`应为 17 位数字，实际为 "${first17}" / expected 17 digits, got "${first17}"`);
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[s % 11];
}

/** 15-digit legacy number → 18 digits: insert 19 after the address code, compute the check. */
export function upgradeId15(id15: string): string {
  if (!/^\d{15}$/.test(id15))
    throw new Error(`15 位身份号码应为 15 位数字，实际为 "${id15}" / a 15-digit ID number must be 15 digits, got "${id15}"`);
  const first17 = id15.slice(0, 6) + '19' + id15.slice(6);
  return first17 + idCheckChar(first17);
}

function toDay(asOf: string | number): number {
  if (typeof asOf === 'number') return asOf;
  const d = parseDate(asOf);
  if (d === undefined) throw new Error(`核验日期 "${asOf}" 不是 YYYY-MM-DD 日期 / as-of date "${asOf}" is not a YYYY-MM-DD date`);
  return d;
}

/**
 * Validates an 18-digit (or legacy 15-digit) 公民身份号码 as of the given date
 * (YYYY-MM-DD or days since 1970-01-01) and derives birth date, sex and address code.
 */
export function validateIdNumber(input: string, asOf: string | number): IdResult {
  const today = toDay(asOf);
  const raw = input.replace(/\s+/g, '').toUpperCase();
  if (raw === '') return { number: raw, valid: false, upgraded: false, problems: [problem('EMPTY', '身份号码为空', 'the ID number is empty')] };
  const upgraded = /^\d{15}$/.test(raw);
  const number = upgraded ? upgradeId15(raw) : raw;
  if (!/^\d{17}[\dX]$/.test(number))
    return {
      number, valid: false, upgraded, problems: [problem('FORMAT', `身份号码应为 18 位（前 17 位为数字，末位为数字或 X）或 15 位数字，实际为 "${raw}"（${raw.length} 位）`,
        `an ID number has 18 characters (17 digits, then a digit or X) or 15 digits, got "${raw}" (${raw.length} characters)`)],
    };

  const problems: IdProblem[] = [];
  const address = number.slice(0, 6);
  if (!PROVINCES.has(address.slice(0, 2)))
    problems.push(problem('ADDRESS', `地址码 "${address}" 的前两位不是省级行政区划代码`, `address code "${address}" does not start with a province code`, { actual: address }));
  const ymd = number.slice(6, 14);
  const birth = parseDate(`${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`);
  if (birth === undefined)
    problems.push(problem('BIRTH_DATE', `出生日期 "${ymd}" 不是真实日期`, `birth date "${ymd}" is not a real date`, { actual: ymd }));
  else if (birth > today)
    problems.push(problem('FUTURE_BIRTH', `出生日期 ${formatDate(birth)} 晚于核验日期 ${formatDate(today)}`,
      `birth date ${formatDate(birth)} is after the as-of date ${formatDate(today)}`, { actual: formatDate(birth) }));
  const check = idCheckChar(number.slice(0, 17));
  if (number[17] !== check)
    problems.push(problem('CHECK', `校验位应为 "${check}"，实际为 "${number[17]}"`, `check character should be "${check}", got "${number[17]}"`,
      { expected: check, actual: number[17] }));

  const sound = !problems.some((p) => p.code === 'ADDRESS' || p.code === 'BIRTH_DATE');
  const region = REGION_BY_CODE.get(address);
  const facts: IdFacts | undefined = sound
    ? {
        birth_date: formatDate(birth as number),
        sex: Number(number[16]) % 2 === 1 ? 'm' : 'f',
        address_code: address,
        ...(region ? { address_name: region.name } : {}),
        ...(region?.historical ? { address_historical: true } : {}),
      }
    : undefined;
  return { number, valid: problems.length === 0, upgraded, problems, ...(facts ? { facts } : {}) };
}

export function isValidIdNumber(input: string, asOf: string | number): boolean {
  return validateIdNumber(input, asOf).valid;
}

/**
 * A valid 18-digit number for a 6-digit address code, a YYYY-MM-DD birth date and a
 * sequence 0–999 (odd = male, even = female).
 */
export function makeIdNumber(region6: string, birthDate: string, seq: number): string {
  if (!/^\d{6}$/.test(region6))
    throw new Error(`地址码应为 6 位数字，实际为 "${region6}" / address code must be 6 digits, got "${region6}"`);
  const day = parseDate(birthDate);
  if (day === undefined)
    throw new Error(`出生日期 "${birthDate}" 不是 YYYY-MM-DD 日期 / birth date "${birthDate}" is not a YYYY-MM-DD date`);
  if (!Number.isInteger(seq) || seq < 0 || seq > 999)
    throw new Error(`顺序码应为 0 到 999 的整数，实际为 ${seq} / sequence must be an integer from 0 to 999, got ${seq}`);
  const first17 = region6 + birthDate.replace(/-/g, '') + String(seq).padStart(3, '0');
  return first17 + idCheckChar(first17);
}
