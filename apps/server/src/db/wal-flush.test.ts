import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { transactionFlushedLater, WAL_AUTOCHECKPOINT_PAGES, walFlusherOf } from './wal-flush.ts';

const synchronousOf = async (database: Database) =>
  (await sql<{ synchronous: number }>`pragma synchronous`.execute(database.db)).rows[0]?.synchronous;

describe('commits flushed off the event loop (SQLite file)', () => {
  let dir: string;
  let file: string;
  let database: Database;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-wal-'));
    file = path.join(dir, 'cunzhi.db');
    database = openDatabase({ sqliteFile: file });
    await sql`create table notes (id integer primary key, text text not null)`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits, says when the commit is on disk, and sets the connection back to FULL', async () => {
    const flusher = walFlusherOf(database.db);
    expect(flusher).toBeDefined();
    const before = flusher?.flushes ?? 0;
    const { value, durable } = await transactionFlushedLater(database.db, async (trx) => {
      await sql`insert into notes (id, text) values (1, 'one')`.execute(trx);
      // Inside the transaction the connection commits without flushing (the flush comes after), and
      // does no checkpoint of its own, which must not run unflushed.
      expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(trx)).rows[0]?.synchronous).toBe(0);
      expect((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(trx)).rows[0]?.wal_autocheckpoint).toBe(0);
      return 'done';
    });
    expect(value).toBe('done');
    await durable;
    expect(flusher?.flushes).toBe(before + 1);
    expect(await synchronousOf(database)).toBe(2);
    expect((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db)).rows[0]?.wal_autocheckpoint).toBe(
      WAL_AUTOCHECKPOINT_PAGES,
    );
    expect((await sql<{ text: string }>`select text from notes where id = 1`.execute(database.reader)).rows).toEqual([{ text: 'one' }]);
  });

  it('rolls back a failed transaction, flushes nothing for it and sets the connection back to FULL', async () => {
    const flusher = walFlusherOf(database.db);
    const before = flusher?.flushes ?? 0;
    await expect(
      transactionFlushedLater(database.db, async (trx) => {
        await sql`insert into notes (id, text) values (2, 'two')`.execute(trx);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(flusher?.flushes).toBe(before);
    expect(await synchronousOf(database)).toBe(2);
    expect((await sql`select id from notes where id = 2`.execute(database.db)).rows).toEqual([]);
  });

  it('runs every other transaction with FULL, even one waiting while a flushed-later one is open', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const later = transactionFlushedLater(database.db, async (trx) => {
      await sql`insert into notes (id, text) values (3, 'three')`.execute(trx);
      await held;
    });
    const other = database.db.transaction().execute(async (trx) => {
      await sql`insert into notes (id, text) values (4, 'four')`.execute(trx);
      return (await sql<{ synchronous: number }>`pragma synchronous`.execute(trx)).rows[0]?.synchronous;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await (await later).durable;
    expect(await other).toBe(2);
  });

  it('answers every commit of a burst once a flush that began after it is done', async () => {
    const commits = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        transactionFlushedLater(database.db, (trx) => sql`insert into notes (id, text) values (${100 + i}, 'burst')`.execute(trx)),
      ),
    );
    await Promise.all(commits.map((c) => c.durable));
    expect((await sql<{ n: number }>`select count(*) as n from notes where text = 'burst'`.execute(database.db)).rows).toEqual([{ n: 10 }]);
    // What was acknowledged is in the file: a new connection after closing this one reads it.
    await database.close();
    database = openDatabase({ sqliteFile: file });
    expect((await sql<{ n: number }>`select count(*) as n from notes where text = 'burst'`.execute(database.db)).rows).toEqual([{ n: 10 }]);
  });
});

describe('commits flushed later where each commit flushes itself', () => {
  it('says at once that an in-memory commit is done', async () => {
    const database = openDatabase({ sqliteFile: ':memory:' });
    expect(walFlusherOf(database.db)).toBeUndefined();
    await sql`create table notes (id integer primary key)`.execute(database.db);
    const { durable } = await transactionFlushedLater(database.db, (trx) => sql`insert into notes (id) values (1)`.execute(trx));
    await durable;
    expect((await sql`select id from notes`.execute(database.db)).rows).toEqual([{ id: 1 }]);
    await database.close();
  });
});
