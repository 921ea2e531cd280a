// Whether writes gain from sharing a commit (platform/group-commit.ts): what the dialect decides.
import type { Kysely } from 'kysely';
import { dialectOf } from './dialect.ts';
import type { DB } from './schema.ts';

/**
 * SQLite takes one writer at a time and flushes each commit on its own (synchronous=FULL), so
 * writes that arrive together are cheaper in one commit. PostgreSQL runs the pool's transactions
 * side by side and flushes the WAL for the commits waiting at the same moment together by itself.
 */
export function hasSingleWriter(db: Kysely<DB>): boolean {
  return dialectOf(db) === 'sqlite';
}
