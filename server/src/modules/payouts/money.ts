// Money as integer cents (bigint): amounts come from the database as numeric text and from
// bank files as text or spreadsheet numbers; they are compared and summed exactly.

/** "1234.5", "1,234.50", "¥1234.50" or a spreadsheet number → cents; undefined when not an amount. */
export function toCents(v: unknown): bigint | undefined {
  let s: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    s = v.toFixed(2);
  } else if (typeof v === 'string') s = v.trim().replace(/^[¥￥]/, '').replace(/,/g, '');
  else return undefined;
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return undefined;
  const cents = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

/** cents → "1234.50". */
export function formatCents(c: bigint): string {
  const neg = c < 0n;
  const a = neg ? -c : c;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

export function sumCents(amounts: string[]): bigint {
  let t = 0n;
  for (const a of amounts) t += toCents(a) ?? 0n;
  return t;
}
