// Limits of docs/rule-language.md. Rules come from people and from imports; a hostile
// or broken one must end in a LIMIT error with a location, never in a crash or a hang.
import { children, type Expr, type Loc } from '../ast/ast.ts';
import { EngineError } from '../errors.ts';
import type { SourceMap } from './lexer.ts';

export const RULE_LIMITS = {
  /** bytes of UTF-8 rule text */
  maxTextBytes: 1024 * 1024,
  maxDepth: 200,
  maxNodes: 50_000,
  maxListMembers: 10_000,
} as const;

export function limitError(zh: string, en: string, loc: Loc, src: SourceMap): EngineError {
  return new EngineError('LIMIT', `第${loc.line}行第${loc.col}列：${zh}`, `line ${loc.line}, column ${loc.col}: ${en}`, loc, src.file);
}

/** Left-leaning arithmetic can be deep without deep parsing; the tree itself must stay within the limit. */
export function checkDepth(root: Expr, src: SourceMap): void {
  const stack: [Expr, number, Loc | undefined][] = [[root, 1, root.loc]];
  while (stack.length) {
    const [e, d, near] = stack.pop()!;
    const loc = e.loc ?? near;
    if (d > RULE_LIMITS.maxDepth)
      throw limitError(`规则嵌套超过 ${RULE_LIMITS.maxDepth} 层`, `rule is nested more than ${RULE_LIMITS.maxDepth} levels deep`, loc ?? { line: 1, col: 1 }, src);
    for (const c of children(e)) stack.push([c, d + 1, loc]);
  }
}

/** UTF-8 length without allocating (the engine has no Buffer). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
