// kx eval: one entity, one rule (a policy file or a JsonLogic file), one date.
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  EngineError,
  evaluateItem,
  importJsonLogic,
  normalizeFacts,
  parseDate,
  renderExplanation,
  validateItem,
  type EntityKind,
  type ItemVerdict,
  type PolicyItem,
} from '@kx/engine';
import { liaochengDictionary, loadCatalogue } from '@kx/data';

interface EvalOpts {
  rule: string;
  facts: string;
  date: string;
  item?: string;
  kind?: EntityKind;
  json?: boolean;
}

function fail(zh: string, en: string): never {
  console.error(`错误：${zh} / Error: ${en}`);
  process.exit(2);
}

function readFacts(arg: string): Record<string, unknown> {
  const text = arg.trim().startsWith('{') ? arg : existsSync(arg) ? readFileSync(arg, 'utf8') : fail(`找不到事实文件 ${arg}`, `facts file ${arg} not found`);
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) fail('事实应为 JSON 对象', 'facts must be a JSON object');
    return v as Record<string, unknown>;
  } catch (e) {
    return fail(`事实不是有效的 JSON：${(e as Error).message}`, `facts are not valid JSON: ${(e as Error).message}`);
  }
}

/** A JsonLogic rule becomes an ad-hoc item: no region scope, no amount. */
function itemFromJsonLogic(path: string, kind: EntityKind): PolicyItem {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    fail(`JsonLogic 文件不是有效的 JSON：${(e as Error).message}`, `the JsonLogic file is not valid JSON`);
  }
  const eligibility = importJsonLogic(json, liaochengDictionary());
  return {
    id: path, version: 1, title: path, document_id: '', department: '', region_scope: [], audience: kind, mode: 'online',
    valid_from: '1900-01-01', eligibility, params: [], materials: [], review_steps: [], statutory_days: 0, cases: [],
  };
}

function pickItem(path: string, id: string | undefined): PolicyItem {
  const dict = liaochengDictionary();
  const cat = loadCatalogue(path, dict, { validate: false });
  if (cat.errors.length) fail(cat.errors.map((e) => e.zh).join('\n'), cat.errors.map((e) => e.message).join('\n'));
  const item = id ? cat.items.find((i) => i.id === id) : cat.items[0];
  if (!item) fail(`文件中没有事项 ${id ?? ''}；可选：${cat.items.map((i) => i.id).join(', ')}`, `no item ${id ?? ''} in ${path}`);
  const errors = validateItem(item, dict, path);
  if (errors.length) fail(errors.map((e) => e.zh).join('\n'), errors.map((e) => e.en).join('\n'));
  return item;
}

const VERDICT_ZH = { eligible: '符合 ✓', ineligible: '不符合 ✗', undetermined: '待定 ？（信息不全）' };

function printText(item: PolicyItem, v: ItemVerdict): void {
  console.log(`${item.title}（${item.id} v${item.version}）  ${v.date}`);
  console.log(`结论 / verdict: ${VERDICT_ZH[v.verdict]} ${v.verdict}`);
  if (v.reason) console.log(`原因: ${v.reason.zh}`);
  if (v.amount) console.log(`金额 / amount: ${v.amount.value ?? '无法计算（缺少信息）'} ${v.amount.unit ?? ''}\n  = ${v.amount.formula.zh}`);
  if (v.missing.length) console.log(`缺少的信息 / missing: ${v.missing.map((m) => `${m.label.zh}（${m.field}）`).join('、')}`);
  if (v.explanation) {
    console.log('依据 / explanation:');
    for (const line of renderExplanation(v.explanation, 'zh')) console.log(`  ${line}`);
  }
  for (const c of v.counterfactuals) console.log(`提示: ${c.text.zh}`);
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('对一个主体评估一项政策 / evaluate one rule for one entity')
    .requiredOption('--rule <file>', '政策文件（YAML）或 JsonLogic 文件（.json）/ policy file or JsonLogic file')
    .requiredOption('--facts <json|file>', '主体事实（JSON 或文件）/ facts as JSON or a file')
    .requiredOption('--date <YYYY-MM-DD>', '评估日期 / evaluation date')
    .option('--item <id>', '文件中的事项编号（默认第一个）/ item id in the file')
    .option('--kind <enterprise|person>', 'JsonLogic 规则的对象 / audience of a JsonLogic rule', 'enterprise')
    .option('--json', '输出 JSON / print JSON')
    .action((opts: EvalOpts) => {
      const day = parseDate(opts.date) ?? fail(`日期 "${opts.date}" 无效，应为 YYYY-MM-DD`, `invalid date "${opts.date}", expected YYYY-MM-DD`);
      if (!existsSync(opts.rule)) fail(`找不到规则文件 ${opts.rule}`, `rule file ${opts.rule} not found`);
      if (opts.kind !== 'enterprise' && opts.kind !== 'person') fail(`--kind 应为 enterprise 或 person`, '--kind must be enterprise or person');
      const dict = liaochengDictionary();
      try {
        const item = /\.json$/i.test(opts.rule) ? itemFromJsonLogic(opts.rule, opts.kind!) : pickItem(opts.rule, opts.item);
        const { entity, errors } = normalizeFacts(dict, item.audience, readFacts(opts.facts));
        if (errors.length) fail(errors.map((e) => e.message).join('\n'), 'invalid facts');
        const v = evaluateItem(item, entity, dict, day);
        if (opts.json) console.log(JSON.stringify({ item: v.item, version: v.version, date: v.date, verdict: v.verdict, missing: v.missing, amount: v.amount, explanation: v.explanation, counterfactuals: v.counterfactuals }, null, 2));
        else printText(item, v);
      } catch (e) {
        if (e instanceof EngineError) fail(e.zh, e.message);
        throw e;
      }
    });
}
