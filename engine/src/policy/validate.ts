// Whole-item checks before an item can be saved, tested or published: the rule and the
// formula type-check against the dictionary, parameters are well-formed and acyclic,
// the region scope is valid and every case's facts are valid facts.
import { checkExpr } from '../check/check.ts';
import { createDictionary } from '../dictionary/dictionary.ts';
import type { Dictionary } from '../dictionary/types.ts';
import { EngineError } from '../errors.ts';
import { checkParamCycles } from '../params/resolve.ts';
import { parseDate } from '../values/dates.ts';
import { normalizeFacts } from '../values/facts.ts';
import type { ParamDef, PolicyItem } from './types.ts';

const VALUE_KIND: Record<ParamDef['type'], string[]> = {
  int: ['num', 'expr'],
  dec: ['num', 'expr'],
  bool: ['bool'],
  date: ['date'],
  text: ['text'],
  list: ['list'],
  tiers: ['tiers'],
  map: ['map'],
};

function checkParams(item: PolicyItem, dict: Dictionary, file?: string): EngineError[] {
  // Parameter expressions may not read facts: checked against a dictionary with no fields.
  const noFields = createDictionary({ fields: [], enums: [], sources: [], regions: dict.regions });
  const errors: EngineError[] = [];
  const err = (zh: string, en: string) => errors.push(new EngineError('PARAM_TYPE', `事项 ${item.id}：${zh}`, `item ${item.id}: ${en}`, undefined, file));
  for (const p of item.params) {
    if (p.versions.length === 0) err(`参数 $${p.name} 没有任何取值版本`, `parameter $${p.name} has no versions`);
    for (const v of p.versions) {
      if (parseDate(v.from) === undefined) err(`参数 $${p.name} 的生效日期 "${v.from}" 无效`, `parameter $${p.name}: invalid from date "${v.from}"`);
      if (v.to !== undefined && (parseDate(v.to) === undefined || parseDate(v.to)! < parseDate(v.from)!))
        err(`参数 $${p.name} 的失效日期 "${v.to}" 无效或早于生效日期`, `parameter $${p.name}: invalid to date "${v.to}"`);
      if (!VALUE_KIND[p.type].includes(v.value.kind))
        err(`参数 $${p.name} 声明为 ${p.type}，取值却是 ${v.value.kind}`, `parameter $${p.name} is declared ${p.type} but a version holds ${v.value.kind}`);
      if (p.type === 'int' && v.value.kind === 'num' && !/^-?\d+$/.test(v.value.value))
        err(`参数 $${p.name} 声明为整数，取值为 ${v.value.value}`, `parameter $${p.name} is an int, got ${v.value.value}`);
      if (v.value.kind === 'expr') errors.push(...checkExpr(v.value.expr, 'num', { dict: noFields, params: item.params, file }));
    }
  }
  try {
    checkParamCycles(item.params);
  } catch (e) {
    if (e instanceof EngineError) errors.push(e);
    else throw e;
  }
  return errors;
}


export function validateItem(item: PolicyItem, dict: Dictionary, file?: string): EngineError[] {
  const errors: EngineError[] = [];
  const opts = { dict, params: item.params, file };
  errors.push(...checkExpr(item.eligibility, 'bool', opts));
  if (item.amount) errors.push(...checkExpr(item.amount, 'num', opts));
  errors.push(...checkParams(item, dict, file));
  for (const r of item.region_scope)
    if (!dict.regions.isValid(r)) errors.push(new EngineError('TYPE', `事项 ${item.id}：适用区域 "${r}" 不是有效的区划代码`, `item ${item.id}: region_scope "${r}" is not a valid region code`, undefined, file));
  if (parseDate(item.valid_from) === undefined) errors.push(new EngineError('DATE', `事项 ${item.id}：valid_from "${item.valid_from}" 无效`, `item ${item.id}: invalid valid_from`, undefined, file));
  for (const tc of item.cases) {
    const { errors: fe } = normalizeFacts(dict, item.audience, tc.facts);
    for (const e of fe) errors.push(new EngineError('TYPE', `事项 ${item.id} 用例「${tc.name}」：${e.message}`, `item ${item.id} case "${tc.name}"`, undefined, file));
  }
  return errors;
}
