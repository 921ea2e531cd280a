// Migrating a PostgreSQL schema while other schemas of the same database come and go, as parallel
// test files and a second installation do: it must neither fail nor touch anything but its own.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestSchema } from '../../test/build-test-app.ts';
import { openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('migrating on PostgreSQL beside neighbours', () => {
  it('migrates its own schema while other schemas are migrated and dropped at the same time', { timeout: 180_000 }, async () => {
    let churning = true;
    // Neighbours: schemas with a table made and dropped over and over while ours migrates.
    const neighbour = async () => {
      while (churning) {
        const { schema, drop } = await createTestSchema(url as string, 'neighbour');
        const database = openDatabase({ url, searchPath: schema });
        try {
          await sql`create table api_keys (id text primary key, name text, scopes text)`.execute(database.db);
        } finally {
          await database.close();
          await drop();
        }
      }
    };
    const neighbours = [neighbour(), neighbour(), neighbour()];
    try {
      const { schema, drop } = await createTestSchema(url as string, 'own');
      const database = openDatabase({ url, searchPath: schema });
      try {
        expect((await migrateToLatest(database.db)).length).toBeGreaterThan(10);
        // Run again and again, it finds every migration done: its bookkeeping is in its own schema.
        for (let round = 0; round < 40; round++) expect(await migrateToLatest(database.db)).toEqual([]);
      } finally {
        await database.close();
        await drop();
      }
    } finally {
      churning = false;
      await Promise.all(neighbours);
    }
  });
});
