import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dialects, openTestDatabase } from '../../test/build-test-app.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { GroupCommit } from './group-commit.ts';

describe('the group committer', () => {
  let database: Database;

  beforeAll(async () => {
    database = openDatabase({ sqliteFile: ':memory:' });
    await sql`create table writes (name text primary key)`.execute(database.db);
  });
  afterAll(() => database.close());

  const write = (order: string[], name: string) => async (trx: Database['db']) => {
    order.push(name);
    await sql`insert into writes (name) values (${name})`.execute(trx);
    return name;
  };

  it('writes an urgent write first, in a transaction of its own, before the writes queued with it', async () => {
    const committer = new GroupCommit(database.db);
    const order: string[] = [];
    const routine = ['a', 'b', 'c', 'd', 'e'].map((name) => committer.run(write(order, name)));
    const urgent = committer.run(write(order, 'sos'), { urgent: true });
    expect(await Promise.all([...routine, urgent])).toEqual(['a', 'b', 'c', 'd', 'e', 'sos']);
    expect(order).toEqual(['sos', 'a', 'b', 'c', 'd', 'e']);
    expect(committer.stats).toEqual({ commits: 2, writes: 6 });
  });

  it('writes an urgent write that arrives during a round next, and commits it before the rest of the queue', async () => {
    const committer = new GroupCommit(database.db);
    const order: string[] = [];
    let urgent: Promise<string> | undefined;
    const first = committer.run(async (trx) => {
      // Arrives while the round is under way (as a request read between two writes does).
      urgent = committer.run(write(order, 'fall'), { urgent: true });
      return write(order, 'h')(trx);
    });
    const rest = ['i', 'j', 'k'].map((name) => committer.run(write(order, name)));
    expect(await Promise.all([first, ...rest])).toEqual(['h', 'i', 'j', 'k']);
    expect(await urgent).toBe('fall');
    expect(order).toEqual(['h', 'fall', 'i', 'j', 'k']);
    expect(committer.stats).toEqual({ commits: 2, writes: 5 });
  });

  it('tells a write that asked for it once it is committed, before its answer, and never a write that failed', async () => {
    const committer = new GroupCommit(database.db);
    const told: string[] = [];
    const sos = committer.run(write([], 'told-sos'), { urgent: true, committed: () => told.push('committed sos') });
    const failing = committer.run(
      async () => {
        throw new Error('refused');
      },
      { committed: () => told.push('committed failing') },
    );
    const answered = sos.then((name) => told.push(`answered ${name}`));
    await Promise.allSettled([answered, failing]);
    expect(told).toEqual(['committed sos', 'answered told-sos']);
  });

  it('fails the writes queued when no transaction can begin (the database closed), and stops', async () => {
    const closed = {
      transaction: () => ({ execute: () => Promise.reject(new Error('closed')) }),
      getExecutor: () => ({ adapter: {} }),
    } as unknown as Database['db'];
    const committer = new GroupCommit(closed);
    const order: string[] = [];
    const results = await Promise.allSettled([committer.run(write(order, 'x')), committer.run(write(order, 'y'), { urgent: true })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(order).toEqual([]);
    expect(committer.stats).toEqual({ commits: 0, writes: 0 });
  });

  it('writes sixteen writes that arrive together in two commits of eight, so that one is written while the other flushes', async () => {
    const committer = new GroupCommit(database.db);
    const order: string[] = [];
    const names = Array.from({ length: 16 }, (_, i) => `w${i}`);
    expect(await Promise.all(names.map((name) => committer.run(write(order, name))))).toEqual(names);
    expect(order).toEqual(names);
    expect(committer.stats).toEqual({ commits: 2, writes: 16 });
  });

  it('fails a write alone and keeps the others of its commit', async () => {
    const committer = new GroupCommit(database.db);
    const order: string[] = [];
    const results = await Promise.allSettled([
      committer.run(write(order, 'f')),
      committer.run(write(order, 'f')),
      committer.run(write(order, 'g')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committer.stats).toEqual({ commits: 1, writes: 3 });
    const stored = await sql<{ name: string }>`select name from writes where name in ('f', 'g') order by name`.execute(database.db);
    expect(stored.rows).toEqual([{ name: 'f' }, { name: 'g' }]);
  });
});

describe.runIf(dialects.includes('postgres'))('the group committer on PostgreSQL', () => {
  let database: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase('postgres'));
    await sql`create table writes (name text primary key)`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    await drop();
  });

  it('commits an urgent write at once in a transaction of its own while a round is still under way', async () => {
    const committer = new GroupCommit(database.db);
    const order: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A round that has written and not yet committed (its statements still going to the server).
    const routine = committer.run(async (trx) => {
      await sql`insert into writes (name) values ('routine')`.execute(trx);
      order.push('routine');
      await held;
      return 'routine';
    });
    await vi.waitFor(() => expect(order).toEqual(['routine']));
    const told: string[] = [];
    const urgent = committer.run(
      async (trx) => {
        await sql`insert into writes (name) values ('sos')`.execute(trx);
        return 'sos';
      },
      { urgent: true, committed: () => told.push('committed') },
    );
    // Queued behind the open round it would never come: it must not wait for it.
    const sos = await Promise.race([urgent, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 3000))]);
    if (sos !== 'sos') release();
    expect(sos).toBe('sos');
    expect(told).toEqual(['committed']);
    // Committed (another connection sees it) while the round is still open.
    const seen = await sql<{ name: string }>`select name from writes order by name`.execute(database.db);
    expect(seen.rows).toEqual([{ name: 'sos' }]);
    release();
    expect(await routine).toBe('routine');
    const both = await sql<{ name: string }>`select name from writes order by name`.execute(database.db);
    expect(both.rows).toEqual([{ name: 'routine' }, { name: 'sos' }]);
    expect(committer.stats).toEqual({ commits: 2, writes: 2 });
  });
});
