// The stored answers of retried writes (platform/idempotency.ts). The lookup and the insert run
// on every write that carries a key, so both are compiled once.
import type { Kysely } from 'kysely';
import { compiledOnce } from '../db/compiled-once.ts';
import type { DB } from '../db/schema.ts';

export type StoredAnswer = { requestHash: string; response: string };

const findKey = compiledOnce<{ request_hash: string; response: string }>((db, slot) =>
  db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response'])
    .where('principal_id', '=', slot<string>('principalId'))
    .where('key', '=', slot<string>('key')),
);

const storeKey = compiledOnce((db, slot) =>
  db.insertInto('idempotency_keys').values({
    principal_id: slot('principalId'),
    key: slot('key'),
    operation: slot('operation'),
    request_hash: slot('hash'),
    response: slot('response'),
    created_at: slot('at'),
  }),
);

export async function findStoredAnswer(db: Kysely<DB>, principalId: string, key: string): Promise<StoredAnswer | undefined> {
  const {
    rows: [stored],
  } = await findKey(db, { principalId, key });
  return stored && { requestHash: stored.request_hash, response: stored.response };
}

export async function storeAnswer(
  db: Kysely<DB>,
  answer: { principalId: string; key: string; operation: string; hash: string; response: string; at: number },
): Promise<void> {
  await storeKey(db, answer);
}

export async function deleteAnswersBefore(db: Kysely<DB>, before: number): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
