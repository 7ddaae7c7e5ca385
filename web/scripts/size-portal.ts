// `npm run size:portal`: how much JavaScript the public portal's first page costs a visitor.
// Builds the web (vite build), serves dist with `vite preview` on a free loopback port,
// opens "/" in Chromium (playwright-core), waits until the network is quiet, and sums the
// gzipped size of every JS file the page actually requested — lazy routes that were not
// visited are not counted. Prints the list, then one JSON line {"first_page_js_gzip_kb": N}.
// Budget (issue 7): ≤ 300 KB. It builds into a temporary folder, so it never races the
// service's or anyone's build of web/dist; `--no-build` measures the existing web/dist instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';

const webRoot = fileURLToPath(new URL('..', import.meta.url));
const BUDGET_KB = 300;

async function main(): Promise<void> {
  const reuse = process.argv.includes('--no-build');
  const outDir = reuse ? join(webRoot, 'dist') : mkdtempSync(join(tmpdir(), 'kx-size-'));
  const configFile = `${webRoot}vite.config.ts`;
  if (!reuse) await build({ root: webRoot, configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  // The API is not running here: its calls fail fast, which does not change which JS the shell and Home load.
  const server = await preview({ root: webRoot, configFile, build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'silent' });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  const origin = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const scripts = new Map<string, number>();
    const pending: Promise<void>[] = [];
    page.on('response', (res) => {
      const url = new URL(res.url());
      const isJs = res.request().resourceType() === 'script' || /\.m?js$/.test(url.pathname);
      if (!isJs || url.origin !== origin || url.pathname === '/sw.js') return;
      pending.push(res.body().then((b) => { scripts.set(url.pathname, gzipSync(b, { level: 9 }).length); }, () => {}));
    });
    await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
    await page.waitForTimeout(500);
    await Promise.all(pending);
    const rows = [...scripts.entries()].sort((a, b) => b[1] - a[1]);
    let total = 0;
    for (const [path, bytes] of rows) {
      total += bytes;
      console.log(`${(bytes / 1024).toFixed(1).padStart(8)} KB  ${path}`);
    }
    const kb = Math.round((total / 1024) * 10) / 10;
    console.log(`${rows.length} 个脚本 / scripts; 预算 / budget ${BUDGET_KB} KB gzip — ${kb <= BUDGET_KB ? '达标 / within budget' : '超出 / OVER budget'}`);
    console.log(JSON.stringify({ first_page_js_gzip_kb: kb }));
    if (kb > BUDGET_KB) process.exitCode = 1;
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    if (!reuse) rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
