// @kx/engine — public surface. Each module adds its exports here.
export * from './ast/ast.ts';
export * from './dictionary/types.ts';
export * from './dictionary/dictionary.ts';
export * from './values/dates.ts';
export * from './values/decimal.ts';
export * from './values/facts.ts';
export * from './policy/types.ts';
export * from './errors.ts';
export * from './params/resolve.ts';
export * from './params/bind.ts';
