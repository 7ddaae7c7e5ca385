// First start on a fresh machine: the departments, the holiday calendar, the demo catalogue
// (published), a demo city from the generator plus the two demo profiles, a login for every
// role, a full match and a first 免申即享 grant run — so that every journey can be walked
// at once. Runs once per database (settings 'demo_seeded').
import { DEMO_PROFILES, createPopulation, liaochengDictionary, loadCatalogue } from '@kx/data';
import type { Ctx } from '../context.ts';
import { seedCalendar } from '../modules/applications/calendar.ts';
import { importDocuments } from '../modules/catalogue/service.ts';
import { runGrants } from '../modules/grants/run.ts';
import { runFull } from '../modules/matching/runs-service.ts';
import { importFile } from '../modules/profiles/imports.ts';
import { entityKeyHash } from '../modules/profiles/validate.ts';
import { seedAccounts } from './accounts.ts';
import { seedDepartments } from './departments.ts';

export const POLICIES_DIR = new URL('../../../data/policies', import.meta.url).pathname;

export async function isSeeded(ctx: Ctx): Promise<boolean> {
  const r = await ctx.db.query("SELECT 1 FROM settings WHERE key = 'demo_seeded'");
  return r.rows.length > 0;
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
  const lines: string[] = DEMO_PROFILES.map((p) => JSON.stringify({ id: p.username, kind: p.kind, facts: p.facts }));
  for (const p of pop.profiles()) lines.push(JSON.stringify(p));
  const res = await importFile(ctx, undefined, { source: 'market', format: 'ndjson', filename: 'demo-population.ndjson', content: Buffer.from(lines.join('\n')), asOf: ctx.today(), actor: 'system:seed' });
  if (res.status !== 'applied') throw new Error(`示例人口导入失败 / demo population rejected: ${JSON.stringify(res.report.slice(0, 3))}`);
  step(`示例人口：${lines.length} 个主体 / demo population`);
  const ids = new Map<string, string>();
  for (const p of DEMO_PROFILES) {
    const key = String(p.kind === 'person' ? p.facts.id_number : p.facts.uscc);
    const r = await ctx.db.query<{ id: string }>('SELECT id::text AS id FROM entities WHERE key_hash = $1', [entityKeyHash(ctx.crypto, p.kind, key)]);
    ids.set(p.username, r.rows[0].id);
  }
  await ctx.db.tx((q) => seedAccounts(ctx, q, (profile) => ids.get(profile)!));
  step('各角色示例账号 / demo accounts');
  // The population import queued one re-match per entity; the full match below covers them.
  await ctx.db.query("DELETE FROM jobs WHERE queue = 'match.entity' AND status = 'queued'");
  const full = await runFull(ctx, {});
  step(`全量匹配 / full match: ${JSON.stringify(full).slice(0, 160)}`);
  const grants = await runGrants(ctx, {});
  step(`免申即享发放 / auto grants: ${JSON.stringify(grants).slice(0, 160)}`);
  await ctx.db.query("INSERT INTO settings (key, value) VALUES ('demo_seeded', $1) ON CONFLICT (key) DO NOTHING", [JSON.stringify({ at: ctx.now().toISOString() })]);
}
