import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
    expect(await database.reader.selectFrom('regions').select('name').execute()).toEqual([{ name: '酉阳县' }]);

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
    expect(await database.reader.selectFrom('regions').select('name').execute()).toEqual([{ name: '酉阳县' }]);
    release();
    await expect(open).rejects.toThrow('roll back');
    expect(await database.reader.selectFrom('regions').select('name').execute()).toEqual([{ name: '酉阳县' }]);
  });

  it('refuses writes and transactions on the reader', async () => {
    await expect(database.reader.deleteFrom('regions').execute()).rejects.toThrow();
    await expect(database.reader.transaction().execute(async () => undefined)).rejects.toThrow(/no transactions/);
    expect(await database.db.selectFrom('regions').select('id').execute()).toHaveLength(1);
  });
});
