// The leaders' dashboards in the browser: every chart drawn, the tile map of 聊城 with its
// numbers, each chart's exports (a PNG picture, a CSV with a BOM for Excel), and English.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Journey, launchBrowser, login, newPage } from './harness.ts';

let browser: Browser;
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(() => browser?.close());

async function download(page: Page, button: ReturnType<Page['getByRole']>): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

describe('dashboards (智能成图)', () => {
  it('draws every chart for a leader and exports PNG and CSV', async () => {
    const j = new Journey('dashboards');
    try {
      const page = await newPage(browser, inject('baseUrl'), { locale: 'zh-CN', journey: j });
      await login(page, 'leader');
      await page.goto('/console/dashboards');
      await page.getByRole('heading', { name: '智能成图' }).waitFor();
      await expect.poll(() => page.locator('[data-chart]:has(canvas)').count(), { timeout: 30_000 }).toBe(8);
      await j.shot(page, 'city');

      const png = await download(page, page.getByRole('button', { name: /^PNG .*聊城市各县市区/ }));
      expect(png.name).toBe('county-map.png');
      expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const csv = await download(page, page.getByRole('button', { name: /^CSV .*聊城市各县市区/ }));
      expect(csv.name).toBe('county-map.csv');
      const text = csv.bytes.toString('utf8');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      expect(text.slice(1).split('\r\n')[0]).toBe('分组,承诺金额（元）,承诺件数,拨付金额（元）,拨付件数');
      // the seeded 免申即享 grants are committed money somewhere in the city
      expect(text).toMatch(/(东昌府区|茌平区|临清市|阳谷县|莘县|东阿县|冠县|高唐县|开发区|度假区).*,\d+\.\d{2},[1-9]/);

      // the map's measure can be switched; the funnel's CSV lists every item in force
      await page.getByText('承诺件数', { exact: true }).click();
      await expect.poll(() => page.getByRole('img', { name: /承诺件数/ }).count()).toBeGreaterThan(0);
      const funnel = await download(page, page.getByRole('button', { name: /^CSV .*兑现漏斗/ }));
      expect(funnel.bytes.toString('utf8').split('\r\n').filter(Boolean).length).toBeGreaterThan(10);

      // English
      await page.getByRole('button', { name: /English|EN/ }).first().click();
      await page.getByRole('heading', { name: 'Dashboards' }).waitFor();
      await page.getByRole('heading', { name: /Uptake funnel/ }).waitFor();
      await j.shot(page, 'english');
      await page.context().close();
    } catch (e) {
      await j.failed(e);
    }
  });

  it('shows a department clerk the own department only', async () => {
    const j = new Journey('dashboards-department');
    try {
      const page = await newPage(browser, inject('baseUrl'), { locale: 'zh-CN', journey: j });
      await login(page, 'mzj-clerk');
      await page.goto('/console/dashboards');
      await expect.poll(() => page.locator('[data-chart]:has(canvas)').count(), { timeout: 30_000 }).toBe(8);
      await page.getByText(/^本部门：.*民政局$/).waitFor();
      expect(await page.getByRole('combobox', { name: '部门' }).count()).toBe(0);
      const csv = await download(page, page.getByRole('button', { name: /^CSV .*按部门/ }));
      const rows = csv.bytes.toString('utf8').split('\r\n').filter(Boolean).slice(1);
      expect(rows.length).toBe(1);
      expect(rows[0]).toMatch(/^lc-mzj,/);
      await j.shot(page, 'department');
      await page.context().close();
    } catch (e) {
      await j.failed(e);
    }
  });
});
