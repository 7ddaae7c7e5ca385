// The chips of a question (POST /api/v1/search/question) as the user corrects them: edit a
// value, remove one, add one; then the facts sent to /search/question/match. Pure, so the
// logic is unit-tested in Node (chips.test.ts).
import type { ResponseOf } from '../../../../server/client/client.ts';

/** A chip as /search/question returns it; `edited` when the user made or changed it (shown
 * differently). */
export type Chip = ResponseOf<'/api/v1/search/question', 'post'>['chips'][number] & { edited?: boolean };

/** Fields a chip may carry beside the dictionary's: who is asking, and an age in years. */
export const PSEUDO_FIELDS = ['audience', 'age'] as const;

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Sets the chip of a field (one chip per field: a new value replaces the old one). */
export function upsertChip(chips: readonly Chip[], chip: Chip): Chip[] {
  const i = chips.findIndex((c) => c.field === chip.field);
  if (i < 0) return [...chips, { ...chip, edited: true }];
  if (sameValue(chips[i].value, chip.value)) return [...chips];
  return chips.map((c, j) => (j === i ? { ...chip, edited: true } : c));
}

export function removeChip(chips: readonly Chip[], field: string): Chip[] {
  return chips.filter((c) => c.field !== field);
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** The body's facts: one per field, empty values left out, the last chip of a field wins. */
export function chipsToFacts(chips: readonly Chip[]): { field: string; value: unknown }[] {
  const byField = new Map<string, unknown>();
  for (const c of chips) if (!isEmpty(c.value)) byField.set(c.field, c.value);
  return [...byField.entries()].map(([field, value]) => ({ field, value }));
}

/** A chip's text after an edit: "label：value". */
export function chipText(label: string, valueLabel: string): string {
  return `${label}：${valueLabel}`;
}
