// A person's date of birth as the register takes it.
import { AppError } from '../../platform/errors.ts';
import { localDate, localDay } from '../../platform/time.ts';

/** A birth date on the calendar between 1900 and today (2099-01-01 made an age of −73, 1800-01-01 one of 226). */
export function checkBirthDate(birthDate: string | null | undefined, now: number): void {
  if (!birthDate) return;
  const today = localDate(localDay(now));
  if (birthDate < '1900-01-01' || birthDate > today) throw new AppError('birth_date_out_of_range');
}
