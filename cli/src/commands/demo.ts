// kx demo (what `npm start` runs until the platform service exists): loads the demo
// catalogue, checks it, and shows two sample profiles what they are entitled to.
import type { Command } from 'commander';
import { evaluateItem, formatDate, MODE_LABEL, normalizeFacts, runItemCases, type ItemVerdict, type PolicyItem } from '@kx/engine';
import { DEMO_PROFILES as SAMPLES, liaochengDictionary, loadCatalogue } from '@kx/data';

function line(item: PolicyItem, v: ItemVerdict): string {
  const amount = v.amount?.value ? `  ${v.amount.value} ${v.amount.unit ?? ''}` : '';
  const missing = v.missing.length ? `  缺：${v.missing.map((m) => m.label.zh).join('、')}` : '';
  return `  [${MODE_LABEL[item.mode].zh}] ${item.title}${amount}${missing}`;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('演示：检查示例政策库并为两个示例主体匹配政策 / demo: check the catalogue and match two sample profiles')
    .option('--dir <path>', '政策目录 / policy folder', 'data/policies')
    .option('--date <YYYY-MM-DD>', '评估日期 / evaluation date', '2025-06-30')
    .action((opts: { dir: string; date: string }) => {
      const dict = liaochengDictionary();
      const cat = loadCatalogue(opts.dir, dict);
      let passed = 0;
      let failed = 0;
      for (const item of cat.items) for (const r of runItemCases(item, dict)) if (r.passed) passed++; else failed++;
      const by = (m: string) => cat.items.filter((i) => i.mode === m).length;
      console.log(`政策快享 Kuaixiang — 示例政策库 / demo catalogue (${opts.dir})`);
      console.log(`  ${cat.documents.length} 份政策文件，${cat.items.length} 个政策事项：免申即享 ${by('auto')}，网上申请 ${by('online')}，线下办理 ${by('offline')}`);
      console.log(`  用例 / cases: ${passed} passed, ${failed} failed; 文件错误 / file errors: ${cat.errors.length}`);
      const day = Date.parse(opts.date) / 86_400_000;
      for (const s of SAMPLES) {
        const { entity } = normalizeFacts(dict, s.kind, s.facts);
        const verdicts = cat.items
          .filter((i) => i.audience === s.kind)
          .map((i) => [i, evaluateItem(i, entity, dict, day, { counterfactuals: false })] as const);
        console.log(`\n${s.title}（评估日 ${formatDate(day)}）`);
        console.log(' 符合 / eligible:');
        for (const [i, v] of verdicts.filter(([, v]) => v.verdict === 'eligible')) console.log(line(i, v));
        console.log(' 待补充信息 / undetermined:');
        for (const [i, v] of verdicts.filter(([, v]) => v.verdict === 'undetermined').slice(0, 8)) console.log(line(i, v));
      }
      console.log('\n试试 / try: npx kx eval --rule <政策文件> --facts <JSON> --date 2025-06-30');
    });
}
