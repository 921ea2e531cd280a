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

const COLUMNS: [keyof Figures | keyof Rates, string][] = [
  ['received', '受理 Received'],
  ['answeredOnSpot', '现场解释答疑 Answered on the spot'],
  ['assigned', '分类交办 Assigned'],
  ['handled', '办理 Handled'],
  ['replied', '回复 Replied'],
  ['repliedOnTime', '按期回复 Replied on time'],
  ['onTimeReplyRate', '按期办理回复率 On-time reply rate'],
  ['closed', '办结 Closed'],
  ['completionRate', '办结率 Completion rate'],
  ['overdueOpen', '逾期未办结 Overdue and open'],
  ['averageRating', '平均评分 Average rating'],
  ['satisfactionRate', '满意率 Satisfaction rate'],
];

/** The statistics as one table: a header, then a row per group with its figures and rates. */
export function toTable(rows: { label: string; figures: Figures }[]): (string | number | null)[][] {
  const header = ['分组 Group', ...COLUMNS.map(([, title]) => title)];
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
