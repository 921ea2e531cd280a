import path from 'node:path';
import { Kysely, sql } from 'kysely';
import type { Config } from '../config.ts';
import { startCheckpointer } from './checkpointer.ts';
import { type DialectName, openPostgres, openSqlite, openSqliteReader } from './dialect.ts';
import type { DB } from './schema.ts';
import type { TableChanges } from './table-changes.ts';
import { flushLaterOn } from './wal-flush.ts';

export type Database = {
  db: Kysely<DB>;
  /** For reads outside a transaction: a read-only connection on SQLite, the same pool on PostgreSQL. */
  reader: Kysely<DB>;
  dialect: DialectName;
  /** The tables this process changed, where it is the only writer (SQLite); see platform/read-cache.ts. */
  changes?: TableChanges;
  /** Where the data lives, for logs: the SQLite file or the PostgreSQL host. */
  location: string;
  /** An in-memory SQLite database's whole content, to open copies of with `sqliteImage`. */
  image?: () => Buffer;
  close(): Promise<void>;
};

export type DatabaseTarget = {
  url?: string;
  sqliteFile?: string;
  searchPath?: string;
  sqliteImage?: Buffer;
  /** PostgreSQL settings for each connection of the pool (the tests ask for commits without a disk flush). */
  settings?: Record<string, string>;
  /** SQLite's page cache per connection, in MB (dialect.ts SQLITE_CACHE_MB when not given). */
  sqliteCacheMb?: number;
};

export function openDatabase(target: DatabaseTarget): Database {
  if (target.url) {
    const { dialect } = openPostgres(target.url, { searchPath: target.searchPath, settings: target.settings });
    const db = new Kysely<DB>({ dialect });
    return { db, reader: db, dialect: 'postgres', location: new URL(target.url).host, close: () => db.destroy() };
  }
  const file = target.sqliteImage ? ':memory:' : (target.sqliteFile ?? ':memory:');
  const { dialect, raw, changes } = openSqlite(file, target.sqliteImage, target.sqliteCacheMb);
  const db = new Kysely<DB>({ dialect });
  // The reader opens after the writer has created the file and switched it to WAL.
  const readerDialect = openSqliteReader(file, target.sqliteCacheMb);
  const reader = readerDialect ? new Kysely<DB>({ dialect: readerDialect }) : db;
  const checkpointer = file === ':memory:' ? undefined : startCheckpointer(file);
  // Group commits flush the WAL off the event loop (wal-flush.ts); in memory there is nothing to flush.
  const flusher = file === ':memory:' ? undefined : flushLaterOn(db, raw, file);
  const close = async () => {
    await checkpointer?.stop();
    if (reader !== db) await reader.destroy();
    await db.destroy();
    await flusher?.close();
  };
  const image = file === ':memory:' ? () => raw.serialize() : undefined;
  return { db, reader, dialect: 'sqlite', location: file, changes, image, close };
}

export function databaseTargetFromConfig(config: Config): DatabaseTarget {
  return config.databaseUrl
    ? { url: config.databaseUrl }
    : { sqliteFile: path.join(config.dataDir, 'cunzhi.db'), sqliteCacheMb: config.sqliteCacheMb };
}

/** One round trip to the database: what the readiness probe asks before it says ready. */
export async function pingDatabase(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
