// What a household's figures say under the county's settings: the reasons it is at risk and the
// category they put it in. Pure rules with unit tests (poverty-rules.test.ts).
import type { Assurance, FlagReason, PovertyCategory } from '@cunzhi/contracts/poverty';

export type Thresholds = { incomeLine: number; expenseRatio: number; expenseMinimum: number };

export type Figures = {
  members: number;
  labour: number;
  formerlyPoor: boolean;
  income: Partial<Record<string, number>>;
  incomeLast12: number;
  expenses: { kind: string; amount: number }[];
  assurances: Record<Assurance, boolean>;
  seriousIllness: boolean;
  disaster: boolean;
};

/** When the county has set nothing yet: the line most provinces used for 2025 monitoring. */
export const DEFAULT_SETTINGS = {
  incomeLine: 7600,
  expenseRatio: 0.5,
  expenseMinimum: 10_000,
  stableMonths: 6,
  visitIntervalDays: 30,
  noticeDays: 5,
};

const round2 = (n: number) => Math.round(n * 100) / 100;

export function incomeYear(figures: Pick<Figures, 'income'>): number {
  return round2(Object.values(figures.income).reduce<number>((sum, v) => sum + (v ?? 0), 0));
}

export function perCapita(total: number, members: number): number {
  return round2(total / Math.max(1, members));
}

/** The reasons the figures give, in a stable order. */
export function reasonsOf(figures: Figures, thresholds: Thresholds): FlagReason[] {
  const reasons: FlagReason[] = [];
  const yearly = incomeYear(figures);
  // The lower of the two readings decides: a harvest counted last year does not hide this year's loss.
  const lowest = Math.min(perCapita(yearly, figures.members), perCapita(figures.incomeLast12, figures.members));
  if (lowest < thresholds.incomeLine) reasons.push('incomeBelowLine');
  const expenses = figures.expenses.reduce((sum, e) => sum + e.amount, 0);
  const income = Math.max(yearly, figures.incomeLast12);
  if (expenses >= thresholds.expenseMinimum && expenses > thresholds.expenseRatio * income) reasons.push('expenseOverThreshold');
  if (figures.seriousIllness) reasons.push('seriousIllness');
  if (figures.disaster) reasons.push('disaster');
  if (Object.values(figures.assurances).some((met) => !met)) reasons.push('assuranceMissing');
  if (figures.labour === 0 && figures.members > 0 && lowest < thresholds.incomeLine) reasons.push('labourLoss');
  return reasons;
}

/**
 * The category the reasons point to: under the line (or without a basic assurance) a household
 * that left poverty before is unstable, any other is marginal; above the line, a sudden shock
 * (illness, expenses, disaster, accident) is severe hardship. No reason, no category.
 */
export function categoryOf(reasons: readonly FlagReason[], formerlyPoor: boolean): PovertyCategory | null {
  if (reasons.includes('incomeBelowLine') || reasons.includes('assuranceMissing') || reasons.includes('labourLoss')) {
    return formerlyPoor ? 'unstable' : 'marginal';
  }
  if (reasons.some((r) => r === 'expenseOverThreshold' || r === 'seriousIllness' || r === 'disaster' || r === 'accident'))
    return 'hardship';
  return reasons.length > 0 ? (formerlyPoor ? 'unstable' : 'marginal') : null;
}

/** The causes are resolved when the figures give no reason at all. */
export const causesResolved = (figures: Figures, thresholds: Thresholds) => reasonsOf(figures, thresholds).length === 0;

/** 张三明 → 张*明, 李四 → 李*: what a public notice shows of a name. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
