import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { DialectName } from '../db/dialect.ts';
import type { DB } from '../db/schema.ts';
import type { EventBus } from './events.ts';
import type { FileStore } from './files.ts';
import type { IdNumberVault } from './id-number-vault.ts';
import type { SmsGateway } from './notify.ts';
import type { ReadCache } from './read-cache.ts';

/** What services need from the outside world, passed in so that tests and jobs can supply it. */
export type Deps = {
  db: Kysely<DB>;
  /** Hot reads outside transactions (see Database.reader); never for read-then-write logic. */
  reader: Kysely<DB>;
  /** Answers to hot reads, kept while their tables are unchanged (see read-cache.ts). */
  readCache: ReadCache;
  dialect: DialectName;
  config: Config;
  vault: IdNumberVault;
  files: FileStore;
  events: EventBus;
  sms: SmsGateway;
  /** Epoch ms; tests move it to cross idle timeouts and lockouts. */
  now: () => number;
  /**
   * The modules' per-process caches and buffers, by name (platform/process-cache.ts): they belong to
   * these deps, so two apps in one process (tests) never share one, and they are timed by `now`.
   * Made on first use when the maker of the deps gives none.
   */
  caches?: Map<string, unknown>;
};
