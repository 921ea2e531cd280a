// The keeper's points report as a spreadsheet, in the reader's language (Accept-Language): headings,
// categories and kinds of entry in words, villager groups by name, never codes or ids.
import type { ReportRow } from './points-reports.repository.ts';

type Language = 'zh' | 'en';
type Words = Record<string, { zh: string; en: string }>;

const HEADINGS: Words = {
  month: { zh: '月份', en: 'Month' },
  group: { zh: '村民小组', en: 'Villager group' },
  category: { zh: '类别', en: 'Category' },
  rule: { zh: '细则', en: 'Rule' },
  kind: { zh: '类型', en: 'Kind' },
  points: { zh: '积分', en: 'Points' },
  entries: { zh: '笔数', en: 'Entries' },
};

const CATEGORIES: Words = {
  labour: { zh: '劳动奉献', en: 'Labour' },
  honesty: { zh: '诚实守信', en: 'Honesty' },
  bravery: { zh: '见义勇为', en: 'Bravery' },
  investment: { zh: '招商引资', en: 'Investment' },
  civility: { zh: '文明乡风', en: 'Civility' },
  environment: { zh: '环境卫生', en: 'Environment' },
  family: { zh: '孝老爱亲', en: 'Family' },
  violation: { zh: '违规扣分', en: 'Violation' },
};

const KINDS: Words = {
  grant: { zh: '加分', en: 'Granted' },
  deduction: { zh: '扣分', en: 'Deducted' },
  redemption: { zh: '兑换', en: 'Redeemed' },
  cancellation: { zh: '取消兑换退回', en: 'Redemption cancelled' },
  reversal: { zh: '冲正', en: 'Reversed' },
};

export const REPORT_SHEET_NAME = { zh: '积分报表', en: 'Points' } as const;

const wordOf = (words: Words, code: string | null, language: Language) => (code === null ? '' : (words[code]?.[language] ?? code));

/** `month` 202611 is written 2026-11; a group without a name (moved away) keeps its id. */
export function reportTable(rows: ReportRow[], groupNames: ReadonlyMap<string, string>, language: Language): (string | number)[][] {
  return [
    ['month', 'group', 'category', 'rule', 'kind', 'points', 'entries'].map((h) => HEADINGS[h]?.[language] ?? h),
    ...rows.map((r) => [
      `${String(r.month).slice(0, 4)}-${String(r.month).slice(4)}`,
      groupNames.get(r.regionId) ?? r.regionId,
      wordOf(CATEGORIES, r.category, language),
      r.ruleItem ?? '',
      wordOf(KINDS, r.kind, language),
      r.points,
      r.entries,
    ]),
  ];
}
