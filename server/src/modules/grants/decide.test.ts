import fc from 'fast-check';
import { dec } from '@kx/engine';
import { describe, expect, it } from 'vitest';
import { decideChunk, LIVE, LOCKED, type Budget, type ExistingGrant, type Offer } from './decide.ts';

const budget = (o: { max?: string; count?: number; spent?: string; n?: number } = {}): Budget => ({
  spent: dec(o.spent ?? '0'), count: o.n ?? 0, maxBudget: o.max === undefined ? undefined : dec(o.max), maxCount: o.count,
});

const held = (id: string, entity: number, item: string, status: string, amount: string, item_amount = amount): ExistingGrant => ({ id, entity, item, status, amount, item_amount });

describe('decideChunk', () => {
  it('grants each entity once when there is no group and no limit', () => {
    const d = decideChunk({ offers: [[{ entity: 1, item: 'a', amount: '50' }], [{ entity: 2, item: 'a', amount: '150' }]], existing: [], budgets: new Map(), stacking: false, confirmIntent: () => false });
    expect(d.inserts.map((i) => [i.entity, i.status, i.amount])).toEqual([[1, 'granted', '50'], [2, 'granted', '150']]);
  });

  it('keeps only the highest of a stacking group and records the lower as superseded', () => {
    const d = decideChunk({
      offers: [[{ entity: 1, item: 'low', amount: '1000' }, { entity: 1, item: 'high', amount: '3000' }]],
      existing: [], budgets: new Map(), stacking: true, confirmIntent: () => false,
    });
    expect(d.inserts.map((i) => [i.item, i.status, i.amount, i.item_amount])).toEqual([['high', 'granted', '3000', '3000'], ['low', 'superseded', '0', '1000']]);
  });

  it('replaces a lower live grant and releases its ledger; never touches one in the payout pipeline', () => {
    const replace = decideChunk({
      offers: [[{ entity: 1, item: 'high', amount: '3000' }]], existing: [held('7', 1, 'low', 'granted', '1000')],
      budgets: new Map(), stacking: true, confirmIntent: () => false,
    });
    expect(replace.inserts[0]).toMatchObject({ status: 'granted', amount: '3000' });
    expect(replace.superseded.map((g) => g.id)).toEqual(['7']);
    expect(replace.ledger.get('low')).toEqual({ amount: dec(-1000), count: -1 });
    // paid: only the difference is granted, the paid grant stays
    const topUp = decideChunk({
      offers: [[{ entity: 1, item: 'high', amount: '3000' }]], existing: [held('7', 1, 'low', 'paid', '1000')],
      budgets: new Map(), stacking: true, confirmIntent: () => false,
    });
    expect(topUp.inserts[0]).toMatchObject({ status: 'granted', amount: '2000', item_amount: '3000' });
    expect(topUp.superseded).toEqual([]);
  });

  it('falls back to the next lower offer of the group when the highest item has no budget left', () => {
    const d = decideChunk({
      offers: [[{ entity: 1, item: 'high', amount: '3000' }, { entity: 1, item: 'low', amount: '1000' }]],
      existing: [], budgets: new Map([['high', budget({ max: '2000' })]]), stacking: true, confirmIntent: () => false,
    });
    expect(d.inserts.map((i) => [i.item, i.status])).toEqual([['low', 'granted']]);
    expect(d.blockedBudget).toBe(1);
  });

  it('stops an item at the first grant that does not fit, even when a smaller later one would', () => {
    const b = budget({ max: '250' });
    const offers = ['100', '100', '100', '10'].map((a, i): Offer[] => [{ entity: i + 1, item: 'a', amount: a }]);
    const d = decideChunk({ offers, existing: [], budgets: new Map([['a', b]]), stacking: false, confirmIntent: () => false });
    expect(d.inserts).toHaveLength(2);
    expect([d.blockedBudget, d.blockedQuota, b.exhausted]).toEqual([2, 0, 'budget']);
    const q = budget({ count: 1 });
    const d2 = decideChunk({ offers, existing: [], budgets: new Map([['a', q]]), stacking: false, confirmIntent: () => false });
    expect([d2.inserts.length, d2.blockedQuota, q.exhausted]).toEqual([1, 3, 'quota']);
  });

  it('asks for confirmation where the item wants it, and skips unknown and zero amounts', () => {
    const d = decideChunk({
      offers: [[{ entity: 1, item: 'c', amount: '80' }], [{ entity: 2, item: 'c', amount: undefined }], [{ entity: 3, item: 'c', amount: '0' }]],
      existing: [], budgets: new Map(), stacking: false, confirmIntent: (i) => i === 'c',
    });
    expect(d.inserts.map((i) => i.status)).toEqual(['pending_confirmation']);
    expect([d.unknownAmount, d.zeroAmount]).toEqual([1, 1]);
  });

  it('counts an entity that already holds the item for the period as already granted', () => {
    const d = decideChunk({ offers: [[{ entity: 1, item: 'a', amount: '5' }]], existing: [held('1', 1, 'a', 'superseded', '0', '5')], budgets: new Map(), stacking: false, confirmIntent: () => false });
    expect([d.inserts.length, d.already]).toEqual([0, 1]);
  });
});

// Runs on a simulated table chunk after chunk, as the database would hold it, and checks what
// must hold after every chunk whatever the offers, the holdings and the limits.
describe('decideChunk invariants (property)', () => {
  const ITEMS = ['a', 'b', 'c'];
  const offerArb = fc.record({ entity: fc.integer({ min: 1, max: 6 }), item: fc.constantFrom(...ITEMS), amount: fc.option(fc.integer({ min: 0, max: 500 }).map(String), { nil: undefined }) });
  const runArb = fc.array(fc.array(offerArb, { maxLength: 12 }), { minLength: 1, maxLength: 6 });
  const limitArb = fc.record({ max: fc.option(fc.integer({ min: 0, max: 1500 }).map(String), { nil: undefined }), count: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }) });

  it('never overspends, pays one highest per entity and group, keeps every paid grant', () => {
    fc.assert(
      fc.property(runArb, fc.tuple(limitArb, limitArb, limitArb), fc.array(fc.integer({ min: 0, max: 30 })), (chunks, limits, payoutSteps) => {
        const table: (ExistingGrant & { period: string })[] = [];
        const budgets = new Map(ITEMS.map((it, i) => [it, budget(limits[i])]));
        let nextId = 1;
        for (const [c, chunk] of chunks.entries()) {
          // the payout module moves some granted ones on between runs
          for (const s of payoutSteps) if (table[s] && table[s].status === 'granted' && c % 2 === 1) table[s].status = 'paid';
          const byEntity = new Map<number, Offer[]>();
          for (const o of chunk) {
            const l = byEntity.get(o.entity) ?? [];
            if (!l.some((x) => x.item === o.item)) l.push(o);
            byEntity.set(o.entity, l);
          }
          for (const b of budgets.values()) b.exhausted = undefined;
          const d = decideChunk({ offers: [...byEntity.values()], existing: table.map((g) => ({ ...g })), budgets, stacking: true, confirmIntent: () => false });
          for (const s of d.superseded) table.find((g) => g.id === s.id)!.status = 'superseded';
          for (const ins of d.inserts) {
            expect(table.some((g) => g.entity === ins.entity && g.item === ins.item)).toBe(false);
            table.push({ id: String(nextId++), entity: ins.entity, item: ins.item, status: ins.status, amount: ins.amount, item_amount: ins.item_amount, period: 'p' });
          }
          for (const [i, it] of ITEMS.entries()) {
            const live = table.filter((g) => g.item === it && (LIVE as readonly string[]).includes(g.status));
            const spent = live.reduce((s, g) => s.plus(dec(g.amount)), dec(0));
            expect(spent.eq(budgets.get(it)!.spent)).toBe(true);
            expect(live.length).toBe(budgets.get(it)!.count);
            if (limits[i].max !== undefined) expect(spent.lte(dec(limits[i].max!))).toBe(true);
            if (limits[i].count !== undefined) expect(live.length).toBeLessThanOrEqual(limits[i].count!);
          }
          for (let e = 1; e <= 6; e++) {
            const live = table.filter((g) => g.entity === e && (LIVE as readonly string[]).includes(g.status));
            const unlocked = live.filter((g) => !LOCKED.has(g.status));
            expect(unlocked.length).toBeLessThanOrEqual(1);
            if (live.length) {
              const total = live.reduce((s, g) => s.plus(dec(g.amount)), dec(0));
              const best = live.reduce((m, g) => (dec(g.item_amount).gt(m) ? dec(g.item_amount) : m), dec(0));
              // 从高不重复: what the entity gets in the group is exactly its best item's amount
              expect(total.eq(best)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
