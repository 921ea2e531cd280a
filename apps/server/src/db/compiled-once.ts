// Statements on the hottest write paths (a points booking, an idempotency key, an audit record)
// are built with the query builder once per dialect and then run again and again with new values.
// Building and compiling the query tree on every call cost about as much as running the statement
// (npm run bench: points.ledger). The readings' batch insert, whose text depends on the number of
// rows, keeps its own texts (care.repository.ts).
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { DB } from './schema.ts';

/** Stands for a named value while the query is built; the query runs with the real value there. */
export type Slot = <T = unknown>(name: string) => T;

type Part = { name: string } | { constant: unknown };
type Compiled = { sql: string; parts: Part[] };

const MARK = '\u0000cunzhi-slot:';

/**
 * `build` makes the query from `slot(name)` placeholders; the result runs it with `values[name]`
 * in each placeholder's place. Values written into the builder directly (a constant kind, say)
 * stay as they were built. The text is kept per dialect, so a transaction and the database share it.
 */
export function compiledOnce<R = unknown>(
  build: (db: Kysely<DB>, slot: Slot) => Compilable<R>,
): (db: Kysely<DB>, values: object) => Promise<QueryResult<R>> {
  const byDialect = new Map<unknown, Compiled>();
  return async (db, values) => {
    const adapter = db.getExecutor().adapter.constructor;
    let compiled = byDialect.get(adapter);
    if (!compiled) {
      const query = build(db, <T>(name: string) => `${MARK}${name}` as T).compile();
      const parts = query.parameters.map(
        (p): Part => (typeof p === 'string' && p.startsWith(MARK) ? { name: p.slice(MARK.length) } : { constant: p }),
      );
      compiled = { sql: query.sql, parts };
      byDialect.set(adapter, compiled);
    }
    const parameters = compiled.parts.map((part) => {
      if (!('name' in part)) return part.constant;
      const value = (values as Record<string, unknown>)[part.name];
      if (value === undefined) throw new Error(`No value for ${part.name} in a compiled-once query`);
      return value;
    });
    return db.executeQuery(CompiledQuery.raw(compiled.sql, parameters)) as Promise<QueryResult<R>>;
  };
}
