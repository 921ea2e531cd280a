// Savepoints inside a transaction, for work that must fail alone without ending the transaction
// around it (platform/group-commit.ts). Kysely offers savepoints only on a controlled transaction,
// which the callback form of db.transaction() that every write uses is not.
import { sql, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

/** Runs `work` inside a savepoint: on failure only its own writes are rolled back, and the error is rethrown. */
export async function inSavepoint<T>(trx: Transaction<DB>, work: () => Promise<T>): Promise<T> {
  await sql`savepoint group_write`.execute(trx);
  try {
    const value = await work();
    await sql`release savepoint group_write`.execute(trx);
    return value;
  } catch (error) {
    await sql`rollback to savepoint group_write`.execute(trx);
    await sql`release savepoint group_write`.execute(trx);
    throw error;
  }
}
