// Keyset paging in one place: a list sorts by a few columns, ending in a unique one (usually the
// id), and the next page starts strictly after the last row's values of those columns. Written by
// hand at each list, the "after" condition (a > x or (a = x and b > y) ...) was easy to get subtly
// wrong, and the order and the condition could disagree; here both come from one key list.
import { type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';

/** One sort column: its reference as the query knows it (`c.deadline_at`) and its direction. */
export type KeyColumn = readonly [column: string, direction: 'asc' | 'desc'];

/**
 * Orders `query` by `keys`, starts after `after` (the last row's key values, from a cursor) when
 * given, and fetches `limit + 1` rows so `toPage` can tell whether another page follows.
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  keys: readonly KeyColumn[],
  after: readonly (string | number)[] | undefined,
  limit: number,
): SelectQueryBuilder<DB, TB, O> {
  if (after && after.length !== keys.length) throw new Error('a keyset cursor must carry one value for each sort column');
  let paged = query;
  if (after) paged = paged.where((eb) => (sameDirection(keys) ? rowAfter(keys, after) : startsAfter(eb, keys, after, 0)));
  for (const [column, direction] of keys) paged = paged.orderBy(sql.ref(column), direction);
  return paged.limit(limit + 1);
}

function sameDirection(keys: readonly KeyColumn[]): boolean {
  return keys.every(([, direction]) => direction === keys[0]?.[1]);
}

/**
 * (k0, k1, ...) > (v0, v1, ...): both databases read this row comparison as a start position in
 * an index on those columns and walk on from there; the spelled-out or-chain below makes SQLite
 * scan from the first entry and filter.
 */
function rowAfter(keys: readonly KeyColumn[], after: readonly (string | number)[]): Expression<SqlBool> {
  const columns = sql.join(keys.map(([column]) => sql.ref(column)));
  const values = sql.join(after.map((value) => sql`${value}`));
  return sql<SqlBool>`(${columns}) ${sql.raw(keys[0]?.[1] === 'desc' ? '<' : '>')} (${values})`;
}

/** (k0 past v0) or (k0 = v0 and ((k1 past v1) or (k1 = v1 and ...))) */
function startsAfter<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  keys: readonly KeyColumn[],
  after: readonly (string | number)[],
  index: number,
): Expression<SqlBool> {
  const [column, direction] = keys[index] as KeyColumn;
  const value = after[index];
  const past = sql<boolean>`${sql.ref(column)} ${sql.raw(direction === 'asc' ? '>' : '<')} ${value}`;
  if (index === keys.length - 1) return past;
  const rest = startsAfter(eb, keys, after, index + 1);
  return eb.or([past, eb.and([sql<boolean>`${sql.ref(column)} = ${value}`, rest])]);
}
