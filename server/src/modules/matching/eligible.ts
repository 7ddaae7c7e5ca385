// Who is eligible for an item, for the department that owns it: entity ids and display names
// (a person's masked to the surname), with counts — never the facts behind the verdicts
// (数据可用不可见). Read from the item's newest set with the newer overlays applied.
import type { Ctx } from '../../context.ts';
import { DomainError, notFound } from '../../errors.ts';
import { actorOf, DEPARTMENT_ROLES, type Principal } from '../../http/access.ts';
import { maskName } from '../../crypto/mask.ts';
import { appendAudit } from '../audit/audit.ts';
import { countBits, idsOf, wordsFor } from './bitset.ts';
import { currentMembers, latestSets, sqlOverlays, type SetVerdict } from './sets.ts';

export interface EligibleEntity {
  entity_id: string;
  kind: string;
  display_name: string | null;
  region: string | null;
}

export interface EligiblePage {
  item_id: string;
  /** The version whose set this is, and when and for which date it was computed. */
  version: number | null;
  computed_at: string | null;
  as_of: string | null;
  verdict: SetVerdict;
  counts: { eligible: number; undetermined: number };
  total: number;
  page: number;
  page_size: number;
  entities: EligibleEntity[];
}

export async function requireItemStaff(ctx: Ctx, p: Principal, itemId: string, action: string): Promise<{ department: string; published_version: number | null }> {
  const r = await ctx.db.query<{ department: string; published_version: number | null }>('SELECT i.department, i.published_version FROM items i WHERE i.id = $1', [itemId]);
  const item = r.rows[0];
  if (!item) throw notFound('事项', itemId);
  const staff = p.kind === 'user' && !!p.role && DEPARTMENT_ROLES.includes(p.role) && p.department === item.department;
  if (!staff && !(p.kind === 'user' && p.role === 'admin')) {
    await appendAudit(ctx.db, { actor: actorOf(p), action, subject: `item:${itemId}`, outcome: 'denied' });
    throw new DomainError('FORBIDDEN', `只有 ${item.department} 的工作人员可以查看该事项的匹配名单`, `only staff of ${item.department} may see this item's matches`);
  }
  return item;
}

export async function eligibleEntities(ctx: Ctx, p: Principal, itemId: string, opts: { verdict?: SetVerdict; page?: number; page_size?: number } = {}): Promise<EligiblePage> {
  await requireItemStaff(ctx, p, itemId, 'match.eligible.read');
  const verdict = opts.verdict ?? 'eligible';
  const page = opts.page ?? 1;
  const size = opts.page_size ?? 20;
  const [elig, und] = await Promise.all([latestSets(ctx.db, [itemId], 'eligible'), latestSets(ctx.db, [itemId], 'undetermined')]);
  const maxId = await ctx.db.query<{ max: string | null }>('SELECT max(e.id)::text AS max FROM entities e');
  const words = wordsFor(Number(maxId.rows[0].max ?? 0));
  const overlays = sqlOverlays(ctx.db);
  const bits = {
    eligible: await currentMembers(elig.get(itemId), itemId, 'eligible', overlays, words),
    undetermined: await currentMembers(und.get(itemId), itemId, 'undetermined', overlays, words),
  };
  const ids = idsOf(bits[verdict], (page - 1) * size, size);
  const rows = ids.length
    ? (
        await ctx.db.query<EligibleEntity>(
          'SELECT e.id::text AS entity_id, e.kind, e.display_name, e.region FROM entities e WHERE e.id = ANY($1::bigint[]) ORDER BY e.id',
          [ids],
        )
      ).rows
    : [];
  const set = elig.get(itemId);
  const counts = { eligible: countBits(bits.eligible), undetermined: countBits(bits.undetermined) };
  await appendAudit(ctx.db, { actor: actorOf(p), action: 'match.eligible.read', subject: `item:${itemId}`, detail: { verdict, page, entities: rows.length } });
  return {
    item_id: itemId, version: set?.version ?? null, computed_at: set ? set.computedAt.toISOString() : null, as_of: set?.asOf ?? null,
    verdict, counts, total: counts[verdict], page, page_size: size,
    // Profiles store a person's display name masked already; masking again keeps that true whatever the source.
    entities: rows.map((r) => ({ ...r, display_name: r.display_name && r.kind === 'person' ? maskName(r.display_name) : r.display_name })),
  };
}
