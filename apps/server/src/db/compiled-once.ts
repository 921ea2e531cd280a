// Statements on the hottest paths (a points booking, an idempotency key, an audit record, a page
// of households, a worker's queue) are built with the query builder once per dialect and then run
// again and again with new values. Building and compiling the query tree on every call cost about
// as much as running the statement (npm run bench: points.ledger, households.list, cases.queue).
// A read whose text depends on the request (which filters it uses, how many ids a scope holds) is
// compiled once per shape (compiledPerShape). The readings' batch insert, whose text depends on the
// number of rows, keeps its own texts (care.repository.ts).
import { type Compilable, type CompiledQuery, createQueryId, type Kysely, type QueryResult, RawNode } from 'kysely';
import type { DB } from './schema.ts';

/**
 * Stands for a named value while the query is built; the query runs with the real value there. A
 * dotted name reaches into the values: `scope.villageIds.0` is `values.scope.villageIds[0]`.
 */
export type Slot = <T = unknown>(name: string) => T;

type Part = { name: string; path: string[] } | { constant: unknown };
type Compiled = { sql: string; node: RawNode; parts: Part[] };

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
      const parts = query.parameters.map((p): Part => {
        if (typeof p !== 'string' || !p.startsWith(MARK)) return { constant: p };
        const name = p.slice(MARK.length);
        return { name, path: name.split('.') };
      });
      compiled = { sql: query.sql, node: RawNode.createWithSql(query.sql), parts };
      byDialect.set(adapter, compiled);
    }
    const parameters = compiled.parts.map((part) => {
      if (!('name' in part)) return part.constant;
      let value: unknown = values;
      for (const key of part.path) value = (value as Record<string, unknown> | undefined)?.[key];
      if (value === undefined) throw new Error(`No value for ${part.name} in a compiled-once query`);
      return value;
    });
    return runCompiled<R>(db, { sql: compiled.sql, query: compiled.node, parameters, queryId: createQueryId() });
  };
}

/**
 * Runs a compiled query on a database or a transaction straight on the connection its executor
 * provides. `db.executeQuery` on a transaction wraps its executor twice anew for every statement
 * and passes the result through the plugins, which Cunzhi's databases do not have: a points grant
 * runs eight statements in its transaction, and those layers were a tenth of its CPU. A database
 * with plugins goes through Kysely as usual.
 */
export function runCompiled<R = unknown>(db: Kysely<DB>, query: CompiledQuery): Promise<QueryResult<R>> {
  const executor = db.getExecutor();
  if (executor.plugins.length > 0) return db.executeQuery<R>(query);
  return executor.provideConnection((connection) => connection.executeQuery<R>(query));
}

/**
 * compiledOnce for a query whose text depends on the request as well as its values: `shapeOf`
 * names everything that changes the text (the filters used, how many ids a scope holds), and
 * `build` makes that shape's query from slots. `build` must take every value through a slot: what
 * it writes into the query directly is kept for every later request of the same shape. The most
 * recently used `maxShapes` shapes are kept.
 */
export function compiledPerShape<S, R = unknown>(
  shapeOf: (shape: S) => string,
  build: (db: Kysely<DB>, slot: Slot, shape: S) => Compilable<R>,
  maxShapes = 256,
): (db: Kysely<DB>, shape: S, values: object) => Promise<QueryResult<R>> {
  const byShape = new Map<string, (db: Kysely<DB>, values: object) => Promise<QueryResult<R>>>();
  return (db, shape, values) => {
    const key = shapeOf(shape);
    let run = byShape.get(key);
    if (run) byShape.delete(key);
    else {
      run = compiledOnce<R>((db, slot) => build(db, slot, shape));
      if (byShape.size >= maxShapes) byShape.delete(byShape.keys().next().value as string);
    }
    byShape.set(key, run);
    return run(db, values);
  };
}
