// One synthetic market entity of 聊城 (company, 个体工商户, cooperative or social
// organisation): a pure function of (context, index). Size class comes from the 2017 rules
// (classifySize) applied to the generated employees, revenue and assets; qualifications
// follow the national criteria loosely and are calibrated to the counts the seeds imply
// (per 10,000 entities ≈ 60 专精特新, 5 小巨人, 80 高企, 150 科技型中小企业).
import { dayFromYmd, formatDate } from '@kx/engine';
import { chainsOf, industryFacts } from '../codes/industries.ts';
import { classifySize } from '../codes/size-class.ts';
import { usccFromSerial } from '../codes/uscc.ts';
import { applyGaps, COUNTY_NAME, COUNTY_PICK, countyOf, placeIn, round, type GenContext } from './context.ts';
import { brandName, placePrefix, shopWord, personName, tradeWord } from './names.ts';
import { Rng, STREAM } from './prng.ts';
import { qualify } from './qualifications.ts';
import {
  CHAIN_CLUSTERS, CHAIN_SECTORS, COMPANY_SECTORS, COOPERATIVE_SECTOR, INDIVIDUAL_SECTORS, LEGAL_FORMS, SOCIAL_ORG_SECTOR,
  type LegalForm, type Sector,
} from './sectors.ts';

const USCC_CATEGORY: Record<LegalForm, string> = { company: '91', individual: '92', cooperative: '93', social_org: '52' };
const SERIAL_SPACE = 31 ** 6;

export function enterpriseId(j: number): string {
  return 'E' + String(j).padStart(8, '0');
}

function sectorFor(rng: Rng, form: LegalForm): Sector {
  if (form === 'individual') return INDIVIDUAL_SECTORS.draw(rng);
  if (form === 'cooperative') return COOPERATIVE_SECTOR;
  if (form === 'social_org') return SOCIAL_ORG_SECTOR;
  const s = COMPANY_SECTORS.draw(rng);
  return s === 'chain' ? CHAIN_SECTORS.draw(rng) : s;
}

function placeFor(rng: Rng, chain: string | undefined): string {
  const cluster = chain ? CHAIN_CLUSTERS[chain] : undefined;
  if (cluster && rng.chance(cluster.share)) return rng.pick(cluster.places);
  return placeIn(COUNTY_PICK.draw(rng), rng);
}

/** The facts of enterprise j (JSON form, gaps applied). */
export function enterpriseFacts(ctx: GenContext, j: number): Record<string, unknown> {
  const rng = new Rng(ctx.seed, STREAM.enterprise, j);
  const form = LEGAL_FORMS.draw(rng);
  const sector = sectorFor(rng, form);
  const cls = rng.pick(sector.classes);
  const industry = industryFacts(cls);
  const chain = chainsOf(cls)[0];
  const region = placeFor(rng, chain);
  const county = countyOf(region);
  const countyName = COUNTY_NAME.get(county) ?? '聊城市';

  // Size: employees, then revenue per head, then assets; a company's size class follows from them.
  // A thin tail of established firms (≈ 0.8% of companies, [A]) is what yields the city's few large enterprises.
  const established = form === 'company' && rng.chance(0.008);
  const employees = Math.max(1, Math.round(rng.logNormal(sector.employees[0] * (established ? 25 : 1), sector.employees[1])));
  const revenue = round(employees * rng.logNormal(...sector.revenuePerHead), 2);
  const assets = round(revenue * rng.logNormal(sector.assetsToRevenue, 0.5), 2);
  const size = classifySize({ industry: cls, employees, revenue, assets }).size;
  const ageYears = Math.min(40, rng.logNormal(form === 'individual' ? 4 : 6, 0.8));
  // Nothing older than the legal form: 合作社 exist since the 2007 law, the rest since the 1990s reforms [A].
  const earliest = form === 'cooperative' ? dayFromYmd(2007, 7, 1) : dayFromYmd(1992, 1, 1);
  const registeredDay = Math.min(ctx.asOfDay - 1, Math.max(earliest + rng.int(0, 3 * 365), ctx.asOfDay - 30 - Math.floor(ageYears * 365.25)));
  const section = industry.industry_section;

  const f: Record<string, unknown> = {
    name: firmName(rng, form, countyName, cls),
    region,
    credit_status: rng.chance(0.55) ? 'good' : rng.chance(0.93) ? 'normal' : rng.chance(0.67) ? 'dishonest' : 'serious',
    uscc: usccFromSerial(county, (j * 104729 + (ctx.seed % SERIAL_SPACE)) % SERIAL_SPACE, USCC_CATEGORY[form]),
    legal_form: form,
    registered_on: formatDate(registeredDay),
    registered_capital: round(form === 'individual' ? rng.range(1, 50) : rng.logNormal(Math.max(10, revenue * 0.3), 0.8), 2),
    ...industry,
    // The chain lists of 工信 are complete: a firm on none of them is known to be in no chain.
    key_chain: chain ?? 'none',
    ...(size ? { size_class: size } : {}),
    employees,
    revenue,
    assets,
    tax_paid: round(revenue * rng.range(0.005, 0.06), 2),
    taxable_income: rng.chance(0.25) ? 0 : round(revenue * rng.range(0.01, 0.12), 2),
    debt_ratio: round(Math.min(1.2, Math.max(0.02, 0.52 + 0.18 * rng.normal())), 4),
  };
  if (form === 'individual') f.business_tax_due = rng.chance(0.6) ? 0 : Math.round(rng.range(100, 20000));
  else f.six_taxes_due = Math.round(rng.logNormal(3000 * Math.sqrt(employees), 0.7));
  if (form === 'company') f.converted_from_individual = rng.chance(0.03);
  // Only companies can be foreign-invested: the commerce register knows the others are not.
  const foreign = form === 'company' && rng.chance(0.006);
  f.foreign_invested = foreign;
  f.foreign_capital_paid = foreign ? round(rng.range(50, 3000), 2) : 0;

  const years = (ctx.asOfDay - registeredDay) / 365.25;
  Object.assign(f, qualify(rng, ctx, { form, section, division: industry.industry_division, chain, size, employees, revenue, years, registeredDay }));
  Object.assign(f, socialInsurance(rng, form, employees));
  if (section === 'C' && form === 'company') {
    f.tech_upgrade_investment = rng.chance(0.2) ? round(rng.logNormal(300, 1.2), 2) : 0;
    const listed = (industry.industry_division === '34' || industry.industry_division === '35') && rng.chance(0.01);
    f.first_set_listed = listed;
    f.first_set_premium = listed ? round(rng.range(10, 200), 2) : 0;
  }
  if ((size === 'micro' || size === 'small') && rng.chance(0.04)) {
    f.loan_amount = form === 'individual' ? rng.int(5, 30) : rng.int(50, 400);
    f.loan_rate = round(rng.range(0.0345, 0.0545), 4);
    f.loan_years = form === 'individual' ? rng.int(1, 3) : rng.int(1, 2);
    f.loan_overdue = rng.chance(0.03);
  } else f.loan_amount = 0;
  return ctx.gaps ? applyGaps('enterprise', f, rng) : f;
}

function firmName(rng: Rng, form: LegalForm, countyName: string, cls: string): string {
  if (form === 'individual') return `${countyName}${personName(rng).slice(0, 1)}记${shopWord(cls)}`;
  if (form === 'cooperative') return `${countyName}${brandName(rng)}${tradeWord(cls)}专业合作社`;
  if (form === 'social_org') return `聊城市${brandName(rng)}${cls === '8514' ? '养老服务中心' : cls === '8391' ? '职业培训学校' : '协会'}`;
  return `${placePrefix(rng, countyName)}${brandName(rng)}${tradeWord(cls)}${rng.chance(0.1) ? '股份' : ''}有限公司`;
}

/** 人社 facts: unemployment insurance, layoffs, arrears, hires [A]. */
function socialInsurance(rng: Rng, form: LegalForm, employees: number): Record<string, unknown> {
  const insured = rng.chance(form === 'company' ? 0.85 : form === 'individual' ? 0.1 : form === 'social_org' ? 0.7 : 0.3);
  const count = insured ? Math.max(1, Math.round(employees * rng.range(0.6, 1))) : 0;
  const months = insured ? (rng.chance(0.85) ? 12 : rng.int(1, 11)) : 0;
  const f: Record<string, unknown> = {
    ui_insured_local: insured,
    ui_paid_months: months,
    insured_count: count,
    // UI premium ≈ 1% of a ≈ 4,500 元 monthly base per insured employee [A].
    ui_premium_paid: insured ? round(count * months * rng.range(38, 55), 2) : 0,
    wage_arrears: rng.chance(0.015),
    si_arrears: rng.chance(0.03),
    new_graduate_hires: form !== 'individual' && rng.chance(0.1) ? rng.int(1, Math.max(1, Math.min(20, Math.round(employees / 10)))) : 0,
    new_target_hires: rng.chance(0.08) ? rng.int(1, Math.max(1, Math.min(30, Math.round(employees / 5)))) : 0,
  };
  if (insured) f.layoff_rate = rng.chance(0.6) ? 0 : round(Math.min(0.6, rng.logNormal(0.03, 0.9)), 4);
  return f;
}
