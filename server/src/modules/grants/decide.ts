// Who gets what, for one chunk of entities, given what the database already holds (read
// under the locks of the chunk's transaction). Pure: the rules of 从高不重复 and of the budget
// live here and are tested without a database.
//
// Stacking (within one group and period, per entity):
//   - the highest item amount wins; an offer not above the best live grant is recorded as
//     'superseded' on arrival (it pays nothing) so that a repeated run finds it decided;
//   - an offer above it supersedes the live grants not yet batched (their ledger is
//     released) and pays its amount less what the group has already batched or paid —
//     money in the payout pipeline is never clawed back here;
//   - an offer its item cannot afford is skipped and the next lower offer is tried.
// Budget (per item and period): offers are taken in order (earliest eligible first); the
// first that does not fit (count or budget) exhausts the item for the run — nothing more
// is written for it and every later offer is counted as blocked.
import { dec, type Dec } from '@kx/engine';

export const LIVE = ['pending_confirmation', 'granted', 'batched', 'paid', 'payment_failed'] as const;
/**
 * In the payout pipeline: kept even when a higher grant of the group arrives. 'approved' is
 * an application of the group (online mode) whose decision stands — write.ts lists those
 * beside the grants, so that a grant pays only what is above it (modes.ts).
 */
export const LOCKED = new Set<string>(['batched', 'paid', 'payment_failed', 'approved']);
const LIVE_SET = new Set<string>([...LIVE, 'approved']);

export interface Offer {
  entity: number;
  item: string;
  /** The item's amount for the entity (2 decimals), undefined when it cannot be computed. */
  amount: string | undefined;
}

export interface ExistingGrant {
  id: string;
  entity: number;
  item: string;
  status: string;
  amount: string;
  item_amount: string;
}

export interface Budget {
  spent: Dec;
  count: number;
  maxBudget?: Dec;
  maxCount?: number;
  /** Set once an offer did not fit: the item stops for the rest of the run. */
  exhausted?: 'budget' | 'quota';
}

export interface Insert {
  entity: number;
  item: string;
  status: 'granted' | 'pending_confirmation' | 'superseded';
  amount: string;
  item_amount: string;
  /** Live grants of the group this one replaces. */
  replaces: ExistingGrant[];
}

export interface ChunkDecision {
  inserts: Insert[];
  /** Existing grants that become 'superseded' (each listed once). */
  superseded: ExistingGrant[];
  already: number;
  blockedBudget: number;
  blockedQuota: number;
  /** Offers left without a grant, per item (budget or quota). */
  blockedPerItem: Map<string, number>;
  unknownAmount: number;
  zeroAmount: number;
  /** Ledger changes per item: amount and count (negative for releases). */
  ledger: Map<string, { amount: Dec; count: number }>;
}

export interface DecideInput {
  /** Offers grouped per entity, entities in processing order. */
  offers: Offer[][];
  /** Grants of these entities for the unit's items, and live grants of the group, this period. */
  existing: ExistingGrant[];
  budgets: Map<string, Budget>;
  stacking: boolean;
  confirmIntent: (item: string) => boolean;
}

const ZERO = dec(0);

export function decideChunk(input: DecideInput): ChunkDecision {
  const out: ChunkDecision = { inserts: [], superseded: [], already: 0, blockedBudget: 0, blockedQuota: 0, blockedPerItem: new Map(), unknownAmount: 0, zeroAmount: 0, ledger: new Map() };
  const byEntity = new Map<number, ExistingGrant[]>();
  for (const g of input.existing) {
    const list = byEntity.get(g.entity);
    if (list) list.push(g);
    else byEntity.set(g.entity, [g]);
  }
  const book = (item: string, amount: Dec, count: number) => {
    const l = out.ledger.get(item) ?? { amount: ZERO, count: 0 };
    out.ledger.set(item, { amount: l.amount.plus(amount), count: l.count + count });
    const b = input.budgets.get(item);
    if (b) {
      b.spent = b.spent.plus(amount);
      b.count += count;
    }
  };
  for (const offers of input.offers) {
    if (!offers.length) continue;
    const held = byEntity.get(offers[0].entity) ?? [];
    const decided = new Set(held.map((g) => g.item));
    let live = input.stacking ? held.filter((g) => LIVE_SET.has(g.status)) : [];
    let best: Dec | undefined = live.reduce<Dec | undefined>((m, g) => (m === undefined || dec(g.item_amount).gt(m) ? dec(g.item_amount) : m), undefined);
    const lockedSum = live.filter((g) => LOCKED.has(g.status)).reduce((s, g) => s.plus(dec(g.amount)), ZERO);
    const open = offers.filter((o) => {
      if (decided.has(o.item)) out.already++;
      else if (o.amount === undefined) out.unknownAmount++;
      else if (!dec(o.amount).gt(ZERO)) out.zeroAmount++;
      else return true;
      return false;
    });
    open.sort((a, b) => dec(b.amount!).cmp(dec(a.amount!)) || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
    for (const o of open) {
      const amount = dec(o.amount!);
      if (best !== undefined && !amount.gt(best)) {
        out.inserts.push({ entity: o.entity, item: o.item, status: 'superseded', amount: '0', item_amount: o.amount!, replaces: [] });
        continue;
      }
      const pay = amount.minus(lockedSum);
      const b = input.budgets.get(o.item);
      if (b && !fits(b, pay)) {
        if (b.exhausted === 'quota') out.blockedQuota++;
        else out.blockedBudget++;
        out.blockedPerItem.set(o.item, (out.blockedPerItem.get(o.item) ?? 0) + 1);
        continue;
      }
      const replaces = live.filter((g) => !LOCKED.has(g.status));
      for (const g of replaces) {
        out.superseded.push(g);
        book(g.item, dec(g.amount).neg(), -1);
      }
      live = live.filter((g) => LOCKED.has(g.status));
      book(o.item, pay, 1);
      out.inserts.push({ entity: o.entity, item: o.item, status: input.confirmIntent(o.item) ? 'pending_confirmation' : 'granted', amount: pay.toFixed(), item_amount: o.amount!, replaces });
      best = amount;
      if (!input.stacking) break;
    }
  }
  return out;
}

/** Whether one more grant of `pay` fits; marks the budget exhausted when it does not. */
function fits(b: Budget, pay: Dec): boolean {
  if (!b.exhausted) {
    if (b.maxCount !== undefined && b.count + 1 > b.maxCount) b.exhausted = 'quota';
    else if (b.maxBudget !== undefined && b.spent.plus(pay).gt(b.maxBudget)) b.exhausted = 'budget';
  }
  return !b.exhausted;
}
