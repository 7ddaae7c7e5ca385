// Two demo profiles that show the platform at work: a small bearing maker in 东昌府区
// and an elderly resident of 莘县. `kx demo` matches them; the server's demo seed gives
// each a login (usernames below).
export interface DemoProfile {
  username: string;
  title: string;
  kind: 'enterprise' | 'person';
  facts: Record<string, unknown>;
}

export const DEMO_PROFILES: DemoProfile[] = [
  {
    username: 'enterprise',
    title: '东昌府区一家小型轴承企业 / a small bearing maker in 东昌府区',
    kind: 'enterprise',
    facts: {
      name: '聊城示例轴承有限公司', uscc: '91371500MA3C5K7Q26', region: '371502008', legal_form: 'company', registered_on: '2016-05-10',
      industry_section: 'C', industry_division: '34', industry_code: '3451', industry_edition: 'GB/T 4754-2017', key_chain: 'bearing',
      size_class: 'small', employees: 86, revenue: 4200, assets: 3800, tax_paid: 120, rd_expense: 180, credit_status: 'good',
      qualifications: ['zjtx', 'kjxzx'], zjtx_listed_year: 2025, ui_insured_local: true, ui_paid_months: 12, ui_premium_paid: 41000,
      insured_count: 80, layoff_rate: 0.02, wage_arrears: false, si_arrears: false, new_graduate_hires: 2, new_target_hires: 0,
      kjxzx_registered_year: 2023,
      // What the registers know is not there: not foreign-invested, nothing on the first-of-a-kind
      // catalogue, no guaranteed loan. Only the upgrade investment is still to be reported.
      foreign_invested: false, foreign_capital_paid: 0, first_set_listed: false, first_set_premium: 0, loan_amount: 0,
    },
  },
  {
    username: 'resident',
    title: '莘县一位 85 岁的老人 / an 85-year-old resident of 莘县',
    kind: 'person',
    facts: {
      name: '李某某', id_number: '37152219400315002X', birth_date: '1940-03-15', sex: 'f', region: '371522', hukou_region: '371522',
      hukou_type: 'rural', alive: true, lives_alone: true, self_care: 'partial', household_size: 1, household_income_pc: 420,
      dibao: true, tekun: false, resident_medical_insured: true, household_assets_ok: true, land_contracted_mu: 2.5, wheat_insured_mu: 0,
      // Known to be none (docs/decisions/0007): no disability, no business, no loan, no farm machine bought.
      disability_category: 'none', startup_owner: false, veteran: false, employment_status: 'none', loan_amount: 0, machine_class: 'none',
      cert_level: 'none', appliance: 'none', new_car_type: 'none', school_stage: 'none',
    },
  },
];
