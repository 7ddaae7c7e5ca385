// `npx tsx web/e2e/screenshots.ts`: the two pictures in the README (docs/screenshots/), taken
// from the real service with the small demo city, in Chinese at 1280 px: the portal's home
// page and the leaders' dashboards. Chinese text needs a CJK font on the machine
// (Debian: fonts-wqy-microhei or fonts-noto-cjk), or it renders as boxes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, login, newPage, ROOT, startService } from './harness.ts';

const OUT = join(ROOT, 'docs', 'screenshots');

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const service = await startService((s) => console.log(s));
  const browser = await launchBrowser();
  try {
    const home = await newPage(browser, service.url, { locale: 'zh-CN' });
    await home.goto('/');
    await home.locator('a[href^="/items/"]').first().waitFor();
    await home.waitForLoadState('networkidle');
    await home.screenshot({ path: join(OUT, 'portal-home.png') });
    const dash = await newPage(browser, service.url, { locale: 'zh-CN' });
    await login(dash, 'leader');
    await dash.goto('/console/dashboards');
    await dash.locator('[data-chart] canvas').first().waitFor({ timeout: 60_000 });
    await dash.waitForLoadState('networkidle');
    await dash.waitForTimeout(500);
    await dash.screenshot({ path: join(OUT, 'console-dashboard.png'), fullPage: true });
    console.log(`截图已保存 / screenshots written: ${OUT}`);
  } finally {
    await browser.close();
    await service.stop();
  }
}

await main();
