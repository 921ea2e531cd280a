import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';

describe('the SQLite file with its reader connection', () => {
  let dir: string;
  let database: Database;
  const region = {
    id: 'r1',
    code: '500242',
    name: '酉阳县',
    name_en: null,
    level: 'county' as const,
    parent_id: null,
    county_id: 'r1',
    township_id: null,
    village_id: null,
    sort_order: 0,
    created_at: 1,
    updated_at: 1,
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-db-'));
    database = openDatabase({ sqliteFile: path.join(dir, 'cunzhi.db') });
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sees what the writer committed, and nothing of a transaction still open', async () => {
    expect(database.reader).not.toBe(database.db);
    await database.db.insertInto('regions').values(region).execute();
    expect(await database.reader.selectFrom('regions').select('name').where('id', '=', region.id).execute()).toEqual([{ name: '酉阳县' }]);

    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const open = database.db.transaction().execute(async (trx) => {
      await trx.updateTable('regions').set({ name: '未提交' }).where('id', '=', 'r1').execute();
      await held;
      throw new Error('roll back');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await database.reader.selectFrom('regions').select('name').where('id', '=', region.id).execute()).toEqual([{ name: '酉阳县' }]);
    release();
    await expect(open).rejects.toThrow('roll back');
    expect(await database.reader.selectFrom('regions').select('name').where('id', '=', region.id).execute()).toEqual([{ name: '酉阳县' }]);
  });

  it('refuses writes and transactions on the reader', async () => {
    const own = { ...region, id: 'r9', code: '500299', name: '另一县', county_id: 'r9' };
    await database.db.insertInto('regions').values(own).execute();
    await expect(database.reader.deleteFrom('regions').where('id', '=', own.id).execute()).rejects.toThrow();
    await expect(database.reader.transaction().execute(async () => undefined)).rejects.toThrow(/no transactions/);
    expect(await database.db.selectFrom('regions').select('id').where('id', '=', own.id).execute()).toHaveLength(1);
  });
});

describe('rows read from SQLite', () => {
  const database = openDatabase({ sqliteFile: ':memory:' });
  afterAll(() => database.close());

  it('are plain objects whose keys are the columns, the later of two same-named columns winning, __proto__ a key like any other', async () => {
    const { rows } = await sql<Record<string, unknown>>`select 1 as a, 2 as b, 3 as a, 'x' as "__proto__"`.execute(database.db);
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row)).toEqual(['a', 'b', '__proto__']);
    expect(row.a).toBe(3);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('x');
  });

  it('stream one object per row', async () => {
    await sql`create table numbers (n integer not null)`.execute(database.db);
    await sql`insert into numbers values (1), (2), (3)`.execute(database.db);
    const streamed: unknown[] = [];
    // biome-ignore lint/suspicious/noExplicitAny: a table made by this test alone
    const untyped = database.db as Kysely<any>;
    for await (const row of untyped.selectFrom('numbers').select('n').orderBy('n').stream()) streamed.push(row);
    expect(streamed).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });
});
