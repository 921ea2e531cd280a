// Retried writes (a phone on a bad network) do their work once: the key is stored with the
// effect in the same transaction, and a replay returns the first result.
import { hash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../db/dialect.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from './errors.ts';
import { inSharedCommit } from './group-commit.ts';
import { deleteAnswersBefore, findStoredAnswer, storeAnswer } from './idempotency.repository.ts';

export type IdempotencyRequest = {
  principalId: string;
  key: string | undefined;
  /**
   * A second key the body itself carries (an id the client minted), looked up after `key` and
   * stored with it: the same body under it gets the first answer whatever `key` came with it,
   * another body gets `taken()`. `key` is asked first, so the same key with another body is 422
   * whatever id the body carries.
   */
  bodyKey?: { key: string; taken: () => AppError };
  /** Names the operation so a key reused for another endpoint is refused too. */
  operation: string;
  payload: unknown;
};

export function requestHash(operation: string, payload: unknown): string {
  // One-shot: the same digest of the same bytes as a Hash object fed in three parts, without building one per write.
  return hash('sha256', `${operation}\n${stableJson(payload)}`);
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

export type IdempotentOptions = {
  /**
   * The write shares its commit with writes arriving at the same moment (platform/group-commit.ts):
   * for hot writes such as points bookings. It is answered only once that commit is durable, and
   * fails alone (its savepoint rolled back) when its own work fails.
   */
  sharedCommit?: boolean;
};

export async function runIdempotent<T>(
  db: Kysely<DB>,
  request: IdempotencyRequest,
  work: (trx: Transaction<DB>) => Promise<T>,
  options: IdempotentOptions = {},
): Promise<T> {
  const { key, bodyKey } = request;
  const transaction = <R>(body: (trx: Transaction<DB>) => Promise<R>) =>
    options.sharedCommit ? inSharedCommit(db, body) : db.transaction().execute(body);
  if (!key && !bodyKey) return transaction(work);
  const hash = requestHash(request.operation, request.payload);
  const store = (trx: Transaction<DB>, storedKey: string, response: string) =>
    storeAnswer(trx, { principalId: request.principalId, key: storedKey, operation: request.operation, hash, response, at: Date.now() });

  const attempt = () =>
    transaction(async (trx) => {
      if (key) {
        const stored = await findStoredAnswer(trx, request.principalId, key);
        if (stored) {
          if (stored.requestHash !== hash) throw new AppError('idempotency_key_reused');
          return JSON.parse(stored.response) as T;
        }
      }
      if (bodyKey) {
        const stored = await findStoredAnswer(trx, request.principalId, bodyKey.key);
        if (stored) {
          if (stored.requestHash !== hash) throw bodyKey.taken();
          // The key that came this time holds the answer too: sent again with another body, it is 422.
          if (key) await store(trx, key, stored.response);
          return JSON.parse(stored.response) as T;
        }
      }
      const result = await work(trx);
      const response = JSON.stringify(result ?? null);
      for (const storedKey of [key, bodyKey?.key]) if (storedKey) await store(trx, storedKey, response);
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

/**
 * The first answer under this key, for a use case that checks before its transaction (a version,
 * the step's order): a retry of a write that landed must get its answer, not fail those checks
 * again. Another body under the key is 422 as in runIdempotent, which the write itself still uses.
 */
export async function earlierAnswer<T>(db: Kysely<DB>, request: IdempotencyRequest): Promise<T | undefined> {
  if (!request.key) return undefined;
  const stored = await findStoredAnswer(db, request.principalId, request.key);
  if (!stored) return undefined;
  if (stored.requestHash !== requestHash(request.operation, request.payload)) throw new AppError('idempotency_key_reused');
  return JSON.parse(stored.response) as T;
}

/** Work under a key that has not finished yet, per database: its twins wait for its answer. */
const running = new WeakMap<Kysely<DB>, Map<string, { hash: string; answer: Promise<unknown> }>>();

/**
 * Idempotency around work that owns its commits (care's readings go through group commit): the
 * first answer under the key is returned again, another body under it is 422, and the answer is
 * stored after the work. A twin arriving while the first is still at work waits for the first's
 * answer instead of doing the work again (or gets 422 for another body), so one node answers alike
 * however the twins are timed. Twins racing on two nodes may both do the work, so use it only where
 * the work is itself safe to repeat (readings are stored once per reading id); the second store is
 * dropped.
 */
export async function answerOnce<T>(db: Kysely<DB>, request: IdempotencyRequest, work: () => Promise<T>): Promise<T> {
  if (!request.key) return work();
  const hash = requestHash(request.operation, request.payload);
  const slot = `${request.principalId}\n${request.key}`;
  const atWork = running.get(db) ?? new Map();
  running.set(db, atWork);
  const twin = atWork.get(slot);
  if (twin) {
    if (twin.hash !== hash) throw new AppError('idempotency_key_reused');
    return twin.answer as Promise<T>;
  }
  const answer = firstAnswer(db, request, hash, work);
  atWork.set(slot, { hash, answer });
  try {
    return await answer;
  } finally {
    atWork.delete(slot);
  }
}

async function firstAnswer<T>(db: Kysely<DB>, request: IdempotencyRequest, hash: string, work: () => Promise<T>): Promise<T> {
  const earlier = await earlierAnswer<T>(db, request);
  if (earlier !== undefined) return earlier;
  const result = await work();
  const answer = {
    principalId: request.principalId,
    key: request.key as string,
    operation: request.operation,
    hash,
    response: JSON.stringify(result ?? null),
    at: Date.now(),
  };
  try {
    await storeAnswer(db, answer);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  return result;
}

/** Forgets stored answers older than the retention window, and with them whatever they held. */
export async function deleteExpiredKeys(db: Kysely<DB>, before: number): Promise<number> {
  return deleteAnswersBefore(db, before);
}
