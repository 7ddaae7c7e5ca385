// Qualifications (工信, 科技, 统计) and the R&D picture behind them. The candidate rules
// follow the national criteria loosely (domain.md §5.10, §5.11: 专精特新 needs revenue ≥ 1000万
// and ≥ 2 years; 高企 ≥ 1 year, R&D and S&T-staff ratios; 规上工业 revenue ≥ 2000万); the
// probabilities among candidates are calibrated so that per 10,000 market entities there
// are ≈ 60 专精特新, 5 小巨人, 80 高企 and 150 科技型中小企业 — the order of the counts a
// city like 聊城 reports [A: the brief's figures; 聊城's own lists were not found].
import { dayFromYmd, formatDate } from '@kx/engine';
import type { GenContext } from './context.ts';
import type { Rng } from './prng.ts';
import { round } from './context.ts';
import type { LegalForm } from './sectors.ts';

export interface QualifyInput {
  form: LegalForm;
  section: string;
  division: string;
  chain: string | undefined;
  size: string | undefined;
  employees: number;
  revenue: number;
  /** Years since registration on the as-of date. */
  years: number;
  registeredDay: number;
}

// Calibrated on 200,000 generated entities (see population.test.ts for the check).
const P_ZJTX = 0.22;
const P_XJR = 0.7;
const P_GXJS = 0.074;
const P_GXJS_IF_ZJTX = 0.55;
const P_KJXZX = 0.1;
const P_KJXZX_IF_GXJS = 0.5;
const P_CXX = 0.12;

/** Minimum 3-year R&D ratio of a 高企 by revenue (万元), domain.md §5.11. */
function gxjsRdFloor(revenue: number): number {
  return revenue <= 5000 ? 0.05 : revenue <= 20000 ? 0.04 : 0.03;
}

export function qualify(rng: Rng, ctx: GenContext, e: QualifyInput): Record<string, unknown> {
  const company = e.form === 'company';
  const tech = company && (e.section === 'C' || e.section === 'I' || e.section === 'M');
  const regYear = Number(formatDate(e.registeredDay).slice(0, 4));
  const yearIn = (from: number) => rng.int(Math.min(from, ctx.asOfYear), ctx.asOfYear);
  const q: string[] = [];
  const f: Record<string, unknown> = {};

  const zjtx = tech && e.section !== 'M' && e.size !== 'large' && e.revenue >= 1000 && e.years >= 2 && rng.chance(P_ZJTX);
  if (zjtx) {
    q.push('zjtx');
    f.zjtx_listed_year = yearIn(Math.max(2019, regYear + 2));
    if (e.years >= 3 && e.revenue >= 5000 && rng.chance(P_XJR)) {
      q.push('xjr');
      f.xjr_listed_year = rng.int(f.zjtx_listed_year as number, ctx.asOfYear);
    }
  }
  const gxjs = tech && e.years >= 1 && e.revenue >= 300 && rng.chance(zjtx ? P_GXJS_IF_ZJTX : P_GXJS);
  if (gxjs) {
    q.push('gxjs');
    const from = Math.max(dayFromYmd(2010, 1, 1), e.registeredDay + 365);
    f.hightech_cert_on = formatDate(rng.int(Math.min(from, ctx.asOfDay), ctx.asOfDay));
  }
  const kjxzx = tech && e.employees <= 500 && e.revenue <= 20000 && rng.chance(gxjs ? P_KJXZX_IF_GXJS : P_KJXZX);
  if (kjxzx) {
    q.push('kjxzx');
    f.kjxzx_registered_year = yearIn(Math.max(2018, regYear));
  }
  if (tech && (zjtx || rng.chance(P_CXX))) q.push('cxx');
  const industrial = e.section === 'B' || e.section === 'C' || e.section === 'D';
  if (company && industrial && e.revenue >= 2000) {
    q.push('gsgy');
    f.first_above_scale_year = yearIn(Math.max(2011, regYear + 1));
    if (rng.chance(0.06)) {
      q.push('sjqy');
      if (e.revenue >= 50000 && rng.chance(0.3)) q.push('gjqy');
    }
  }
  const quota = e.division === '51' ? 2000 : e.division === '52' ? 500 : e.division === '61' || e.division === '62' ? 200 : Infinity;
  if (company && e.revenue >= quota) {
    q.push('zjfw');
    f.first_above_quota_year = yearIn(Math.max(2011, regYear + 1));
  }
  if (tech && e.revenue >= 1000 && e.years <= 10 && rng.chance(0.03)) q.push('dxsc');
  f.qualifications = q.sort();

  // R&D: qualified firms above their thresholds (a few lapsed below), other tech firms a little or none.
  const qualified = zjtx || gxjs || kjxzx;
  const rdRatio = !tech ? 0 : qualified ? (rng.chance(0.92) ? rng.range(gxjsRdFloor(e.revenue), 0.09) : rng.range(0.01, 0.03)) : rng.chance(0.5) ? 0 : rng.range(0.002, 0.03);
  f.rd_expense = round(e.revenue * rdRatio * rng.range(0.9, 1.1), 2);
  f.rd_expense_3y_ratio = round(rdRatio, 4);
  if (tech) {
    f.tech_staff_ratio = round(gxjs ? rng.range(0.1, 0.45) : rng.range(0, 0.2), 4);
    f.hightech_income_ratio = round(gxjs ? rng.range(0.6, 0.95) : rng.range(0, 0.5), 4);
  }
  return f;
}
