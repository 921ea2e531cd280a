import path from 'node:path';
import { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import { type DialectName, openPostgres, openSqlite } from './dialect.ts';
import type { DB } from './schema.ts';

export type Database = {
  db: Kysely<DB>;
  dialect: DialectName;
  /** Where the data lives, for logs: the SQLite file or the PostgreSQL host. */
  location: string;
  close(): Promise<void>;
};

export type DatabaseTarget = { url?: string; sqliteFile?: string; searchPath?: string };

export function openDatabase(target: DatabaseTarget): Database {
  if (target.url) {
    const { dialect } = openPostgres(target.url, { searchPath: target.searchPath });
    const db = new Kysely<DB>({ dialect });
    return { db, dialect: 'postgres', location: new URL(target.url).host, close: () => db.destroy() };
  }
  const file = target.sqliteFile ?? ':memory:';
  const { dialect } = openSqlite(file);
  const db = new Kysely<DB>({ dialect });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

export function databaseTargetFromConfig(config: Config): DatabaseTarget {
  return config.databaseUrl ? { url: config.databaseUrl } : { sqliteFile: path.join(config.dataDir, 'cunzhi.db') };
}
