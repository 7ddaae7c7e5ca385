// Journey (b): the demo enterprise (a small bearing maker) supplies the one fact the registers
// lack (its upgrade investment), becomes eligible for 中小企业“智改数转”补助 at once, applies
// (prefilled form, bank account, the two materials), the 工信局 clerk and approver pass the two
// review steps, the 工信局 payout officer batches, exports and answers the payment with the
// bank's file, and the enterprise sees it paid.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Journey, launchBrowser, login, newPage } from './harness.ts';
import { toCsv } from '../src/console/dashboards/csv.ts';

const ITEM = 'lc-gxj-zgsz';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

let browser: Browser;
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(() => browser?.close());

/** The CSV the bank sends back: every exported line paid today. */
function bankAnswer(exported: string): Buffer {
  const [header, ...rows] = exported.replace(/^\ufeff/, '').trim().split(/\r?\n/).map((l) => l.split(','));
  const col = (name: string) => header.indexOf(name);
  const today = new Date().toISOString().slice(0, 10);
  return Buffer.from(toCsv([['明细号', '状态', '银行流水号', '支付日期', '金额'], ...rows.map((r, i) => [r[col('明细号')], '成功', `E2E${i}`, today, r[col('金额')]])]));
}

async function staff(j: Journey, username: string): Promise<Page> {
  const page = await newPage(browser, inject('baseUrl'), { locale: 'zh-CN', journey: j });
  await login(page, username);
  return page;
}

describe('journey (b): supply a fact → eligible → apply → approve → pay → paid', () => {
  it('walks the enterprise, the clerk, the approver and the payout officer through it', async () => {
    const j = new Journey('b-enterprise');
    try {
      const ent = await newPage(browser, inject('baseUrl'), { locale: 'zh-CN', journey: j });
      await login(ent, 'enterprise');
      await ent.waitForURL(/\/me$/);

      // 1. the item is undetermined for want of one fact: supply it, and it re-matches at once
      await ent.getByRole('tab', { name: /^待确认 \(\d+\)$/ }).click();
      const undetermined = ent.locator(`[data-item="${ITEM}"]`);
      await undetermined.getByText('还缺这些信息').waitFor();
      const supply = undetermined.getByRole('button', { name: '补充并重新匹配' });
      // the list may re-render once more as the page settles; type until the value holds
      await expect.poll(async () => {
        await undetermined.getByLabel('技术改造设备投资额').fill('120');
        return supply.isEnabled();
      }, { timeout: 15_000 }).toBe(true);
      await j.shot(ent, 'missing-fact');
      await supply.click();
      await ent.getByText(/已补充.*已重新匹配/).waitFor();
      await ent.getByRole('tab', { name: /^符合 \(\d+\)$/ }).click();
      const eligible = ent.locator(`[data-item="${ITEM}"]`).filter({ has: ent.getByRole('button', { name: '在线申请' }) });
      await eligible.waitFor();
      await j.shot(ent, 'eligible');

      // 2. apply: the prefilled form, the bank account, the two materials, submit
      await eligible.getByRole('button', { name: '在线申请' }).click();
      await ent.waitForURL(/\/me\/applications\/\d+/);
      const appId = /\/me\/applications\/(\d+)/.exec(ent.url())![1];
      await ent.getByTestId('application-status').waitFor();
      await ent.locator('#form-bank_account').fill('6222020200112233');
      await ent.locator('tr', { has: ent.locator('#form-bank_account') }).getByRole('button', { name: /^保\s*存$/ }).click();
      await ent.getByText('已保存').first().waitFor();
      for (const material of ['数字化改造投资发票', '数字化转型诊断报告']) {
        const [chooser] = await Promise.all([ent.waitForEvent('filechooser'), ent.getByRole('button', { name: `上传材料：${material}` }).click()]);
        await chooser.setFiles({ name: `${material}.pdf`, mimeType: 'application/pdf', buffer: PDF });
        await ent.getByText(`已上传“${material}”`).first().waitFor();
      }
      await j.shot(ent, 'application-ready');
      await ent.getByRole('button', { name: '提交申请' }).click();
      await expect.poll(() => ent.getByTestId('application-status').getAttribute('data-status')).toMatch(/submitted|in_review/);
      await j.shot(ent, 'submitted');

      // 3. the 工信局 clerk passes the first step, the approver the final one (公示)
      for (const [who, shot] of [['gxj-clerk', 'clerk-approves'], ['gxj-approver', 'approver-approves']] as const) {
        const page = await staff(j, who);
        await page.goto('/console/reviews');
        const pass = page.getByRole('button', { name: `通过申请 ${appId}` });
        await pass.waitFor();
        await j.shot(page, shot);
        await pass.click();
        // the queue asks for confirmation before it approves
        const confirm = page.locator('.ant-popconfirm:visible').getByRole('button', { name: /^通\s*过$/ });
        await confirm.click();
        await page.getByText('已通过 1 件').waitFor();
        await page.context().close();
      }
      await ent.reload();
      await expect.poll(() => ent.getByTestId('application-status').getAttribute('data-status')).toBe('approved');

      // 4. the 工信局 payout officer batches the payable case, exports it and imports the bank's answer
      const officer = await staff(j, 'gxj-payout');
      await officer.goto('/console/payouts');
      await officer.getByRole('button', { name: '为待拨付案件建批次' }).click();
      const open = officer.getByRole('button', { name: /^查看批次 \d+$/ }).first();
      await open.click();
      const [download] = await Promise.all([officer.waitForEvent('download'), officer.getByRole('button', { name: /导出 CSV/ }).click()]);
      const exported = readFileSync(await download.path(), 'utf8');
      expect(exported).toContain('120000.00');
      await j.shot(officer, 'batch-exported');
      const [chooser] = await Promise.all([officer.waitForEvent('filechooser'), officer.getByRole('button', { name: /上传银行回盘文件/ }).click()]);
      await chooser.setFiles({ name: 'bank.csv', mimeType: 'text/csv', buffer: bankAnswer(exported) });
      await officer.getByText('已导入：支付成功 1，失败 0').waitFor();
      await officer.getByText(/账目平衡/).first().waitFor();
      await j.shot(officer, 'paid-reconciled');
      await officer.context().close();

      // 5. the enterprise sees its application paid
      await ent.reload();
      await expect.poll(() => ent.getByTestId('application-status').getAttribute('data-status')).toBe('paid');
      expect(await ent.getByTestId('application-status').textContent()).toMatch(/已拨付|已兑现/);
      await j.shot(ent, 'enterprise-sees-paid');
      await ent.context().close();
    } catch (e) {
      await j.failed(e);
    }
  });
});
