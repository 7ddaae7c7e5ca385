// The `params:` block of a policy item: dated versions of amounts, rates, thresholds,
// lists, tier tables and code → value maps. The declared type decides how a value is
// read, so `"5.5%"` is a rate for a dec parameter and plain text for a text one.
import { isMap, isScalar } from 'yaml';
import { EngineError } from '../errors.ts';
import { checkParamCycles } from '../params/resolve.ts';
import { dec } from '../values/decimal.ts';
import type { ParamDef, ParamType, ParamValue, ParamVersion, TierRow } from './types.ts';
import { found, type Fields, type YamlReader } from './yaml-reader.ts';

export const PARAM_TYPES: readonly ParamType[] = ['int', 'dec', 'bool', 'date', 'text', 'list', 'tiers', 'map'];
const PARAM_NAME = /^[a-z_][a-z0-9_]*$/;

export function readParams(r: YamlReader, node: unknown, path: string): ParamDef[] | undefined {
  if (!isMap(node))
    return r.fail(node, path, `期望参数映射（参数名: 定义），实际为${found(node).zh}`, `expected a mapping of parameter name to definition, found ${found(node).en}`);
  const before = r.errors.length;
  const out: ParamDef[] = [];
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const at = `${path}.${name}`;
    if (!PARAM_NAME.test(name)) {
      r.fail(pair.key ?? node, at, `参数名 "${name}" 只能用小写字母、数字和下划线`, `parameter name "${name}" may use only lower-case letters, digits and _`);
      continue;
    }
    const def = readParam(r, name, pair.value, at);
    if (def) out.push(def);
  }
  if (r.errors.length > before) return undefined;
  try {
    checkParamCycles(out);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    r.errors.push(new EngineError(e.code, `${path}：${e.zh}`, `${path}: ${e.en}`, r.loc(node), r.file));
    return undefined;
  }
  return out;
}

function readParam(r: YamlReader, name: string, node: unknown, path: string): ParamDef | undefined {
  const f = r.map(node, path, ['type', 'versions'], ['label', 'label_en', 'unit']);
  if (!f) return undefined;
  const type = f.oneOf('type', PARAM_TYPES);
  const label = f.text('label');
  const labelEn = f.text('label_en');
  const unit = f.text('unit');
  const items = f.get('versions', (n, p) => r.seq(n, p));
  if (items && items.length === 0) r.fail(f.value('versions'), f.at('versions'), '至少需要一个版本', 'at least one version is needed');
  const versions = items?.map((v) => readVersion(r, type, v.node, v.path));
  if (!type || !versions || !versions.length || versions.some((v) => !v)) return undefined;
  return {
    name,
    type,
    ...(label !== undefined ? { label: { zh: label, ...(labelEn !== undefined ? { en: labelEn } : {}) } } : {}),
    ...(unit !== undefined ? { unit } : {}),
    versions: versions as ParamVersion[],
  };
}

function readVersion(r: YamlReader, type: ParamType | undefined, node: unknown, path: string): ParamVersion | undefined {
  const f = r.map(node, path, ['from', 'value'], ['to', 'source', 'note', 'default']);
  if (!f) return undefined;
  const from = f.date('from');
  const to = f.date('to');
  if (from && to && to < from)
    r.fail(f.value('to'), f.at('to'), `结束日期 ${to} 早于开始日期 ${from}`, `end date ${to} is before start date ${from}`);
  if (f.has('default') && type !== undefined && type !== 'map')
    r.fail(f.keyNode('default'), f.at('default'), `只有 map 类型的参数可以写 default（本参数为 ${type}）`, `only map parameters take a default (this one is ${type})`);
  const source = f.text('source');
  const note = f.text('note');
  const value = type && f.get('value', (n, p) => readValue(r, type, n, p, f));
  if (!from || !value) return undefined;
  return { from, ...(to ? { to } : {}), value, ...(source !== undefined ? { source } : {}), ...(note !== undefined ? { note } : {}) };
}

function readValue(r: YamlReader, type: ParamType, node: unknown, path: string, version: Fields): ParamValue | undefined {
  const isExpr = isScalar(node) && typeof node.value === 'string' && node.value.includes('$');
  if (isExpr && type !== 'text') {
    // resolveParams computes numbers only, so only int/dec parameters may be derived from others.
    if (type !== 'int' && type !== 'dec')
      return r.fail(node, path, `只有 int 或 dec 类型的参数可以写成表达式（本参数为 ${type}）`, `only int or dec parameters may be expressions (this one is ${type})`);
    const rule = r.rule(node, path);
    return rule && { kind: 'expr', expr: rule.expr, text: rule.text };
  }
  switch (type) {
    case 'int': {
      const n = r.int(node, path);
      return n === undefined ? undefined : { kind: 'num', value: String(n) };
    }
    case 'dec': {
      const v = r.decimal(node, path);
      return v === undefined ? undefined : { kind: 'num', value: v };
    }
    case 'bool': {
      const v = r.bool(node, path);
      return v === undefined ? undefined : { kind: 'bool', value: v };
    }
    case 'date': {
      const v = r.date(node, path);
      return v === undefined ? undefined : { kind: 'date', value: v };
    }
    case 'text': {
      const v = r.text(node, path);
      return v === undefined ? undefined : { kind: 'text', value: v };
    }
    case 'list': {
      const v = r.strList(node, path);
      return v === undefined ? undefined : { kind: 'list', value: v };
    }
    case 'tiers':
      return readTiers(r, node, path);
    case 'map':
      return readMap(r, node, path, version);
  }
}

/** Rows `{ min, max, value }`: min inclusive, max exclusive, either may be absent. */
function readTiers(r: YamlReader, node: unknown, path: string): ParamValue | undefined {
  const items = r.seq(node, path);
  if (!items) return undefined;
  if (!items.length) return r.fail(node, path, '分档表至少需要一行', 'a tier table needs at least one row');
  const rows: TierRow[] = [];
  for (const it of items) {
    const f = r.map(it.node, it.path, ['value'], ['min', 'max']);
    if (!f) continue;
    const min = f.decimal('min');
    const max = f.decimal('max');
    const value = f.decimal('value');
    if (min !== undefined && max !== undefined && !dec(min).lt(dec(max)))
      r.fail(f.value('max'), f.at('max'), `上限 ${max} 必须大于下限 ${min}`, `max ${max} must be greater than min ${min}`);
    if (value !== undefined) rows.push({ ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), value });
  }
  return rows.length === items.length ? { kind: 'tiers', rows } : undefined;
}

/** `{ "1": 193, "2": 161 }` with the version's optional `default`. */
function readMap(r: YamlReader, node: unknown, path: string, version: Fields): ParamValue | undefined {
  if (!isMap(node)) return r.fail(node, path, `期望 代码: 数值 的映射，实际为${found(node).zh}`, `expected a mapping of code: number, found ${found(node).en}`);
  const entries: Record<string, string> = {};
  let ok = true;
  for (const pair of node.items) {
    const code = isScalar(pair.key) && pair.key.value !== null ? (pair.key.source ?? String(pair.key.value)) : undefined;
    if (code === undefined) {
      ok = r.fail(pair.key ?? node, path, '映射的键必须是代码', 'map keys must be codes') ?? false;
      continue;
    }
    const v = r.decimal(pair.value, `${path}.${code}`);
    if (v === undefined) ok = false;
    // defineProperty: a code spelt "__proto__" must be data, not the object's prototype.
    else Object.defineProperty(entries, code, { value: v, enumerable: true, writable: true, configurable: true });
  }
  const dflt = version.decimal('default');
  if (version.has('default') && dflt === undefined) ok = false;
  return ok ? { kind: 'map', entries, ...(dflt !== undefined ? { default: dflt } : {}) } : undefined;
}
