// A policy item (政策事项) as code: who, what conditions, how much, when, through which
// steps. Parsed from policy files (YAML) by the data/cli layers; the engine only sees
// these plain objects.
import type { Expr } from '../ast/ast.ts';
import type { EntityKind } from '../dictionary/types.ts';

/** 免申即享 | 网上申请 | 线下办理 */
export type Mode = 'auto' | 'online' | 'offline';
export const MODE_LABEL: Record<Mode, { zh: string; en: string }> = {
  auto: { zh: '免申即享', en: 'Granted without application' },
  online: { zh: '网上申请', en: 'Apply online' },
  offline: { zh: '线下办理', en: 'Apply in person' },
};

export type ParamType = 'int' | 'dec' | 'bool' | 'date' | 'text' | 'list' | 'tiers' | 'map';

export interface TierRow {
  /** inclusive lower bound (decimal text); absent = −∞ */
  min?: string;
  /** exclusive upper bound; absent = +∞ */
  max?: string;
  /** decimal text */
  value: string;
}

/** A parameter's value in one version. `expr` values may read other parameters. */
export type ParamValue =
  | { kind: 'num'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'date'; value: string }
  | { kind: 'text'; value: string }
  | { kind: 'list'; value: string[] }
  | { kind: 'tiers'; rows: TierRow[] }
  | { kind: 'map'; entries: Record<string, string>; default?: string }
  | { kind: 'expr'; expr: Expr; text?: string };

export interface ParamVersion {
  from: string; // YYYY-MM-DD, inclusive
  to?: string; // inclusive; absent = until the next version or forever
  value: ParamValue;
  /** 文号 or document the value comes from. */
  source?: string;
  note?: string;
}

export interface ParamDef {
  name: string;
  type: ParamType;
  label?: { zh: string; en?: string };
  unit?: string;
  versions: ParamVersion[];
}

export interface Material {
  name: string;
  /** A field whose value, when known, makes the material unnecessary (零材料). */
  provided_by?: string;
  required?: boolean;
}

export interface ReviewStep {
  name: string;
  /** Department that performs the step; defaults to the item's department. */
  department?: string;
  /** Statutory days in working days. */
  days: number;
  /** Steps with the same group run in parallel. */
  parallel_group?: string;
  /**
   * 属地办理: performed by the county (区/县/市) counterpart of the step's department in the
   * applicant's county (e.g. 莘县民政局 for a 莘县 resident); the city department when the
   * county has none.
   */
  county?: boolean;
}

export interface TestCase {
  name: string;
  date: string;
  facts: Record<string, unknown>;
  expect: {
    verdict: Verdict;
    /** Exact decimal text, or null when the amount cannot be computed. */
    amount?: string | null;
    /** Fields that must be listed as missing (order free). */
    missing?: string[];
  };
}

export type Verdict = 'eligible' | 'ineligible' | 'undetermined';

export interface PolicyItem {
  id: string;
  version: number;
  title: string;
  title_en?: string;
  document_id: string;
  department: string;
  region_scope: string[];
  audience: EntityKind;
  mode: Mode;
  valid_from: string;
  valid_to?: string;
  window?: { from: string; to?: string };
  eligibility: Expr;
  amount?: Expr;
  amount_unit?: string;
  /** Period of a grant, for the one-grant-per-period key: once, year, month. */
  period?: 'once' | 'year' | 'month';
  params: ParamDef[];
  quota?: { count?: number; budget?: string };
  stacking_group?: string;
  materials: Material[];
  review_steps: ReviewStep[];
  statutory_days: number;
  /** Whether the entity must confirm before an auto-grant is paid (意愿确认). */
  confirm_intent?: boolean;
  tags?: string[];
  summary?: string;
  source_note?: string;
  cases: TestCase[];
  /** Original text of the rule and formula, kept for display; the AST is canonical. */
  eligibility_text?: string;
  amount_text?: string;
}

export interface PolicyDocument {
  id: string;
  title: string;
  number: string; // 文号
  issuers: string[];
  published_on: string;
  valid_from?: string;
  valid_to?: string;
  summary: string;
  interpretation: string;
  url?: string;
  items: PolicyItem[];
}
