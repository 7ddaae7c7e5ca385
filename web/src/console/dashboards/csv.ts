// CSV for spreadsheets (RFC 4180): fields with a comma, quote or line break are quoted, quotes
// doubled; lines end CRLF. A leading = + - @ is prefixed with ' so Excel does not run it as a
// formula (CSV injection) — dashboard labels come from policy titles anyone could write.
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
