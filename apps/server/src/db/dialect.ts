// The only file that knows which database is underneath.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type LimitNode,
  PostgresAdapter,
  PostgresDialect,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  ValueNode,
} from 'kysely';
import pg from 'pg';
import { TableChanges, writesOf } from './table-changes.ts';
import { WAL_AUTOCHECKPOINT_PAGES } from './wal-flush.ts';

export type DialectName = 'sqlite' | 'postgres';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** What Kysely's SQLite driver uses of a prepared statement. */
type PreparedStatement = Pick<BetterSqlite3.Statement, 'reader' | 'all' | 'run' | 'iterate'>;

/**
 * Kysely's SQLite driver prepares every statement anew; on hot paths parsing the SQL costs more
 * than running it, so statements are kept by their text, up to `capacity` of them and up to
 * `maxParameters` parameters in all: a prepared statement takes SQLite 100 to 180 bytes per
 * parameter, and a list of ids makes one statement per length (batches of every size): 512 of
 * them, 2 to 1,024 ids long, held 46 MB. Beyond either bound the oldest go first, except that one
 * used since it was last looked at goes to the back instead (a second chance: the hot statements
 * stay, and a hit costs only setting a flag). Reading statements come back as row readers (see
 * `rowReader`).
 */
function withStatementCache(
  raw: BetterSqlite3.Database,
  changes?: TableChanges,
  capacity = 512,
  maxParameters = 50_000,
): SqliteDatabase & { prepare(sql: string): PreparedStatement } {
  type Kept = { statement: PreparedStatement; parameters: number; used: boolean };
  const cache = new Map<string, Kept>();
  let parameters = 0;
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      const kept = cache.get(sql);
      if (kept) {
        kept.used = true;
        return kept.statement;
      }
      const prepared = raw.prepare(sql);
      let statement: PreparedStatement = prepared.reader ? rowReader(prepared) : prepared;
      if (changes) statement = tracked(statement, sql, prepared.readonly, raw, changes);
      const entry: Kept = { statement, parameters: sql.split('?').length - 1, used: false };
      cache.set(sql, entry);
      parameters += entry.parameters;
      while (cache.size > 1 && (cache.size > capacity || parameters > maxParameters)) {
        const [oldest, first] = cache.entries().next().value as [string, Kept];
        cache.delete(oldest);
        if (first.used) {
          first.used = false;
          cache.set(oldest, first);
        } else parameters -= first.parameters;
      }
      return statement;
    },
  };
}

/**
 * A reading statement run in better-sqlite3's raw mode (rows as arrays), each row object built by
 * a function made once for the statement's columns. Letting the driver build the objects sets
 * each property through the engine's slow generic path: a page of 20 households took 61 µs that
 * way and 37 µs this way. A later column of the same name wins, as in the driver's own objects.
 */
function rowReader(statement: BetterSqlite3.Statement): PreparedStatement {
  const names = statement.columns().map((column) => column.name);
  // Computed keys, so that a column named __proto__ is a property and not the prototype.
  const fields = names.map((name, i) => `[${JSON.stringify(name)}]: row[${i}]`).join(', ');
  const toObject = new Function('row', `return { ${fields} };`) as (row: unknown[]) => Record<string, unknown>;
  statement.raw(true);
  return {
    reader: true,
    all: (...parameters: unknown[]) => (statement.all(...parameters) as unknown[][]).map(toObject),
    run: (...parameters: unknown[]) => statement.run(...parameters),
    *iterate(...parameters: unknown[]) {
      for (const row of statement.iterate(...parameters) as IterableIterator<unknown[]>) yield toObject(row);
    },
  } as PreparedStatement;
}

/**
 * SQLite's compiler with a LIMIT that is a whole number written into the text rather than bound.
 * SQLite reads a bound LIMIT while it prepares the statement and marks the statement to be
 * prepared again whenever that parameter is bound anew, and better-sqlite3 binds every parameter
 * on every run: each paged read was parsed and planned again every time it ran, a fifth of the
 * time SQLite took for a page of households. A page size is one of a few values, so the kept
 * statements stay few; a LIMIT built from a slot (compiled-once.ts) is still bound.
 */
class SqliteCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    const limit = node.limit;
    if (ValueNode.is(limit) && !limit.immediate && Number.isSafeInteger(limit.value) && (limit.value as number) >= 0) {
      this.append(`limit ${limit.value}`);
    } else {
      super.visitLimit(node);
    }
  }
}

class CunzhiSqliteDialect extends SqliteDialect {
  override createQueryCompiler(): SqliteQueryCompiler {
    return new SqliteCompiler();
  }
}

const ENDS_TRANSACTION = /^\s*(?:commit|end|rollback)\b/i;

/**
 * Tells `changes` what a writing statement wrote and, once the connection is outside a transaction
 * again, that it committed. Plain reads pass untouched.
 */
function tracked(
  statement: PreparedStatement,
  sql: string,
  readonly: boolean,
  raw: BetterSqlite3.Database,
  changes: TableChanges,
): PreparedStatement {
  const writes = writesOf(sql, readonly);
  if (writes.kind === 'none' && !ENDS_TRANSACTION.test(sql)) return statement;
  const ran = () => {
    changes.noted(writes);
    if (!raw.inTransaction) changes.settled();
  };
  return {
    reader: statement.reader,
    all(...parameters: unknown[]) {
      try {
        return statement.all(...parameters);
      } finally {
        ran();
      }
    },
    run(...parameters: unknown[]) {
      try {
        return statement.run(...parameters);
      } finally {
        ran();
      }
    },
    *iterate(...parameters: unknown[]) {
      try {
        yield* statement.iterate(...parameters);
      } finally {
        ran();
      }
    },
  } as PreparedStatement;
}

/**
 * WAL with synchronous=FULL: every acknowledged commit is fsynced, so the ledger and the audit
 * log survive a power cut, not only a crash of the process.
 */
/**
 * SQLite's page cache per connection (the writer's and the reader's each), in MB, unless
 * SQLITE_CACHE_MB says otherwise. The cache is memory of the server process; what does not fit is
 * read again from the OS's file cache, a few microseconds a page. The readings' two indexes touch a
 * page per device and per elder, more than any cache of this size holds once a county has
 * thousands of devices, and 64 MB each ingested and answered no faster than 16 (npm run bench,
 * care, households and cases) while holding 55-80 MB more.
 */
export const SQLITE_CACHE_MB = 16;

export function openSqlite(
  file: string,
  image?: Buffer,
  cacheMb = SQLITE_CACHE_MB,
): { dialect: Dialect; raw: BetterSqlite3.Database; changes: TableChanges } {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  // An image (a serialized database) opens as an in-memory copy of it: tests start each case from one.
  const raw = image ? new BetterSqlite3(image) : new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma(`cache_size = -${cacheMb * 1024}`);
  // Checkpoints are the checkpointer's work (db/checkpointer.ts); this is only the safety net.
  if (file !== ':memory:') raw.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  const dataVersion = raw.prepare('pragma data_version').pluck();
  const changes = new TableChanges(() => dataVersion.get() as number);
  return { dialect: new CunzhiSqliteDialect({ database: withStatementCache(raw, changes) }), raw, changes };
}

/**
 * A second, read-only connection to the same file for hot reads outside transactions. In WAL mode
 * it sees every committed write and never an uncommitted one, and it does not queue behind the
 * writer connection's transactions. An in-memory database has no second connection.
 *
 * Its driver hands out the one connection without Kysely's mutex: better-sqlite3 runs each
 * statement to completion synchronously and a reader never holds a transaction open, so there is
 * nothing to wait for, and the mutex's promise round trips were a large part of a list request.
 */
export function openSqliteReader(file: string, cacheMb = SQLITE_CACHE_MB): Dialect | undefined {
  if (file === ':memory:') return undefined;
  const raw = new BetterSqlite3(file, { readonly: true });
  raw.pragma('busy_timeout = 5000');
  raw.pragma(`cache_size = -${cacheMb * 1024}`);
  const database = withStatementCache(raw);
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery) {
      const statement = database.prepare(query.sql);
      if (!statement.reader) throw new Error('The SQLite reader connection only reads');
      return { rows: statement.all(query.parameters as unknown[]) as R[] };
    },
    // biome-ignore lint/correctness/useYield: streaming is not offered on the reader
    async *streamQuery() {
      throw new Error('The SQLite reader connection does not stream');
    },
  };
  const refuse = async () => {
    throw new Error('The SQLite reader connection has no transactions: use the writer');
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: refuse,
    commitTransaction: refuse,
    rollbackTransaction: refuse,
    releaseConnection: async () => {},
    destroy: async () => database.close(),
  };
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteCompiler(),
  };
}

export function openPostgres(
  url: string,
  options: { searchPath?: string; max?: number; settings?: Record<string, string> } = {},
): { dialect: Dialect; pool: pg.Pool } {
  const settings = { ...(options.searchPath && { search_path: options.searchPath }), ...options.settings };
  const startup = Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(startup.length > 0 && { options: startup.join(' ') }),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  return { dialect: new PostgresDialect({ pool }), pool };
}

// biome-ignore lint/suspicious/noExplicitAny: any database schema
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * Holds each key until the transaction ends, taken in the order given: on PostgreSQL a transaction
 * advisory lock per key, so that a second transaction naming a key waits for the first to commit
 * (counting then inserting becomes one step); on SQLite nothing, as its one writer connection runs
 * transactions one after another. Callers name keys in one fixed order, so two never deadlock.
 */
// biome-ignore lint/suspicious/noExplicitAny: any database schema
export async function lockKeysInTransaction(trx: Kysely<any>, keys: readonly string[]): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  for (const key of keys) await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

/** A row still referred to by another (a foreign key), in either dialect's words. */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** A unique-constraint violation, in either dialect's words. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
