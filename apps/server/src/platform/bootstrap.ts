// Everything main.ts and the tests share: open the database, migrate, make the services' deps.
import type { Config } from '../config.ts';
import { type Database, databaseTargetFromConfig, openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Deps } from './deps.ts';
import { createIdNumberVault, loadIdNumberKey } from './id-number-vault.ts';

export type Started = { database: Database; deps: Deps; migrationsApplied: string[] };

export async function prepare(config: Config, database: Database = openDatabase(databaseTargetFromConfig(config))): Promise<Started> {
  const migrationsApplied = await migrateToLatest(database.db);
  const vault = createIdNumberVault(loadIdNumberKey({ fromEnv: config.idNumberKey, dataDir: config.dataDir }));
  const deps: Deps = { db: database.db, reader: database.reader, dialect: database.dialect, config, vault, now: Date.now };
  return { database, deps, migrationsApplied };
}
