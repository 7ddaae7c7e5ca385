// The leaders' dashboards (智能成图, R10): counts and sums over the real tables at the time of
// asking — no cached copy to drift. Leaders and admins see the city; department staff see
// their own department only (as the time-to-money report does). Definitions are in
// docs/decisions/0022-dashboards-and-e2e.md.
import { COUNTIES, SECTION_BY_CODE, ZONES } from '@kx/data';
import type { Ctx } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { DEPARTMENT_ROLES, type Principal } from '../../http/access.ts';
import { countBits, wordsFor } from '../matching/bitset.ts';
import { currentMembers, latestSets, memoryOverlays } from '../matching/sets.ts';
import type { CatalogueStats, FunnelStages, FunnelStats, MoneyQuery, MoneyRow, MoneyStats } from './schema.ts';

/** The department a caller may see: department staff their own, leaders and admins any (or all). */
export function scopeOf(p: Principal, asked: string | undefined): string | undefined {
  if (p.role && DEPARTMENT_ROLES.includes(p.role)) {
    if (asked && asked !== p.department)
      throw new DomainError('FORBIDDEN', `只能查看本部门（${p.department}）的统计`, `you may see the statistics of your own department (${p.department}) only`, 'department');
    return p.department;
  }
  if (p.role !== 'leader' && p.role !== 'admin') throw new DomainError('FORBIDDEN', '无权查看统计', 'not allowed to see the statistics');
  return asked || undefined;
}

const MODE: Record<string, { zh: string; en: string }> = {
  auto: { zh: '免申即享', en: 'Granted without application' },
  online: { zh: '网上申请', en: 'Apply online' },
  offline: { zh: '线下办理', en: 'In person' },
};
const AUDIENCE: Record<string, { zh: string; en: string }> = {
  enterprise: { zh: '企业', en: 'Enterprises' },
  person: { zh: '个人', en: 'Residents' },
};

/** Items in force: the published version of every item (optionally of one department). */
const IN_FORCE = (dept: boolean) => `
  FROM items i JOIN item_versions v ON v.item_id = i.id AND v.version = i.published_version
  LEFT JOIN departments d ON d.code = i.department
 WHERE v.status = 'published' ${dept ? 'AND i.department = $1' : ''}`;

export async function catalogueStats(ctx: Ctx, department: string | undefined): Promise<CatalogueStats> {
  const r = await ctx.db.query<{ department: string; name: string | null; mode: string; audience: string; n: number }>(
    `SELECT i.department, d.name, v.mode, v.audience, count(*)::int AS n ${IN_FORCE(!!department)}
     GROUP BY i.department, d.name, v.mode, v.audience`,
    department ? [department] : [],
  );
  const bucket = (key: (row: (typeof r.rows)[number]) => string, label: (k: string, row: (typeof r.rows)[number]) => { zh: string; en: string }) => {
    const m = new Map<string, { key: string; label: { zh: string; en: string }; items: number }>();
    for (const row of r.rows) {
      const k = key(row);
      const b = m.get(k) ?? { key: k, label: label(k, row), items: 0 };
      b.items += row.n;
      m.set(k, b);
    }
    return [...m.values()].sort((a, b) => b.items - a.items || (a.key < b.key ? -1 : 1));
  };
  return {
    department: department ?? null,
    total: r.rows.reduce((s, x) => s + x.n, 0),
    by_department: bucket((x) => x.department, (k, x) => ({ zh: x.name ?? k, en: k })),
    by_mode: bucket((x) => x.mode, (k) => MODE[k] ?? { zh: k, en: k }),
    by_audience: bucket((x) => x.audience, (k) => AUDIENCE[k] ?? { zh: k, en: k }),
  };
}

const STAGES = ['eligible', 'notified', 'applied', 'approved', 'paid'] as const;
const zero = (): FunnelStages => ({ eligible: 0, notified: 0, applied: 0, approved: 0, paid: 0 });

/**
 * eligible → notified → applied → approved → paid, each as distinct (entity, item) pairs over
 * the items in force. Eligible is the matching module's current answer (newest set with the
 * newer per-entity overlays); notified is any notice to the entity about the item (inbox) or
 * a 'notified' case event; the rest are the case events every grant and application writes.
 */
export async function funnelStats(ctx: Ctx, department: string | undefined): Promise<FunnelStats> {
  const items = await ctx.db.query<{ id: string; title: string; department: string; mode: string }>(
    `SELECT i.id, v.title, i.department, v.mode ${IN_FORCE(!!department)} ORDER BY i.id`,
    department ? [department] : [],
  );
  const ids = items.rows.map((i) => i.id);
  const per = new Map(ids.map((id) => [id, zero()]));
  if (ids.length) {
    const sets = await latestSets(ctx.db, ids, 'eligible');
    const maxId = await ctx.db.query<{ max: string | null }>('SELECT max(e.id)::text AS max FROM entities e');
    const words = wordsFor(Number(maxId.rows[0].max ?? 0));
    const overlays = await memoryOverlays(ctx.db);
    for (const id of ids) per.get(id)!.eligible = countBits(await currentMembers(sets.get(id), id, 'eligible', overlays, words));
    const r = await ctx.db.query<{ item_id: string; stage: string; n: number }>(
      `WITH pairs AS (
         SELECT 'notified' AS stage, n.entity_id, n.item_id FROM inbox n WHERE n.entity_id IS NOT NULL AND n.item_id = ANY($1::text[])
         UNION
         SELECT e.event, e.entity_id, e.item_id
           FROM case_timeline e WHERE e.event IN ('notified', 'applied', 'approved', 'paid') AND e.item_id = ANY($1::text[]))
       SELECT p.item_id, p.stage, count(*)::int AS n FROM pairs p GROUP BY p.item_id, p.stage`,
      [ids],
    );
    for (const row of r.rows) {
      const s = per.get(row.item_id);
      if (s && (STAGES as readonly string[]).includes(row.stage)) s[row.stage as keyof FunnelStages] = row.n;
    }
  }
  const total = zero();
  for (const s of per.values()) for (const k of STAGES) total[k] += s[k];
  return {
    department: department ?? null,
    unit: 'entity_item',
    stages: total,
    items: items.rows
      .map((i) => ({ item_id: i.id, title: i.title, department: i.department, mode: i.mode, stages: per.get(i.id)! }))
      .sort((a, b) => b.stages.eligible - a.stages.eligible || (a.item_id < b.item_id ? -1 : 1)),
  };
}

const COUNTY_EN: Record<string, string> = {
  '371502': 'Dongchangfu District', '371503': 'Chiping District', '371521': 'Yanggu County', '371522': 'Shen County', '371524': "Dong'e County",
  '371525': 'Guan County', '371526': 'Gaotang County', '371581': 'Linqing City', 'LC-JKQ': 'Economic & Technological Development Zone',
  'LC-GXQ': 'High-tech Industrial Development Zone', 'LC-DJQ': 'Jiangbei Shuicheng Tourist Resort', other: 'Other / unknown',
};
const ZONE_OF_TOWN = new Map(ZONES.flatMap((z) => z.members.map((m) => [m, z.code] as const)));
const COUNTY_NAME = new Map<string, string>([...COUNTIES.map((c) => [c.code, c.name] as const), ...ZONES.map((z) => [z.code, z.name] as const), ['other', '其他或未知']]);

/** The tile of the map a region code falls in: a functional zone (by its towns), a county, or other. */
export function countyOf(region: string | null | undefined): string {
  if (!region) return 'other';
  if (region.startsWith('LC-')) return COUNTY_NAME.has(region) ? region : 'other';
  const zone = ZONE_OF_TOWN.get(region.slice(0, 9));
  if (zone) return zone;
  const c = region.slice(0, 6) === '371523' ? '371503' : region.slice(0, 6); // 茌平县 became 茌平区 (2019)
  return COUNTY_NAME.has(c) ? c : 'other';
}

export function countyLabel(key: string): { zh: string; en: string } {
  return { zh: COUNTY_NAME.get(key) ?? key, en: COUNTY_EN[key] ?? key };
}

function industryLabel(key: string): { zh: string; en: string } {
  if (key === 'person') return { zh: '个人', en: 'Residents' };
  const s = SECTION_BY_CODE.get(key);
  return s ? { zh: `${s.code} ${s.zh}`, en: `${s.code} ${s.en}` } : { zh: '行业未知', en: 'Industry unknown' };
}

/** Money as integer cents, so sums are exact. */
const cents = (s: string) => {
  const neg = s.startsWith('-');
  const [i, f = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(i) * 100n + BigInt((f + '00').slice(0, 2));
  return neg ? -v : v;
};
const yuan = (c: bigint) => {
  const neg = c < 0n;
  const a = neg ? -c : c;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
};

interface Acc { key: string; label: { zh: string; en: string }; committed: bigint; committed_cases: number; paid: bigint; paid_cases: number }
const row = (a: Acc): MoneyRow => ({ key: a.key, label: a.label, committed: yuan(a.committed), committed_cases: a.committed_cases, paid: yuan(a.paid), paid_cases: a.paid_cases });

/**
 * Committed: grants granted (or later batched, paid, failed) by the day they were made, and
 * applications approved (or later) by the day they were decided. Paid: payout lines the bank
 * answered as paid, by their payment date. Both per month, county (tile) and industry section.
 */
export async function moneyStats(ctx: Ctx, department: string | undefined, q: MoneyQuery): Promise<MoneyStats> {
  if (q.from && q.to && q.from > q.to) throw new DomainError('BAD_INPUT', `起始日期 ${q.from} 晚于截止日期 ${q.to}`, `from ${q.from} is after to ${q.to}`, 'from');
  const params: unknown[] = [q.from ?? '0001-01-01', q.to ?? '9999-12-31'];
  const dept = (col: string) => (department ? `AND ${col} = $3` : '');
  if (department) params.push(department);
  const r = await ctx.db.query<{ measure: 'committed' | 'paid'; day: string; region: string | null; kind: string; section: string | null; amount: string; n: number }>(
    `WITH m AS (
       SELECT 'committed' AS measure, (g.created_at AT TIME ZONE 'UTC')::date AS day, g.entity_id, g.amount
         FROM grants g WHERE g.status IN ('granted', 'batched', 'paid', 'payment_failed') ${dept('g.department')}
       UNION ALL
       SELECT 'committed', (a.decided_at AT TIME ZONE 'UTC')::date, a.entity_id, COALESCE(a.amount, 0)
         FROM applications a WHERE a.status IN ('approved', 'batched', 'paid', 'payment_failed') AND a.decided_at IS NOT NULL ${dept('a.department')}
       UNION ALL
       SELECT 'paid', l.paid_at, l.entity_id, l.amount
         FROM payout_lines l WHERE l.status = 'paid' AND l.paid_at IS NOT NULL ${dept('l.department')})
     SELECT m.measure, to_char(m.day, 'YYYY-MM-DD') AS day, e.region, e.kind, e.facts ->> 'industry_section' AS section,
            round(sum(m.amount), 2)::text AS amount, count(*)::int AS n
       FROM m JOIN entities e ON e.id = m.entity_id
      WHERE m.day BETWEEN $1::date AND $2::date
      GROUP BY m.measure, m.day, e.region, e.kind, e.facts ->> 'industry_section'`,
    params,
  );
  const groups = { month: new Map<string, Acc>(), county: new Map<string, Acc>(), industry: new Map<string, Acc>() };
  const total: Acc = { key: 'total', label: { zh: '合计', en: 'Total' }, committed: 0n, committed_cases: 0, paid: 0n, paid_cases: 0 };
  const add = (a: Acc, x: (typeof r.rows)[number]) => {
    if (x.measure === 'committed') {
      a.committed += cents(x.amount);
      a.committed_cases += x.n;
    } else {
      a.paid += cents(x.amount);
      a.paid_cases += x.n;
    }
  };
  const into = (m: Map<string, Acc>, key: string, label: () => { zh: string; en: string }) => {
    let a = m.get(key);
    if (!a) m.set(key, (a = { key, label: label(), committed: 0n, committed_cases: 0, paid: 0n, paid_cases: 0 }));
    return a;
  };
  for (const x of r.rows) {
    add(total, x);
    const month = x.day.slice(0, 7);
    add(into(groups.month, month, () => ({ zh: month, en: month })), x);
    const county = countyOf(x.region);
    add(into(groups.county, county, () => countyLabel(county)), x);
    const ind = x.kind === 'person' ? 'person' : x.section && SECTION_BY_CODE.has(x.section) ? x.section : 'unknown';
    add(into(groups.industry, ind, () => industryLabel(ind)), x);
  }
  const byKey = (m: Map<string, Acc>) => [...m.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(row);
  const byMoney = (m: Map<string, Acc>) => [...m.values()].sort((a, b) => (b.committed > a.committed ? 1 : b.committed < a.committed ? -1 : a.key < b.key ? -1 : 1)).map(row);
  return {
    department: department ?? null, from: q.from ?? null, to: q.to ?? null,
    definitions: {
      committed: '已发放的免申即享（按发放日）与已批准的申请（按批准日）/ grants made (by the day made) and applications approved (by the day decided)',
      paid: '银行回盘为成功的拨付明细（按支付日期）/ payout lines the bank answered as paid (by payment date)',
    },
    total: row(total),
    by_month: byKey(groups.month),
    by_county: byMoney(groups.county),
    by_industry: byMoney(groups.industry),
  };
}
