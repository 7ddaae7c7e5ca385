// npx tsx bench/grants.ts — the 免申即享 grant run end to end, on PostgreSQL (DATABASE_URL,
// a fresh database is created and dropped) or on PGlite (a temporary folder).
//
//   BENCH_ENTITIES    (default 100,000)  population (92% residents, 8% market entities)
//   BENCH_CONCURRENCY (default 4)        chunk transactions at once (PostgreSQL)
//   BENCH_CHUNK       (default 5,000)    entities per transaction
//   BENCH_WRITE_ONLY=1                   only the write path: residents stored straight by SQL
//                                        (no catalogue, no evaluation), one item all are eligible
//                                        for — the grants/s of a city of a million in minutes
//
// Workload: the benchmark catalogue (2,728 items grown from data/policies, seed 1) of which
// the 466 免申即享 items are published; the synthetic population stored as the profiles
// module stores it (personal facts sealed, provenance per field); each item's eligible set
// written in the matching module's form from the engine's verdicts. Then the timed part:
// `runGrants` — reading sets and facts, amounts, stacking, budgets, and per grant the grant
// row with its evidence, two time-to-money events, an inbox row, the ledger and the audit.
// Then the same run again (idempotent: nothing new); then the write path alone, one item
// that every resident is eligible for (full chunks).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CatalogueMatcher, normalizeFacts, parseDate, type Entity, type PolicyItem } from '../engine/src/index.ts';
import { createPopulation, generateCatalogue, liaochengDictionary, loadCatalogue } from '../data/src/index.ts';
import { testConfig } from '../server/test/harness.ts';
import { createCtx } from '../server/src/context.ts';
import { connectPostgres, openPglite, type Db } from '../server/src/db/db.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { seedDepartments } from '../server/src/seed/departments.ts';
import { countBits, encodeBits, setBit } from '../server/src/modules/matching/bitset.ts';
import { writeSet } from '../server/src/modules/matching/sets.ts';
import { seal } from '../server/src/modules/profiles/sensitive.ts';
import { autoItem, markEligible, publish } from '../server/src/modules/grants/fixtures.ts';
import { runGrants } from '../server/src/modules/grants/run.ts';

const num = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const ENTITIES = num('BENCH_ENTITIES', 100_000);
const CONCURRENCY = num('BENCH_CONCURRENCY', 4);
const CHUNK = num('BENCH_CHUNK', 5000);
const DATE = '2025-06-30';
const AS_OF = '2025-06-01';
const log = (s: string) => process.stderr.write(`${s}\n`);
const secs = (t: number) => ((performance.now() - t) / 1000).toFixed(1);

async function open(): Promise<{ db: Db; drop: () => Promise<void>; where: string }> {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    const name = `kx_bench_grants_${randomBytes(4).toString('hex')}`;
    const admin = await connectPostgres(url.toString(), 1);
    await admin.query(`CREATE DATABASE ${name}`);
    url.pathname = `/${name}`;
    const db = await connectPostgres(url.toString(), CONCURRENCY + 2);
    return { db, where: `PostgreSQL ${url.host}`, drop: async () => { await db.close(); await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); await admin.close(); } };
  }
  const dir = mkdtempSync(join(tmpdir(), 'kx-bench-grants-'));
  const db = await openPglite(join(dir, 'pgdata'));
  return { db, where: 'PGlite', drop: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** The write path alone at any size: residents inserted by SQL, one item every one of them gets. */
async function writeOnly(db: Db, where: string): Promise<void> {
  const ctx = createCtx(testConfig({ dataKey: Buffer.alloc(32, 7) }), db, () => new Date(`${DATE}T02:00:00Z`));
  let t = performance.now();
  for (let from = 0; from < ENTITIES; from += 100_000)
    await db.query(
      `INSERT INTO entities (kind, key_hash, region, facts, provenance)
       SELECT 'person', 'bench-' || g, '371502', '{"alive": true, "region": "371502"}', '{"alive": {"s": "police", "d": "${AS_OF}"}, "region": {"s": "police", "d": "${AS_OF}"}}'
         FROM generate_series($1::int, $2::int) g`,
      [from + 1, Math.min(ENTITIES, from + 100_000)],
    );
  const wide = autoItem('bench-wide', { amount: '50', period: 'month' });
  await publish(ctx, [wide], 'bench-wide');
  const persons = (await db.query<{ id: string }>("SELECT id::text AS id FROM entities WHERE kind = 'person'")).rows.map((r) => r.id);
  await markEligible(db, wide, persons, new Date(`${AS_OF}T00:00:00Z`), false);
  log(`write-only: ${persons.length} residents stored and eligible (${secs(t)} s); run: ${where}, concurrency ${db.kind === 'pglite' ? 1 : CONCURRENCY}, chunk ${CHUNK}`);
  t = performance.now();
  const r = await runGrants(ctx, { date: DATE, item: 'bench-wide', chunkSize: CHUNK, concurrency: CONCURRENCY });
  const s = (performance.now() - t) / 1000;
  process.stdout.write(`${JSON.stringify({ database: where, entities: ENTITIES, write_only: true, created: r.created, seconds: r.seconds, grants_per_second: Math.round(r.created / s) })}\n`);
}

/** The benchmark catalogue's auto items over the synthetic city, then a repeat run, then one item. */
async function catalogueRun(db: Db, where: string): Promise<void> {
  const ctx = createCtx(testConfig({ dataKey: Buffer.alloc(32, 7) }), db, () => new Date(`${DATE}T02:00:00Z`));

  // ── catalogue: the 466 auto items of the benchmark catalogue, published ──
  let t = performance.now();
  const templates = loadCatalogue('data/policies', dict);
  const cat = generateCatalogue({ documents: templates.documents }, { items: 2728, documents: 1394, seed: 1, dict });
  const auto = cat.items.filter((i) => i.mode === 'auto');
  const docs = cat.documents.filter((d) => auto.some((i) => i.document_id === d.id));
  await db.query(
    `INSERT INTO documents (id, title, number, issuers, published_on) SELECT t.id, t.title, t.number, string_to_array(t.issuers, ','), t.published_on::date
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(id, title, number, issuers, published_on)`,
    [docs.map((d) => d.id), docs.map((d) => d.title), docs.map((d) => d.number), docs.map((d) => d.issuers.join(',')), docs.map((d) => d.published_on)],
  );
  await db.query(
    `INSERT INTO items (id, document_id, department, published_version, latest_version) SELECT t.id, t.doc, t.dept, 1, 1 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, doc, dept)`,
    [auto.map((i) => i.id), auto.map((i) => i.document_id), auto.map((i) => i.department)],
  );
  await db.query(
    `INSERT INTO item_versions (item_id, version, status, body, title, audience, mode, region_scope, valid_from, valid_to, published_at)
     SELECT t.id, 1, 'published', t.body::jsonb, t.title, t.audience, 'auto', string_to_array(t.scope, ','), t.vf::date, t.vt::date, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(id, body, title, audience, scope, vf, vt)`,
    [auto.map((i) => i.id), auto.map((i) => JSON.stringify({ ...i, version: 1 })), auto.map((i) => i.title), auto.map((i) => i.audience), auto.map((i) => i.region_scope.join(',')), auto.map((i) => i.valid_from), auto.map((i) => i.valid_to ?? null)],
  );
  log(`catalogue: ${auto.length} auto items published (${secs(t)} s)`);

  // ── population, stored as the profiles module stores it ──
  t = performance.now();
  const enterprises = Math.round(ENTITIES * 0.08);
  const pop = createPopulation({ people: ENTITIES - enterprises, enterprises, seed: 1 });
  const matcher = new CatalogueMatcher(auto, dict, parseDate(DATE)!);
  const verdicts = new Uint8Array(auto.length);
  const bits = auto.map(() => new Uint32Array((ENTITIES >>> 5) + 2));
  for (let from = 0; from < pop.size; from += 10_000) {
    const batch = [...pop.profiles(from, from + 10_000)];
    const r = await db.query<{ id: string }>(
      `INSERT INTO entities (kind, key_hash, region, facts, provenance) SELECT t.kind, t.key, t.region, t.facts::jsonb, t.prov::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS t(kind, key, region, facts, prov, ord) ORDER BY t.ord
       RETURNING id::text AS id`,
      [
        batch.map((p) => p.kind),
        batch.map((p) => ctx.crypto.blindIndex(`${p.kind}:${p.id}`)),
        batch.map((p) => (typeof p.facts.region === 'string' ? p.facts.region : null)),
        batch.map((p) => JSON.stringify(Object.fromEntries(Object.entries(p.facts).map(([k, v]) => [k, seal(ctx.crypto, dict.fields.get(k), v)])))),
        batch.map((p) => JSON.stringify(Object.fromEntries(Object.keys(p.facts).map((k) => [k, { s: dict.fields.get(k)?.source ?? 'declared', d: AS_OF }])))),
      ],
    );
    // The verdicts the matching module would store (engine: CatalogueMatcher).
    batch.forEach((p, k) => {
      const entity: Entity = normalizeFacts(dict, p.kind, p.facts).entity;
      matcher.evaluate(entity, verdicts);
      const id = Number(r.rows[k].id);
      for (let i = 0; i < auto.length; i++) if (verdicts[i] === 1) setBit(bits[i], id);
    });
  }
  let eligible = 0;
  for (let i = 0; i < auto.length; i++) {
    const n = countBits(bits[i]);
    eligible += n;
    await writeSet(db, {
      itemId: auto[i].id, version: 1, eligible: await encodeBits(bits[i]), undetermined: await encodeBits(new Uint32Array(1)),
      eligibleCount: n, undeterminedCount: 0, asOf: DATE, computedAt: new Date(`${AS_OF}T00:00:00Z`), runId: null,
    });
  }
  log(`population: ${ENTITIES} entities stored, ${eligible} eligible (entity, item) pairs over ${auto.length} items (${secs(t)} s)`);

  // ── the timed part ──
  const groups = new Set(auto.filter((i) => i.stacking_group).map((i) => i.stacking_group)).size;
  const budgets = auto.filter((i: PolicyItem) => i.quota?.budget || i.quota?.count).length;
  log(`run: ${where}, concurrency ${db.kind === 'pglite' ? 1 : CONCURRENCY}, chunk ${CHUNK}; ${groups} stacking groups, ${budgets} items with a budget or quota`);
  t = performance.now();
  const first = await runGrants(ctx, { date: DATE, chunkSize: CHUNK, concurrency: CONCURRENCY });
  const firstS = (performance.now() - t) / 1000;
  const rows = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0].n);
  const written = { grants: await rows('SELECT count(*) AS n FROM grants'), case_events: await rows('SELECT count(*) AS n FROM case_events'), inbox: await rows('SELECT count(*) AS n FROM inbox') };
  t = performance.now();
  const again = await runGrants(ctx, { date: DATE, chunkSize: CHUNK, concurrency: CONCURRENCY });
  const againS = (performance.now() - t) / 1000;
  // The write path alone: one item every resident is eligible for, in full chunks.
  const wide = autoItem('bench-wide', { amount: '50', period: 'month' });
  await publish(ctx, [wide], 'bench-wide');
  const persons = (await db.query<{ id: string }>("SELECT id::text AS id FROM entities WHERE kind = 'person'")).rows.map((r) => r.id);
  await markEligible(db, wide, persons, new Date(`${AS_OF}T00:00:00Z`), false);
  t = performance.now();
  const single = await runGrants(ctx, { date: DATE, item: 'bench-wide', chunkSize: CHUNK, concurrency: CONCURRENCY });
  const singleS = (performance.now() - t) / 1000;
  const out = {
    database: where,
    entities: ENTITIES,
    auto_items: auto.length,
    eligible_pairs: eligible,
    first_run: { ...first, exhausted: first.exhausted.length, waiting: first.waiting.length, grants_per_second: Math.round(first.created / firstS), rows_written: written },
    one_item: { created: single.created, seconds: single.seconds, grants_per_second: Math.round(single.created / singleS) },
    repeat_run: { created: again.created, already_granted: again.already_granted, seconds: again.seconds, checked_per_second: Math.round(again.already_granted / againS) },
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

const dict = liaochengDictionary();
const { db, drop, where } = await open();
try {
  await migrate(db);
  await seedDepartments(db);
  await (process.env.BENCH_WRITE_ONLY === '1' ? writeOnly(db, where) : catalogueRun(db, where));
} finally {
  await drop();
}

