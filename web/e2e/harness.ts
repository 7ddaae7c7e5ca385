// The end-to-end ground: the real service started in-process (server/src/serve.ts) on
// 127.0.0.1:0 with a small demo city, on PGlite in a temporary folder — or on a fresh
// PostgreSQL database when DATABASE_URL is set — and Debian's Chromium driven by
// playwright-core. Screenshots of every journey step go to artefacts/e2e/<journey>/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../server/src/config.ts';
import { connectPostgres } from '../../server/src/db/db.ts';
import { startServer, type Running } from '../../server/src/serve.ts';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const PASSWORD = 'Kuaixiang2025';
/** Small enough to seed and match in well under a minute on two cores. */
export const DEMO_PEOPLE = Number(process.env.KX_E2E_PEOPLE ?? 800);
export const DEMO_ENTERPRISES = Number(process.env.KX_E2E_ENTERPRISES ?? 150);

export interface Service {
  url: string;
  running: Running;
  stop(): Promise<void>;
}

/** A database of its own: a new PostgreSQL database on DATABASE_URL's server, else PGlite in a temp folder. */
async function freshDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void>; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kx-e2e-'));
  const removeDir = async () => rmSync(dataDir, { recursive: true, force: true });
  if (!process.env.DATABASE_URL) return { env: {}, dataDir, drop: removeDir };
  const url = new URL(process.env.DATABASE_URL);
  const name = `kx_e2e_${randomBytes(5).toString('hex')}`;
  const admin = await connectPostgres(url.toString(), 1);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.close();
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    dataDir,
    drop: async () => {
      const a = await connectPostgres(process.env.DATABASE_URL!, 1);
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.close();
      await removeDir();
    },
  };
}

export async function startService(log: (s: string) => void = () => {}): Promise<Service> {
  const db = await freshDatabase();
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: '',
    ...db.env,
    KX_DATA_DIR: db.dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    KX_SEED_DEMO: 'true',
    KX_DEMO_PEOPLE: String(DEMO_PEOPLE),
    KX_DEMO_ENTERPRISES: String(DEMO_ENTERPRISES),
    LOG_LEVEL: process.env.KX_E2E_LOG ?? 'warn',
  });
  // startServer builds web/dist first when web/src is newer (buildWeb / webBuildStale).
  const running = await startServer(config, { log });
  return {
    url: running.url,
    running,
    stop: async () => {
      await running.close();
      await db.drop();
    },
  };
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A journey: its pages and numbered screenshots under artefacts/e2e/<name>/NN-step.png. */
export class Journey {
  private n = 0;
  readonly dir: string;
  constructor(readonly name: string) {
    this.dir = join(ROOT, 'artefacts', 'e2e', name);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  private readonly pages = new Set<Page>();

  /** A page of this journey: on failure, failed() takes its picture as it was. */
  watch(page: Page): Page {
    this.pages.add(page);
    page.on('close', () => this.pages.delete(page));
    return page;
  }

  /** Pictures of the journey's open pages, for the failure's report; then rethrows. */
  async failed(e: unknown): Promise<never> {
    let i = 0;
    for (const p of this.pages) await p.screenshot({ path: join(this.dir, `failure-${++i}.png`), fullPage: true }).catch(() => {});
    throw e;
  }

  async shot(page: Page, step: string): Promise<string> {
    const file = join(this.dir, `${String(++this.n).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }
}

/** A page with zh-CN or English chosen before the first load (the portal reads kx.locale). */
export async function newPage(browser: Browser, base: string, opts: { locale?: 'zh-CN' | 'en'; width?: number; journey?: Journey } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: 900 }, baseURL: base, serviceWorkers: 'block' });
  if (opts.locale) await context.addInitScript((l) => localStorage.setItem('kx.locale', l), opts.locale);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return opts.journey ? opts.journey.watch(page) : page;
}

/** Logs in through the login page, as a person would. */
export async function login(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/密码|Password/).fill(PASSWORD);
  await page.locator('form').getByRole('button', { name: /登\s*录|Log in/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/** One line per violation, short enough to read in a failed assertion. */
export const axeLines = (vs: AxeViolation[]) => vs.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);

const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
