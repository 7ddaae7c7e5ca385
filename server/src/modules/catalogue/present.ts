// An item version as people read it: the rule as canonical text and in plain Chinese,
// with parameters shown as their values on the day it is read (clamped into the item's
// validity, so an item read before it starts or after it ends still shows real numbers).
import {
  describeCondition, describeValue, parseDate, resolveParams, formatDate, printExpr,
  type DescribeEnv, type Dictionary, type Expr, type Lang, type PolicyItem,
} from '@kx/engine';
import type { Static } from 'typebox';
import type { RuleView, VersionMeta, VersionView } from './schema.ts';

function paramsDay(item: PolicyItem, today: string): number[] {
  const from = parseDate(item.valid_from)!;
  const to = item.valid_to ? parseDate(item.valid_to)! : undefined;
  const t = parseDate(today)!;
  const clamped = Math.max(from, to !== undefined ? Math.min(t, to) : t);
  return [...new Set([clamped, from])];
}

function describeEnv(item: PolicyItem, dict: Dictionary, today: string): { env: DescribeEnv; day?: number } {
  for (const day of paramsDay(item, today)) {
    try {
      return { env: { dict, params: resolveParams(item.params, day) }, day };
    } catch {
      // a parameter not in force on this day: try the next candidate, else show $names
    }
  }
  return { env: { dict } };
}

/** One line per condition; the top-level and-chain is the list itself, nested groups indent. */
export function conditionLines(e: Expr, env: DescribeEnv, depth = 0, top = true, lang: Lang = 'zh'): string[] {
  const pad = '  '.repeat(depth);
  const zh = lang === 'zh';
  const group = (head: string, args: Expr[]) => [`${pad}${head}`, ...args.flatMap((a) => conditionLines(a, env, depth + 1, false, lang))];
  switch (e.op) {
    case 'and':
      return top ? e.args.flatMap((a) => conditionLines(a, env, depth, true, lang)) : group(zh ? '同时满足以下条件：' : 'All of the following:', e.args);
    case 'or':
      return group(zh ? '满足以下任一条件：' : 'Any of the following:', e.args);
    case 'atleast':
      return group(zh ? `以下 ${e.args.length} 项中至少满足 ${e.n} 项：` : `At least ${e.n} of these ${e.args.length}:`, e.args);
    case 'not':
      return group(zh ? '不满足以下条件：' : 'None of the following:', [e.arg]);
    default:
      return [`${pad}${describeCondition(e, env, lang)}`];
  }
}

export function ruleView(item: PolicyItem, dict: Dictionary, today: string): Static<typeof RuleView> {
  const { env, day } = describeEnv(item, dict, today);
  const safe = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch {
      return fallback;
    }
  };
  return {
    eligibility_text: printExpr(item.eligibility),
    eligibility_zh: safe(() => conditionLines(item.eligibility, env), []),
    eligibility_en: safe(() => conditionLines(item.eligibility, env, 0, true, 'en'), []),
    amount_text: item.amount ? printExpr(item.amount) : null,
    amount_zh: item.amount ? safe(() => describeValue(item.amount!, env, 'zh'), null) : null,
    amount_en: item.amount ? safe(() => describeValue(item.amount!, env, 'en'), null) : null,
    region_names: item.region_scope.map((r) => dict.regions.name(r) ?? r),
    region_names_en: item.region_scope.map((r) => dict.regions.name(r, 'en') ?? r),
    params_on: day !== undefined ? formatDate(day) : null,
  };
}

export function versionView(meta: VersionMeta, body: PolicyItem, dict: Dictionary, today: string): VersionView {
  return { ...meta, body: body as VersionView['body'], rule: ruleView(body, dict, today) };
}
