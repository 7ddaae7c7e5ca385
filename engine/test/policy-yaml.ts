// Policy files for the loader's tests: realistic Chinese policies, and a helper that
// finds where a snippet sits so that expected positions come from the text itself.
import type { Loc } from '../src/ast/ast.ts';

/** 1-based line and column of the `nth` occurrence of `needle` in `text`. */
export function posOf(text: string, needle: string, nth = 0): Loc {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not found`);
  }
  const before = text.slice(0, at).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

export const ELDERLY = `# 聊城市高龄津贴与困难残疾人生活补贴（示例）
document:
  id: lc-mzj-2025-gljt
  title: 关于调整高龄津贴发放标准的通知
  number: 聊民发〔2025〕8号
  issuers: [lc-mzj, lc-czj]
  published_on: 2025-02-10
  valid_from: 2025-01-01
  summary: 对本市户籍80周岁以上老年人按月发放高龄津贴。
  interpretation: |
    一、发放对象：具有本市户籍、年满80周岁的老年人。
    二、发放标准：80至89周岁每人每月100元，90至99周岁200元，100周岁以上500元。
  url: https://example.gov.cn/lc-mzj/2025/8
items:
  - id: lc-mzj-gljt
    version: 2
    title: 高龄津贴
    title_en: Old-age allowance
    department: lc-mzj
    region_scope: ["371500"]
    audience: person
    mode: auto
    period: month
    valid_from: 2025-01-01
    eligibility: |
      # 年满80周岁（本市户籍由 region_scope 保证）
      age(birth_date) >= $min_age
      and not (dibao = true and income_pc is missing)
    amount: tier(age(birth_date), $bands)
    amount_unit: 元/月
    params:
      min_age:
        label: 起始年龄
        label_en: Starting age
        type: int
        unit: 周岁
        versions:
          - { from: 2019-01-01, to: 2024-12-31, value: 80, source: 聊民发〔2019〕3号 }
          - { from: 2025-01-01, value: 80, note: 标准不变 }
      bands:
        type: tiers
        versions:
          - from: 2025-01-01
            value:
              - { min: 80, max: 90, value: 100 }
              - { min: 90, max: 100, value: 200 }
              - { min: 100, value: 500 }
    statutory_days: 0
    confirm_intent: true
    materials:
      - { name: 居民身份证, provided_by: id_number }
    tags: [养老, 高龄]
    cases:
      - name: 85岁老人
        date: 2025-06-01
        facts: { region: "371502", birth_date: "1940-03-15" }
        expect: { verdict: eligible, amount: 100 }
      - name: 出生日期未知
        date: 2025-06-01
        facts: { region: "371502" }
        expect: { verdict: undetermined, amount: null, missing: [birth_date] }
  - id: lc-mzj-cjrbt
    version: 1
    title: 困难残疾人生活补贴
    department: lc-mzj
    region_scope: ["371500"]
    audience: person
    mode: online
    valid_from: 2025-01-01
    valid_to: 2025-12-31
    window: { from: 2025-01-01 }
    eligibility: disability_grade <= 2 and (dibao = true or income_pc < $dibao_standard * 1.5)
      and birth_date is known
    amount: "lookup(disability_grade, $grade_amounts)"
    params:
      dibao_standard:
        type: dec
        versions: [{ from: 2025-01-01, value: 850 }]
      grade_amounts:
        type: map
        versions:
          - { from: 2025-01-01, value: { 1: 193, 2: 161 }, default: 0 }
      special_standard:
        type: dec
        versions:
          - { from: 2025-01-01, value: "$dibao_standard * 1.3" }
      ratio:
        type: dec
        versions: [{ from: 2025-01-01, value: "1.5%" }]
      big:
        type: dec
        versions: [{ from: 2025-01-01, value: 123456789012345 }]
      towns:
        type: list
        versions: [{ from: 2025-01-01, value: [371502008, "371502001"] }]
      note_text:
        type: text
        versions: [{ from: 2025-01-01, value: 含 $ 的说明文字 }]
      pilot:
        type: bool
        versions: [{ from: 2025-01-01, value: true }]
      start:
        type: date
        versions: [{ from: 2025-01-01, value: 2025-03-01 }]
    review_steps:
      - { name: 乡镇（街道）初审, days: 5 }
      - { name: 县级民政部门审核, days: 10, department: lc-mzj }
    statutory_days: 15
    quota: { budget: "1200000.50" }
`;
