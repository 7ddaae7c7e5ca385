// Reconciliation of a batch: what was sent against what the bank says, to the cent, and
// which lines are still waiting for an answer.
import type { Ctx } from '../../context.ts';
import { batchLines, loadBatch, presentLine } from './batches.ts';
import { formatCents, toCents } from './money.ts';
import { assertMayRead, type Officer } from './officer.ts';
import type { Reconciliation } from './schema.ts';

export async function reconcile(ctx: Ctx, by: Officer, batchId: string): Promise<Reconciliation> {
  const batch = await loadBatch(ctx.db, batchId);
  assertMayRead(by, batch.department);
  const lines = await batchLines(ctx.db, batchId);
  const tally = (pick: (s: string) => boolean) => {
    const ls = lines.filter((l) => pick(l.status));
    return { lines: ls.length, cents: ls.reduce((t, l) => t + toCents(l.amount)!, 0n) };
  };
  const out = (t: { lines: number; cents: bigint }) => ({ lines: t.lines, amount: formatCents(t.cents) });
  const sent = batch.status === 'draft' ? { lines: 0, cents: 0n } : tally(() => true);
  const paid = tally((s) => s === 'paid');
  const failed = tally((s) => s === 'failed');
  const waiting = batch.status === 'draft' ? { lines: 0, cents: 0n } : tally((s) => s === 'exported' || s === 'pending');
  return {
    batch,
    exported: out(sent),
    paid: out(paid),
    failed: out(failed),
    unanswered: out(waiting),
    unanswered_lines: batch.status === 'draft' ? [] : lines.filter((l) => l.status === 'exported').map((l) => presentLine(ctx, l)),
    failed_lines: lines.filter((l) => l.status === 'failed').map((l) => presentLine(ctx, l)),
    balanced: sent.cents === paid.cents + failed.cents + waiting.cents && toCents(batch.total_amount) === tally(() => true).cents,
  };
}
