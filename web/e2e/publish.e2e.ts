// Journey (c): the 工信局 clerk drafts a 免申即享 item with the visual condition builder and sees
// the live count of eligible enterprises; the 工信局 approver approves and publishes it; the
// worker matches it and grants it, and an eligible enterprise (the demo bearing maker, a
// manufacturer) finds the notice in its inbox.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { Journey, launchBrowser, login, newPage } from './harness.ts';

const ID = 'lc-gxj-e2e-zhizao';
const TITLE = '制造业企业数字化奖励（端到端测试）';

let browser: Browser;
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(() => browser?.close());

/** Picks an option of an antd Select: open it, type to filter, choose the option whose text matches. */
async function choose(page: Page, select: Locator, typed: string | null, option: RegExp): Promise<void> {
  await select.click();
  if (typed !== null) await page.keyboard.type(typed);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first().click();
}

describe('journey (c): draft with the builder → live count → approve → publish → notices', () => {
  it('walks the clerk, the approver and an eligible enterprise through it', async () => {
    const j = new Journey('c-publish');
    try {
      const clerk = await newPage(browser, inject('baseUrl'), { locale: 'zh-CN', journey: j });
      await login(clerk, 'gxj-clerk');
      await clerk.goto('/console/items/new');

      // 1. the rule, with the visual builder: 行业门类 = 制造业
      const root = clerk.getByRole('group', { name: '条件组（根）' });
      await root.waitFor();
      await root.getByRole('button', { name: /添加条件$/ }).click();
      const cond = clerk.getByRole('group', { name: /^条件 1$/ });
      await choose(clerk, cond.getByLabel('字段'), 'industry_section', /industry_section/);
      await choose(clerk, cond.getByLabel('取值'), '制造', /制造业/);
      await expect.poll(() => clerk.locator('#rule-text').inputValue()).toMatch(/industry_section .*"C"/);
      await j.shot(clerk, 'builder');

      // 2. the basics and the amount
      await clerk.getByRole('tab', { name: '基本信息' }).click();
      await clerk.locator('#item-title').fill(TITLE);
      await clerk.locator('#item-id').fill(ID);
      await choose(clerk, clerk.locator('#item-document'), '技术改造', /技术改造/);
      await choose(clerk, clerk.locator('#item-mode'), null, /^免申即享$/);
      await clerk.getByRole('tab', { name: '金额与预算' }).click();
      await clerk.locator('#item-amount').fill('20000');

      // 3. save the draft: the simulation over the city's profiles gives the live count
      await clerk.getByRole('button', { name: '保存草稿' }).click();
      await clerk.getByText('草稿已保存').first().waitFor();
      const sim = clerk.getByRole('region', { name: '发布前模拟' });
      const eligible = sim.locator('.ant-statistic').filter({ hasText: '符合条件' }).locator('.ant-statistic-content');
      await eligible.waitFor({ timeout: 60_000 });
      const count = Number((await eligible.textContent())?.replace(/\D/g, ''));
      expect(count).toBeGreaterThan(0);
      await j.shot(clerk, 'live-count');
      await clerk.getByRole('button', { name: '提交审核' }).click();
      await clerk.getByText('已提交审核').first().waitFor();
      await clerk.context().close();

      // 4. the approver (another person: 四眼原则) approves and publishes
      const approver = await newPage(browser, inject('baseUrl'), { locale: 'zh-CN', journey: j });
      await login(approver, 'gxj-approver');
      await approver.goto(`/console/items/${ID}/edit`);
      await approver.getByRole('button', { name: '审核通过' }).click();
      await approver.getByText('已审核通过').first().waitFor();
      await j.shot(approver, 'approved');
      await approver.getByRole('button', { name: /^发\s*布$/ }).click();
      await approver.getByText(/已发布/).first().waitFor();
      await j.shot(approver, 'published');
      await approver.context().close();

      // 5. the worker matches and grants it; the eligible enterprise finds the notice in its inbox
      const ent = await newPage(browser, inject('baseUrl'), { locale: 'zh-CN', journey: j });
      await login(ent, 'enterprise');
      await expect.poll(async () => {
        await ent.goto('/me/inbox');
        await ent.getByRole('heading', { level: 1 }).waitFor();
        await ent.waitForLoadState('networkidle');
        return ent.getByText(TITLE, { exact: false }).count();
      }, { timeout: 90_000, interval: 2_000 }).toBeGreaterThan(0);
      await j.shot(ent, 'inbox-notice');
      await ent.context().close();
    } catch (e) {
      await j.failed(e);
    }
  });
});
