// Recent writes as the audit log records them (action and region, nothing about who), for the
// caches that must follow the data they were computed from (dashboard). Reads are recorded in the
// log too; the caller picks the actions that matter to it.
import type { Deps } from '../../platform/deps.ts';
import { type FeedRow, writesSince } from './audit-feed.repository.ts';

export type { FeedRow } from './audit-feed.repository.ts';

export function recentWrites(deps: Deps, sinceMs: number, limit = 2000): Promise<FeedRow[]> {
  return writesSince(deps.db, sinceMs, limit);
}
