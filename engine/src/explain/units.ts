// Units and amounts as readers expect them, in each language. No imports, so that the portal's
// first page can use it without pulling the engine in. 万 has no English word: "50 万元" is
// "500,000 yuan", never "50 10k yuan" (QA 8).
export type UnitLang = 'zh' | 'en';

// The units items pay in (amount_unit is free text in Chinese) and their English.
const UNIT_EN: Record<string, string> = {
  元: 'yuan', '元/月': 'yuan/month', '元/年': 'yuan/year', '元/户': 'yuan/household', '元/人': 'yuan/person', '元/次': 'yuan/time',
  '元/人/月': 'yuan/person/month', 万元: '10k yuan', 万美元: '10k US dollars', 个月: 'months', 年: 'years', 周岁: 'years', 人: 'persons', 亩: 'mu',
};
const TEN_THOUSANDS_EN: Record<string, string> = { 万元: 'yuan', 万美元: 'US dollars' };

/** An item's unit in a language: "元/月" → "yuan/month"; unknown units stay as written. */
export function unitText(zh: string, lang: UnitLang): string {
  return lang === 'zh' ? zh : (UNIT_EN[zh] ?? zh);
}

/** "500000.5" → "500,000.5" */
export function groupDigits(text: string): string {
  const [int, frac] = text.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

/** Exact decimal text × 10000: "1.25" → "12500", "-0.00005" → "-0.5". */
export function timesTenThousand(text: string): string {
  const neg = text.startsWith('-');
  const [int, frac = ''] = (neg ? text.slice(1) : text).split('.');
  const padded = frac.padEnd(4, '0');
  const whole = (int + padded.slice(0, 4)).replace(/^0+(?=\d)/, '');
  const rest = padded.slice(4).replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${rest ? `.${rest}` : ''}`;
}

/** An amount in 万 as English says it: ("50", "万元") → ("500000", "yuan"); other units unchanged. */
export function englishAmount(text: string, unitZh: string): { text: string; unit: string } {
  const tenK = TEN_THOUSANDS_EN[unitZh];
  return tenK ? { text: timesTenThousand(text), unit: tenK } : { text, unit: unitText(unitZh, 'en') };
}

/** A number with its unit: "50 万元", "500,000 yuan", "800 yuan/month", "1 month". */
export function quantityText(text: string, unit: { zh: string; en?: string }, lang: UnitLang): string {
  if (lang === 'en' && TEN_THOUSANDS_EN[unit.zh]) {
    const a = englishAmount(text, unit.zh);
    return `${groupDigits(a.text)} ${a.unit}`;
  }
  // An English unit given as '' means none (2025 年 is the year 2025, not "2025 years").
  const u = lang === 'zh' ? unit.zh : (unit.en ?? unitText(unit.zh, 'en'));
  if (!u) return text;
  // English units are plural nouns (persons, months, years): one of them is singular.
  return lang === 'en' && text === '1' && /[^s]s$/.test(u) ? `1 ${u.slice(0, -1)}` : `${text} ${u}`;
}
