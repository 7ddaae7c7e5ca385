// The field dictionary (字段字典) of the demo city: every fact a policy may read, its
// type, labels, unit and the source system that supplies it (R3: 12 systems).
import type { EntityKind, FieldDef, FieldType, SourceDef } from '@kx/engine';

export const SOURCES: SourceDef[] = [
  { id: 'market', label: { zh: '市场监管（登记注册）', en: 'Market regulation registry' } },
  { id: 'tax', label: { zh: '税务', en: 'Taxation' } },
  { id: 'hrss', label: { zh: '人力资源和社会保障', en: 'Human resources & social security' } },
  { id: 'civil', label: { zh: '民政', en: 'Civil affairs' } },
  { id: 'dpf', label: { zh: '残疾人联合会', en: 'Disabled persons’ federation' } },
  { id: 'medical', label: { zh: '医疗保障', en: 'Medical insurance' } },
  { id: 'police', label: { zh: '公安户籍', en: 'Household registry' } },
  { id: 'agri', label: { zh: '农业农村', en: 'Agriculture & rural affairs' } },
  { id: 'miit', label: { zh: '工业和信息化', en: 'Industry & IT' } },
  { id: 'sci', label: { zh: '科学技术', en: 'Science & technology' } },
  { id: 'stats', label: { zh: '统计', en: 'Statistics' } },
  { id: 'commerce', label: { zh: '商务', en: 'Commerce' } },
  { id: 'finance', label: { zh: '金融（人民银行/担保机构）', en: 'Finance (central bank / guarantors)' } },
  { id: 'declared', label: { zh: '申请人填报', en: 'Declared by applicant' } },
];

type U = [zh: string, en: string];
const E: EntityKind[] = ['enterprise'];
const P: EntityKind[] = ['person'];
const B: EntityKind[] = ['enterprise', 'person'];

function f(
  key: string,
  type: FieldType,
  zh: string,
  en: string,
  source: string,
  kinds: EntityKind[],
  opts: { enum?: string; unit?: U; mutable?: boolean; description?: string; sensitive?: boolean; min?: number | null } = {},
): FieldDef {
  return {
    key,
    type,
    label: { zh, en },
    source,
    kinds,
    ...(opts.enum ? { enum: opts.enum } : {}),
    ...(opts.unit === PCT ? { percent: true } : opts.unit ? { unit: { zh: opts.unit[0], en: opts.unit[1] } } : {}),
    mutable: opts.mutable ?? true,
    ...(opts.description ? { description: opts.description } : {}),
    ...(opts.sensitive ? { sensitive: true } : {}),
    ...(opts.min !== undefined ? { min: opts.min } : {}),
  };
}

const REN: U = ['人', 'persons'];
const YUAN: U = ['元', 'yuan'];
const WAN: U = ['万元', '10k yuan'];
const MONTH: U = ['个月', 'months'];
const MU: U = ['亩', 'mu'];
const PCT: U = ['', ''];

export const FIELDS: FieldDef[] = [
  // Shared
  f('name', 'text', '名称/姓名', 'Name', 'market', B, { mutable: false, sensitive: true }),
  f('region', 'region', '所在地', 'Region', 'market', B, { description: '企业注册地或个人常住地，GB/T 2260 / 乡镇街道代码' }),
  f('credit_status', 'enum', '信用状况', 'Credit status', 'market', B, { enum: 'credit_status' }),

  // Enterprise: registry (市场监管)
  f('uscc', 'text', '统一社会信用代码', 'Unified social credit code', 'market', E, { mutable: false }),
  f('legal_form', 'enum', '市场主体类型', 'Legal form', 'market', E, { enum: 'legal_form' }),
  f('registered_on', 'date', '成立日期', 'Registration date', 'market', E, { mutable: false }),
  f('registered_capital', 'dec', '注册资本', 'Registered capital', 'market', E, { unit: WAN }),
  f('foreign_invested', 'bool', '外商投资企业', 'Foreign-invested', 'commerce', E),
  f('foreign_capital_paid', 'dec', '当年实际使用外资', 'Foreign capital actually used this year', 'commerce', E, { unit: ['万美元', '10k USD'] }),
  f('industry_section', 'enum', '行业门类', 'Industry section', 'market', E, { enum: 'industry_section' }),
  f('industry_division', 'enum', '行业大类', 'Industry division', 'market', E, { enum: 'industry_division' }),
  f('industry_code', 'enum', '行业小类', 'Industry class', 'market', E, { enum: 'industry_class' }),
  f('industry_edition', 'enum', '行业分类标准版本', 'Industry classification edition', 'market', E, { enum: 'industry_edition' }),
  f('key_chain', 'enum', '所属重点产业链', 'Key industry chain', 'miit', E, { enum: 'key_chain', description: '工信部门产业链名单是完整的：名单外企业为 none（不属于重点产业链）；缺失表示工信数据未到' }),
  // Statistics and tax
  f('size_class', 'enum', '企业规模', 'Enterprise size', 'stats', E, { enum: 'size_class' }),
  f('employees', 'int', '从业人员', 'Employees', 'stats', E, { unit: REN }),
  f('revenue', 'dec', '上年度营业收入', 'Revenue last year', 'tax', E, { unit: WAN }),
  f('assets', 'dec', '资产总额', 'Total assets', 'tax', E, { unit: WAN }),
  f('tax_paid', 'dec', '上年度纳税额', 'Tax paid last year', 'tax', E, { unit: WAN }),
  f('rd_expense', 'dec', '上年度研发费用', 'R&D expense last year', 'tax', E, { unit: WAN }),
  f('rd_expense_3y_ratio', 'dec', '近三年研发费用占销售收入比例', 'R&D / sales, last 3 years', 'tax', E, { unit: PCT }),
  f('hightech_income_ratio', 'dec', '高新技术产品收入占比', 'High-tech product income share', 'sci', E, { unit: PCT }),
  f('tech_staff_ratio', 'dec', '科技人员占职工总数比例', 'S&T staff share', 'sci', E, { unit: PCT }),
  f('debt_ratio', 'dec', '资产负债率', 'Debt-to-asset ratio', 'tax', E, { unit: PCT }),
  f('first_above_scale_year', 'int', '首次纳入规上统计年份', 'Year first counted above scale', 'stats', E, { unit: ['年', ''] }),
  // Qualifications (工信, 科技)
  f('qualifications', 'set', '企业资质', 'Qualifications', 'miit', E, { enum: 'qualification' }),
  f('zjtx_listed_year', 'int', '专精特新中小企业认定年份', 'Year listed as specialised SME', 'miit', E, { unit: ['年', ''] }),
  f('xjr_listed_year', 'int', '专精特新“小巨人”认定年份', 'Year listed as little giant', 'miit', E, { unit: ['年', ''] }),
  f('hightech_cert_on', 'date', '高新技术企业首次认定日期', 'First high-tech certification date', 'sci', E),
  f('kjxzx_registered_year', 'int', '科技型中小企业入库年份', 'Year registered as tech-based SME', 'sci', E, { unit: ['年', ''] }),
  f('tech_upgrade_investment', 'dec', '技术改造设备投资额', 'Technical upgrade equipment investment', 'miit', E, { unit: WAN }),
  f('first_set_premium', 'dec', '首台（套）保险保费', 'First-of-a-kind equipment insurance premium', 'miit', E, { unit: WAN }),
  f('first_set_listed', 'bool', '产品列入首台（套）技术装备目录', 'Product on the first-of-a-kind catalogue', 'miit', E),
  // Social insurance (人社)
  f('ui_insured_local', 'bool', '在本市参加失业保险', 'Unemployment insurance in this city', 'hrss', E),
  f('ui_paid_months', 'int', '上年度失业保险足额缴费月数', 'Months of full UI premiums last year', 'hrss', E, { unit: MONTH }),
  f('ui_premium_paid', 'dec', '上年度实际缴纳失业保险费', 'UI premiums actually paid last year', 'hrss', E, { unit: YUAN }),
  f('insured_count', 'int', '参保职工人数', 'Insured employees', 'hrss', E, { unit: REN }),
  f('layoff_rate', 'dec', '上年度裁员率', 'Layoff rate last year', 'hrss', E, { unit: PCT }),
  f('wage_arrears', 'bool', '存在拖欠工资记录', 'Wage arrears on record', 'hrss', E),
  f('si_arrears', 'bool', '存在欠缴社会保险费记录', 'Social insurance arrears on record', 'hrss', E),
  f('new_graduate_hires', 'int', '当年新招用高校毕业生/登记失业青年且缴费满3个月人数', 'Graduates / unemployed youths hired this year with 3 months of premiums', 'hrss', E, { unit: REN }),
  f('new_target_hires', 'int', '当年新招用符合创业担保贷款条件人员', 'New hires from target groups this year', 'hrss', E, { unit: REN }),
  // Finance
  f('loan_amount', 'dec', '创业担保贷款金额', 'Business start-up guaranteed loan amount', 'finance', B, { unit: WAN, description: '无此类贷款为 0；为 0 时利率、期限、逾期无此项' }),
  f('loan_rate', 'dec', '贷款年利率', 'Loan annual rate', 'finance', B, { unit: PCT }),
  f('loan_years', 'dec', '贷款期限', 'Loan term', 'finance', B, { unit: ['年', 'years'] }),
  f('loan_overdue', 'bool', '贷款逾期或展期', 'Loan overdue or extended', 'finance', B),

  // Person: household registry (公安)
  f('id_number', 'text', '公民身份号码', 'Citizen ID number', 'police', P, { mutable: false, sensitive: true }),
  f('birth_date', 'date', '出生日期', 'Date of birth', 'police', P, { mutable: false }),
  f('sex', 'enum', '性别', 'Sex', 'police', P, { enum: 'sex', mutable: false }),
  f('hukou_region', 'region', '户籍所在地', 'Place of household registration', 'police', P),
  f('hukou_type', 'enum', '户籍类型', 'Household registration type', 'police', P, { enum: 'hukou_type' }),
  f('alive', 'bool', '健在', 'Alive', 'police', P, { mutable: false }),
  f('lives_alone', 'bool', '独居', 'Lives alone', 'civil', P),
  // Civil affairs, disabled persons' federation, medical insurance
  f('disability_category', 'enum', '残疾类别', 'Disability category', 'dpf', P, { enum: 'disability_category', description: '残联未登记残疾的为 none（无残疾）；缺失表示残联数据未到', sensitive: true }),
  f('disability_grade', 'int', '残疾等级', 'Disability grade', 'dpf', P, { unit: ['级', ''], description: '一级最重，四级最轻；无残疾者（残疾类别 none）无此项，规则应先判断 disability_category != "none"', sensitive: true }),
  f('self_care', 'enum', '生活自理能力', 'Self-care ability', 'civil', P, { enum: 'self_care', sensitive: true }),
  f('household_size', 'int', '家庭人口', 'Household size', 'civil', P, { unit: REN }),
  f('household_income_pc', 'dec', '家庭月人均收入', 'Household income per person per month', 'civil', P, { unit: ['元/月', 'yuan/month'], sensitive: true }),
  f('household_assets_ok', 'bool', '家庭财产符合规定', 'Household assets within the limit', 'civil', P),
  f('dibao', 'bool', '低保对象', 'Minimum-living-allowance recipient', 'civil', P),
  f('tekun', 'bool', '特困供养人员', 'Person in extreme poverty under support', 'civil', P),
  f('low_income', 'bool', '低保边缘/低收入人口', 'Low-income household member', 'civil', P),
  f('has_supporter', 'bool', '有具备赡养、抚养、扶养义务和能力的人', 'Has a relative obliged and able to support you', 'civil', P),
  f('work_injury_care', 'bool', '享受工伤保险生活护理费', 'Receives work-injury nursing allowance', 'hrss', P),
  f('resident_medical_insured', 'bool', '参加城乡居民基本医疗保险', 'Enrolled in resident medical insurance', 'medical', P),
  f('medical_oop_year', 'dec', '年度政策范围内自付医疗费用', 'Out-of-pocket medical costs in scope this year', 'medical', P, { unit: YUAN, sensitive: true }),
  f('emergency_expense', 'dec', '突发性刚性支出', 'Sudden unavoidable expense', 'declared', P, { unit: YUAN, sensitive: true }),
  // Employment (人社)
  f('employment_status', 'enum', '就业状态', 'Employment status', 'hrss', P, { enum: 'employment_status' }),
  f('ui_months_total', 'int', '累计缴纳失业保险月数', 'Cumulative UI contribution months', 'hrss', P, { unit: MONTH }),
  f('cert_level', 'enum', '职业技能等级证书等级', 'Skill certificate level', 'hrss', P, { enum: 'cert_level', description: '未取得职业技能等级证书的为 none；none 时证书核发日期等无此项' }),
  f('cert_on', 'date', '证书核发日期', 'Certificate issue date', 'hrss', P),
  f('cert_subsidy_claimed', 'bool', '同职业同等级已享受补贴', 'Subsidy already paid for this occupation and level', 'hrss', P),
  f('education', 'enum', '学历', 'Education', 'hrss', P, { enum: 'education' }),
  f('graduation_year', 'int', '毕业年份', 'Graduation year', 'hrss', P, { unit: ['年', ''] }),
  f('first_job_local_on', 'date', '来聊就业/创业日期', 'Date of first job or business in the city', 'hrss', P),
  f('owns_home_local', 'bool', '在本市有自有住房', 'Owns a home in the city', 'declared', P),
  f('startup_owner', 'bool', '创业者（本人为个体工商户或企业法定代表人）', 'Runs own business', 'market', P),
  f('veteran', 'bool', '退役军人', 'Veteran', 'civil', P),
  // Agriculture (农业农村)
  f('land_contracted_mu', 'dec', '承包耕地面积', 'Contracted farmland', 'agri', P, { unit: MU }),
  f('wheat_insured_mu', 'dec', '小麦投保面积', 'Wheat insured area', 'agri', P, { unit: MU }),
  f('machine_class', 'enum', '购置农机类别', 'Farm machine class bought', 'agri', P, { enum: 'machine_class', description: '当年未购置补贴农机的为 none；none 时农机购置价格无此项' }),
  f('machine_price', 'dec', '农机购置价格', 'Farm machine price', 'agri', P, { unit: YUAN }),
  // Commerce (以旧换新)
  f('appliance', 'enum', '购买家电/数码品类', 'Appliance or device bought', 'commerce', P, { enum: 'appliance', description: '当年未参加以旧换新购买的为 none；none 时成交价格、能效等级无此项' }),
  f('appliance_price', 'dec', '成交价格', 'Final price', 'commerce', P, { unit: YUAN }),
  f('energy_grade', 'int', '能效/水效等级', 'Energy / water efficiency grade', 'commerce', P, { unit: ['级', ''] }),
  // Assistance chain (R13)
  f('assistance_needs', 'set', '登记的救助需求', 'Registered assistance needs', 'civil', P, { enum: 'assistance_need' }),
  // Added for the demo catalogue (data/policies): tax relief, trade statistics, family and school facts
  f('taxable_income', 'dec', '上年度应纳税所得额', 'Taxable income last year', 'tax', E, { unit: WAN, min: null }),
  f('six_taxes_due', 'dec', '上年度“六税两费”应纳税额', '“Six taxes and two fees” due last year', 'tax', E, { unit: YUAN }),
  f('business_tax_due', 'dec', '个体工商户经营所得应纳个人所得税', 'Individual business income tax due', 'tax', E, { unit: YUAN }),
  f('first_above_quota_year', 'int', '首次纳入限额以上批零住餐统计年份', 'Year first counted above quota (trade)', 'stats', E, { unit: ['年', ''] }),
  f('converted_from_individual', 'bool', '由个体工商户转型为企业（个转企）', 'Converted from an individual business', 'market', E),
  f('school_stage', 'enum', '在读学段', 'School stage', 'declared', P, { enum: 'school_stage', description: '不在学的为 none（不在学）' }),
  f('family_planning_family', 'bool', '农村计划生育家庭（独生子女或两女户）', 'Rural family-planning household (one child or two daughters)', 'declared', P),
  f('service_years', 'int', '服役年限', 'Years of military service', 'civil', P, { unit: ['年', 'years'] }),
  f('scrapped_old_car', 'bool', '报废旧车（国三及以下燃油车或2018年4月前新能源车）', 'Scrapped an eligible old car', 'commerce', P),
  f('new_car_type', 'enum', '新购乘用车类型', 'New passenger car type', 'commerce', P, { enum: 'vehicle_type', description: '当年未新购乘用车的为 none（无）' }),
  // Payouts (R7): where the money goes; never a condition of eligibility
  f('bank_account', 'text', '收款银行账号', 'Bank account for payments', 'declared', B, { sensitive: true, description: '兑现资金的收款账号；加密存储，除拨付文件外一律脱敏显示（6228 **** **** 8888）' }),
];
