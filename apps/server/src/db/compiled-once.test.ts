import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDatabase } from '../../test/build-test-app.ts';
import { compiledOnce, compiledPerShape } from './compiled-once.ts';
import type { Database } from './database.ts';
import { migrateToLatest } from './migrate.ts';

const insertRegion = compiledOnce((db, slot) =>
  db.insertInto('regions').values({
    id: slot<string>('id'),
    code: slot<string>('code'),
    name: slot<string>('name'),
    name_en: null,
    level: 'county',
    parent_id: null,
    county_id: slot<string>('id'),
    township_id: null,
    village_id: null,
    sort_order: 0,
    created_at: slot<number>('at'),
    updated_at: slot<number>('at'),
  }),
);

const regionNamed = compiledOnce<{ id: string; name: string; level: string }>((db, slot) =>
  db.selectFrom('regions').select(['id', 'name', 'level']).where('name', '=', slot<string>('name')).orderBy('id'),
);

// One text per number of ids asked for; the ids themselves are values (`ids.0`, `ids.1` …).
const regionsAmong = compiledPerShape<{ count: number }, { id: string }>(
  (shape) => String(shape.count),
  (db, slot, shape) =>
    db
      .selectFrom('regions')
      .select('id')
      .where(
        'id',
        'in',
        Array.from({ length: shape.count }, (_, i) => slot<string>(`ids.${i}`)),
      )
      .orderBy('id'),
);
const among = async (db: Database['db'], ids: string[]) => (await regionsAmong(db, { count: ids.length }, { ids })).rows.map((r) => r.id);

describe.each(dialects)('a query compiled once (%s)', (dialect) => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase(dialect));
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database.close();
    await drop();
  });

  it('runs again and again with new values in the slots, and keeps the values built into it', async () => {
    await insertRegion(database.db, { id: 'c1', code: '500242', name: '酉阳县', at: 1 });
    await database.db.transaction().execute((trx) => insertRegion(trx, { id: 'c2', code: '500241', name: '秀山县', at: 2 }));
    const rows = await database.db
      .selectFrom('regions')
      .select(['id', 'code', 'county_id', 'level', 'created_at', 'updated_at'])
      .where('id', 'in', ['c1', 'c2'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => ({ ...r, created_at: Number(r.created_at), updated_at: Number(r.updated_at) }))).toEqual([
      { id: 'c1', code: '500242', county_id: 'c1', level: 'county', created_at: 1, updated_at: 1 },
      { id: 'c2', code: '500241', county_id: 'c2', level: 'county', created_at: 2, updated_at: 2 },
    ]);
    expect((await regionNamed(database.db, { name: '秀山县' })).rows).toEqual([{ id: 'c2', name: '秀山县', level: 'county' }]);
    expect((await regionNamed(database.reader, { name: '酉阳县' })).rows).toEqual([{ id: 'c1', name: '酉阳县', level: 'county' }]);
  });

  it('refuses to run with a value missing rather than bind something else', async () => {
    await expect(insertRegion(database.db, { id: 'c3', code: '500243', at: 3 })).rejects.toThrow(/No value for name/);
    expect(await database.db.selectFrom('regions').select('id').where('id', '=', 'c3').execute()).toEqual([]);
  });

  it('keeps one text per shape and runs each with its own values, reached by dotted names', async () => {
    // Regions of its own: the tests run in any order on one database.
    await insertRegion(database.db, { id: 's1', code: '500251', name: '石柱县', at: 1 });
    await insertRegion(database.db, { id: 's2', code: '500252', name: '彭水县', at: 1 });
    expect(await among(database.db, ['s1'])).toEqual(['s1']);
    expect(await among(database.db, ['s2'])).toEqual(['s2']);
    expect(await among(database.reader, ['s2', 's1'])).toEqual(['s1', 's2']);
    expect(await among(database.db, ['s1', 'nowhere'])).toEqual(['s1']);
    await expect(regionsAmong(database.db, { count: 2 }, { ids: ['s1'] })).rejects.toThrow(/No value for ids.1/);
  });
});
