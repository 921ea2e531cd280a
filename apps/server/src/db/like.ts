import { type RawBuilder, type SqlBool, sql } from 'kysely';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The pattern containsText() matches, for a query that takes it as a value (compiledPerShape). */
export const containsPattern = (text: string) => `%${escapeLike(text)}%`;

/** The pattern startsWithText() matches, for a query that takes it as a value. */
export const startsWithPattern = (text: string) => `${escapeLike(text)}%`;

/** column LIKE pattern, with a pattern made by containsPattern() or startsWithPattern(). */
export function matchesPattern(column: string, pattern: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

/** column LIKE '%text%' with the user's % and _ taken literally, in both dialects. */
export function containsText(column: string, text: string): RawBuilder<SqlBool> {
  return matchesPattern(column, containsPattern(text));
}

export function startsWithText(column: string, text: string): RawBuilder<SqlBool> {
  return matchesPattern(column, startsWithPattern(text));
}
