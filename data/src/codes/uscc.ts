// 统一社会信用代码 (GB 32100-2015), exactly as domain.md §2.1 gives it: an 18-character
// code whose 17th character checks the 组织机构代码 body (GB 11714) and whose 18th checks
// the first 17. User input that fails is rejected; registry feeds (市场监管) run in lenient
// mode, where a wrong check character is flagged but the record is kept, because the
// registry is the authority on which codes exist.
import { REGION_BY_CODE } from './regions.ts';

/** The 31 symbols of the code, by value 0–30. I, O, S, V and Z are not used. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const USCC_RE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const W18 = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const W_ORG = [3, 7, 9, 10, 5, 8, 4, 2];

/** 登记管理部门代码 (position 1). */
export const USCC_AUTHORITIES: Record<string, string> = {
  '1': '机构编制', '2': '外交', '3': '司法行政', '4': '文化', '5': '民政', '6': '旅游', '7': '宗教',
  '8': '工会', '9': '工商/市场监管', A: '中央军委改革和编制办', N: '农业', Y: '其他',
};

/** 机构类别 (positions 1–2) and the legal_form each implies. */
export const USCC_CATEGORIES: Record<string, { zh: string; legal_form: string }> = {
  '11': { zh: '机关', legal_form: 'other' },
  '12': { zh: '事业单位', legal_form: 'institution' },
  '13': { zh: '编办直管群团', legal_form: 'other' },
  '19': { zh: '其他（机构编制）', legal_form: 'other' },
  '51': { zh: '社会团体', legal_form: 'social_org' },
  '52': { zh: '民办非企业单位', legal_form: 'social_org' },
  '53': { zh: '基金会', legal_form: 'social_org' },
  '91': { zh: '企业', legal_form: 'company' },
  '92': { zh: '个体工商户', legal_form: 'individual' },
  '93': { zh: '农民专业合作社', legal_form: 'cooperative' },
  N1: { zh: '组级集体经济组织', legal_form: 'other' },
  N2: { zh: '村级集体经济组织', legal_form: 'other' },
  N3: { zh: '乡镇级集体经济组织', legal_form: 'other' },
  Y1: { zh: '其他', legal_form: 'other' },
};

export type UsccProblemCode = 'EMPTY' | 'LENGTH' | 'CHARSET' | 'REGION_FORMAT' | 'ORG_CHECK' | 'CHECK';

export interface UsccProblem {
  code: UsccProblemCode;
  /** 1-based position of the offending character, when there is one. */
  position?: number;
  expected?: string;
  actual?: string;
  message: string;
}

export interface UsccFacts {
  authority: string;
  authority_zh: string;
  category: string;
  category_zh: string;
  /** legal_form enum code derived from the category. */
  legal_form: string;
  /** 登记管理机关行政区划码, positions 3–8. */
  region: string;
  region_name?: string;
  /** 主体标识码 (组织机构代码), positions 9–17. */
  org_code: string;
}

export interface UsccResult {
  /** The code as checked: whitespace removed, upper case. */
  code: string;
  /** Every rule of GB 32100 holds. */
  valid: boolean;
  /** The record may be kept: valid, or (lenient) only a check character is wrong. */
  accepted: boolean;
  /** Accepted although a check character is wrong; show it to a clerk. */
  flagged: boolean;
  problems: UsccProblem[];
  /** Present when the structure is sound (length, charset), even if a check fails. */
  facts?: UsccFacts;
}

const problem = (code: UsccProblemCode, zh: string, en: string, extra: Partial<UsccProblem> = {}): UsccProblem => ({
  code, ...extra, message: `${zh} / ${en}`,
});

/** Value of a 组织机构代码 body character: digits 0–9, letters A=10 … Z=35. */
function orgValue(c: string): number {
  return /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
}

/** Check character (position 17) of an 8-character 组织机构代码 body. */
export function orgCheckChar(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8))
    throw new Error(`组织机构代码本体应为 8 位数字或大写字母，实际为 "${body8}" / organisation code body must be 8 digits or capital letters, got "${body8}"`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += orgValue(body8[i]) * W_ORG[i];
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

/** Check character (position 18) of the first 17 characters. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17 || [...first17].some((c) => !USCC_CHARSET.includes(c)))
    throw new Error(`应为代码字符集中的 17 个字符，实际为 "${first17}" / expected 17 characters of the code charset, got "${first17}"`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * W18[i];
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

function factsOf(code: string): UsccFacts {
  const authority = code[0];
  const category = code.slice(0, 2);
  const cat = USCC_CATEGORIES[category];
  const region = code.slice(2, 8);
  const regionName = REGION_BY_CODE.get(region)?.name;
  return {
    authority,
    authority_zh: USCC_AUTHORITIES[authority] ?? '未列明',
    category,
    category_zh: cat?.zh ?? '未列明的机构类别',
    legal_form: cat?.legal_form ?? 'other',
    region,
    ...(regionName ? { region_name: regionName } : {}),
    org_code: code.slice(8, 17),
  };
}

function structureProblems(code: string): UsccProblem[] {
  if (code === '') return [problem('EMPTY', '统一社会信用代码为空', 'the unified social credit code is empty')];
  const out: UsccProblem[] = [];
  if (code.length !== 18)
    out.push(problem('LENGTH', `统一社会信用代码应为 18 位，实际为 ${code.length} 位`, `the code must have 18 characters, got ${code.length}`));
  [...code].forEach((c, i) => {
    if (i >= 2 && i <= 7) {
      if (!/\d/.test(c))
        out.push(problem('REGION_FORMAT', `第 ${i + 1} 位应为数字（第 3–8 位是登记管理机关行政区划码），实际为 "${c}"`,
          `position ${i + 1} must be a digit (positions 3–8 are the registration region code), got "${c}"`, { position: i + 1, actual: c }));
    } else if (!USCC_CHARSET.includes(c)) {
      out.push(problem('CHARSET', `第 ${i + 1} 位字符 "${c}" 不在代码字符集中（不使用 I、O、S、V、Z）`,
        `character "${c}" at position ${i + 1} is not in the code charset (I, O, S, V and Z are not used)`, { position: i + 1, actual: c }));
    }
  });
  return out;
}

/**
 * Validates a 统一社会信用代码 and derives its facts. With `lenient` (registry feeds),
 * a wrong check character is flagged instead of rejected; a malformed code is always rejected.
 */
export function validateUscc(input: string, opts: { lenient?: boolean } = {}): UsccResult {
  const code = input.replace(/\s+/g, '').toUpperCase();
  const structural = structureProblems(code);
  if (structural.length > 0 || !USCC_RE.test(code))
    return { code, valid: false, accepted: false, flagged: false, problems: structural };
  const problems: UsccProblem[] = [];
  const org = orgCheckChar(code.slice(8, 16));
  if (code[16] !== org)
    problems.push(problem('ORG_CHECK', `组织机构代码校验位（第 17 位）应为 "${org}"，实际为 "${code[16]}"`,
      `organisation code check character (position 17) should be "${org}", got "${code[16]}"`, { position: 17, expected: org, actual: code[16] }));
  const check = usccCheckChar(code.slice(0, 17));
  if (code[17] !== check)
    problems.push(problem('CHECK', `校验位应为 "${check}"，实际为 "${code[17]}"`,
      `check character should be "${check}", got "${code[17]}"`, { position: 18, expected: check, actual: code[17] }));
  const valid = problems.length === 0;
  const accepted = valid || opts.lenient === true;
  return { code, valid, accepted, flagged: accepted && !valid, problems, facts: factsOf(code) };
}

export function isValidUscc(input: string): boolean {
  return validateUscc(input).valid;
}

/** Appends both check characters to positions 1–16 (authority, category, region, 8-char body). */
export function completeUscc(first16: string): string {
  const s = first16.toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{8}$/.test(s))
    throw new Error(`应为统一社会信用代码前 16 位（类别 2 位、区划 6 位数字、主体 8 位），实际为 "${first16}" / expected the first 16 characters of a code (2 category, 6-digit region, 8 body), got "${first16}"`);
  const first17 = s + orgCheckChar(s.slice(8, 16));
  return first17 + usccCheckChar(first17);
}

/** Builds a code from its parts (category defaults to 91 企业); both check characters are computed. */
export function makeUscc(parts: { category?: string; region: string; body: string }): string {
  return completeUscc(`${parts.category ?? '91'}${parts.region}${parts.body}`);
}

/**
 * A synthetic code for the n-th entity of a region: body "MA" + n in base 31 over the
 * code charset (the shape of post-2015 market-registry codes). Distinct n give distinct codes.
 */
export function usccFromSerial(region: string, n: number, category = '91'): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 31 ** 6)
    throw new Error(`序号应为 0 到 ${31 ** 6 - 1} 的整数，实际为 ${n} / serial must be an integer from 0 to ${31 ** 6 - 1}, got ${n}`);
  let body = '';
  for (let k = 0, v = n; k < 6; k++, v = Math.floor(v / 31)) body = USCC_CHARSET[v % 31] + body;
  return makeUscc({ category, region, body: 'MA' + body });
}
