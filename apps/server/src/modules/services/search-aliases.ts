// The short names and everyday words villagers search the catalogue by, beside the official names
// the catalogue uses: "低保" for 最低生活保障, "医保" for 城乡居民医疗保险. A query word that is one of
// these also matches every item whose search text holds the full name, so the table works for
// every item, old or imported, without rewriting stored search texts. An item's own aliases (kept
// with the item, exported and imported with the catalogue) are added to its search text instead.

/** Everyday word → the catalogue's words it stands for. */
export const COMMON_ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
  低保: ['最低生活保障'],
  五保: ['特困人员'],
  五保户: ['特困人员'],
  特困: ['特困人员'],
  医保: ['医疗保险'],
  新农合: ['城乡居民医疗保险'],
  农合: ['城乡居民医疗保险'],
  社保: ['社会保险', '社会保障', '养老保险'],
  养老金: ['养老保险'],
  农村养老: ['城乡居民基本养老保险'],
  城乡居保: ['城乡居民基本养老保险'],
  社保卡: ['社会保障卡'],
  身份证: ['居民身份证'],
  户口本: ['户口'],
  上户口: ['户口'],
  落户: ['户口'],
  出生证: ['出生医学证明'],
  准生证: ['生育登记'],
  生育证: ['生育登记'],
  计生: ['计划生育'],
  残疾证: ['残疾人证'],
  残补: ['残疾人两项补贴'],
  两项补贴: ['残疾人两项补贴'],
  高龄补贴: ['高龄津贴'],
  老年证: ['老年人优待证'],
  驾照: ['驾驶证'],
  结婚证: ['婚姻登记'],
  离婚: ['婚姻登记'],
  结婚: ['婚姻登记'],
  房产证: ['不动产登记'],
  土地证: ['不动产登记', '土地承包经营权'],
  宅基地: ['农村宅基地'],
  危房: ['危房改造'],
  种粮补贴: ['耕地地力保护补贴', '稻谷生产者补贴'],
  粮补: ['耕地地力保护补贴', '稻谷生产者补贴'],
  农机补贴: ['农机购置补贴'],
  失业金: ['失业保险金'],
  创业贷: ['创业担保贷款'],
  公积金: ['住房公积金'],
  公租房: ['公共租赁住房'],
  无犯罪证明: ['无犯罪记录证明'],
  执照: ['营业执照'],
  个体户: ['个体工商户'],
  合作社: ['农民专业合作社'],
  丧葬补贴: ['惠民殡葬补贴'],
  孤儿: ['孤儿基本生活费'],
  助学金: ['学生资助'],
  上学: ['义务教育入学'],
  入学: ['义务教育入学'],
  砍树: ['林木采伐许可'],
  伐木: ['林木采伐许可'],
  民宿: ['乡村民宿'],
  卫生室: ['村卫生室'],
  奖扶: ['计划生育家庭奖励扶助'],
};

/**
 * The words a query word stands for: itself, and the full names when it is a known short name.
 * Every one is matched against an item's search text; any match finds the item.
 */
export function expandSearchWord(word: string): string[] {
  return [word, ...(COMMON_ABBREVIATIONS[word] ?? [])];
}
