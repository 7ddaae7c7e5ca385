// Synthetic names: common Shandong surnames and ordinary given-name characters for people,
// "place + brand + trade + form" for firms. Combinations are random, so any resemblance to a
// real person or firm is chance.
import { Weighted, type Rng } from './prng.ts';

// The most frequent surnames in Shandong, roughly in order [K: 王, 张, 李, 刘 lead the
// province's lists]; weights are [A].
const SURNAMES = new Weighted<string>(
  (
    [
      ['王', 95], ['张', 88], ['李', 86], ['刘', 70], ['陈', 28], ['杨', 27], ['赵', 30], ['孙', 30], ['徐', 22],
      ['马', 20], ['高', 20], ['朱', 14], ['于', 16], ['郭', 14], ['宋', 13], ['吴', 10], ['胡', 9], ['任', 9],
      ['田', 10], ['魏', 9], ['董', 9], ['韩', 8], ['曹', 8], ['杜', 8], ['崔', 8], ['程', 6], ['贾', 6],
      ['许', 7], ['周', 10], ['何', 6], ['郑', 6], ['袁', 5], ['邢', 5], ['冯', 6], ['石', 5], ['薛', 5], ['葛', 4],
    ] as const
  ).map(([s, w]) => [s, w] as const),
);

const GIVEN = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉国庆海波宁晨浩宇欣怡子涵梓轩雨萱一诺佳琪思远',
  ...'志鹏飞凤莉琳俊峰荣颖昊然嘉乐心悦晓东春梅永胜金凤立新玉珍学良德福淑珍秀英广利长江振华',
];

export function personName(rng: Rng): string {
  const s = SURNAMES.draw(rng);
  return rng.chance(0.3) ? s + rng.pick(GIVEN) : s + rng.pick(GIVEN) + rng.pick(GIVEN);
}

const BRAND = [...'恒鑫华金宏瑞永佳德信泰富盛兴祥丰源嘉润达昌聚博凯隆安顺康立天鲁运通诚创新宇'];

export function brandName(rng: Rng): string {
  const a = rng.pick(BRAND);
  let b = rng.pick(BRAND);
  if (b === a) b = rng.pick(BRAND);
  return a + b;
}

// The trade word in a firm's name, by class or division of GB/T 4754-2017 [A].
const BY_CLASS: Record<string, string> = {
  '3130': '钢管', '3311': '钢结构', '5164': '钢管销售', '3211': '铜业', '3251': '铜材', '3831': '电缆', '3216': '铝业',
  '3252': '铝材', '3841': '新能源电池', '3612': '新能源汽车', '3670': '汽车零部件', '3660': '专用车', '2740': '阿胶',
  '2730': '中药', '1351': '肉类', '1352': '禽业', '1371': '蔬菜', '1391': '淀粉', '2621': '化肥', '6450': '大数据',
};
const BY_DIVISION: [from: number, to: number, word: string][] = [
  [1, 5, '农业'], [6, 12, '矿业'], [13, 14, '食品'], [15, 15, '饮品'], [16, 17, '纺织'], [18, 18, '服饰'],
  [19, 19, '鞋业'], [20, 20, '木业'], [21, 21, '家具'], [22, 22, '纸业'], [23, 23, '印务'], [24, 24, '文体用品'],
  [25, 25, '能源'], [26, 26, '化工'], [27, 27, '药业'], [28, 28, '化纤'], [29, 29, '橡塑'], [30, 30, '建材'],
  [31, 31, '钢铁'], [32, 32, '金属材料'], [33, 33, '金属制品'], [34, 34, '机械'], [35, 35, '装备'], [36, 36, '汽车部件'],
  [37, 37, '车业'], [38, 38, '电气'], [39, 39, '电子'], [40, 40, '仪器'], [41, 43, '制造'], [44, 44, '电力'],
  [45, 45, '燃气'], [46, 46, '水务'], [47, 49, '建设工程'], [50, 50, '装饰工程'], [51, 51, '商贸'], [52, 52, '商店'],
  [53, 58, '物流'], [59, 59, '仓储'], [60, 60, '快递'], [61, 61, '酒店'], [62, 62, '餐饮'], [63, 64, '网络科技'],
  [65, 65, '信息技术'], [66, 69, '金融服务'], [70, 70, '置业'], [71, 71, '租赁'], [72, 72, '企业管理咨询'],
  [73, 75, '科技'], [76, 79, '环保'], [80, 82, '生活服务'], [83, 83, '培训'], [84, 85, '康养'], [86, 90, '文化传媒'],
  [91, 97, '服务'],
];

export function tradeWord(classCode: string): string {
  const special = BY_CLASS[classCode];
  if (special) return special;
  const d = Number(classCode.slice(0, 2));
  return BY_DIVISION.find(([a, b]) => d >= a && d <= b)?.[2] ?? '实业';
}

/** Place part of a firm's name: 山东, 聊城 or the county (临清市, 莘县 …). */
export function placePrefix(rng: Rng, countyName: string): string {
  const u = rng.float();
  return u < 0.2 ? '山东' : u < 0.45 ? '聊城' : countyName;
}

/** Shop words for 个体工商户, by division [A]. */
export function shopWord(classCode: string): string {
  const d = Number(classCode.slice(0, 2));
  if (d === 62) return '小吃店';
  if (d === 61) return '旅馆';
  if (d === 52) return '商店';
  if (d === 54) return '运输部';
  if (d >= 80 && d <= 82) return classCode === '8040' ? '理发店' : classCode === '8111' ? '汽修部' : '服务部';
  if (d <= 5) return '养殖场';
  return '加工坊';
}
