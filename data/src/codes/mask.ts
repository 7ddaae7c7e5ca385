// Display masking of personal information (domain.md §6). The server returns masked values
// by default; these functions are the one place the conventions live. A value that does not
// look like what the function expects is masked whole rather than shown.
import { REGIONS } from './regions.ts';

const stars = (n: number): string => '*'.repeat(Math.max(0, n));

/**
 * ID number: keep the first 6 and last 4 (the common government style, 371502********0018),
 * or Hutool's default of first 1 and last 2 (3***************18).
 */
export function maskIdNumber(id: string, style: 'gov' | 'hutool' = 'gov'): string {
  const s = id.replace(/\s+/g, '');
  const [head, tail] = style === 'gov' ? [6, 4] : [1, 2];
  if (s.length <= head + tail) return stars(s.length);
  return s.slice(0, head) + stars(s.length - head - tail) + s.slice(-tail);
}

/** Mobile number: 3 + 4 (138****1234). A +86 / 86 prefix is dropped. */
export function maskPhone(phone: string): string {
  let s = phone.replace(/[\s-]/g, '');
  const intl = /^\+?86(1\d{10})$/.exec(s);
  if (intl) s = intl[1];
  if (s.length < 8) return stars(s.length);
  return s.slice(0, 3) + stars(s.length - 7) + s.slice(-4);
}

// Two-character surnames, kept whole so 欧阳娜娜 becomes 欧阳** rather than 欧***.
const COMPOUND_SURNAMES = [
  '欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '夏侯', '令狐', '长孙', '宇文',
  '司徒', '端木', '轩辕', '南宫', '西门', '澹台', '百里', '呼延', '独孤', '申屠', '闻人', '万俟', '单于',
];

/** Name: surname only (李** for 李小明). */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  const keep = chars.length > 2 && COMPOUND_SURNAMES.includes(chars.slice(0, 2).join('')) ? 2 : 1;
  if (chars.length === 1) return '*';
  return chars.slice(0, keep).join('') + stars(chars.length - keep);
}

/** Bank card: first 4 and last 4, in groups of four (6228 **** **** 8888). */
export function maskBankCard(card: string): string {
  const s = card.replace(/[\s-]/g, '');
  if (s.length <= 8) return stars(s.length);
  const hidden = stars(s.length - 8).replace(/(\*{4})(?=\*)/g, '$1 ');
  return `${s.slice(0, 4)} ${hidden} ${s.slice(-4)}`;
}

// Names the address may start with, longest first so 东昌府区 wins over a shorter prefix.
const KNOWN_PLACES = REGIONS.filter((r) => r.level !== 'town').sort((a, b) => b.name.length - a.name.length);
// Name characters of each level exclude the suffixes of lower levels and street words, so a
// match can never run past the county into a street, a market or a 小区.
const nameChars = (exclude: string) => `(?:(?![${exclude}])[\\u4e00-\\u9fa5])`;
const GENERIC_LEVELS = [
  new RegExp(`^${nameChars('省市县区镇乡村路街号')}{2,7}?(?:省|自治区)`),
  new RegExp(`^${nameChars('市县区镇乡村路街号')}{2,9}?(?:市|自治州|地区|盟)`),
  new RegExp(`^${nameChars('市县区镇乡村路街号')}{1,8}?(?:区|县|市|旗)`),
];

/**
 * Address: shown down to the district or county (山东省聊城市东昌府区****). Known names of
 * 聊城 are matched first; elsewhere the province / prefecture / county suffixes are used.
 * With no recognisable district the whole address is hidden.
 */
export function maskAddress(address: string): string {
  const s = address.replace(/\s+/g, '');
  let kept = '';
  let reachedCounty = false;
  for (let progress = true; progress && !reachedCounty; ) {
    progress = false;
    const rest = s.slice(kept.length);
    const known = KNOWN_PLACES.find((r) => rest.startsWith(r.name));
    if (known) {
      kept += known.name;
      progress = true;
      reachedCounty = known.level === 'county' || known.level === 'zone';
    }
  }
  if (!reachedCounty) {
    // Province and prefecture levels are optional; the county level must be there.
    let pos = kept.length;
    for (const [i, re] of GENERIC_LEVELS.entries()) {
      const m = re.exec(s.slice(pos));
      if (m) {
        pos += m[0].length;
        if (i === 2) reachedCounty = true;
      }
    }
    if (reachedCounty) kept = s.slice(0, pos);
  }
  if (!reachedCounty) return '****';
  return kept.length < s.length ? `${kept}****` : kept;
}
