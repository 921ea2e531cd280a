// Savepoints inside a transaction, for work that must fail alone without ending the transaction
// around it (platform/group-commit.ts). Kysely offers savepoints only on a controlled transaction,
// which the callback form of db.transaction() that every write uses is not.
import { CompiledQuery, type Transaction } from 'kysely';
import { runCompiled } from './compiled-once.ts';
import type { DB } from './schema.ts';

// Written once: a group commit takes a savepoint per write it carries, and building these with the
// sql template each time cost more than running them.
const SAVEPOINT = CompiledQuery.raw('savepoint group_write');
const RELEASE = CompiledQuery.raw('release savepoint group_write');
const ROLLBACK = CompiledQuery.raw('rollback to savepoint group_write');

/** Runs `work` inside a savepoint: on failure only its own writes are rolled back, and the error is rethrown. */
export async function inSavepoint<T>(trx: Transaction<DB>, work: () => Promise<T>): Promise<T> {
  await runCompiled(trx, SAVEPOINT);
  try {
    const value = await work();
    await runCompiled(trx, RELEASE);
    return value;
  } catch (error) {
    await runCompiled(trx, ROLLBACK);
    await runCompiled(trx, RELEASE);
    throw error;
  }
}
