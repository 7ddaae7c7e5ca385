// The period a grant belongs to, from the item's `period` and the run date: one grant per
// entity, item and period (the unique key of the grants table).
import type { PolicyItem } from '@kx/engine';

export type Period = NonNullable<PolicyItem['period']>;

/** '2025' for year, '2025-06' for month, 'once' for a one-off (the default). */
export function periodKey(period: PolicyItem['period'], date: string): string {
  switch (period ?? 'once') {
    case 'year':
      return date.slice(0, 4);
    case 'month':
      return date.slice(0, 7);
    default:
      return 'once';
  }
}

/** First day of the period (null for 'once'): nobody is eligible for June before June. */
export function periodStart(period: PolicyItem['period'], date: string): string | null {
  switch (period ?? 'once') {
    case 'year':
      return `${date.slice(0, 4)}-01-01`;
    case 'month':
      return `${date.slice(0, 7)}-01`;
    default:
      return null;
  }
}
