// `region within [...]` as SQL. The region tree decides containment by GB/T 2260
// prefixes (370000 → "37", 371500 → "3715", towns by their full code) and functional
// zones by their member codes; the generator turns the listed ancestors into prefix
// lists compared with left(col, n) = ANY(...), one comparison per prefix length.
// A fact may itself be a zone code (e.g. "LC-JKQ"); whether a zone lies within an
// ancestor is asked of the tree directly, so both evaluators agree on every code.
import type { Dictionary } from '../dictionary/types.ts';
import { regionPrefix, type ZoneDef } from '../dictionary/dictionary.ts';
import { arrayLiteral as arrayText, type SqlParams } from './params.ts';

/** The zones a rule's `within` is generated against: the context's, else the tree's own. */
export type ZoneList = readonly Pick<ZoneDef, 'code' | 'members'>[];

export function zonesOf(dict: Dictionary, given: ZoneList | undefined): ZoneList {
  return given ?? dict.regions.zones();
}

/**
 * Is the region `col` within any of `ancestors`? NULL when `col` is NULL (every branch
 * compares `col` against a non-empty array, which yields NULL for NULL).
 */
export function withinSql(col: string, nullable: boolean, ancestors: readonly string[], dict: Dictionary, zones: ZoneList, p: SqlParams): string {
  const zoneByCode = new Map(zones.map((z) => [z.code, z]));
  const prefixes = new Set<string>();
  for (const a of ancestors) {
    const zone = zoneByCode.get(a);
    if (zone) for (const m of zone.members) prefixes.add(m);
    else prefixes.add(regionPrefix(a));
  }
  const zonesInside = zones.filter((z) => ancestors.some((a) => dict.regions.contains(a, z.code))).map((z) => z.code);

  const byLength = new Map<number, string[]>();
  for (const pre of prefixes) {
    if (pre === '') continue; // an empty prefix would match everything; no valid code has one
    const list = byLength.get(pre.length) ?? [];
    list.push(pre);
    byLength.set(pre.length, list);
  }
  const prefixTests = [...byLength.entries()]
    .sort(([a], [b]) => a - b)
    .map(([n, list]) => `left(${col}, ${n}) = ANY(${p.add(arrayText(list), 'text[]')})`);

  const parts: string[] = [];
  if (zonesInside.length) parts.push(`${col} = ANY(${p.add(arrayText(zonesInside), 'text[]')})`);
  if (prefixTests.length) {
    const prefixPart = prefixTests.length === 1 ? prefixTests[0] : `(${prefixTests.join(' OR ')})`;
    // A zone code is decided by the tree above, never by its spelling.
    parts.push(zones.length ? `(NOT (${col} = ANY(${p.add(arrayText(zones.map((z) => z.code)), 'text[]')})) AND ${prefixPart})` : prefixPart);
  }
  if (!parts.length) return nullable ? `(CASE WHEN ${col} IS NOT NULL THEN FALSE END)` : 'FALSE';
  return parts.length === 1 ? `(${parts[0]})` : `(${parts.join(' OR ')})`;
}
