// Journey (d): the public portal without logging in — home → search → item page, in Chinese
// and in English.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Journey, launchBrowser, newPage } from './harness.ts';

let browser: Browser;
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(() => browser?.close());

async function homeToItem(page: Page, j: Journey, lang: { query: string; search: RegExp; heading: RegExp; dept: RegExp }) {
  await page.goto('/');
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(lang.heading);
  // live counts have arrived (not the loading dash)
  await page.getByRole('region', { name: /政策统计|Catalogue figures/ }).getByText(/^\d+$/).first().waitFor();
  await j.shot(page, 'home');
  const box = page.getByRole('combobox', { name: lang.search }).or(page.getByRole('searchbox', { name: lang.search })).or(page.getByLabel(lang.search)).first();
  await box.fill(lang.query);
  await box.press('Enter');
  await page.waitForURL(/\/search\?/);
  const first = page.locator('a[href^="/items/"]').filter({ hasText: /轴承|[Bb]earing/ }).first();
  await first.waitFor();
  await j.shot(page, 'search-results');
  await first.click();
  await page.waitForURL(/\/items\//);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByText(lang.dept).first().waitFor();
  await j.shot(page, 'item');
  return page.url();
}

describe('journey (d): home → search → item, public', () => {
  it('in Chinese', async () => {
    const j = new Journey('d-portal-zh');
    try {
      const page = await newPage(browser, inject('baseUrl'), { locale: 'zh-CN', journey: j });
      const url = await homeToItem(page, j, { query: '轴承', search: /搜索政策/, heading: /政策快享/, dept: /责任部门/ });
      expect(url).toMatch(/\/items\/[\w-]+/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/[\u4e00-\u9fff]/);
      await page.context().close();
    } catch (e) {
      await j.failed(e);
    }
  });

  it('in English', async () => {
    const j = new Journey('d-portal-en');
    try {
      const page = await newPage(browser, inject('baseUrl'), { locale: 'en', journey: j });
      await homeToItem(page, j, { query: 'bearing', search: /Search policies/, heading: /Kuaixiang/, dept: /Department/ });
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/[A-Za-z]{4}/);
      await page.context().close();
    } catch (e) {
      await j.failed(e);
    }
  });
});
