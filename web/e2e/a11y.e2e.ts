// axe-core on the main pages: no violation of impact serious or critical. Each page is opened
// as the user who would see it, and checked once its data has arrived.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeLines, axeSerious, launchBrowser, login, newPage } from './harness.ts';

let browser: Browser;
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(() => browser?.close());

/** [page, user (or null), path, a selector that is there once the page has its data] */
const PAGES: [string, string | null, string, string][] = [
  ['home', null, '/', 'a[href^="/items/"]'],
  ['search', null, '/search?q=%E8%BD%B4%E6%89%BF', 'a[href^="/items/"]'],
  ['item', null, '/items/lc-gxj-jsgz', 'h1'],
  ['me', 'resident', '/me', '[role="tab"]'],
  ['console home', 'gxj-clerk', '/console', 'h1, h2'],
  ['editor', 'gxj-clerk', '/console/items/new', '[role="group"]'],
  ['reviews', 'gxj-clerk', '/console/reviews', 'h1, h2'],
  ['dashboards', 'leader', '/console/dashboards', '[data-chart] canvas'],
];

describe('accessibility (axe-core: no serious or critical violation)', () => {
  for (const [name, user, path, ready] of PAGES)
    it(name, async () => {
      const page = await newPage(browser, inject('baseUrl'));
      if (user) await login(page, user);
      await page.goto(path);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(axeLines(await axeSerious(page))).toEqual([]);
      await page.context().close();
    });
});
