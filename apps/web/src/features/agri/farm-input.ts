// What a household types about its farm, checked on the phone before anything is sent, with the
// problem said in words (the server checks the same and refuses with a 400; this spares a round
// trip on a weak signal and says which box is wrong). Pure: unit-tested without a browser.

/** The day in Beijing, as YYYY-MM-DD. */
export function todayInChina(now = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

export type Problem = { key: string; values?: Record<string, string | number> };

/** An area in mu: a number above zero and at most `max` (a household's plot is never a whole township). */
export function areaProblem(text: string, max: number): Problem | undefined {
  if (text.trim() === '') return { key: 'agri.problems.required' };
  const value = Number(text);
  if (!Number.isFinite(value)) return { key: 'agri.problems.notNumber' };
  if (value <= 0) return { key: 'agri.problems.areaTooSmall' };
  if (value > max) return { key: 'agri.problems.areaTooLarge', values: { max } };
  return undefined;
}

/** A count of animals, birds, deaths: a whole number from `min` to `max`. */
export function countProblem(text: string, min: number, max: number): Problem | undefined {
  if (text.trim() === '') return { key: 'agri.problems.required' };
  const value = Number(text);
  if (!Number.isFinite(value)) return { key: 'agri.problems.notNumber' };
  if (!Number.isInteger(value)) return { key: 'agri.problems.wholeNumber' };
  if (value < min) return { key: 'agri.problems.countTooSmall', values: { min } };
  if (value > max) return { key: 'agri.problems.countTooLarge', values: { max } };
  return undefined;
}

/** An amount (kilograms, yuan): a number from zero to `max`; empty is allowed when optional. */
export function amountProblem(text: string, max: number, optional = false): Problem | undefined {
  if (text.trim() === '') return optional ? undefined : { key: 'agri.problems.required' };
  const value = Number(text);
  if (!Number.isFinite(value)) return { key: 'agri.problems.notNumber' };
  if (value < 0) return { key: 'agri.problems.negative' };
  if (value > max) return { key: 'agri.problems.amountTooLarge', values: { max } };
  return undefined;
}

/** A date that has happened: planting, hatching, an observation. Empty is allowed when optional. */
export function pastDateProblem(text: string, today: string, optional = false): Problem | undefined {
  if (text === '') return optional ? undefined : { key: 'agri.problems.required' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) return { key: 'agri.problems.notDate' };
  if (text > today) return { key: 'agri.problems.future' };
  if (text < '1950-01-01') return { key: 'agri.problems.tooOld' };
  return undefined;
}

/** Words typed in: trimmed, within `max` characters. */
export function textProblem(text: string, max: number, optional = false): Problem | undefined {
  const value = text.trim();
  if (value === '') return optional ? undefined : { key: 'agri.problems.required' };
  if (value.length > max) return { key: 'agri.problems.tooLong', values: { max } };
  return undefined;
}
