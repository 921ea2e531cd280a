import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createReadCache } from './read-cache.ts';

const region = (id: string, name: string) => ({
  id,
  code: `500${id}`,
  name,
  name_en: null,
  level: 'county' as const,
  parent_id: null,
  county_id: id,
  township_id: null,
  village_id: null,
  sort_order: 0,
  created_at: 1,
  updated_at: 1,
});

/** A fresh SQLite file, its cache and a cached read of the region names counting its reads: each test has its own. */
async function cachedRegions() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-cache-'));
  const database = openDatabase({ sqliteFile: path.join(dir, 'cunzhi.db') });
  opened.push({ dir, database });
  await migrateToLatest(database.db);
  const cache = createReadCache(database.changes);
  const world = {
    dir,
    database,
    cache,
    reads: 0,
    names: async () =>
      (
        await cache.json('regions', ['regions'], async () => {
          world.reads++;
          return (await database.reader.selectFrom('regions').select('name').orderBy('id').execute()).map((r) => r.name);
        })
      ).body.toString(),
  };
  return world;
}

const opened: { dir: string; database: Database }[] = [];

describe('the read cache on the SQLite file', () => {
  afterAll(async () => {
    for (const { dir, database } of opened) {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers again from the cache while the tables read are unchanged, and anew once a change commits', async () => {
    const world = await cachedRegions();
    const { database, cache, names } = world;
    await database.db.insertInto('regions').values(region('1', '酉阳县')).execute();
    expect(await names()).toBe('["酉阳县"]');
    expect(await names()).toBe('["酉阳县"]');
    expect(world.reads).toBe(1);

    // A change to another table leaves the answer standing.
    await database.db
      .insertInto('idempotency_keys')
      .values({ principal_id: 'p', key: 'k', operation: 'o', request_hash: 'h', response: 'null', created_at: 1 })
      .execute();
    expect(await names()).toBe('["酉阳县"]');
    expect(world.reads).toBe(1);

    // While a transaction is open its change is not seen, and not taken for one yet.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const open = database.db.transaction().execute(async (trx) => {
      await trx.insertInto('regions').values(region('2', '秀山县')).execute();
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await names()).toBe('["酉阳县"]');
    release();
    await open;
    expect(await names()).toBe('["酉阳县","秀山县"]');
    expect(world.reads).toBe(2);

    // An update, and a delete (which counts as changing everything), are seen too.
    await database.db.updateTable('regions').set({ name: '酉阳土家族苗族自治县' }).where('id', '=', '1').execute();
    expect(await names()).toBe('["酉阳土家族苗族自治县","秀山县"]');
    await database.db.deleteFrom('idempotency_keys').execute();
    expect(await names()).toBe('["酉阳土家族苗族自治县","秀山县"]');
    expect(world.reads).toBe(4);
    expect(cache.stats()).toMatchObject({ hits: 3, misses: 4, entries: 1 });
  });

  it('reads anew after another process (another connection to the file) has written', async () => {
    const world = await cachedRegions();
    const { database, names } = world;
    await database.db
      .insertInto('regions')
      .values([region('1', '酉阳县'), region('2', '秀山县')])
      .execute();
    expect(await names()).toBe('["酉阳县","秀山县"]');
    expect(await names()).toBe('["酉阳县","秀山县"]');
    expect(world.reads).toBe(1);
    const other = openDatabase({ sqliteFile: path.join(world.dir, 'cunzhi.db') });
    try {
      await other.db.updateTable('regions').set({ name: '酉阳' }).where('id', '=', '1').execute();
    } finally {
      await other.close();
    }
    expect(await names()).toBe('["酉阳","秀山县"]');
    expect(world.reads).toBe(2);
  });

  it('drops the least recently used answers beyond its size', async () => {
    const { database } = await cachedRegions();
    // Each answer takes 54 bytes (52 of JSON, a one-letter key counted twice): two fit, three do not.
    const small = createReadCache(database.changes, 120);
    for (const key of ['a', 'b', 'c']) await small.json(key, ['regions'], async () => 'x'.repeat(50));
    expect(small.stats().entries).toBe(2);
    let read = false;
    await small.json('a', ['regions'], async () => {
      read = true;
      return 'x'.repeat(50);
    });
    expect(read).toBe(true);
  });

  it("tells a page's count of items, also when the page is sent again from the cache", async () => {
    const { cache } = await cachedRegions();
    let reads = 0;
    const page = () => cache.json('page', ['regions'], async () => ({ items: [++reads, 2, 3], nextCursor: null }));
    const first = await page();
    const again = await page();
    expect(reads).toBe(1);
    expect([first.items, again.items]).toEqual([3, 3]);
    expect((await cache.json('text', ['regions'], async () => 'x')).items).toBeUndefined();
    expect((await createReadCache(undefined).json('k', [], async () => ({ items: [] }))).items).toBe(0);
  });

  it('keeps nothing where it cannot see every change (PostgreSQL)', async () => {
    const none = createReadCache(undefined);
    let count = 0;
    for (let i = 0; i < 2; i++) await none.json('k', ['regions'], async () => ++count);
    expect(count).toBe(2);
  });
});
