// The grant run (免申即享, R5): every published auto item in force on the date, each entity
// eligible now, one grant per item and period — in chunks, each chunk one transaction.
// Idempotent and crash-safe by construction: what a chunk writes is keyed by (entity,
// item, period), so a repeated or restarted run skips what is there and finishes the rest.
// docs/decisions/0011-grants-exactly-once.md
import { parseDate } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { badInput } from '../../errors.ts';
import { appendAudit } from '../audit/audit.ts';
import type { Offer } from './decide.ts';
import { autoItemsInForce, candidatesOf, type AutoItem } from './items.ts';
import { ChunkReader } from './read.ts';
import { causeKey, writeChunk, type Cause, type Unit } from './write.ts';

export interface GrantRunOptions {
  /** One item only. */
  item?: string;
  /** Run date (YYYY-MM-DD): which items are in force, which period. Default: today. */
  date?: string;
  /** Entities per transaction. */
  chunkSize?: number;
  actor?: string;
  onProgress?: (p: GrantRunProgress) => void;
}

export interface GrantRunProgress {
  unit: number;
  units: number;
  /** Entities of the current unit done / to do. */
  done: number;
  total: number;
  created: number;
}

/** The operator's summary (`kx grant run` prints exactly these four keys). */
export interface GrantRunSummary {
  created: number;
  already_granted: number;
  blocked_by_budget: number;
  seconds: number;
}

export interface GrantRunReport extends GrantRunSummary {
  date: string;
  items: number;
  superseded: number;
  blocked_by_quota: number;
  amount_unknown: number;
  zero_amount: number;
  /** Items whose published version the matching has not evaluated yet (nothing granted). */
  waiting: string[];
  /** Items that ran out of budget or quota in this run, with how many were left without. */
  exhausted: { item: string; period: string; reason: 'budget' | 'quota'; blocked: number }[];
}

/** Items of one stacking group and period are decided together, entity by entity. */
function unitsOf(items: AutoItem[], date: string): Unit[] {
  const units = new Map<string, Unit>();
  for (const it of items) {
    const key = it.group ? `group:${it.group}|${it.period}` : `item:${it.id}`;
    const u = units.get(key) ?? { key, items: [], period: it.period, group: it.group, date };
    u.items.push(it);
    units.set(key, u);
  }
  return [...units.values()];
}

export async function runGrants(ctx: Ctx, opts: GrantRunOptions = {}): Promise<GrantRunReport> {
  const started = performance.now();
  const date = opts.date ?? ctx.today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || parseDate(date) === undefined) throw badInput('date', `日期 "${date}" 无效，应为 YYYY-MM-DD`, `"${date}" is not a valid date (YYYY-MM-DD)`);
  const chunkSize = opts.chunkSize ?? 5000;
  const actor = opts.actor ?? 'system:grant-run';
  const items = await autoItemsInForce(ctx.db, ctx.dict, date, opts.item);
  const units = unitsOf(items, date);
  const report: GrantRunReport = {
    created: 0, already_granted: 0, blocked_by_budget: 0, seconds: 0,
    date, items: items.length, superseded: 0, blocked_by_quota: 0, amount_unknown: 0, zero_amount: 0, waiting: [], exhausted: [],
  };
  for (let u = 0; u < units.length; u++) {
    const unit = units[u];
    const reader = new ChunkReader(ctx.dict, ctx.crypto, unit.items, date);
    // Who is eligible, and who already holds a grant of the period (skipped without a transaction).
    const todo = new Map<number, { since: string; offers: { item: string; cause: Cause }[] }>();
    const causes = new Map<string, Cause>();
    for (const it of unit.items) {
      const held = new Set(
        (await ctx.db.query<{ entity_id: string }>('SELECT entity_id::text AS entity_id FROM grants WHERE item_id = $1 AND period_key = $2', [it.id, it.period])).rows.map((r) => Number(r.entity_id)),
      );
      const found = await candidatesOf(ctx.db, it, ctx.now());
      if (found.waiting) report.waiting.push(it.id);
      for (const c of found.list) {
        if (held.has(c.entity)) {
          report.already_granted++;
          continue;
        }
        const cause = { event: c.event, since: c.since };
        causes.set(causeKey(c.entity, it.id), cause);
        const t = todo.get(c.entity);
        if (t) {
          t.offers.push({ item: it.id, cause });
          if (c.since < t.since) t.since = c.since;
        } else todo.set(c.entity, { since: c.since, offers: [{ item: it.id, cause }] });
      }
    }
    const order = [...todo.entries()].sort((a, b) => (a[1].since < b[1].since ? -1 : a[1].since > b[1].since ? 1 : a[0] - b[0]));
    const exhausted = new Map<string, 'budget' | 'quota'>();
    const blockedPerItem = new Map<string, number>();
    let done = 0;
    opts.onProgress?.({ unit: u, units: units.length, done, total: order.length, created: report.created });
    for (let i = 0; i < order.length; i += chunkSize) {
      const slice = order.slice(i, i + chunkSize);
      const ids = slice.map(([e]) => e);
      const facts = await reader.read(ctx.db, ids);
      const offers: Offer[][] = slice.map(([e, t]) => t.offers.map((o) => ({ entity: e, item: o.item, amount: facts.amounts.get(e)?.get(o.item) })));
      const r = await ctx.db.tx((q) => writeChunk(q, { unit, offers, evidence: facts.evidence, causes, exhausted, now: ctx.now(), actor }));
      for (const [item, n] of r.blockedPerItem) blockedPerItem.set(item, (blockedPerItem.get(item) ?? 0) + n);
      report.created += r.created;
      report.already_granted += r.already;
      report.superseded += r.superseded;
      report.blocked_by_budget += r.blockedBudget + r.blockedQuota;
      report.blocked_by_quota += r.blockedQuota;
      report.amount_unknown += r.unknownAmount;
      report.zero_amount += r.zeroAmount;
      done += slice.length;
      opts.onProgress?.({ unit: u, units: units.length, done, total: order.length, created: report.created });
    }
    for (const [item, reason] of exhausted) {
      const it = unit.items.find((x) => x.id === item)!;
      const blocked = blockedPerItem.get(item) ?? 0;
      report.exhausted.push({ item, period: unit.period, reason, blocked });
      await noticeExhausted(ctx, it, reason, blocked, actor);
    }
  }
  report.seconds = Math.round((performance.now() - started) / 10) / 100;
  return report;
}

/** One notice per item and period when its budget or quota runs out (cause-keyed). */
async function noticeExhausted(ctx: Ctx, it: AutoItem, reason: 'budget' | 'quota', blocked: number, actor: string): Promise<void> {
  const what = reason === 'budget' ? { zh: '预算', en: 'budget' } : { zh: '名额', en: 'quota' };
  await ctx.db.tx(async (q) => {
    const r = await q.query(
      `INSERT INTO inbox (department, kind, title, body, cause_key, item_id, created_at) VALUES ($1, 'grant_budget_exhausted', $2, $3, $4, $5, $6)
       ON CONFLICT (cause_key) DO NOTHING RETURNING id`,
      [
        it.department,
        `免申即享${what.zh}已用尽：${it.title}`,
        `「${it.title}」${it.period} 的${what.zh}已用尽，本次发放后仍有 ${blocked} 个符合条件的主体未获发放。追加${what.zh}并发布新版本后，再次运行发放即可补发。 / The ${what.en} of "${it.id}" for ${it.period} is used up; ${blocked} eligible entities were left without a grant. Raise it in a new version and run the grants again.`,
        `grant:${reason}:${it.id}:${it.period}`,
        it.id,
        ctx.now(),
      ],
    );
    if (r.rows.length) await appendAudit(q, { actor, action: 'grant.budget_exhausted', subject: `item:${it.id}`, detail: { period: it.period, reason, blocked } });
  });
}
