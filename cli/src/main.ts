// kx — the Kuaixiang command line. Each command lives in commands/; this file only wires them.
import { Command } from 'commander';
import { registerTest } from './commands/test.ts';
import { registerEval } from './commands/eval.ts';
import { registerDemo } from './commands/demo.ts';
import { registerGenerate } from './commands/generate.ts';
import { registerAudit } from './commands/audit.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerPayout } from './commands/payout.ts';
import { registerImport } from './commands/import.ts';
import { registerGrant } from './commands/grant.ts';
import { registerWorker } from './commands/worker.ts';
import { registerServe } from './commands/serve.ts';

export async function main(argv: string[]): Promise<void> {
  const program = new Command('kx')
    .description('政策快享 Kuaixiang — 政策即代码 / policies as code')
    .showHelpAfterError()
    .exitOverride((err) => {
      process.exit(err.exitCode);
    });
  registerTest(program);
  registerEval(program);
  registerDemo(program);
  registerGenerate(program);
  registerAudit(program);
  registerMigrate(program);
  registerPayout(program);
  registerImport(program);
  registerGrant(program);
  registerWorker(program);
  registerServe(program);
  await program.parseAsync(argv);
}
