// The dashboards' figures equal counts computed independently from the seeded rows: a random
// (seeded) city of items, entities, eligible sets with overlays, notices, case events, grants,
// applications and payout lines is written, then every figure is recomputed here in plain
// TypeScript from the same lists and compared with what the API answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { markEligible } from '../grants/fixtures.ts';
import { seedApplication, seedGrant, seedItem, settleOnClose } from '../payouts/testing.ts';
import type { CatalogueStats, FunnelStats, MoneyStats } from './schema.ts';
import { countyOf } from './service.ts';

/** mulberry32: the same scenario on both databases and on every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEPTS = ['lc-rsj', 'lc-mzj', 'lc-czj'];
const MODES = ['auto', 'online', 'offline'];
const REGIONS = ['371502', '371502008001', '371502108', '371503', '371523', '371521', '371581', '371526', 'LC-DJQ', null, '110101'];
const SECTIONS = ['C', 'F', 'I', null, 'ZZ'];
const DAYS = ['2025-04-03', '2025-05-20', '2025-05-31', '2025-06-01', '2025-06-15'];

interface Item { id: string; department: string; mode: string; audience: string; published: boolean }
interface Ent { id: string; kind: 'person' | 'enterprise'; region: string | null; section: string | null }
interface Money { entity: string; department: string; amount: string; day: string; counts: boolean }

interface World {
  items: Item[];
  entities: Ent[];
  eligible: Map<string, Set<string>>;
  pairs: Record<'notified' | 'applied' | 'approved' | 'paid', Set<string>>;
  committed: Money[];
  paid: Money[];
}

async function seedWorld(env: TestEnv): Promise<World> {
  const r = rng(22);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const cents = () => `${1 + Math.floor(r() * 5000)}.${String(Math.floor(r() * 100)).padStart(2, '0')}`;
  const q = env.db;
  const items: Item[] = [];
  for (let i = 0; i < 9; i++) {
    const it = { id: `st-item-${i}`, department: DEPTS[i % 3], mode: pick(MODES), audience: pick(['person', 'enterprise']), published: i !== 8 };
    await seedItem(q, it.id, it.department, { mode: it.mode });
    await q.query('UPDATE item_versions SET audience = $2 WHERE item_id = $1', [it.id, it.audience]);
    // a draft item: not in force, counted nowhere
    if (!it.published) await q.query(`UPDATE items SET published_version = NULL WHERE id = $1`, [it.id]);
    if (!it.published) await q.query(`UPDATE item_versions SET status = 'draft' WHERE item_id = $1`, [it.id]);
    items.push(it);
  }
  const entities: Ent[] = [];
  for (let i = 0; i < 50; i++) {
    const kind = r() < 0.5 ? 'person' : 'enterprise';
    const region = pick(REGIONS);
    const section = kind === 'enterprise' ? pick(SECTIONS) : null;
    const facts = section ? { industry_section: section } : {};
    const res = await q.query<{ id: string }>(`INSERT INTO entities (kind, key_hash, region, facts) VALUES ($1, $2, $3, $4) RETURNING id::text AS id`, [kind, `st-${i}`, region, JSON.stringify(facts)]);
    entities.push({ id: res.rows[0].id, kind, region, section });
  }
  // eligible sets, then overlays newer than the sets: one entity dropped, one added
  const eligible = new Map<string, Set<string>>();
  const setAt = new Date('2025-06-01T00:00:00Z');
  for (const it of items) {
    const members = entities.filter(() => r() < 0.4).map((e) => e.id);
    await markEligible(q, { id: it.id, version: 1 }, members, setAt, false);
    eligible.set(it.id, new Set(members));
  }
  const [dropItem, addItem] = [items[0].id, items[1].id];
  const dropped = [...eligible.get(dropItem)!][0];
  const added = entities.find((e) => !eligible.get(addItem)!.has(e.id) && e.id !== dropped)!.id;
  const later = new Date('2025-06-20T00:00:00Z');
  const others = (id: string) => Object.fromEntries(items.filter((i) => i.id !== dropItem && eligible.get(i.id)!.has(id)).map((i) => [i.id, 1]));
  await q.query(`INSERT INTO match_deltas (entity_id, profile_version, as_of, eligible, computed_at) VALUES ($1, 2, '2025-06-20', $2, $3)`, [dropped, JSON.stringify(others(dropped)), later]);
  eligible.get(dropItem)!.delete(dropped);
  const addList = { ...Object.fromEntries(items.filter((i) => eligible.get(i.id)!.has(added)).map((i) => [i.id, 1])), [addItem]: 1 };
  await q.query(`INSERT INTO match_deltas (entity_id, profile_version, as_of, eligible, computed_at) VALUES ($1, 2, '2025-06-20', $2, $3)`, [added, JSON.stringify(addList), later]);
  eligible.get(addItem)!.add(added);

  // notices and case events, some pairs twice (counted once), some notices about no item
  const pairs: World['pairs'] = { notified: new Set(), applied: new Set(), approved: new Set(), paid: new Set() };
  let seq = 0;
  for (let i = 0; i < 120; i++) {
    const it = pick(items);
    const e = pick(entities);
    const kind = pick(['notice', 'notice-no-item', 'notified', 'applied', 'approved', 'paid', 'first_eligible'] as const);
    seq++;
    if (kind === 'notice' || kind === 'notice-no-item') {
      await q.query(`INSERT INTO inbox (entity_id, kind, title, body, cause_key, item_id) VALUES ($1, 'test', 't', 'b', $2, $3)`, [e.id, `st-n-${seq}`, kind === 'notice' ? it.id : null]);
      if (kind === 'notice' && it.published) pairs.notified.add(`${e.id}:${it.id}`);
    } else {
      await q.query(
        `INSERT INTO case_events (case_type, case_id, entity_id, item_id, item_version, department, event, at, dedupe_key) VALUES ($1, $2, $3, $4, 1, $5, $6, '2025-06-10T00:00:00Z', $7)`,
        [pick(['grant', 'application']), seq, e.id, it.id, it.department, kind, `st-e-${seq}`],
      );
      if (kind !== 'first_eligible' && it.published) pairs[kind].add(`${e.id}:${it.id}`);
    }
  }

  // money: grants and applications in every status, payout lines paid or not
  const committed: Money[] = [];
  const paid: Money[] = [];
  for (let i = 0; i < 40; i++) {
    const it = pick(items);
    const e = pick(entities);
    const amount = cents();
    const day = pick(DAYS);
    if (r() < 0.5) {
      const status = pick(['granted', 'batched', 'paid', 'payment_failed', 'superseded', 'cancelled', 'pending_confirmation']);
      const id = await seedGrant(q, e.id, it.id, it.department, amount, status).catch(() => null); // (entity, item, period) is unique
      if (!id) continue;
      await q.query(`UPDATE grants SET created_at = $2 WHERE id = $1`, [id, `${day}T10:00:00Z`]);
      committed.push({ entity: e.id, department: it.department, amount, day, counts: ['granted', 'batched', 'paid', 'payment_failed'].includes(status) });
    } else {
      const status = pick(['approved', 'batched', 'paid', 'payment_failed', 'rejected', 'in_review', 'submitted']);
      const id = await seedApplication(q, e.id, it.id, it.department, amount, { status }).catch(() => null);
      if (!id) continue;
      await q.query(`UPDATE applications SET decided_at = $2 WHERE id = $1`, [id, `${day}T10:00:00Z`]);
      committed.push({ entity: e.id, department: it.department, amount, day, counts: ['approved', 'batched', 'paid', 'payment_failed'].includes(status) });
    }
  }
  for (const dept of DEPTS) {
    const b = await q.query<{ id: string }>(`INSERT INTO payout_batches (department, status, created_at) VALUES ($1, 'exported', now()) RETURNING id::text AS id`, [dept]);
    for (let i = 0; i < 8; i++) {
      const e = pick(entities);
      const it = items.find((x) => x.department === dept)!;
      const amount = cents();
      const day = pick(DAYS);
      const status = pick(['paid', 'paid', 'failed', 'exported']);
      seq++;
      await q.query(
        `INSERT INTO payout_lines (batch_id, case_type, case_id, entity_id, item_id, item_version, department, payee_enc, account_enc, amount, reference, status, failure_reason, paid_at, created_at)
         VALUES ($1, 'grant', $2, $3, $4, 1, $5, 'x', 'x', $6, $7, $8, $9, $10, now())`,
        [b.rows[0].id, seq, e.id, it.id, dept, amount, `ST${seq}`, status, status === 'failed' ? '账户已销户' : null, status === 'paid' ? day : null],
      );
      paid.push({ entity: e.id, department: dept, amount, day, counts: status === 'paid' });
    }
  }
  return { items, entities, eligible, pairs, committed, paid };
}

const toCents = (s: string) => Math.round(Number(s) * 100);
const fmt = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;

/** The money figures recomputed from the seed lists, grouped by a key of the entity and day. */
function expectedMoney(w: World, dept: string | undefined, key: (e: Ent, day: string) => string, from = '0000', to = '9999') {
  const out = new Map<string, { committed: number; committed_cases: number; paid: number; paid_cases: number }>();
  const ent = new Map(w.entities.map((e) => [e.id, e]));
  for (const [list, measure] of [[w.committed, 'committed'], [w.paid, 'paid']] as const)
    for (const m of list) {
      if (!m.counts || (dept && m.department !== dept) || m.day < from || m.day > to) continue;
      const k = key(ent.get(m.entity)!, m.day);
      const a = out.get(k) ?? { committed: 0, committed_cases: 0, paid: 0, paid_cases: 0 };
      a[measure] += toCents(m.amount);
      a[`${measure}_cases`] += 1;
      out.set(k, a);
    }
  return Object.fromEntries([...out].map(([k, a]) => [k, { committed: fmt(a.committed), committed_cases: a.committed_cases, paid: fmt(a.paid), paid_cases: a.paid_cases }]));
}
const asMap = (rows: MoneyStats['by_month']) => Object.fromEntries(rows.map((x) => [x.key, { committed: x.committed, committed_cases: x.committed_cases, paid: x.paid, paid_cases: x.paid_cases }]));

describe.each(DATABASES)('dashboard statistics on %s', (kind) => {
  let env: TestEnv;
  let w: World;
  let leader: string;
  let clerk: string;
  const get = async <T,>(token: string, url: string) => {
    const r = await env.app.inject({ method: 'GET', url, headers: bearer(token) });
    return { status: r.statusCode, body: r.json() as T };
  };

  beforeAll(async () => {
    env = await testEnv(kind);
    settleOnClose(env);
    w = await seedWorld(env);
    await addUser(env, 'st-leader', 'leader');
    await addUser(env, 'st-clerk', 'clerk', { department: 'lc-mzj' });
    leader = await env.login('st-leader');
    clerk = await env.login('st-clerk');
  });
  afterAll(() => env.close());

  it('counts the items in force by department, mode and audience', async () => {
    const { status, body } = await get<CatalogueStats>(leader, '/api/v1/stats/catalogue');
    expect(status).toBe(200);
    const inForce = w.items.filter((i) => i.published);
    const count = (k: keyof Item) => Object.fromEntries([...new Set(inForce.map((i) => String(i[k])))].map((v) => [v, inForce.filter((i) => String(i[k]) === v).length]));
    expect(body.total).toBe(8);
    expect(Object.fromEntries(body.by_department.map((b) => [b.key, b.items]))).toEqual(count('department'));
    expect(Object.fromEntries(body.by_mode.map((b) => [b.key, b.items]))).toEqual(count('mode'));
    expect(Object.fromEntries(body.by_audience.map((b) => [b.key, b.items]))).toEqual(count('audience'));
    expect(body.by_department.find((b) => b.key === 'lc-mzj')!.label.zh).toMatch(/民政/);
  });

  it('counts the funnel as (entity, item) pairs: eligible from the sets with overlays, the rest from notices and case events', async () => {
    const { body } = await get<FunnelStats>(leader, '/api/v1/stats/funnel');
    const inForce = w.items.filter((i) => i.published).map((i) => i.id);
    const byItem = (set: Set<string>, item: string) => [...set].filter((p) => p.endsWith(`:${item}`)).length;
    for (const id of inForce) {
      const got = body.items.find((x) => x.item_id === id)!;
      expect(got.stages, id).toEqual({
        eligible: w.eligible.get(id)!.size,
        notified: byItem(w.pairs.notified, id), applied: byItem(w.pairs.applied, id), approved: byItem(w.pairs.approved, id), paid: byItem(w.pairs.paid, id),
      });
    }
    expect(body.items.map((x) => x.item_id).sort()).toEqual([...inForce].sort());
    // the scenario exercises every stage (a funnel of zeros would prove nothing)
    expect(Object.values(body.stages).every((n) => n > 0)).toBe(true);
    expect(body.stages).toEqual({
      eligible: inForce.reduce((s, id) => s + w.eligible.get(id)!.size, 0),
      notified: w.pairs.notified.size, applied: w.pairs.applied.size, approved: w.pairs.approved.size, paid: w.pairs.paid.size,
    });
  });

  it('sums committed and paid money by month, county tile and industry section, exactly', async () => {
    const { body } = await get<MoneyStats>(leader, '/api/v1/stats/money');
    expect(asMap(body.by_month)).toEqual(expectedMoney(w, undefined, (_e, day) => day.slice(0, 7)));
    expect(asMap(body.by_county)).toEqual(expectedMoney(w, undefined, (e) => countyOf(e.region)));
    const section = (e: Ent) => (e.kind === 'person' ? 'person' : e.section && e.section !== 'ZZ' ? e.section : 'unknown');
    expect(asMap(body.by_industry)).toEqual(expectedMoney(w, undefined, section));
    expect(asMap([body.total])).toEqual(expectedMoney(w, undefined, () => 'total'));
    expect(body.total.committed_cases).toBeGreaterThan(5);
    expect(body.total.paid_cases).toBeGreaterThan(5);
    expect(body.by_county.length).toBeGreaterThan(4);
    const june = (await get<MoneyStats>(leader, '/api/v1/stats/money?from=2025-06-01&to=2025-06-30')).body;
    expect(asMap(june.by_county)).toEqual(expectedMoney(w, undefined, (e) => countyOf(e.region), '2025-06-01', '2025-06-30'));
  });

  it('maps towns of a functional zone to the zone, 茌平县 to 茌平区, and the rest of the world to other', () => {
    expect([countyOf('371502008001'), countyOf('371502108'), countyOf('371502001'), countyOf('371523'), countyOf('LC-DJQ'), countyOf('110101'), countyOf(null)])
      .toEqual(['LC-JKQ', 'LC-GXQ', '371502', '371503', 'LC-DJQ', 'other', 'other']);
  });

  it('shows department staff their own department only', async () => {
    const cat = await get<CatalogueStats>(clerk, '/api/v1/stats/catalogue');
    expect(cat.body.department).toBe('lc-mzj');
    expect(cat.body.by_department.map((b) => b.key)).toEqual(['lc-mzj']);
    const funnel = await get<FunnelStats>(clerk, '/api/v1/stats/funnel');
    expect(new Set(funnel.body.items.map((i) => i.department))).toEqual(new Set(['lc-mzj']));
    const money = await get<MoneyStats>(clerk, '/api/v1/stats/money');
    expect(asMap([money.body.total])).toEqual(expectedMoney(w, 'lc-mzj', () => 'total'));
    expect((await get(clerk, '/api/v1/stats/money?department=lc-rsj')).status).toBe(403);
    // a leader may narrow to one department and gets the same figures
    const scoped = await get<MoneyStats>(leader, '/api/v1/stats/money?department=lc-mzj');
    expect(scoped.body.total).toEqual(money.body.total);
    expect((await get(leader, '/api/v1/stats/money?from=2025-07-01&to=2025-06-01')).status).toBe(400);
  });
});
