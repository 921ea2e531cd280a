// Answers to hot reads (a page of households) kept as the JSON sent, and sent again while none of
// the tables they were read from has changed. Correct, not merely fresh: an answer is stamped with
// its tables' change generations taken before it was read, and a change committed since makes the
// stamp differ. Only where this process is the only writer (SQLite; db/table-changes.ts): on
// PostgreSQL every read is made anew. Answers are kept as UTF-8 bytes: a kept page sent as a string
// was measured for content-length and encoded again on every send (a page of Chinese names is a
// two-byte string), 7-11 µs of a request that otherwise costs the server about 50.
import type { FastifyReply } from 'fastify';
import type { TableChanges } from '../db/table-changes.ts';

type Entry = { stamp: number; body: Buffer; items: number | undefined };

/** An answer as JSON (UTF-8), with how many items it lists when it is a page (`{ items: [...] }`). */
export type CachedJson = { body: Buffer; items: number | undefined };

const itemsOf = (answer: unknown): number | undefined => {
  const items = (answer as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? items.length : undefined;
};

export type ReadCache = {
  /**
   * The JSON for `key`, from the cache if `tables` have not changed since it was made, else from
   * `read`; with its count of items, which a list's audit trace records even when it was kept.
   */
  json(key: string, tables: readonly string[], read: () => Promise<unknown>): Promise<CachedJson>;
  /**
   * A value read from `tables`, kept (as it is, not as JSON) while none of them has changed; undefined
   * where nothing is kept (PostgreSQL): read what is needed then. Meant for a few small values a hot
   * path asks for every time (who withdrew a consent); a new value replaces the kept one.
   */
  value<T>(key: string, tables: readonly string[], read: () => Promise<T>): Promise<T> | undefined;
  /** Counts since start, for the benchmark and for health pages. */
  stats(): { hits: number; misses: number; entries: number; bytes: number };
};

export function createReadCache(changes: TableChanges | undefined, maxBytes = 32 * 1024 * 1024): ReadCache {
  const entries = new Map<string, Entry>();
  const values = new Map<string, { stamp: number; value: Promise<unknown> }>();
  let bytes = 0;
  let hits = 0;
  let misses = 0;
  const forget = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.body.length + key.length * 2;
  };
  return {
    async json(key, tables, read) {
      if (!changes) {
        const answer = await read();
        return { body: Buffer.from(JSON.stringify(answer)), items: itemsOf(answer) };
      }
      const stamp = changes.stamp(tables);
      const entry = entries.get(key);
      if (entry?.stamp === stamp) {
        hits++;
        // Most recently used last: the first key is the one to drop.
        entries.delete(key);
        entries.set(key, entry);
        return entry;
      }
      misses++;
      const answer = await read();
      const made: Entry = { stamp, body: Buffer.from(JSON.stringify(answer)), items: itemsOf(answer) };
      forget(key);
      const size = made.body.length + key.length * 2;
      if (size <= maxBytes) {
        while (bytes + size > maxBytes) forget(entries.keys().next().value as string);
        entries.set(key, made);
        bytes += size;
      }
      return made;
    },
    value<T>(key: string, tables: readonly string[], read: () => Promise<T>) {
      if (!changes) return undefined;
      const stamp = changes.stamp(tables);
      const kept = values.get(key);
      if (kept?.stamp === stamp) return kept.value as Promise<T>;
      const value = read();
      values.set(key, { stamp, value });
      // A failed read is not kept.
      value.catch(() => {
        if (values.get(key)?.value === value) values.delete(key);
      });
      return value;
    },
    stats: () => ({ hits, misses, entries: entries.size, bytes }),
  };
}

/**
 * Sends JSON made earlier (by `ReadCache.json`, or text). Fastify sends it as it is, without the
 * route's response serializer, so it must already be what the schema describes.
 */
export function sendJsonText(reply: FastifyReply, body: string | Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body as never);
}
