// The builder never changes a rule: any AST survives AST → tree → AST exactly, and a tree
// made in the builder survives tree → AST → text → AST → tree (the text side of the editor).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Expr } from '../../../../engine/src/ast/ast.ts';
import { exprKey, stripLoc } from '../../../../engine/src/ast/ast.ts';
import { parseExpr } from '../../../../engine/src/syntax/parser.ts';
import { printExpr } from '../../../../engine/src/syntax/printer.ts';
import { arbRule } from '../../../../engine/test/arbitraries.ts';
import { arbSyntaxExpr } from '../../../../engine/test/syntax-arbitrary.ts';
import { addChild, incompleteRows, newId, shapeOf, toAst, toTree, updateNode, type BNode, type Cond, type CondOp, type Group, type Operand } from './convert.ts';

const key = (e: Expr | undefined) => (e ? exprKey(e) : 'none');
/** `negate: false` and an absent negate mean the same; the parser writes neither (generators may). */
const meaning = (e: Expr) => JSON.stringify(e, (k, v) => (k === 'loc' || (k === 'negate' && v === false) ? undefined : v));
const viaText = (e: Expr) => stripLoc(parseExpr(printExpr(e)));

describe('builder tree ⇄ rule AST', () => {
  it('keeps every AST the grammar can hold, exactly (AST → tree → AST)', () => {
    fc.assert(fc.property(arbSyntaxExpr, (e) => key(toAst(toTree(e))) === key(e)), { numRuns: 2000 });
  });

  it('keeps realistic rules exactly, and the tree they make is stable', () => {
    fc.assert(
      fc.property(arbRule, (e) => {
        const tree = toTree(e);
        expect(meaning(toAst(tree)!)).toBe(meaning(e));
        expect(shapeOf(toTree(toAst(tree)))).toEqual(shapeOf(tree));
      }),
      { numRuns: 1000 },
    );
  });

  it('shows the conditions a clerk writes as rows, not raw text', () => {
    const e = stripLoc(parseExpr('entity_kind = "enterprise" and (employees >= 10 or age(birth_date) between 16 and 24) and not (credit_status in ["serious"]) and region within ["371502", "LC-JKQ"] and qualifications contains any ["zjtx"] and dibao is missing'));
    const tree = toTree(e);
    const kinds = (n: BNode): string[] => (n.kind === 'group' ? [`group:${n.logic}${n.negate ? ':not' : ''}`, ...n.children.flatMap(kinds)] : [n.kind === 'cond' ? n.op : 'raw']);
    expect(kinds(tree)).toEqual(['group:all', '=', 'group:any', '>=', 'between', 'group:all:not', 'in', 'within', 'contains any', 'missing']);
    expect(printExpr(toAst(tree)!)).toBe(printExpr(e));
  });

  // Trees as the builder makes them: rows with literal or $param values, nested groups.
  const num = fc.integer({ min: -5000, max: 5000 }).map((n): Operand => ({ op: 'lit', value: { num: String(n) } }));
  const date = fc.integer({ min: 0, max: 20_000 }).map((d): Operand => ({ op: 'lit', value: { date: new Date(Date.UTC(1990, 0, 1 + d)).toISOString().slice(0, 10) } }));
  const codes = fc.array(fc.constantFrom('a1', 'zjtx', 'serious', 'micro'), { minLength: 1, maxLength: 3 }).map((l): Operand => ({ op: 'lit', value: { list: l } }));
  const param = fc.constantFrom('min_months', 'cap').map((name): Operand => ({ op: 'param', name }));
  const fieldName = fc.constantFrom('employees', 'revenue', 'birth_date', 'size_class', 'qualifications', 'region', 'dibao');
  const cond: fc.Arbitrary<Cond> = fc.oneof(
    fc.tuple(fieldName, fc.constantFrom<CondOp>('=', '!=', '<', '<=', '>', '>='), fc.oneof(num, date, param, fc.constantFrom<Operand>({ op: 'lit', value: true }, { op: 'lit', value: 'micro' }))).map(
      ([field, op, v]): Cond => ({ kind: 'cond', id: newId(), field, op, values: [v] }),
    ),
    fc.tuple(fieldName, fc.option(fc.constantFrom('age', 'years_since') as fc.Arbitrary<'age' | 'years_since'>, { nil: undefined }), num, num).map(
      ([field, fn, a, b]): Cond => ({ kind: 'cond', id: newId(), field, ...(fn ? { fn } : {}), op: 'between', values: [a, b] }),
    ),
    fc.tuple(fieldName, fc.constantFrom<CondOp>('in', 'not in', 'contains any', 'contains all', 'contains none'), fc.oneof(codes, param)).map(([field, op, v]): Cond => ({ kind: 'cond', id: newId(), field, op, values: [v] })),
    fc.tuple(fieldName, fc.constantFrom<CondOp>('within', 'not within'), fc.array(fc.constantFrom('371502', 'LC-JKQ', '3715'), { minLength: 1, maxLength: 2 })).map(
      ([field, op, regions]): Cond => ({ kind: 'cond', id: newId(), field, op, values: [], regions }),
    ),
    fc.tuple(fieldName, fc.constantFrom<CondOp>('known', 'missing')).map(([field, op]): Cond => ({ kind: 'cond', id: newId(), field, op, values: [] })),
  );
  const group: fc.Arbitrary<Group> = fc.letrec<{ g: Group; n: BNode }>((tie) => ({
    n: fc.oneof({ depthSize: 'small' }, cond, tie('g')),
    g: fc.tuple(fc.constantFrom<'all' | 'any'>('all', 'any'), fc.boolean(), fc.array(tie('n'), { minLength: 0, maxLength: 4 })).map(
      ([logic, negate, children]): Group => ({ kind: 'group', id: newId(), logic, negate, children }),
    ),
  })).g;

  it('a tree made in the builder means the same after a trip through the text form', () => {
    fc.assert(
      fc.property(group, (tree) => {
        const ast = toAst(tree);
        if (!ast) return;
        // text → AST is exact, and the tree made from it prints the same rule
        expect(key(viaText(ast))).toBe(key(ast));
        const again = toTree(viaText(ast));
        expect(key(toAst(again))).toBe(key(ast));
        expect(shapeOf(toTree(toAst(again)))).toEqual(shapeOf(again));
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves incomplete rows and empty groups out of the rule until they are filled in', () => {
    let tree = toTree(stripLoc(parseExpr('employees >= 10')));
    const row: Cond = { kind: 'cond', id: newId(), field: 'revenue', op: '>', values: [] };
    tree = addChild(tree, tree.id, row);
    tree = addChild(tree, tree.id, { kind: 'group', id: newId(), logic: 'any', negate: false, children: [] });
    expect(incompleteRows(tree)).toEqual([row.id]);
    expect(printExpr(toAst(tree)!)).toBe('employees >= 10');
    tree = updateNode(tree, row.id, (n) => ({ ...(n as Cond), values: [{ op: 'lit', value: { num: '500' } }] }));
    expect(printExpr(toAst(tree)!)).toBe('employees >= 10 and revenue > 500');
    tree = updateNode(tree, row.id, () => null);
    expect(printExpr(toAst(tree)!)).toBe('employees >= 10');
    expect(toAst(toTree(undefined))).toBeUndefined();
  });
});
