import { isUniqueViolation } from '../db/dialect.ts';
import { AppError, type ErrorCode } from './errors.ts';

/** Runs a write and reports a unique-constraint violation as the given error, in either dialect. */
export async function explainUniqueViolation<T>(code: ErrorCode, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError(code);
    throw error;
  }
}
