import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * The audit log's row triggers refuse UPDATE and DELETE, but PostgreSQL's TRUNCATE fires no row
 * trigger: one statement would have emptied the log (GB/T 22239-2019 8.1.4.3 d: audit records are
 * protected from deletion). A statement trigger refuses it, for the hash chain too. SQLite has no
 * TRUNCATE: its "DELETE FROM t" without WHERE still fires the row trigger and is refused.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_refuse_change()`.execute(db);
  await sql`create trigger audit_chain_no_truncate before truncate on audit_chain
    for each statement execute function audit_log_refuse_change()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: the audit log stays append-only.');
}
