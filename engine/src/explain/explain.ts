// From a trace to an explanation a citizen can read: one line per condition, its
// result, and the actual value, e.g.
//   注册地在聊城市范围内 ✓（371502 东昌府区）
//   上年度失业保险足额缴费月数 ≥ 12 个月 ✗（实际 8 个月）
import type { Expr } from '../ast/ast.ts';
import { fieldsOf } from '../ast/ast.ts';
import type { Tri, TraceNode } from '../evaluate/interpret.ts';
import { describeCondition, fmtValue, subjectField, type DescribeEnv, type Lang } from './describe.ts';

import type { Text2 } from '../dictionary/types.ts';


export interface ExplainNode {
  kind: 'all' | 'any' | 'not' | 'atleast' | 'condition';
  result: Tri;
  /** What the condition requires. */
  text: Text2;
  /** For conditions: the value found (实际值). */
  actual?: Text2;
  /** Fields the condition reads. */
  fields: string[];
  children?: ExplainNode[];
}

export const MARK: Record<Tri, string> = { T: '✓', F: '✗', U: '？' };

function actualOf(node: TraceNode, env: DescribeEnv): Text2 | undefined {
  const ops = node.operands;
  if (!ops) return undefined;
  const e = node.expr;
  const subject: Expr | undefined =
    e.op === 'cmp' ? (e.left.op === 'lit' ? e.right : e.left) : e.op === 'between' || e.op === 'in' || e.op === 'within' || e.op === 'known' ? e.value : e.op === 'contains' ? e.set : e;
  const idx = e.op === 'cmp' && e.left.op === 'lit' ? 1 : 0;
  const v = ops[idx];
  const def = subject ? subjectField(subject, env.dict) : undefined;
  if (e.op === 'known') return undefined;
  const fmt = (lang: Lang) => fmtValue(v, def, env, lang);
  return { zh: fmt('zh'), en: fmt('en') };
}

export function explainTrace(node: TraceNode, env: DescribeEnv): ExplainNode {
  const e = node.expr;
  const fields = fieldsOf(e);
  if (e.op === 'and' || e.op === 'or' || e.op === 'not' || e.op === 'atleast') {
    const children = (node.children ?? []).map((c) => explainTrace(c, env));
    const text: Text2 =
      e.op === 'and'
        ? { zh: '满足以下全部条件', en: 'All of the following' }
        : e.op === 'or'
          ? { zh: '满足以下任一条件', en: 'Any of the following' }
          : e.op === 'not'
            ? { zh: '不满足以下条件', en: 'None of the following' }
            : { zh: `以下 ${e.args.length} 项中至少满足 ${e.n} 项`, en: `At least ${e.n} of these ${e.args.length}` };
    return { kind: e.op === 'and' ? 'all' : e.op === 'or' ? 'any' : e.op, result: node.result, text, fields, children };
  }
  const actual = actualOf(node, env);
  return { kind: 'condition', result: node.result, text: conditionText(e, env), fields, ...(actual ? { actual } : {}) };
}

// What a condition requires reads the same for every entity: kept per condition (the rules
// of an item on a day are kept by the evaluator) and parameters; frozen, as it is shared.
const textCache = new WeakMap<Expr, { env: DescribeEnv['params']; dict: DescribeEnv['dict']; text: Text2 }>();

function conditionText(e: Expr, env: DescribeEnv): Text2 {
  const hit = textCache.get(e);
  if (hit && hit.env === env.params && hit.dict === env.dict) return hit.text;
  const text = Object.freeze({ zh: describeCondition(e, env, 'zh'), en: describeCondition(e, env, 'en') });
  textCache.set(e, { env: env.params, dict: env.dict, text });
  return text;
}

/** One line per node, indented by depth: the form printed by `kx eval` and shown in the portal. */
export function renderExplanation(root: ExplainNode, lang: Lang = 'zh'): string[] {
  const lines: string[] = [];
  const walk = (n: ExplainNode, depth: number) => {
    const pad = '  '.repeat(depth);
    const actual = n.actual ? (lang === 'zh' ? `（实际 ${n.actual.zh}）` : ` (actual: ${n.actual.en})`) : '';
    lines.push(`${pad}${n.text[lang]} ${MARK[n.result]}${n.kind === 'condition' ? actual : ''}`);
    for (const c of n.children ?? []) walk(c, depth + 1);
  };
  walk(root, 0);
  return lines;
}

/** Leaf conditions of an explanation (flattened), e.g. for "why not" lists. */
export function conditionsOf(root: ExplainNode): ExplainNode[] {
  const out: ExplainNode[] = [];
  const walk = (n: ExplainNode) => (n.kind === 'condition' ? out.push(n) : (n.children ?? []).forEach(walk));
  walk(root);
  return out;
}
