// kx demo (what `npm start` runs until the platform service exists): loads the demo
// catalogue, checks it, and shows two sample profiles what they are entitled to.
import type { Command } from 'commander';
import { evaluateItem, formatDate, MODE_LABEL, normalizeFacts, runItemCases, type ItemVerdict, type PolicyItem } from '@kx/engine';
import { liaochengDictionary, loadCatalogue } from '@kx/data';

const SAMPLES: { title: string; kind: 'enterprise' | 'person'; facts: Record<string, unknown> }[] = [
  {
    title: '东昌府区一家小型轴承企业 / a small bearing maker in 东昌府区',
    kind: 'enterprise',
    facts: {
      name: '聊城示例轴承有限公司', uscc: '91371500MA3C5K7Q26', region: '371502008', legal_form: 'company', registered_on: '2016-05-10',
      industry_section: 'C', industry_division: '34', industry_code: '3451', industry_edition: 'GB/T 4754-2017', key_chain: 'bearing',
      size_class: 'small', employees: 86, revenue: 4200, assets: 3800, tax_paid: 120, rd_expense: 180, credit_status: 'good',
      qualifications: ['zjtx', 'kjxzx'], zjtx_listed_year: 2025, ui_insured_local: true, ui_paid_months: 12, ui_premium_paid: 41000,
      insured_count: 80, layoff_rate: 0.02, wage_arrears: false, si_arrears: false, new_graduate_hires: 2, new_target_hires: 0,
      kjxzx_registered_year: 2023,
      // What the registers know is not there: not foreign-invested, nothing on the first-of-a-kind
      // catalogue, no guaranteed loan. Only the upgrade investment is still to be reported.
      foreign_invested: false, foreign_capital_paid: 0, first_set_listed: false, first_set_premium: 0, loan_amount: 0,
    },
  },
  {
    title: '莘县一位 85 岁的老人 / an 85-year-old resident of 莘县',
    kind: 'person',
    facts: {
      name: '李某某', id_number: '371522194003150027', birth_date: '1940-03-15', sex: 'f', region: '371522', hukou_region: '371522',
      hukou_type: 'rural', alive: true, lives_alone: true, self_care: 'partial', household_size: 1, household_income_pc: 420,
      dibao: true, tekun: false, resident_medical_insured: true, household_assets_ok: true, land_contracted_mu: 2.5, wheat_insured_mu: 0,
      // Known to be none (docs/decisions/0007): no disability, no business, no loan, no farm machine bought.
      disability_category: 'none', startup_owner: false, veteran: false, employment_status: 'none', loan_amount: 0, machine_class: 'none',
      cert_level: 'none', appliance: 'none', new_car_type: 'none', school_stage: 'none',
    },
  },
];

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
