import { describe, expect, it } from 'vitest';
import { ELDERLY, posOf } from '../../test/policy-yaml.ts';
import { loadPolicyDocument, MAX_POLICY_FILE_BYTES } from './load.ts';

const FILE = 'policies/lc-mzj-2025-gljt.yaml';

function mutate(from: string, to: string, base = ELDERLY): string {
  if (!base.includes(from)) throw new Error(`fixture has no ${JSON.stringify(from)}`);
  return base.replace(from, to);
}

// replace ; with ; code ; where the error points (a snippet of the mutated file) ; Chinese part ; English part
const ERRORS: [string, string, string, string, string, string][] = [
  ['    eligibility: |', '    eligibilty: |', 'POLICY_FILE', 'eligibilty: |', '未知的键 "eligibilty"，是否想写 "eligibility"？', 'did you mean "eligibility"?'],
  ['    mode: auto\n', '', 'POLICY_FILE', 'id: lc-mzj-gljt', 'items[0]：缺少必填项 "mode"', 'missing required key "mode"'],
  ['    mode: online', '    mode: automatic', 'POLICY_FILE', 'automatic', 'items[1].mode：期望 auto 或 online 或 offline，实际为 "automatic"', 'expected auto or online or offline, found "automatic"'],
  ['    audience: person\n    mode: auto', '    audience: persons\n    mode: auto', 'POLICY_FILE', 'persons', 'items[0].audience：期望 enterprise 或 person', 'found "persons"'],
  ['    version: 2', '    version: two', 'POLICY_FILE', 'two', '期望不小于 1 的整数，实际为 "two"', 'expected a whole number ≥ 1'],
  ['    statutory_days: 15', '    statutory_days: -3', 'POLICY_FILE', '-3\n    quota', 'items[1].statutory_days：期望不小于 0 的整数', 'found "-3"'],
  ['    region_scope: ["371500"]\n    audience: person\n    mode: online', '    region_scope: "371500"\n    audience: person\n    mode: online', 'POLICY_FILE', '"371500"\n    audience: person\n    mode: online', '期望列表，实际为 "371500"', 'expected a list'],
  ['    confirm_intent: true', '    confirm_intent: 是', 'POLICY_FILE', '是', '期望 true 或 false，实际为 "是"', 'expected true or false'],
  ['  published_on: 2025-02-10', '  published_on: 2025-02-30', 'POLICY_FILE', '2025-02-30', 'document.published_on：期望日期 YYYY-MM-DD', 'found "2025-02-30"'],
  ['    valid_to: 2025-12-31', '    valid_to: 2024-12-31', 'POLICY_FILE', '2024-12-31\n    window', 'valid_to 2024-12-31 早于 valid_from 2025-01-01', 'is before valid_from'],
  ['  - id: lc-mzj-cjrbt', '  - id: lc-mzj-gljt', 'POLICY_FILE', 'lc-mzj-gljt\n    version: 1', '事项编号 "lc-mzj-gljt" 重复（第一次出现在第 15 行）', 'item id "lc-mzj-gljt" is used twice (first on line 15)'],
  ['  id: lc-mzj-2025-gljt', '  id: LC_MZJ', 'POLICY_FILE', 'LC_MZJ', '编号只能用小写字母、数字和连字符', 'ids use lower-case letters'],
  ['  number: 聊民发〔2025〕8号\n', '', 'POLICY_FILE', 'id: lc-mzj-2025-gljt', 'document：缺少必填项 "number"', 'missing required key "number"'],
  ['      and not (dibao = true and income_pc is missing)', '      and not (dibao = true and income_pc is missing', 'SYNTAX', '\n    amount: tier', '期望 ")"，实际为 文本末尾', 'expected ")", found end of text'],
  ['      age(birth_date) >= $min_age', '      age(birth_date) >= $min_age and and', 'SYNTAX', 'and\n      and not', '期望一个值', 'found "and"'],
  ['    amount: "lookup(disability_grade, $grade_amounts)"', '    amount: "lookup(disability_grade, grade_amounts)"', 'SYNTAX', 'lookup(disability_grade, grade', '第二个是 $ 开头的表格参数', '$table parameter'],
  ['income_pc < $dibao_standard * 1.5)', 'income_pc < $dibao_standard * 1.5))', 'SYNTAX', ')\n      and birth_date', '期望 and、or 或文本结束，实际为 ")"', 'found ")"'],
  ['        type: tiers', '        type: table', 'POLICY_FILE', 'table', '期望 int 或 dec 或 bool 或 date 或 text 或 list 或 tiers 或 map', 'found "table"'],
  ['value: "1.5%" }', 'value: "1.5%%" }', 'POLICY_FILE', '"1.5%%"', '期望数字（如 12、0.055、"5.5%"）', 'expected a number'],
  ['value: 123456789012345 }', 'value: 1234567890123456 }', 'POLICY_FILE', '1234567890123456', '超过 15 位有效数字', 'more than 15 significant digits'],
  ['value: 850 }]', 'value: 850, default: 0 }]', 'POLICY_FILE', 'default: 0 }]', '只有 map 类型的参数可以写 default（本参数为 dec）', 'only map parameters take a default'],
  ['value: [371502008, "371502001"] }', 'value: "$towns_base" }', 'POLICY_FILE', '"$towns_base"', '只有 int 或 dec 类型的参数可以写成表达式（本参数为 list）', 'only int or dec parameters'],
  ['value: "$dibao_standard * 1.3" }', 'value: "$dibao_standard * * 1.3" }', 'SYNTAX', '* 1.3" }', '期望一个值', 'found "*"'],
  ['              - { min: 90, max: 100, value: 200 }', '              - { min: 90, max: 90, value: 200 }', 'POLICY_FILE', '90, value: 200', '上限 90 必须大于下限 90', 'max 90 must be greater than min 90'],
  ['          - { from: 2019-01-01, to: 2024-12-31, value: 80', '          - { from: 2019-01-01, to: 2018-12-31, value: 80', 'POLICY_FILE', '2018-12-31', '结束日期 2018-12-31 早于开始日期 2019-01-01', 'end date 2018-12-31 is before'],
  ['      min_age:', '      minAge:', 'POLICY_FILE', 'minAge', '参数名 "minAge" 只能用小写字母、数字和下划线', 'parameter name "minAge"'],
  ['versions: [{ from: 2025-01-01, value: 850 }]', 'versions: []', 'POLICY_FILE', '[]', '至少需要一个版本', 'at least one version'],
  ['value: "$dibao_standard * 1.3" }', 'value: "$special_standard * 1.3" }', 'PARAM_CYCLE', 'dibao_standard:', '参数之间存在循环引用：special_standard → special_standard', 'cycle'],
  ['expect: { verdict: eligible, amount: 100 }', 'expect: { verdict: yes, amount: 100 }', 'POLICY_FILE', 'yes', 'expect.verdict：期望 eligible 或 ineligible 或 undetermined', 'found "yes"'],
  ['expect: { verdict: eligible, amount: 100 }', 'expect: { verdict: eligible, amount: 一百 }', 'POLICY_FILE', '一百', 'expect.amount：期望数字', 'expected a number'],
  ['        facts: { region: "371502" }', '        facts: [region]', 'POLICY_FILE', '[region]', '期望 字段: 值 的映射，实际为列表', 'found a list'],
  ['    tags: [养老, 高龄]', '    tags: [养老, 高龄\n    statutory_days: 3', 'POLICY_FILE', 'statutory_days: 3', 'YAML 格式错误', 'YAML syntax error'],
  ['    title_en: Old-age allowance', '    title_en: Old-age allowance\n    title_en: again', 'POLICY_FILE', 'title_en: again', 'YAML 格式错误', 'Map keys must be unique'],
];

describe('loadPolicyDocument: each error names file:line:col, what was found and what was expected', () => {
  it.each(ERRORS)('%j → %j', (from, to, code, at, zh, en) => {
    const text = mutate(from, to);
    const { doc, errors } = loadPolicyDocument(text, FILE);
    expect(doc).toBeUndefined();
    const e = errors.find((x) => x.zh.includes(zh));
    expect(e, `errors were: ${errors.map((x) => x.message).join('\n')}`).toBeDefined();
    expect(e!.code).toBe(code);
    expect(e!.en).toContain(en);
    expect(e!.file).toBe(FILE);
    const where = posOf(text, at);
    expect(e!.loc).toEqual(where);
    expect(e!.message.startsWith(`${FILE}:${where.line}:${where.col}: `)).toBe(true);
  });

  it('collects every error of a file in one pass, in file order', () => {
    let text = mutate('    mode: online', '    mode: automatic');
    text = mutate('  published_on: 2025-02-10', '  published_on: 2025/02/10', text);
    text = mutate('      age(birth_date) >= $min_age', '      age(birth_date) >= $min_age)', text);
    text = mutate('value: "1.5%" }', 'value: 百分之一点五 }', text);
    const { errors } = loadPolicyDocument(text, FILE);
    expect(errors.map((e) => e.loc)).toEqual([posOf(text, '2025/02/10'), posOf(text, ')\n      and not'), posOf(text, 'automatic'), posOf(text, '百分之一点五')]);
    expect(errors).toHaveLength(4);
    expect(errors.map((e) => e.code)).toEqual(['POLICY_FILE', 'SYNTAX', 'POLICY_FILE', 'POLICY_FILE']);
  });
});

describe('loadPolicyDocument: hostile and broken files give clear errors, never a crash', () => {
  const only = (text: string) => {
    const { doc, errors } = loadPolicyDocument(text, FILE);
    expect(doc).toBeUndefined();
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e.file).toBe(FILE);
      expect(e.loc).toBeDefined();
    }
    return errors[0];
  };

  it('an empty file, a list at the top, a file without items', () => {
    expect(only('').zh).toContain('文件为空');
    expect(only('# 只有注释\n').zh).toContain('文件为空');
    expect(only('- a\n- b\n').zh).toContain('期望键值映射，实际为列表');
    const noItems = only(ELDERLY.slice(0, ELDERLY.indexOf('items:')));
    expect(noItems.zh).toBe('缺少必填项 "items"');
    const { errors } = loadPolicyDocument('document: {}\nitems: []\nextra: 1\n', FILE);
    expect(errors.map((e) => e.zh)).toContain('extra：未知的键 "extra"，可用的键：document、items');
  });

  it('a file over 10 MB is refused before it is parsed', () => {
    const big = ELDERLY + '#'.repeat(MAX_POLICY_FILE_BYTES);
    const t0 = performance.now();
    const e = only(big);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(e.code).toBe('LIMIT');
    expect(e.zh).toContain('超过上限 10 MB');
  });

  it('YAML nested 10,000 deep', () => {
    const flow = only(`document: ${'['.repeat(10_000)}${']'.repeat(10_000)}\nitems: []\n`);
    expect(flow.code).toBe('LIMIT');
    expect(flow.zh).toContain('YAML 嵌套过深');
    const block = only('document:\n' + Array.from({ length: 10_000 }, (_, i) => ' '.repeat(i + 1) + 'k:').join('\n') + ' x\n');
    expect(block.code).toBe('LIMIT');
  });

  it('a rule nested 10,000 deep, with the position in the file', () => {
    const text = mutate('    amount: tier(age(birth_date), $bands)', `    amount: ${'('.repeat(10_000)}1${')'.repeat(10_000)}`);
    const e = only(text);
    expect(e.code).toBe('LIMIT');
    expect(e.loc).toEqual({ line: posOf(text, 'amount: (').line, col: posOf(text, 'amount: (').col + 8 + 200 });
  });

  it('facts that expand aliases exponentially', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill('*' + 'abcdefgh'[i]).join(', ')}]`)].join('\n          ');
    const text = mutate('        facts: { region: "371502" }', `        facts:\n          ${bomb}`);
    expect(only(text).zh).toContain('别名过多');
  });
});
