// Code tables used by the field dictionary. Industries and regions are in their own
// modules (industries.ts, regions.ts); these are the small enums.
//
// Code `none` (docs/decisions/0007-known-none-values.md): where the source system knows that
// the thing does not exist — no certificate, no disability, no purchase, not on the chain
// list, not in school — the fact is the known value `none`, so that a rule about it is false
// rather than unknown. An absent fact stays what it always is: the source has not told us.
// In self_care, 完全失能 is `dependent` (`none` is reserved for "there is none").
import type { EnumDef } from '@kx/engine';

type Row = [code: string, zh: string, en: string];
export const enumOf = (name: string, zh: string, en: string, rows: Row[]): EnumDef => ({
  name,
  label: { zh, en },
  values: rows.map(([code, z, e]) => ({ code, zh: z, en: e })),
});

export const SMALL_ENUMS: EnumDef[] = [
  enumOf('size_class', '企业规模', 'Enterprise size', [
    ['large', '大型', 'Large'],
    ['medium', '中型', 'Medium'],
    ['small', '小型', 'Small'],
    ['micro', '微型', 'Micro'],
  ]),
  enumOf('legal_form', '市场主体类型', 'Legal form', [
    ['company', '企业', 'Enterprise'],
    ['individual', '个体工商户', 'Individual business'],
    ['cooperative', '农民专业合作社', 'Farmers’ cooperative'],
    ['social_org', '社会组织', 'Social organisation'],
    ['institution', '事业单位', 'Public institution'],
    ['other', '其他', 'Other'],
  ]),
  enumOf('credit_status', '信用状况', 'Credit status', [
    ['good', '守信', 'Good'],
    ['normal', '一般', 'Normal'],
    ['dishonest', '失信', 'Dishonest'],
    ['serious', '严重失信', 'Seriously dishonest'],
  ]),
  enumOf('qualification', '企业资质', 'Enterprise qualification', [
    ['zjtx', '专精特新中小企业', 'Specialised SME (zhuanjingtexin)'],
    ['xjr', '专精特新“小巨人”企业', '“Little giant” enterprise'],
    ['cxx', '创新型中小企业', 'Innovative SME'],
    ['gxjs', '高新技术企业', 'High-tech enterprise'],
    ['kjxzx', '科技型中小企业', 'Tech-based SME'],
    ['gsgy', '规模以上工业企业', 'Above-scale industrial enterprise'],
    ['zjfw', '限额以上批零住餐企业', 'Above-quota trade enterprise'],
    ['gjqy', '国家级企业技术中心', 'National enterprise technology centre'],
    ['sjqy', '省级企业技术中心', 'Provincial enterprise technology centre'],
    ['dxsc', '瞪羚企业', 'Gazelle enterprise'],
  ]),
  enumOf('key_chain', '聊城市重点产业链', 'Liaocheng key industry chain', [
    ['bearing', '轴承', 'Bearings'],
    ['aluminium', '铝及铝精深加工', 'Aluminium'],
    ['steel_pipe', '钢管', 'Steel pipes'],
    ['copper', '铜及铜精深加工', 'Copper'],
    ['auto_parts', '汽车及零部件', 'Automotive and parts'],
    ['new_energy_vehicle', '新能源汽车', 'New-energy vehicles'],
    ['chemical', '高端化工', 'Advanced chemicals'],
    ['biomedicine', '生物医药', 'Biomedicine'],
    ['textile', '纺织服装', 'Textiles and apparel'],
    ['food', '绿色食品', 'Green food'],
    ['new_materials', '新材料', 'New materials'],
    ['digital_economy', '数字经济', 'Digital economy'],
    ['none', '不属于重点产业链', 'Not in any key chain'],
  ]),
  enumOf('industry_edition', '行业分类标准版本', 'Industry classification edition', [
    ['GB/T 4754-2017', 'GB/T 4754-2017', 'GB/T 4754-2017'],
    ['GB/T 4754-2011', 'GB/T 4754-2011', 'GB/T 4754-2011'],
  ]),
  enumOf('sex', '性别', 'Sex', [
    ['m', '男', 'Male'],
    ['f', '女', 'Female'],
  ]),
  enumOf('hukou_type', '户籍类型', 'Household registration type', [
    ['urban', '城镇', 'Urban'],
    ['rural', '农村', 'Rural'],
  ]),
  enumOf('disability_category', '残疾类别', 'Disability category', [
    ['visual', '视力残疾', 'Visual'],
    ['hearing', '听力残疾', 'Hearing'],
    ['speech', '言语残疾', 'Speech'],
    ['physical', '肢体残疾', 'Physical'],
    ['intellectual', '智力残疾', 'Intellectual'],
    ['mental', '精神残疾', 'Mental'],
    ['multiple', '多重残疾', 'Multiple'],
    ['none', '无残疾', 'No disability'],
  ]),
  enumOf('self_care', '生活自理能力', 'Self-care ability', [
    ['full', '能够自理', 'Fully self-caring'],
    ['partial', '部分失能', 'Partially dependent'],
    ['dependent', '完全失能', 'Fully dependent'],
  ]),
  enumOf('employment_status', '就业状态', 'Employment status', [
    ['employed', '在职参保', 'Employed (insured)'],
    ['flexible', '灵活就业', 'Flexible employment'],
    ['unemployed_registered', '登记失业', 'Registered unemployed'],
    ['ui_benefit', '领取失业保险金', 'Receiving unemployment benefit'],
    ['student', '在校学生', 'Student'],
    ['retired', '退休', 'Retired'],
    ['farmer', '务农', 'Farming'],
    ['none', '无业', 'Not working'],
  ]),
  enumOf('cert_level', '职业技能等级', 'Vocational skill level', [
    ['5', '初级工（五级）', 'Level 5 (elementary)'],
    ['4', '中级工（四级）', 'Level 4 (intermediate)'],
    ['3', '高级工（三级）', 'Level 3 (advanced)'],
    ['2', '技师（二级）', 'Level 2 (technician)'],
    ['1', '高级技师（一级）', 'Level 1 (senior technician)'],
    ['none', '无职业技能等级证书', 'No skill certificate'],
  ]),
  enumOf('education', '学历', 'Education', [
    ['below_high', '高中以下', 'Below high school'],
    ['high', '高中/中专', 'High school / vocational'],
    ['college', '大专', 'Junior college'],
    ['bachelor', '本科', 'Bachelor'],
    ['master', '硕士研究生', 'Master'],
    ['doctor', '博士研究生', 'Doctorate'],
  ]),
  enumOf('appliance', '家电品类', 'Appliance category', [
    ['fridge', '冰箱', 'Refrigerator'],
    ['washer', '洗衣机', 'Washing machine'],
    ['tv', '电视', 'Television'],
    ['aircon', '空调', 'Air conditioner'],
    ['computer', '电脑', 'Computer'],
    ['water_heater', '热水器', 'Water heater'],
    ['stove', '家用灶具', 'Cooker'],
    ['range_hood', '吸油烟机', 'Range hood'],
    ['water_purifier', '净水器', 'Water purifier'],
    ['dishwasher', '洗碗机', 'Dishwasher'],
    ['rice_cooker', '电饭煲', 'Rice cooker'],
    ['microwave', '微波炉', 'Microwave oven'],
    ['phone', '手机', 'Mobile phone'],
    ['tablet', '平板', 'Tablet'],
    ['watch', '智能手表手环', 'Smart watch / band'],
    ['none', '未购买', 'None bought'],
  ]),
  enumOf('machine_class', '农机类别', 'Farm machine class', [
    ['general', '一般农机具', 'General machinery'],
    ['dryer', '谷物烘干机/挤奶机', 'Grain dryer / milking machine'],
    ['tractor_100', '100马力以上拖拉机/大型联合收割机', 'Tractor >100hp / large combine'],
    ['tractor_200', '200马力以上拖拉机', 'Tractor >200hp'],
    ['none', '未购置农机', 'No farm machine bought'],
  ]),
  enumOf('assistance_need', '救助需求', 'Assistance need', [
    ['medical', '医疗', 'Medical'],
    ['education', '教育', 'Education'],
    ['housing', '住房', 'Housing'],
    ['employment', '就业', 'Employment'],
    ['care', '照护', 'Care'],
    ['living', '基本生活', 'Basic living'],
  ]),
  enumOf('school_stage', '学段', 'School stage', [
    ['preschool', '学前教育', 'Preschool'],
    ['primary', '小学', 'Primary school'],
    ['junior', '初中', 'Junior secondary'],
    ['senior', '普通高中', 'Senior secondary'],
    ['vocational', '中等职业教育', 'Secondary vocational'],
    ['college', '高等教育', 'Higher education'],
    ['none', '不在学', 'Not in school'],
  ]),
  enumOf('vehicle_type', '乘用车类型', 'Passenger car type', [
    ['nev', '新能源乘用车', 'New-energy car'],
    ['fuel_small', '排量2.0升及以下燃油乘用车', 'Fuel car ≤ 2.0 L'],
    ['fuel_large', '排量2.0升以上燃油乘用车', 'Fuel car > 2.0 L'],
    ['none', '无', 'None'],
  ]),
];
