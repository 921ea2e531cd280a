// Audit records of reads that happen many at once, with no write of their own to go with.
import { type AuditRow, insertAuditRows } from './audit.repository.ts';
import { type Actor, type AuditEntry, auditRowOf } from './audit.ts';
import type { Deps } from './deps.ts';
import { inSharedCommit } from './group-commit.ts';
import { processCache } from './process-cache.ts';

type Pending = { rows: AuditRow[]; settled: Promise<void> };

/**
 * A record of a read that happens many times at once, with no write of its own to go with: a live
 * alarm delivered to twenty duty screens is twenty reads. The records made in the same turn of the
 * event loop are written together, one statement in one shared commit, instead of one commit (one
 * flush of the disk, on SQLite on the event loop) each. Resolves once they are stored.
 */
export function recordAuditSoon(deps: Deps, actor: Actor, entry: AuditEntry, now = deps.now()): Promise<void> {
  const gathering = processCache(deps, 'audit.soon', () => ({ current: undefined as Pending | undefined }));
  if (!gathering.current) {
    const rows: AuditRow[] = [];
    const settled = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      gathering.current = undefined;
      return inSharedCommit(deps.db, (trx) => insertAuditRows(trx, rows));
    });
    gathering.current = { rows, settled };
  }
  gathering.current.rows.push(auditRowOf(actor, entry, now));
  return gathering.current.settled;
}
