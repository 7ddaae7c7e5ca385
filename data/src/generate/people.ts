// One synthetic resident of 聊城: a pure function of (context, index). Identity comes from
// the person's slot (slots.ts) so that ID numbers are unique; everything else from the
// person's own random stream. Facts are in the JSON form normalizeFacts accepts.
import { dayFromYmd, formatDate, fullYears, ymdFromDay } from '@kx/engine';
import { makeIdNumber } from '../codes/id-number.ts';
import {
  APPLIANCE_BUYER_SHARE, APPLIANCES, CERT_LEVELS, CERT_SHARE, DIBAO_BASE, DIGITAL, DISABILITY_CATEGORIES, DISABILITY_GRADES,
  disabilityPrevalence, EDUCATION_BY_AGE, EXTERNAL_HUKOU_CODES, LAND_HOLDER_SHARE, LAND_MU, maleShare, MOVED_SHARE,
  TEKUN_RATE, URBAN_SHARE, URBAN_SHARE_DEFAULT, WORK_RURAL, WORK_URBAN,
} from './distributions.ts';
import { applyGaps, COUNTY_PICK, placeIn, round, type GenContext } from './context.ts';
import { personName } from './names.ts';
import { Rng, STREAM, Weighted } from './prng.ts';

const CATEGORY = new Weighted(DISABILITY_CATEGORIES);
const GRADE = new Weighted(DISABILITY_GRADES);
const WORK_U = new Weighted(WORK_URBAN);
const WORK_R = new Weighted(WORK_RURAL);
const CERT = new Weighted(CERT_LEVELS);
const EDUCATION = EDUCATION_BY_AGE.map(([max, rows]) => [max, new Weighted(rows)] as const);
const APPLIANCE = new Weighted(APPLIANCES.map(([c, w]) => [c, w] as const));
const PRICE = new Map(APPLIANCES.map(([c, , lo, hi]) => [c, [lo, hi] as const]));
const HOUSEHOLD = new Weighted<number>([[2, 20], [3, 35], [4, 25], [5, 13], [6, 7]]);
const NEEDS = ['medical', 'living', 'care', 'housing', 'education', 'employment'];
const CHIPING_RENAMED = dayFromYmd(2019, 1, 1);

export function personId(i: number): string {
  return 'P' + String(i).padStart(8, '0');
}

/** The facts of person i (JSON form, gaps applied). */
export function personFacts(ctx: GenContext, i: number): Record<string, unknown> {
  const slot = ctx.slots.slotOfPerson(ctx.seed, i);
  const rng = new Rng(ctx.seed, STREAM.person, i);
  const birthDay = ctx.asOfDay - slot.ageDays;
  const birth = formatDate(birthDay);
  const age = fullYears(birthDay, ctx.asOfDay);
  const male = rng.chance(maleShare(age));
  const external = slot.stratum === 'external';
  const hukou = external ? rng.pick(EXTERNAL_HUKOU_CODES) : slot.stratum;
  // The address code is fixed when the number is issued: 茌平 people born before it became a district keep 371523.
  const address = hukou === '371503' && birthDay < CHIPING_RENAMED ? '371523' : hukou;
  const county = external || rng.chance(MOVED_SHARE) ? COUNTY_PICK.draw(rng) : hukou;
  const urban = rng.chance(URBAN_SHARE[external ? 'external' : hukou] ?? URBAN_SHARE_DEFAULT);
  const adult = age >= 18;
  const f: Record<string, unknown> = {
    name: personName(rng),
    region: placeIn(county, rng),
    id_number: makeIdNumber(address, birth, slot.offset * 2 + (male ? 1 : 0)),
    birth_date: birth,
    sex: male ? 'm' : 'f',
    hukou_region: hukou,
    hukou_type: urban ? 'urban' : 'rural',
    alive: !rng.chance(age >= 80 ? 0.04 : age >= 60 ? 0.006 : 0.0005),
  };
  if (age >= 16) f.credit_status = rng.chance(0.7) ? 'good' : rng.chance(0.93) ? 'normal' : rng.chance(0.75) ? 'dishonest' : 'serious';

  // Disability (残联), then the civil-affairs picture that depends on it. The federation's
  // register is complete: anyone not on it is known to have no disability (and so no grade).
  const disabled = rng.chance(disabilityPrevalence(age));
  const grade = disabled ? GRADE.draw(rng) : undefined;
  if (disabled) {
    f.disability_category = CATEGORY.draw(rng);
    f.disability_grade = grade;
  } else f.disability_category = 'none';
  const severe = grade !== undefined && grade <= 2;
  const tekunRate =
    age >= 60 ? (urban ? TEKUN_RATE.urbanElderly : TEKUN_RATE.ruralElderly) : severe ? TEKUN_RATE.severeDisability : age < 16 ? TEKUN_RATE.child : 0;
  const tekun = rng.chance(tekunRate);
  const dibao = !tekun && rng.chance(DIBAO_BASE[urban ? 'urban' : 'rural'] * (disabled ? 2.5 : 1) * (age >= 60 ? 1.4 : 1));
  const lowIncome = !tekun && !dibao && rng.chance(0.02);
  const livesAlone = tekun ? rng.chance(0.7) : age >= 60 ? rng.chance(0.12) : adult ? rng.chance(0.05) : false;
  f.lives_alone = livesAlone;
  f.tekun = tekun;
  f.dibao = dibao;
  f.low_income = lowIncome;
  f.has_supporter = tekun ? false : rng.chance(0.96);
  if (age >= 60 || disabled) f.self_care = selfCare(rng, age, grade);
  f.household_size = livesAlone ? 1 : age >= 60 ? (rng.chance(0.6) ? 2 : HOUSEHOLD.draw(rng)) : HOUSEHOLD.draw(rng);
  // Monthly income per head (元) [A: ≈ 3,000 urban, 1,600 rural medians]; assistance cases below the 低保 line.
  const income = tekun
    ? rng.range(0, 400)
    : dibao
      ? rng.range(urban ? 200 : 150, urban ? 800 : 600)
      : lowIncome
        ? rng.range(urban ? 850 : 650, urban ? 1300 : 1000)
        : rng.logNormal(urban ? 3000 : 1600, 0.55);
  f.household_income_pc = round(income, 2);
  f.household_assets_ok = tekun || dibao || lowIncome ? rng.chance(0.95) : income < 1500 ? rng.chance(0.7) : rng.chance(0.25);
  f.assistance_needs = needs(rng, tekun || dibao || lowIncome, livesAlone && age >= 60, disabled);

  // Work and skills (人社).
  const status = employment(rng, age, male, urban);
  f.employment_status = status;
  const working = status === 'employed' || status === 'flexible' || status === 'unemployed_registered' || status === 'ui_benefit';
  f.ui_months_total = uiMonths(rng, status, age);
  f.work_injury_care = (status === 'employed' || status === 'retired') && rng.chance(0.001);
  if (working && age >= 18 && age < 60 && rng.chance(CERT_SHARE)) {
    f.cert_level = CERT.draw(rng);
    const certDay = ctx.asOfDay - rng.int(0, 6 * 365);
    f.cert_on = formatDate(certDay);
    f.cert_subsidy_claimed = rng.chance(ctx.asOfDay - certDay <= 365 ? 0.25 : 0.65);
  } else f.cert_level = 'none';
  const [birthYear] = ymdFromDay(birthDay);
  const school = schoolStage(rng, age, status);
  f.school_stage = school ?? 'none';
  const education = educationOf(rng, age, school);
  f.education = education;
  const gradYear = graduationYear(rng, education, school, birthYear);
  if (gradYear !== undefined) f.graduation_year = gradYear;
  if (working && gradYear !== undefined && education !== 'high' && education !== 'below_high') {
    const moved = rng.chance(0.15);
    const first = moved ? ctx.asOfDay - rng.int(0, 3 * 365) : dayFromYmd(gradYear, 7, 1) + rng.int(0, 365);
    if (first <= ctx.asOfDay) f.first_job_local_on = formatDate(first);
  }
  if (age >= 25) f.owns_home_local = rng.chance(0.72);
  const owner = age >= 20 && age <= 65 && rng.chance(0.07);
  f.startup_owner = owner;
  const veteran = age >= 20 && age <= 80 && rng.chance(male ? 0.04 : 0.002);
  f.veteran = veteran;
  if (veteran) f.service_years = rng.chance(0.7) ? rng.int(2, 5) : rng.int(6, 16);

  // Medical insurance: employees and retirees are in the employee scheme, not the resident one.
  f.resident_medical_insured = status === 'employed' || (status === 'retired' && urban) ? false : rng.chance(0.96);
  f.medical_oop_year = rng.chance(0.25) ? 0 : round(rng.logNormal(800 * (age >= 80 ? 5 : age >= 60 ? 3 : 1), 1), 2);
  f.emergency_expense = rng.chance(0.03) ? round(rng.logNormal(15000, 0.8), 2) : 0;

  // Farming (农业农村): one contract-land holder per rural household.
  const farmsLand = !urban && age >= 30 && age <= 80 && rng.chance(LAND_HOLDER_SHARE);
  const land = farmsLand ? round(triangular(rng, LAND_MU[0], LAND_MU[1]), 1) : 0;
  f.land_contracted_mu = land;
  f.wheat_insured_mu = land > 0 && rng.chance(0.85) ? round(land * rng.range(0.5, 1), 1) : 0;
  if (land > 0 && rng.chance(0.03)) Object.assign(f, farmMachine(rng));
  else f.machine_class = 'none';
  if (!urban && age >= 49) f.family_planning_family = rng.chance(0.15);

  // Consumption (商务): subsidised trade-ins this year.
  if (adult && rng.chance(APPLIANCE_BUYER_SHARE)) {
    const a = APPLIANCE.draw(rng);
    const [lo, hi] = PRICE.get(a)!;
    f.appliance = a;
    f.appliance_price = Math.round(rng.range(lo, hi) / 10) * 10 - 1;
    if (!DIGITAL.has(a)) f.energy_grade = rng.chance(0.45) ? 1 : rng.chance(0.73) ? 2 : 3;
  } else f.appliance = 'none';
  // The trade-in registers list every subsidised purchase: anyone not on them bought nothing.
  const carBuyer = age >= 22 && age <= 70 && rng.chance(0.025);
  f.scrapped_old_car = carBuyer && rng.chance(0.35);
  f.new_car_type = carBuyer ? (rng.chance(0.5) ? 'nev' : rng.chance(0.76) ? 'fuel_small' : 'fuel_large') : 'none';

  // Guaranteed business loans (创业担保贷款), mostly to people who run a business.
  if ((owner && rng.chance(0.15)) || (working && rng.chance(0.01))) {
    f.loan_amount = rng.int(5, 30);
    f.loan_rate = round(rng.range(0.0345, 0.0545), 4);
    f.loan_years = rng.int(1, 3);
    f.loan_overdue = rng.chance(0.03);
  } else f.loan_amount = 0;
  return ctx.gaps ? applyGaps('person', f, rng) : f;
}

function selfCare(rng: Rng, age: number, grade: number | undefined): string {
  const [none, partial] = grade === 1 ? [0.45, 0.35] : grade === 2 ? [0.2, 0.4] : age >= 80 ? [0.08, 0.17] : grade ? [0.02, 0.13] : [0.02, 0.06];
  const u = rng.float();
  return u < none ? 'dependent' : u < none + partial ? 'partial' : 'full';
}

function needs(rng: Rng, poor: boolean, elderlyAlone: boolean, disabled: boolean): string[] {
  const out = new Set<string>();
  if (poor && rng.chance(0.55)) {
    out.add(rng.pick(NEEDS));
    if (rng.chance(0.4)) out.add(rng.pick(NEEDS));
  }
  if (elderlyAlone && rng.chance(0.15)) out.add('care');
  if (disabled && rng.chance(0.1)) out.add(rng.chance(0.5) ? 'care' : 'medical');
  return [...out].sort();
}

function employment(rng: Rng, age: number, male: boolean, urban: boolean): string {
  if (age < 6) return 'none';
  if (age < 16) return 'student';
  if (age < 19) return rng.chance(0.85) ? 'student' : urban ? 'flexible' : rng.chance(0.5) ? 'farmer' : 'none';
  if (age < 23 && rng.chance(0.45)) return 'student';
  const retirement = male ? 60 : rng.chance(0.5) ? 50 : 55;
  if (age >= retirement) {
    if (urban) return rng.chance(0.85) ? 'retired' : rng.chance(0.35) ? 'flexible' : 'none';
    if (rng.chance(0.08)) return 'retired';
    return age < 75 && rng.chance(0.6) ? 'farmer' : 'none';
  }
  return (urban ? WORK_U : WORK_R).draw(rng);
}

function uiMonths(rng: Rng, status: string, age: number): number {
  const career = Math.max(0, (age - 20) * 12);
  switch (status) {
    case 'employed':
      return Math.round(career * rng.range(0.4, 1));
    case 'ui_benefit':
      return Math.max(12, Math.round(career * rng.range(0.3, 0.9)));
    case 'unemployed_registered':
      return rng.chance(0.5) ? 0 : Math.round(career * rng.range(0, 0.6));
    case 'flexible':
      return rng.chance(0.2) ? Math.round(career * rng.range(0, 0.5)) : 0;
    case 'retired':
      return rng.chance(0.7) ? rng.int(120, 400) : 0;
    default:
      return 0;
  }
}

function schoolStage(rng: Rng, age: number, status: string): string | undefined {
  if (age >= 3 && age < 6) return rng.chance(0.9) ? 'preschool' : undefined;
  if (status !== 'student') return undefined;
  if (age < 12) return 'primary';
  if (age < 15) return 'junior';
  if (age < 18) return rng.chance(0.6) ? 'senior' : 'vocational';
  return 'college';
}

function educationOf(rng: Rng, age: number, school: string | undefined): string {
  if (age < 18) return 'below_high';
  if (school === 'college') return 'high';
  const drawn = EDUCATION.find(([max]) => age <= max)![1].draw(rng);
  // Degrees take time: nobody finishes a bachelor's at 19 or a doctorate at 23.
  if (age < 21 && drawn !== 'below_high') return 'high';
  if (age < 25 && (drawn === 'master' || drawn === 'doctor')) return 'bachelor';
  return drawn;
}

function graduationYear(rng: Rng, education: string, school: string | undefined, birthYear: number): number | undefined {
  const jitter = rng.int(-1, 1);
  if (school === 'college') return birthYear + 22 + jitter;
  const years: Record<string, number> = { high: 18, college: 21, bachelor: 22, master: 25, doctor: 28 };
  return education in years ? birthYear + years[education] + jitter : undefined;
}

function triangular(rng: Rng, lo: number, hi: number): number {
  return lo + ((rng.float() + rng.float()) / 2) * (hi - lo);
}

function farmMachine(rng: Rng): Record<string, unknown> {
  const u = rng.float();
  const [cls, lo, hi] =
    u < 0.7 ? ['general', 5000, 50000] : u < 0.8 ? ['dryer', 80000, 200000] : u < 0.95 ? ['tractor_100', 150000, 400000] : ['tractor_200', 300000, 600000];
  return { machine_class: cls, machine_price: Math.round(rng.range(lo as number, hi as number) / 100) * 100 };
}
