// What a grant run acts on: the published 免申即享 items in force on the run date, and for
// each the entities currently eligible with the verdict that made them so. Nothing here
// recomputes eligibility: the matching module's eligible set and match events decide.
import { bindRule, effectiveRule, fieldsOf, itemContext, parseDate, type Dictionary, type PolicyItem } from '@kx/engine';
import type { Queryable } from '../../db/db.ts';
import { DomainError } from '../../errors.ts';
import { idsOf } from '../matching/bitset.ts';
import { currentMembers, latestSets, sqlOverlays } from '../matching/sets.ts';
import { periodKey, periodStart } from './period.ts';

export interface AutoItem {
  id: string;
  version: number;
  department: string;
  title: string;
  body: PolicyItem;
  period: string;
  /** First instant of the period (ISO), or null for 'once'. */
  periodStartsAt: string | null;
  group: string | null;
  confirmIntent: boolean;
  quota: { count?: number; budget?: string };
  /** Fields the rule and the amount read: the evidence of every grant. */
  evidenceFields: string[];
  /** Fields the amount formula reads (parameters bound). */
  amountFields: string[];
}

export async function autoItemsInForce(q: Queryable, dict: Dictionary, date: string, only?: string): Promise<AutoItem[]> {
  const r = await q.query<{ item_id: string; version: number; department: string; title: string; body: PolicyItem }>(
    `SELECT iv.item_id, iv.version, i.department, iv.title, iv.body
       FROM items i JOIN item_versions iv ON iv.item_id = i.id AND iv.version = i.published_version
      WHERE iv.status = 'published' AND iv.mode = 'auto'
        AND iv.valid_from <= $1::date AND (iv.valid_to IS NULL OR iv.valid_to >= $1::date)
        AND ($2::text IS NULL OR i.id = $2)
      ORDER BY i.id`,
    [date, only ?? null],
  );
  const day = parseDate(date)!;
  const out: AutoItem[] = [];
  for (const row of r.rows) {
    const body = row.body;
    // An auto item with a window grants only inside it (稳岗返还: from March, when the year's data is in).
    if (body.window && (date < body.window.from || (body.window.to && date > body.window.to))) continue;
    const params = itemContext(body, dict, day).params;
    const amountFields = body.amount ? fieldsOf(bindRule(body.amount, params, day)) : [];
    const read = [...fieldsOf(bindRule(effectiveRule(body), params, day)), ...amountFields];
    const start = periodStart(body.period, date);
    out.push({
      id: row.item_id,
      version: row.version,
      department: row.department,
      title: row.title,
      body,
      period: periodKey(body.period, date),
      periodStartsAt: start && `${start}T00:00:00.000Z`,
      group: body.stacking_group ?? null,
      confirmIntent: body.confirm_intent === true,
      quota: body.quota ?? {},
      evidenceFields: [...new Set(read)].filter((f) => f !== 'entity_kind'),
      amountFields: [...new Set(amountFields)],
    });
  }
  if (only && !out.length)
    throw new DomainError('NOT_FOUND', `事项 ${only} 不是 ${date} 有效的已发布免申即享事项`, `item ${only} is not a published auto-grant item in force on ${date}`, 'item');
  return out;
}

export interface Candidate {
  entity: number;
  /** The newly_eligible match event behind the verdict, if the matching module wrote one. */
  event: string | null;
  /** When the entity became eligible (the event, else the eligible set's computation). */
  since: string;
}

export interface Candidates {
  list: Candidate[];
  /** The matching has not yet produced a set for the published version: nothing to act on. */
  waiting: boolean;
}

/**
 * The entities eligible now, as the matching module stores it: the item's newest eligible set
 * with the newer per-entity overlays applied (matching/sets.ts currentMembers). A set of an
 * older version than the published one is not acted on — a new version may be stricter, and
 * granting is not the place to recompute eligibility. Ordered by eligibility time, then id.
 */
export async function candidatesOf(q: Queryable, item: Pick<AutoItem, 'id' | 'version'>, now: Date): Promise<Candidates> {
  const base = (await latestSets(q, [item.id], 'eligible')).get(item.id);
  if (base && base.version !== item.version) return { list: [], waiting: true };
  const members = idsOf(await currentMembers(base, item.id, 'eligible', sqlOverlays(q), 0));
  if (!members.length) return { list: [], waiting: false };
  const events = await q.query<{ entity_id: string; id: string; created_at: Date | string }>(
    `SELECT DISTINCT ON (entity_id) entity_id::text AS entity_id, id::text AS id, created_at FROM match_events
      WHERE item_id = $1 AND kind = 'newly_eligible' ORDER BY entity_id, id DESC`,
    [item.id],
  );
  const cause = new Map(events.rows.map((e) => [Number(e.entity_id), e]));
  const fallback = (base?.computedAt ?? now).toISOString();
  const list = members.map((entity): Candidate => {
    const e = cause.get(entity);
    return e ? { entity, event: e.id, since: new Date(e.created_at).toISOString() } : { entity, event: null, since: fallback };
  });
  list.sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.entity - b.entity));
  return { list, waiting: false };
}
