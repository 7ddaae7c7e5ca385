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
 * Is the region `col` within any of `ancestors`? TRUE, FALSE, or NULL when `col` is NULL or
 * only overlaps an ancestor (then the answer may be NULL even for a column that never is).
 */
export function withinSql(col: string, ancestors: readonly string[], dict: Dictionary, zones: ZoneList, p: SqlParams): string {
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
  const hit = !parts.length ? 'FALSE' : parts.length === 1 ? `(${parts[0]})` : `(${parts.join(' OR ')})`;
  const maybe = overlapSql(col, ancestors, dict, zones, zoneByCode, p);
  // Unknown (NULL) when the region overlaps an ancestor without lying within it, as the tree's
  // `overlaps` says: a county asked about a zone inside it, a zone about one of its towns.
  return `(CASE WHEN ${col} IS NULL THEN NULL WHEN ${hit} THEN TRUE WHEN ${maybe} THEN NULL ELSE FALSE END)`;
}

/** GB/T 2260 prefix of a code column, as regionPrefix computes it. */
const prefixSql = (col: string) =>
  `(CASE WHEN ${col} ~ '^[0-9]{6}$' AND right(${col}, 4) = '0000' THEN left(${col}, 2) WHEN ${col} ~ '^[0-9]{6}$' AND right(${col}, 2) = '00' THEN left(${col}, 4) ELSE ${col} END)`;

/**
 * Does `col` overlap one of `ancestors` (the tree's `overlaps`)? A zone code: asked of the tree.
 * Another code c overlaps a prefix region a when c contains a, and a zone when c contains or
 * lies within one of its members.
 */
function overlapSql(col: string, ancestors: readonly string[], dict: Dictionary, zones: ZoneList, zoneByCode: Map<string, Pick<ZoneDef, 'code' | 'members'>>, p: SqlParams): string {
  const targets = new Set<string>(); // codes c may contain
  const within = new Set<string>(); // prefixes c may lie within (a zone's members)
  for (const a of ancestors) {
    const zone = zoneByCode.get(a);
    if (zone)
      for (const m of zone.members) {
        targets.add(m);
        within.add(regionPrefix(m));
      }
    else targets.add(a);
  }
  const parts: string[] = [];
  const zonesOverlapping = zones.filter((z) => ancestors.some((a) => dict.regions.overlaps(a, z.code))).map((z) => z.code);
  if (zonesOverlapping.length) parts.push(`${col} = ANY(${p.add(arrayText(zonesOverlapping), 'text[]')})`);
  const codeTests: string[] = [];
  if (targets.size) {
    const pre = prefixSql(col);
    codeTests.push(`EXISTS (SELECT 1 FROM unnest(${p.add(arrayText([...targets]), 'text[]')}) AS t(code) WHERE left(t.code, length(${pre})) = ${pre})`);
  }
  for (const pre of within) if (pre !== '') codeTests.push(`left(${col}, ${pre.length}) = ${p.add(pre, 'text')}`);
  if (codeTests.length) {
    const any = codeTests.length === 1 ? codeTests[0] : `(${codeTests.join(' OR ')})`;
    parts.push(zones.length ? `(NOT (${col} = ANY(${p.add(arrayText(zones.map((z) => z.code)), 'text[]')})) AND ${any})` : any);
  }
  return !parts.length ? 'FALSE' : parts.length === 1 ? `(${parts[0]})` : `(${parts.join(' OR ')})`;
}
