// First start on a fresh machine: the departments, the holiday calendar, the demo catalogue
// (published), a demo city from the generator plus the two demo profiles, a login for every
// role, a full match and a first 免申即享 grant run — so that every journey can be walked
// at once. Runs once per database (settings 'demo_seeded').
import { DEMO_PROFILES, createPopulation, demoBankAccount, liaochengDictionary, loadCatalogue, type Profile } from '@kx/data';
import type { Ctx } from '../context.ts';
import { seedCalendar } from '../modules/applications/calendar.ts';
import { importDocuments } from '../modules/catalogue/service.ts';
import { runGrants } from '../modules/grants/run.ts';
import { runFull } from '../modules/matching/runs-service.ts';
import { importFile } from '../modules/profiles/imports.ts';
import { entityKeyHash, keyFieldOf } from '../modules/profiles/validate.ts';
import { seedAccounts } from './accounts.ts';
import { seedDepartments } from './departments.ts';

export const POLICIES_DIR = new URL('../../../data/policies', import.meta.url).pathname;

export async function isSeeded(ctx: Ctx): Promise<boolean> {
  const r = await ctx.db.query("SELECT 1 FROM settings WHERE key = 'demo_seeded'");
  return r.rows.length > 0;
}

/**
 * The population as one NDJSON file per source system, each with the facts the field
 * dictionary says that system supplies — so every fact is credited to the department that
 * owns it (低保 to 民政, the birth date to 公安). The systems that own the keys (公安 for ID
 * numbers, 市场监管 for credit codes) come first and create the entities.
 */
export function linesBySource(ctx: Pick<Ctx, 'dict'>, profiles: Iterable<Profile>): Map<string, string[]> {
  const order = ['police', 'market', ...ctx.dict.sources.keys()];
  const out = new Map<string, string[]>(order.map((s) => [s, []]));
  for (const p of profiles) {
    const kf = keyFieldOf(p.kind);
    const key = p.facts[kf];
    const bySource = new Map<string, Record<string, unknown>>();
    const owner = ctx.dict.fields.get(kf)!.source;
    bySource.set(owner, {});
    for (const [field, value] of Object.entries(p.facts)) {
      if (field === kf) continue;
      const source = ctx.dict.fields.get(field)?.source ?? 'declared';
      let facts = bySource.get(source);
      if (!facts) bySource.set(source, (facts = {}));
      facts[field] = value;
    }
    for (const [source, facts] of bySource) out.get(source)!.push(JSON.stringify({ id: p.id, kind: p.kind, key, facts }));
  }
  for (const [s, lines] of out) if (!lines.length) out.delete(s);
  return out;
}

export async function seedDemo(ctx: Ctx, log: (s: string) => void): Promise<void> {
  const t0 = Date.now();
  const step = (s: string) => log(`  ${s}（${((Date.now() - t0) / 1000).toFixed(1)} s）`);
  await ctx.db.tx(async (q) => {
    await seedDepartments(q);
    await seedCalendar(q);
  });
  step('部门与工作日历 / departments and calendar');
  const cat = loadCatalogue(POLICIES_DIR, liaochengDictionary());
  if (cat.errors.length) throw new Error(cat.errors.map((e) => e.message).join('\n'));
  await ctx.db.tx((q) => importDocuments(ctx, q, cat.documents, { status: 'published', enqueueMatch: false }));
  step(`示例政策库：${cat.documents.length} 份文件，${cat.items.length} 个事项 / demo catalogue`);
  const pop = createPopulation({ people: ctx.config.demoPeople, enterprises: ctx.config.demoEnterprises, seed: 1 });
  const profiles: Profile[] = DEMO_PROFILES.map((p) => ({ id: p.username, kind: p.kind, facts: { ...p.facts } }));
  for (const p of pop.profiles()) profiles.push(p);
  // Everyone has a payee account (申请人填报), so that a fresh demo can make payout batches.
  for (const p of profiles) p.facts.bank_account ??= demoBankAccount(1, p.id);
  for (const [source, lines] of linesBySource(ctx, profiles)) {
    const res = await importFile(ctx, undefined, { source, format: 'ndjson', filename: `demo-population-${source}.ndjson`, content: Buffer.from(lines.join('\n')), asOf: ctx.today(), actor: 'system:seed' });
    if (res.status !== 'applied') throw new Error(`示例人口导入失败（${source}）/ demo population rejected (${source}): ${JSON.stringify(res.report.slice(0, 3))}`);
  }
  step(`示例人口：${profiles.length} 个主体 / demo population`);
  const ids = new Map<string, string>();
  for (const p of DEMO_PROFILES) {
    const key = String(p.kind === 'person' ? p.facts.id_number : p.facts.uscc);
    const r = await ctx.db.query<{ id: string }>('SELECT id::text AS id FROM entities WHERE key_hash = $1', [entityKeyHash(ctx.crypto, p.kind, key)]);
    ids.set(p.username, r.rows[0].id);
  }
  const working = new Set(cat.items.flatMap((i) => [i.department, ...i.review_steps.map((st) => st.department ?? i.department)]));
  const depts = await ctx.db.query<{ code: string; name: string }>('SELECT code, name FROM departments WHERE code = ANY($1::text[]) ORDER BY code', [[...working]]);
  await ctx.db.tx((q) => seedAccounts(ctx, q, (profile) => ids.get(profile)!, depts.rows));
  step('各角色示例账号 / demo accounts');
  // The population import queued one re-match per entity; the full match below covers them.
  await ctx.db.query("DELETE FROM jobs WHERE queue = 'match.entity' AND status = 'queued'");
  const full = await runFull(ctx, {});
  step(`全量匹配 / full match: ${JSON.stringify(full).slice(0, 160)}`);
  const grants = await runGrants(ctx, {});
  step(`免申即享发放 / auto grants: ${JSON.stringify(grants).slice(0, 160)}`);
  await ctx.db.query("INSERT INTO settings (key, value) VALUES ('demo_seeded', $1) ON CONFLICT (key) DO NOTHING", [JSON.stringify({ at: ctx.now().toISOString() })]);
}
