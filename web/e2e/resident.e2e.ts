// Journey (a): a resident (the demo's 85-year-old in 莘县) logs in, sees an item granted
// without application (免申即享) with its condition-by-condition explanation, and the grant
// with the evidence behind it: which data, from which source, as of when.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Journey, launchBrowser, login, newPage } from './harness.ts';

let browser: Browser;
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(() => browser?.close());

describe('journey (a): a resident sees an auto-grant, its explanation and evidence', () => {
  it('walks from login to the evidence', async () => {
    const j = new Journey('a-resident');
    try {
      const page = await newPage(browser, inject('baseUrl'), { locale: 'zh-CN', journey: j });
      await login(page, 'resident');
      await page.waitForURL(/\/me$/);
      await page.getByRole('heading', { name: '我能享受什么' }).waitFor();
      const eligibleTab = page.getByRole('tab', { name: /^符合 \(\d+\)$/ });
      await eligibleTab.waitFor();
      expect(Number(/\((\d+)\)/.exec((await eligibleTab.textContent()) ?? '')?.[1])).toBeGreaterThan(0);
      const auto = page.getByText('免申即享：无需申请，将自动兑现', { exact: false }).first();
      await auto.waitFor();
      await j.shot(page, 'entitlements');

      // the explanation, condition by condition, of the first auto item
      const card = page.locator('.ant-card').filter({ has: page.getByText('免申即享：无需申请', { exact: false }) }).first();
      // (asked for on opening: the list carries no explanations)
      await card.getByText('逐条说明').click();
      await card.locator('li[data-result="T"]').first().waitFor();
      await expect.poll(async () => (await card.innerText()).length).toBeGreaterThan(80);
      await j.shot(page, 'explanation');

      // the items it does not meet: listed when their tab is opened, each explained when opened
      await page.getByRole('tab', { name: /^不符合 \(\d+\)$/ }).click();
      const notMet = page.getByRole('tabpanel').locator('.ant-collapse-item').first();
      await notMet.waitFor();
      await notMet.locator('.ant-collapse-header').click();
      await notMet.locator('li[data-result="F"]').first().waitFor();

      // my grants: the amount and the evidence (data used, source, date)
      await page.goto('/me/grants');
      await page.getByRole('heading', { name: '我的兑现' }).waitFor();
      const evidence = page.getByRole('table').first();
      await evidence.waitFor();
      await expect.poll(() => evidence.getByRole('columnheader').allTextContents()).toEqual(expect.arrayContaining(['所用数据', '来源', '数据日期']));
      expect(await evidence.getByRole('row').count()).toBeGreaterThan(1);
      await expect.poll(() => page.getByText(/依据：.*按事项第 \d+ 版评估/).count()).toBeGreaterThan(0);
      await j.shot(page, 'grant-evidence');

      await page.context().close();
    } catch (e) {
      await j.failed(e);
    }
  });
});
