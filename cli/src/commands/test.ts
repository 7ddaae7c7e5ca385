// kx test <dir>: type-check every policy item and run every case it carries.
import type { Command } from 'commander';
import { runItemCases } from '@kx/engine';
import { liaochengDictionary, loadCatalogue } from '@kx/data';

export function registerTest(program: Command): void {
  program
    .command('test')
    .description('运行政策文件中的测试用例 / run the test cases of policy files')
    .argument('<path>', '政策文件或目录 / policy file or folder')
    .option('-v, --verbose', '列出每个用例 / list every case')
    .action((path: string, opts: { verbose?: boolean }) => {
      const dict = liaochengDictionary();
      const cat = loadCatalogue(path, dict);
      for (const e of cat.errors) console.error(`✗ ${e.message}`);
      let passed = 0;
      let failed = 0;
      for (const item of cat.items) {
        for (const r of runItemCases(item, dict)) {
          if (r.passed) {
            passed++;
            if (opts.verbose) console.log(`✓ ${item.id} — ${r.case}`);
          } else {
            failed++;
            console.log(`✗ ${item.id} — ${r.case}`);
            for (const f of r.failures) console.log(`    ${f}`);
          }
        }
      }
      // Files that do not load or type-check count as failures: nothing broken passes silently.
      failed += cat.errors.length;
      console.log(`${cat.documents.length} documents, ${cat.items.length} items`);
      console.log(`${passed} passed, ${failed} failed`);
      process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
    });
}
