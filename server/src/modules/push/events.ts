// Notices the push module writes itself, on a schedule or after a publication: an item you
// are eligible for closes soon and you have not applied (daily); the weekly digest; a fact
// that would make you eligible for a newly published item. Each is one INSERT … SELECT per
// item (or one for the whole digest), with a cause key that makes a rerun write nothing.
import { fieldsOf, type Expr } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { enqueue, type JobHandler } from '../jobs/queue.ts';
import { decodeBits, idsOf, wordsFor } from '../matching/bitset.ts';
import { currentMembers, latestSets, sqlOverlays } from '../matching/sets.ts';

/** Days before an item closes that eligible non-applicants are reminded. */
export const CLOSING_SOON_DAYS = 7;
export const PUSH_QUEUES = { closingSoon: 'push.closing_soon', digest: 'push.weekly_digest', missingFacts: 'push.missing_facts' } as const;

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** closing_soon: per item to apply for that closes within `days`, its eligible entities that have no live application. */
export async function closingSoon(ctx: Ctx, days = CLOSING_SOON_DAYS): Promise<{ items: number; notices: number }> {
  const today = ctx.today();
  const items = await ctx.db.query<{ item_id: string; version: number; title: string; valid_to: string }>(
    `SELECT v.item_id, v.version, v.title, v.valid_to::text AS valid_to FROM item_versions v
      WHERE v.status = 'published' AND v.mode <> 'auto' AND v.valid_to >= $1::date AND v.valid_to <= $1::date + $2::int ORDER BY v.item_id`,
    [today, days],
  );
  if (!items.rows.length) return { items: 0, notices: 0 };
  const sets = await latestSets(ctx.db, items.rows.map((i) => i.item_id));
  const words = wordsFor(Number((await ctx.db.query<{ n: string }>('SELECT coalesce(max(id), 0)::text AS n FROM entities')).rows[0].n) + 1);
  let notices = 0;
  for (const it of items.rows) {
    const ids = idsOf(await currentMembers(sets.get(it.item_id), it.item_id, 'eligible', sqlOverlays(ctx.db), words));
    if (!ids.length) continue;
    const left = daysBetween(today, it.valid_to);
    const r = await ctx.db.query(
      `INSERT INTO inbox (entity_id, kind, title, body, cause_key, item_id, data, created_at)
       SELECT e.id, 'closing_soon', $2, $3, 'closing:' || e.id || ':' || $4 || ':' || $5, $4, $6, $7
         FROM unnest($1::bigint[]) AS e(id)
        WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.entity_id = e.id AND a.item_id = $4 AND a.status NOT IN ('withdrawn', 'rejected'))
       ON CONFLICT (cause_key) DO NOTHING`,
      [
        ids, `即将截止：${it.title} / Closing soon: ${it.title}`,
        `您符合「${it.title}」的条件但尚未申请，申请将于 ${it.valid_to} 截止（还有 ${left} 天）。 / You qualify for "${it.title}" but have not applied; applications close on ${it.valid_to} (in ${left} days).`,
        it.item_id, it.valid_to, JSON.stringify({ days: String(left), valid_to: it.valid_to }), ctx.now(),
      ],
    );
    notices += r.rowCount;
  }
  return { items: items.rows.length, notices };
}

/** The ISO week of a date, '2025-W27'. */
export function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const first = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d.getTime() - first.getTime()) / 86_400_000 - 3 + ((first.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** weekly_digest: every entity told of something new in the last seven days gets one summary. */
export async function weeklyDigest(ctx: Ctx): Promise<{ notices: number }> {
  const now = ctx.now();
  const week = isoWeek(ctx.today());
  const r = await ctx.db.query(
    `WITH recent AS (
       SELECT i.entity_id, count(*) AS n, (array_agg(coalesce(v.title, i.item_id) ORDER BY i.id))[1:5] AS titles
         FROM inbox i LEFT JOIN LATERAL (SELECT x.title FROM item_versions x WHERE x.item_id = i.item_id ORDER BY x.version DESC LIMIT 1) v ON true
        WHERE i.entity_id IS NOT NULL AND i.created_at > $1::timestamptz - interval '7 days' AND i.created_at <= $1
          AND i.kind IN ('newly_eligible', 'grant', 'grant_confirm', 'missing_fact', 'closing_soon')
        GROUP BY i.entity_id)
     INSERT INTO inbox (entity_id, kind, title, body, cause_key, data, created_at)
     SELECT r.entity_id, 'weekly_digest', '本周政策快享：' || r.n || ' 项 / This week: ' || r.n,
            '本周与您有关的政策：' || array_to_string(r.titles, '、') || ' / Policies for you this week: ' || array_to_string(r.titles, ', '),
            'digest:' || r.entity_id || ':' || $2, jsonb_build_object('count', r.n::text, 'items', array_to_string(r.titles, '、')), $1
       FROM recent r
     ON CONFLICT (cause_key) DO NOTHING`,
    [now, week],
  );
  return { notices: r.rowCount };
}

/**
 * missing_fact: after an item version is first published and matched, each entity left
 * undetermined learns which of the facts the item reads it has not given yet. Once per
 * (entity, item, version).
 */
export async function missingFacts(ctx: Ctx, itemId: string, version: number): Promise<{ notices: number }> {
  const v = await ctx.db.query<{ body: { eligibility?: Expr }; title: string; mode: string }>('SELECT body, title, mode FROM item_versions WHERE item_id = $1 AND version = $2', [itemId, version]);
  const set = await ctx.db.query<{ undetermined: Uint8Array }>('SELECT undetermined FROM item_sets WHERE item_id = $1 AND version = $2', [itemId, version]);
  const item = v.rows[0];
  if (!item?.body.eligibility || !set.rows[0]) return { notices: 0 };
  const ids = idsOf(await decodeBits(set.rows[0].undetermined));
  const fields = [...new Set(fieldsOf(item.body.eligibility))].filter((f) => ctx.dict.fields.has(f));
  if (!ids.length || !fields.length) return { notices: 0 };
  const labels = fields.map((f) => ctx.dict.fields.get(f)!.label);
  const r = await ctx.db.query(
    `WITH m AS (
       SELECT e.id, array_agg(l.zh ORDER BY l.ord) AS zh, array_agg(l.en ORDER BY l.ord) AS en
         FROM entities e CROSS JOIN unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS l(f, zh, en, ord)
        WHERE e.id = ANY($1::bigint[]) AND NOT (e.facts ? l.f)
        GROUP BY e.id)
     INSERT INTO inbox (entity_id, kind, title, body, cause_key, item_id, data, created_at)
     SELECT m.id, 'missing_fact', '补充信息后可能符合：' || $5 || ' / One more fact: ' || $5,
            '补充 ' || array_to_string(m.zh, '、') || ' 后，您可能符合「' || $5 || '」的条件。 / Add ' || array_to_string(m.en, ', ') || ' and you may qualify for "' || $5 || '".',
            'missing:' || m.id || ':' || $6 || ':' || $7, $6, jsonb_build_object('fields', array_to_string(m.zh, '、'), 'item_version', $7::int), $8
       FROM m
     ON CONFLICT (cause_key) DO NOTHING`,
    [ids, fields, labels.map((l) => l.zh), labels.map((l) => l.en), item.title, itemId, version, ctx.now()],
  );
  return { notices: r.rowCount };
}

/** Next run of a daily or weekly job: the next 09:00 in Shanghai (01:00 UTC) after now. */
function nextMorning(now: Date, weekly: boolean): Date {
  const d = new Date(now);
  d.setUTCHours(1, 0, 0, 0);
  if (d <= now) d.setUTCDate(d.getUTCDate() + 1);
  // Weekly: Monday morning.
  if (weekly) while (new Date(d.getTime() + 8 * 3600_000).getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

/** Keeps the daily and weekly jobs scheduled (keyed by their day: any number of workers schedule each once). */
export async function schedulePushJobs(ctx: Ctx): Promise<void> {
  const now = ctx.now();
  const daily = nextMorning(now, false);
  const weekly = nextMorning(now, true);
  await enqueue(ctx.db, PUSH_QUEUES.closingSoon, {}, { key: `${PUSH_QUEUES.closingSoon}:${daily.toISOString().slice(0, 10)}`, runAt: daily });
  await enqueue(ctx.db, PUSH_QUEUES.digest, {}, { key: `${PUSH_QUEUES.digest}:${weekly.toISOString().slice(0, 10)}`, runAt: weekly });
}

/** Job handlers of push, for the worker. */
export function pushJobs(ctx: Ctx): Record<string, JobHandler> {
  return {
    [PUSH_QUEUES.closingSoon]: async () => {
      const r = await closingSoon(ctx);
      await schedulePushJobs(ctx);
      return r;
    },
    [PUSH_QUEUES.digest]: async () => {
      const r = await weeklyDigest(ctx);
      await schedulePushJobs(ctx);
      return r;
    },
    [PUSH_QUEUES.missingFacts]: async (job) => missingFacts(ctx, String(job.payload.item_id), Number(job.payload.version)),
  };
}

/** Enqueues missing_fact notices for the item versions matched on publication in the last day (once each). */
export async function scheduleMissingFacts(ctx: Ctx): Promise<number> {
  const r = await ctx.db.query<{ item_id: string; version: number }>(
    `SELECT DISTINCT r.stats ->> 'item_id' AS item_id, (r.stats ->> 'version')::int AS version FROM match_runs r
      WHERE r.kind = 'item' AND r.status = 'done' AND r.finished_at > $1::timestamptz - interval '1 day'
        AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.idempotency_key = $2 || (r.stats ->> 'item_id') || '@' || (r.stats ->> 'version'))`,
    [ctx.now(), `${PUSH_QUEUES.missingFacts}:`],
  );
  for (const x of r.rows) await enqueue(ctx.db, PUSH_QUEUES.missingFacts, { item_id: x.item_id, version: x.version }, { key: `${PUSH_QUEUES.missingFacts}:${x.item_id}@${x.version}` });
  return r.rows.length;
}
