// The appeals centre's figures, computed from the cases themselves: accepted, answered on the spot,
// assigned, handled, replied on time, and the rates the county reports.
import type { Figures } from './case-statistics.repository.ts';

export type Rates = {
  /** Replies given by the deadline, of all replies (按期办理回复率). */
  onTimeReplyRate: number | null;
  /** Closed, of all received (办结率). */
  completionRate: number | null;
  /** Average rating, 1 to 5. */
  averageRating: number | null;
  /** Ratings of 4 or 5, of all ratings. */
  satisfactionRate: number | null;
};

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

export function ratesOf(figures: Figures): Rates {
  return {
    onTimeReplyRate: ratio(figures.repliedOnTime, figures.replied),
    completionRate: ratio(figures.closed, figures.received),
    averageRating: figures.rated === 0 ? null : Math.round((figures.ratingSum / figures.rated) * 100) / 100,
    satisfactionRate: ratio(figures.satisfied, figures.rated),
  };
}

type Language = 'zh' | 'en';

// Headed in the reader's language (Accept-Language), one language per sheet, never "受理 Received".
const COLUMNS: [keyof Figures | keyof Rates, { zh: string; en: string }][] = [
  ['received', { zh: '受理', en: 'Received' }],
  ['answeredOnSpot', { zh: '现场解释答疑', en: 'Answered on the spot' }],
  ['assigned', { zh: '分类交办', en: 'Assigned' }],
  ['handled', { zh: '办理', en: 'Handled' }],
  ['replied', { zh: '回复', en: 'Replied' }],
  ['repliedOnTime', { zh: '按期回复', en: 'Replied on time' }],
  ['onTimeReplyRate', { zh: '按期办理回复率', en: 'On-time reply rate' }],
  ['closed', { zh: '办结', en: 'Closed' }],
  ['completionRate', { zh: '办结率', en: 'Completion rate' }],
  ['overdueOpen', { zh: '逾期未办结', en: 'Overdue and open' }],
  ['averageRating', { zh: '平均评分', en: 'Average rating' }],
  ['satisfactionRate', { zh: '满意率', en: 'Satisfaction rate' }],
];

/** The words of the export's rows and sheet besides the columns. */
export const STATISTICS_WORDS = {
  zh: { group: '分组', total: '合计', category: '分类', department: '部门', sheet: '统计' },
  en: { group: 'Group', total: 'Total', category: 'Category', department: 'Department', sheet: 'Statistics' },
} as const;

/** The statistics as one table: a header, then a row per group with its figures and rates. */
export function toTable(rows: { label: string; figures: Figures }[], language: Language): (string | number | null)[][] {
  const header = [STATISTICS_WORDS[language].group, ...COLUMNS.map(([, title]) => title[language])];
  return [
    header,
    ...rows.map(({ label, figures }) => {
      const values: Record<string, number | null> = { ...figures, ...ratesOf(figures) };
      return [label, ...COLUMNS.map(([key]) => values[key] ?? null)];
    }),
  ];
}

const csvCell = (value: unknown) => {
  let text = value === null || value === undefined ? '' : String(value);
  // A cell a spreadsheet would take for a formula is written as text.
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** UTF-8 with a BOM so spreadsheet programs read the Chinese. */
export function toCsv(table: (string | number | null)[][]): string {
  return `\uFEFF${table.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
