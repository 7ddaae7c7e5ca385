// kx generate population | catalogue: the deterministic synthetic city and the benchmark
// catalogue at the seeds' scale. Same seed → same bytes.
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import {
  catalogueCounts, createPopulation, csvColumns, csvHeader, csvLine, DEFAULT_AS_OF, generateCatalogue, liaochengDictionary,
  loadCatalogue, ndjsonLine, policyFileName, policyFileYaml, type Profile,
} from '@kx/data';

function count(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v)) throw new Error(`${name} 应为非负整数，实际为 "${v}" / ${name} must be a non-negative integer, got "${v}"`);
    return Number(v);
  };
}

/** Progress on stderr: a bar on a terminal, otherwise a line about every 10%. */
function progress(total: number, label: string): { tick(done: number): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { tick: (done) => bar.update(done), stop: () => bar.stop() };
  }
  let next = 1;
  const started = Date.now();
  return {
    tick(done) {
      if (total === 0 || done * 10 < next * total) return;
      while (done * 10 >= next * total) next++;
      const s = ((Date.now() - started) / 1000).toFixed(1);
      process.stderr.write(`${label}: ${done}/${total} (${Math.floor((done / total) * 100)}%) ${s}s\n`);
    },
    stop() {},
  };
}

interface PopulationOpts {
  people: number;
  enterprises: number;
  seed: string;
  out?: string;
  format: string;
  asOf: string;
  from?: number;
  to?: number;
}

async function writePopulation(opts: PopulationOpts): Promise<void> {
  if (opts.format !== 'ndjson' && opts.format !== 'csv')
    throw new Error(`--format 应为 ndjson 或 csv，实际为 "${opts.format}" / --format must be ndjson or csv, got "${opts.format}"`);
  const pop = createPopulation({ people: opts.people, enterprises: opts.enterprises, seed: opts.seed, asOf: opts.asOf });
  const from = opts.from ?? 0;
  const to = Math.min(opts.to ?? pop.size, pop.size);
  const out = opts.out ? createWriteStream(opts.out) : process.stdout;
  const failed = new Promise<never>((_, reject) =>
    out.on('error', (e: NodeJS.ErrnoException) => {
      // A reader that stops early (`| head`) is not an error of ours.
      if (e.code === 'EPIPE') process.exit(0);
      reject(new Error(`无法写入 ${opts.out ?? '标准输出'}：${e.message} / cannot write ${opts.out ?? 'stdout'}: ${e.message}`));
    }),
  );
  failed.catch(() => {});
  const columns = csvColumns(liaochengDictionary());
  const line = opts.format === 'csv' ? (p: Profile) => csvLine(columns, p) : ndjsonLine;
  let buf = opts.format === 'csv' && from === 0 ? csvHeader(columns) : '';
  const bar = progress(to - from, '生成 / generating');
  // Writes go out in ~1 MB pieces and wait for the stream to drain: memory stays bounded.
  for (let k = from; k < to; k++) {
    buf += line(pop.profile(k));
    if (buf.length >= 1 << 20) {
      if (!out.write(buf)) await Promise.race([once(out, 'drain'), failed]);
      buf = '';
      bar.tick(k + 1 - from);
    }
  }
  if (buf) out.write(buf);
  bar.tick(to - from);
  bar.stop();
  if (opts.out) {
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  }
}

export function registerGenerate(program: Command): void {
  const gen = program.command('generate').description('生成确定性的合成数据 / generate deterministic synthetic data');

  gen
    .command('population')
    .description('合成聊城人口与市场主体档案 / synthetic residents and market entities of 聊城')
    .requiredOption('--people <n>', '居民人数 / residents', count('--people'))
    .requiredOption('--enterprises <n>', '市场主体数 / market entities', count('--enterprises'))
    .option('--seed <s>', '随机种子（整数或文字）/ seed (integer or text)', '1')
    .option('--out <file>', '输出文件，默认标准输出 / output file, default stdout')
    .option('--format <f>', 'ndjson 或 csv / ndjson or csv', 'ndjson')
    .option('--as-of <date>', '档案基准日 / date the facts describe', DEFAULT_AS_OF)
    .option('--from <k>', '只生成序号 ≥ k 的档案（分片）/ first profile index (for splitting)', count('--from'))
    .option('--to <k>', '只生成序号 < k 的档案 / end profile index, exclusive', count('--to'))
    .action(async (opts: PopulationOpts) => {
      await writePopulation(opts);
    });

  gen
    .command('catalogue')
    .description('由示例政策扩展出基准政策库 / scale the demo catalogue into the benchmark catalogue')
    .option('--items <n>', '政策事项数 / policy items', count('--items'), 2728)
    .option('--documents <n>', '政策文件数 / policy documents', count('--documents'), 1394)
    .option('--seed <s>', '随机种子 / seed', '1')
    .option('--templates <dir>', '模板政策目录 / template policy folder', 'data/policies')
    .requiredOption('--out <dir>', '输出目录 / output folder')
    .action((opts: { items: number; documents: number; seed: string; templates: string; out: string }) => {
      const dict = liaochengDictionary();
      const templates = loadCatalogue(opts.templates, dict);
      if (templates.errors.length) {
        for (const e of templates.errors) console.error(`✗ ${e.message}`);
        throw new Error(`模板政策有 ${templates.errors.length} 处错误 / the templates have ${templates.errors.length} errors`);
      }
      const cat = generateCatalogue(templates, { items: opts.items, documents: opts.documents, seed: opts.seed, dict });
      mkdirSync(opts.out, { recursive: true });
      for (const doc of cat.documents) writeFileSync(join(opts.out, policyFileName(doc)), policyFileYaml(doc));
      console.log(JSON.stringify(catalogueCounts(cat)));
    });
}
