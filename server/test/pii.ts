// Finds personal data in text the suite produced: 18-character 身份证号 whose check
// character is right (GB 11643), and mainland mobile numbers (1[3-9] and nine digits).
import { idCheckChar } from '@kx/data';

const ID_CANDIDATE = /(?<![0-9A-Za-z])(\d{17})([\dXx])(?![0-9A-Za-z])/g;
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

export interface PersonalDataHit {
  kind: 'id_number' | 'phone';
  /** The value with its middle masked, so that the report itself leaks nothing. */
  masked: string;
  index: number;
}

const mask = (v: string) => `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}`;

export function findPersonalData(text: string): PersonalDataHit[] {
  const hits: PersonalDataHit[] = [];
  for (const m of text.matchAll(ID_CANDIDATE))
    if (idCheckChar(m[1]) === m[2].toUpperCase()) hits.push({ kind: 'id_number', masked: mask(m[0]), index: m.index });
  for (const m of text.matchAll(PHONE)) hits.push({ kind: 'phone', masked: mask(m[0]), index: m.index });
  return hits;
}
