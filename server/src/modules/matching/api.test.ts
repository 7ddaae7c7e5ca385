import { Dec, evaluateItem, parseDate, parseExpr, printExpr, type Entity, type PolicyItem } from '@kx/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { asInput } from '../catalogue/fixtures.ts';
import { runFull } from './runs-service.ts';
import { runSimulationJob, simulate } from './simulate.ts';
import { allEntities, loadProfiles, profiles, publishDemo, quiesce } from './testing.ts';

type Brief = { item: string; version: number; department: string; verdict: string; title: string };

describe.each(DATABASES)('the matching API on %s', (kind) => {
  let env: TestEnv;
  let items: PolicyItem[];
  let entities: Entity[];
  let day: number;
  let person: Entity;
  let enterprise: Entity;
  const get = async (url: string, user: string) => env.app.inject({ method: 'GET', url, headers: bearer(await env.login(user)) });
  const verdictOf = (it: PolicyItem, e: Entity) => evaluateItem(it, e, env.ctx.dict, day, { explain: false, counterfactuals: false });

  beforeAll(async () => {
    env = await testEnv(kind);
    items = await publishDemo(env.ctx);
    await loadProfiles(env.ctx, profiles(900, 100, 'matching-api'));
    entities = await allEntities(env.ctx);
    day = parseDate(env.ctx.today())!;
    // The entity of each kind with the most eligible and undetermined items: the most to explain.
    const best = (k: string) => {
      let top: { e: Entity; n: number } | undefined;
      for (const e of entities.filter((x) => x.kind === k).slice(0, 150)) {
        const n = items.filter((it) => verdictOf(it, e).verdict !== 'ineligible').length;
        if (!top || n > top.n) top = { e, n };
      }
      return top!.e;
    };
    person = best('person');
    enterprise = best('enterprise');
    await addUser(env, 'resident1', 'resident', { entity_id: person.id! });
    await addUser(env, 'ent1', 'enterprise', { entity_id: enterprise.id! });
    await addUser(env, 'admin1', 'admin');
    await addUser(env, 'leader1', 'leader');
    await addUser(env, 'clerk-mzj', 'clerk', { department: 'lc-mzj' });
    await addUser(env, 'approver-mzj', 'approver', { department: 'lc-mzj' });
    await addUser(env, 'clerk-nyj', 'clerk', { department: 'lc-nyj' });
    await runFull(env.ctx);
  }, 180_000);
  afterAll(async () => {
    await quiesce(env);
    await env?.close();
  }, 30_000);

  it('answers an entity its verdict on every item, the same as evaluateItem, explained where it matters', async () => {
    const r = await get(`/api/v1/entities/${person.id}/matches?ineligible=true&explain=full`, 'resident1');
    expect(r.statusCode).toBe(200);
    const m = r.json();
    expect(m).toMatchObject({ entity_id: person.id, scope: 'own', replay: false, catalogue_items: items.length });
    expect(m.counts.eligible + m.counts.undetermined + m.counts.ineligible).toBe(items.length);
    for (const v of ['eligible', 'undetermined'] as const) {
      const want = items.filter((it) => verdictOf(it, person).verdict === v).map((it) => it.id).sort();
      expect((m[v] as Brief[]).map((x) => x.item).sort()).toEqual(want);
    }
    expect(m.eligible.length + m.undetermined.length).toBeGreaterThan(0);
    for (const x of m.eligible) expect(x.explanation.result).toBe('T');
    for (const x of m.undetermined) {
      expect(x.missing.length).toBeGreaterThan(0);
      expect(x.explanation.result).toBe('U');
      expect(Array.isArray(x.counterfactuals)).toBe(true);
    }
    // Ineligible items listed are those of a person's audience; the rest are only counted.
    expect((m.ineligible as Brief[]).every((x) => items.find((it) => it.id === x.item)!.audience === 'person')).toBe(true);
  });

  it('lists by default the verdicts, amounts and missing facts without the explanations, the same as explain=full otherwise', async () => {
    const full = (await get(`/api/v1/entities/${person.id}/matches?ineligible=true&explain=full`, 'resident1')).json();
    const r = await get(`/api/v1/entities/${person.id}/matches?ineligible=true`, 'resident1');
    expect(r.statusCode).toBe(200);
    const m = r.json();
    expect(m.counts).toEqual(full.counts);
    expect(m.ineligible).toEqual(full.ineligible);
    for (const v of ['eligible', 'undetermined'] as const) {
      // The same items in the same order (the most money first), with what the supply form needs.
      expect(m[v].map((x: Brief) => x.item)).toEqual(full[v].map((x: Brief) => x.item));
      m[v].forEach((x: Record<string, unknown>, k: number) => {
        expect(x).not.toHaveProperty('explanation');
        expect(x).not.toHaveProperty('counterfactuals');
        const { explanation: _e, counterfactuals: _c, ...rest } = full[v][k];
        expect(x).toEqual(rest);
      });
    }
    expect(m.undetermined.length).toBeGreaterThan(0);
    for (const x of m.undetermined) {
      expect(x.missing.length).toBeGreaterThan(0);
      for (const f of x.missing) expect(f).toMatchObject({ field: expect.any(String), label: { zh: expect.any(String), en: expect.any(String) } });
    }
    // What the list leaves out, the one-item route gives: the explanation and the counterfactuals.
    const open = m.undetermined[0];
    const one = (await get(`/api/v1/entities/${person.id}/matches/${open.item}`, 'resident1')).json();
    expect(one).toMatchObject({ item: open.item, verdict: 'undetermined', missing: open.missing, amount: open.amount });
    expect(one.explanation.result).toBe('U');
    expect(Array.isArray(one.counterfactuals)).toBe(true);
    // explain takes only 'full'.
    expect((await get(`/api/v1/entities/${person.id}/matches?explain=yes`, 'resident1')).statusCode).toBe(400);
  });

  it('explains one item in full, including what would make an ineligible entity eligible', async () => {
    const near = items.find((it) => it.audience === 'person' && verdictOf(it, person).verdict === 'ineligible' && evaluateItem(it, person, env.ctx.dict, day).counterfactuals.length > 0)!;
    const r = await get(`/api/v1/entities/${person.id}/matches/${near.id}`, 'resident1');
    expect(r.statusCode).toBe(200);
    const m = r.json();
    expect(m).toMatchObject({ item: near.id, verdict: 'ineligible' });
    expect(m.counterfactuals.length).toBeGreaterThan(0);
    expect(m.counterfactuals[0].text.zh).toMatch(/^若/);
    const other = items.find((it) => it.department !== 'lc-mzj')!;
    expect((await get(`/api/v1/entities/${person.id}/matches/${other.id}`, 'clerk-mzj')).statusCode).toBe(404);
    const mine = items.find((it) => it.department === 'lc-mzj')!;
    const brief = (await get(`/api/v1/entities/${person.id}/matches/${mine.id}`, 'clerk-mzj')).json();
    expect(Object.keys(brief).sort()).toEqual(['department', 'item', 'mode', 'title', 'verdict', 'version']);
    expect(brief.verdict).toBe(verdictOf(mine, person).verdict);
  });

  it('speaks one language when asked', async () => {
    const m = (await get(`/api/v1/entities/${enterprise.id}/matches?lang=en&explain=full`, 'ent1')).json();
    // Without ?ineligible=true the items it does not meet are counted, not listed.
    expect(m.ineligible).toEqual([]);
    expect(m.counts.ineligible).toBeGreaterThan(0);
    const x = [...m.eligible, ...m.undetermined][0];
    expect(typeof x.explanation.text).toBe('string');
    expect(x.explanation.text).toMatch(/[A-Za-z]/);
    // The default list too: the labels of the missing facts in English.
    const brief = (await get(`/api/v1/entities/${person.id}/matches?lang=en`, 'resident1')).json();
    const missing = brief.undetermined.flatMap((u: { missing: { label: unknown }[] }) => u.missing);
    expect(missing.length).toBeGreaterThan(0);
    for (const f of missing) expect(f.label).toMatch(/^[\x20-\x7e]+$/);
  });

  it('refuses another entity\'s matches, and a leader, and audits the refusal', async () => {
    expect((await get(`/api/v1/entities/${enterprise.id}/matches`, 'resident1')).statusCode).toBe(403);
    expect((await get(`/api/v1/entities/${person.id}/matches`, 'leader1')).statusCode).toBe(403);
    const denied = await env.db.query<{ n: string }>("SELECT count(*)::text AS n FROM audit_log WHERE action = 'match.read' AND outcome = 'denied'");
    expect(Number(denied.rows[0].n)).toBeGreaterThan(0);
  });

  it('shows department staff only their own items\' verdicts, never the facts, and audits the read', async () => {
    for (const query of ['?ineligible=true', '?ineligible=true&explain=full']) {
      const r = await get(`/api/v1/entities/${person.id}/matches${query}`, 'clerk-mzj');
      expect(r.statusCode).toBe(200);
      const m = r.json();
      expect(m.scope).toBe('department');
      const listed: Brief[] = [...m.eligible, ...m.undetermined, ...m.ineligible];
      expect(listed.length).toBe(items.filter((it) => it.department === 'lc-mzj').length);
      for (const x of listed) {
        expect(x.department).toBe('lc-mzj');
        expect(Object.keys(x).sort()).toEqual(['department', 'item', 'mode', 'title', 'verdict', 'version']);
      }
    }
    const audited = await env.db.query<{ detail: { scope: string } }>("SELECT detail FROM audit_log WHERE action = 'match.read' AND outcome = 'ok' AND subject = $1", [`entity:${person.id}`]);
    expect(audited.rows.map((x) => x.detail.scope)).toContain('department');
  });

  it('lists who is eligible for an item to its department only: ids and masked names, no facts', async () => {
    const item = items.find((it) => it.department === 'lc-mzj' && entities.some((e) => verdictOf(it, e).verdict === 'eligible'))!;
    const want = entities.filter((e) => verdictOf(item, e).verdict === 'eligible').map((e) => e.id);
    const r = await get(`/api/v1/items/${item.id}/eligible?page_size=200`, 'clerk-mzj');
    expect(r.statusCode).toBe(200);
    const page = r.json();
    expect(page.total).toBe(want.length);
    expect(page.entities.map((x: { entity_id: string }) => x.entity_id)).toEqual(want.slice(0, 200));
    for (const x of page.entities) {
      expect(Object.keys(x).sort()).toEqual(['display_name', 'entity_id', 'kind', 'region']);
      if (x.kind === 'person') expect(x.display_name).toMatch(/\*/);
    }
    expect((await get(`/api/v1/items/${item.id}/eligible`, 'clerk-nyj')).statusCode).toBe(403);
    expect((await get(`/api/v1/items/${item.id}/eligible`, 'resident1')).statusCode).toBe(403);
    expect((await get(`/api/v1/items/${item.id}/eligible?verdict=undetermined`, 'admin1')).json().total).toBe(
      entities.filter((e) => verdictOf(item, e).verdict === 'undetermined').length,
    );
  });

  it('simulates a version and a posted draft with the counts and the cost evaluateItem gives', async () => {
    const item = items.find((it) => it.department === 'lc-mzj' && it.amount && entities.some((e) => verdictOf(it, e).verdict === 'eligible'))!;
    const token = await env.login('approver-mzj');
    const r = await env.app.inject({ method: 'POST', url: `/api/v1/items/${item.id}/simulate`, headers: bearer(token), payload: { version: item.version } });
    expect(r.statusCode).toBe(200);
    const { status, result } = r.json();
    expect(status).toBe('done');
    const verdicts = entities.map((e) => evaluateItem(item, e, env.ctx.dict, day, { explain: false, counterfactuals: false }));
    const eligible = verdicts.filter((v) => v.verdict === 'eligible');
    expect(result.eligible).toBe(eligible.length);
    expect(result.undetermined).toBe(verdicts.filter((v) => v.verdict === 'undetermined').length);
    const cost = eligible.reduce((s, v) => (v.amount?.value ? s.plus(v.amount.value) : s), new Dec(0));
    expect(new Dec(result.total_cost).equals(cost)).toBe(true);
    expect(result.amount_unknown).toBe(eligible.filter((v) => !v.amount?.value).length);
    const sum = (rows: { eligible: number }[]) => rows.reduce((s, x) => s + x.eligible, 0);
    expect(sum(result.by_county)).toBe(result.eligible);
    expect(sum(result.by_industry)).toBe(result.eligible);

    // A draft posted from the editor, before anything is saved: its own rule, not the stored one.
    const rule = item.audience === 'person' ? 'alive = true' : 'employees >= 10';
    const d = await env.app.inject({ method: 'POST', url: `/api/v1/items/${item.id}/simulate`, headers: bearer(token), payload: { item: { ...asInput(item), eligibility: rule } } });
    expect(d.statusCode, d.body).toBe(200);
    const draft: PolicyItem = { ...item, eligibility: parseExpr(rule) };
    expect(d.json().result.eligible).toBe(entities.filter((e) => verdictOf(draft, e).verdict === 'eligible').length);
    expect(d.json().result.eligible).not.toBe(result.eligible);
    expect(d.json().result.version).toBeNull();
  });

  it('simulates a new item before its first save, for its department only, and the count follows the rule', async () => {
    const item = items.find((it) => it.department === 'lc-mzj' && entities.some((e) => verdictOf(it, e).verdict === 'eligible'))!;
    const fresh = { ...asInput(item), id: 'lc-mzj-not-saved-yet' };
    const post = async (user: string, rule: string) =>
      env.app.inject({ method: 'POST', url: '/api/v1/simulations', headers: bearer(await env.login(user)), payload: { item: { ...fresh, eligibility: rule } } });
    const eligibleUnder = (rule: string) => entities.filter((e) => verdictOf({ ...item, eligibility: parseExpr(rule) }, e).verdict === 'eligible').length;
    const own = item.eligibility_text ?? printExpr(item.eligibility);
    const wider = item.audience === 'person' ? 'alive = true' : 'employees >= 10';
    const a = await post('clerk-mzj', own);
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().result).toMatchObject({ item_id: 'lc-mzj-not-saved-yet', version: null, eligible: eligibleUnder(own) });
    const b = await post('clerk-mzj', wider);
    expect(b.json().result.eligible).toBe(eligibleUnder(wider));
    expect(b.json().result.eligible).not.toBe(a.json().result.eligible);
    // Nothing was stored; another department's clerk and an applicant may not simulate it.
    expect((await get('/api/v1/items/lc-mzj-not-saved-yet', 'clerk-mzj')).statusCode).toBe(404);
    expect((await post('clerk-nyj', own)).statusCode).toBe(403);
    expect((await post('resident1', own)).statusCode).toBe(403);
    const bad = await post('clerk-mzj', 'no_such_field > 1');
    expect(bad.statusCode).toBe(400);
  });

  it('runs a big simulation as a job whose run reports the same result', async () => {
    const item = items.find((it) => it.department === 'lc-mzj')!;
    const p = { kind: 'user' as const, userId: '1', role: 'approver' as const, department: 'lc-mzj' };
    const queued = await simulate(env.ctx, p, item.id, { version: item.version }, { syncLimit: 0 });
    expect(queued.status).toBe('queued');
    const job = await env.db.query<{ payload: Parameters<typeof runSimulationJob>[1] }>("SELECT payload FROM jobs WHERE queue = 'match.simulate' ORDER BY id DESC LIMIT 1");
    const result = await runSimulationJob(env.ctx, job.rows[0].payload);
    const runId = (queued as { run_id: string }).run_id;
    const run = (await get(`/api/v1/match-runs/${runId}`, 'approver-mzj')).json();
    expect(run).toMatchObject({ kind: 'simulation', status: 'done', progress: 1 });
    expect(run.stats.result.eligible).toBe(result.eligible);
    expect((await get(`/api/v1/match-runs/${runId}`, 'clerk-nyj')).statusCode).toBe(403);
    const other = items.find((it) => it.department === 'lc-mzj')!;
    const refused = await env.app.inject({ method: 'POST', url: `/api/v1/items/${other.id}/simulate`, headers: bearer(await env.login('clerk-nyj')), payload: {} });
    expect(refused.statusCode).toBe(403);
  });
});
