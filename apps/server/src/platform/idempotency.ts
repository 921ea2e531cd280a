// Retried writes (a phone on a bad network) do their work once: the key is stored with the
// effect in the same transaction, and a replay returns the first result.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { compiledOnce } from '../db/compiled-once.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from './errors.ts';

export type IdempotencyRequest = {
  principalId: string;
  key: string | undefined;
  /** Names the operation so a key reused for another endpoint is refused too. */
  operation: string;
  payload: unknown;
};

export function requestHash(operation: string, payload: unknown): string {
  return createHash('sha256').update(operation).update('\n').update(stableJson(payload)).digest('hex');
}

export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

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

export async function runIdempotent<T>(
  db: Kysely<DB>,
  request: IdempotencyRequest,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  const { key } = request;
  if (!key) return db.transaction().execute(work);
  const hash = requestHash(request.operation, request.payload);

  const attempt = () =>
    db.transaction().execute(async (trx) => {
      const {
        rows: [stored],
      } = await findKey(trx, { principalId: request.principalId, key });
      if (stored) {
        if (stored.request_hash !== hash) throw new AppError('idempotency_key_reused');
        return JSON.parse(stored.response) as T;
      }
      const result = await work(trx);
      await storeKey(trx, {
        principalId: request.principalId,
        key,
        operation: request.operation,
        hash,
        response: JSON.stringify(result ?? null),
        at: Date.now(),
      });
      return result;
    });

  try {
    return await attempt();
  } catch (error) {
    // A concurrent twin committed the key first: run again, which now finds and returns it.
    if (isUniqueViolation(error)) return attempt();
    throw error;
  }
}

/** Forgets stored answers older than the retention window, and with them whatever they held. */
export async function deleteExpiredKeys(db: Kysely<DB>, before: number): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
