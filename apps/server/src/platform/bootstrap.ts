// Everything main.ts and the tests share: open the database, migrate, make the services' deps.

import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { Config } from '../config.ts';
import { type Database, databaseTargetFromConfig, openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Deps } from './deps.ts';
import { createEventBus } from './events.ts';
import { localFileStore } from './files.ts';
import { createIdNumberVault, loadIdNumberKey } from './id-number-vault.ts';
import { logSmsGateway } from './notify.ts';
import { createReadCache } from './read-cache.ts';

/**
 * The data folder holds password hashes, sealed secrets, sessions and people's records: what the
 * server and its commands create there is readable by this account only (umask 077), and a folder
 * made before this rule is closed to others as well. Call first, before anything opens a file.
 */
export function keepDataPrivate(config: Pick<Config, 'dataDir'>): void {
  process.umask(0o077);
  if (fs.existsSync(config.dataDir)) fs.chmodSync(config.dataDir, 0o700);
}

export type Started = { database: Database; deps: Deps; migrationsApplied: string[] };

export async function prepare(config: Config, database: Database = openDatabase(databaseTargetFromConfig(config))): Promise<Started> {
  const migrationsApplied = await migrateToLatest(database.db);
  const vault = createIdNumberVault(loadIdNumberKey({ fromEnv: config.idNumberKey, dataDir: config.dataDir }));
  const smsLog = pino({ level: config.logLevel, base: { gateway: 'sms-log' } });
  const deps: Deps = {
    db: database.db,
    reader: database.reader,
    readCache: createReadCache(database.changes),
    // Given here, so that deps copied with a change (a transaction's db) share the caches.
    caches: new Map(),
    dialect: database.dialect,
    config,
    vault,
    files: localFileStore(path.join(config.dataDir, 'files')),
    events: createEventBus(),
    sms: logSmsGateway((line) => smsLog.info(line, 'text message (log gateway)')),
    now: Date.now,
  };
  return { database, deps, migrationsApplied };
}
