// Keyset pagination: the cursor carries the sort key of the last row shown.
import { AppError } from './errors.ts';

export type Page<T> = { items: T[]; nextCursor: string | null };

export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** What each place of a cursor holds: a whole number (a time, a count) or a short text (an id, a name). */
export type CursorPart = 'int' | 'text';
type Decoded<S extends readonly CursorPart[]> = { -readonly [K in keyof S]: S[K] extends 'int' ? number : string };

// biome-ignore lint/suspicious/noControlCharactersInRegex: a cursor we made never holds them
const CONTROL = /[\u0000-\u001f\u007f]/;

function fits(value: unknown, part: CursorPart): boolean {
  if (part === 'int') return typeof value === 'number' && Number.isSafeInteger(value);
  return typeof value === 'string' && value.length <= 200 && !CONTROL.test(value);
}

/**
 * The sort key a cursor carries, checked against the shape the list sorts by: a crafted cursor
 * (NaN, 1e308, a text where a time belongs, a NUL) is a 400, never a query the database chokes on.
 */
export function decodeCursor<const S extends readonly CursorPart[]>(cursor: string | undefined, shape: S): Decoded<S> | undefined {
  if (!cursor) return undefined;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === shape.length && shape.every((part, i) => fits(values[i], part))) {
      return values as Decoded<S>;
    }
  } catch {
    // fall through: a cursor we did not make
  }
  throw new AppError('validation_failed', {}, [{ field: 'query.cursor', problem: 'not a cursor this server made' }]);
}

/** Rows were fetched with limit + 1: the extra row only says whether another page exists. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
