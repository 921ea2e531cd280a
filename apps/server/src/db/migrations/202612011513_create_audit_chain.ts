import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * The audit log's hash chain (modules/audit/audit-chain.ts says why it is sealed afterwards rather
 * than at each write). `audit_chain` is append-only like `audit_log`; `audit_chain_head` is its one
 * row saying how far the chain has come, locked by the sealer so that two never extend it at once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_chain')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('audit_id', 'text', (c) => c.notNull().unique())
    .addColumn('row_hash', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('chain_hash', 'text', (c) => c.notNull())
    .addColumn('sealed_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_chain_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('chain_hash', 'text', (c) => c.notNull())
    .addColumn('sealed_through_id', 'text')
    .execute();
  await db
    .insertInto('audit_chain_head')
    .values({ id: 1, seq: 0, chain_hash: '0'.repeat(64), sealed_through_id: null })
    .execute();

  if (dialectOf(db) === 'postgres') {
    await sql`create trigger audit_chain_append_only before update or delete on audit_chain
      for each row execute function audit_log_refuse_change()`.execute(db);
  } else {
    await sql`create trigger audit_chain_no_update before update on audit_chain
      begin select raise(abort, 'audit_chain is append-only'); end`.execute(db);
    await sql`create trigger audit_chain_no_delete before delete on audit_chain
      begin select raise(abort, 'audit_chain is append-only'); end`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
