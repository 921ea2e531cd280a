// points.ledger.writes_per_s: grants booked per second through the service by keepers booking at
// the same time (CLIENTS of them, each waiting for its answer before the next), each booking with
// its idempotency key, a balance update, a ledger entry and an audit record, answered once its
// commit is durable; against bare single-row SQLite insert transactions (same durability settings)
// in the same run. Bookings arriving together share a commit: points.ledger.writes_per_commit.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { walFlusherOf } from '../src/db/wal-flush.ts';
import { insertHousehold } from '../src/modules/org/households.repository.ts';
import { insertRegion } from '../src/modules/org/regions.repository.ts';
import { bulkGrant } from '../src/modules/points/points-ledger.service.ts';
import { insertRule } from '../src/modules/points/points-rules.repository.ts';
import type { Principal } from '../src/platform/access.ts';
import { SYSTEM_ACTOR } from '../src/platform/audit.ts';
import { groupCommitFor } from '../src/platform/group-commit.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { benchDatabase, postgresSchema } from './load.ts';
import type { BenchResult } from './results.ts';

const HOUSEHOLDS = 1_000;
/** Keepers and devices booking at the same moment (a village's clean-up day, a county's monthly grants). */
const CLIENTS = 16;

function bareInserts(file: string, seconds: number): number {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table t (id text primary key, household text not null, amount integer not null, at integer not null)');
  const insert = db.prepare('insert into t values (?, ?, ?, ?)');
  const one = db.transaction((i: number) => insert.run(uuidv7(), `h${i % HOUSEHOLDS}`, 5, Date.now()));
  let count = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) one(count++);
  db.close();
  return count / seconds;
}

/** Bare single-row insert transactions on PostgreSQL, one after another on one connection (each commit flushed). */
async function bareInsertsPostgres(url: string, seconds: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('create table bare_t (id text primary key, household text not null, amount integer not null, at bigint not null)');
  let count = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    await client.query('insert into bare_t values ($1, $2, $3, $4)', [uuidv7(), `h${count % HOUSEHOLDS}`, 5, Date.now()]);
    count++;
  }
  await client.end();
  return count / seconds;
}

/**
 * On SQLite, and then on PostgreSQL when BENCH_DATABASE_URL is set (a schema of its own, dropped
 * afterwards): points.ledger.writes_per_s.pg against bare PostgreSQL insert transactions.
 */
export async function pointsBench(options: { seconds: number }): Promise<BenchResult[]> {
  const results = await pointsOn(options);
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) return results;
  const schema = await postgresSchema(url, 'points');
  try {
    process.stdout.write('points.ledger on PostgreSQL (one transaction per booking: its WAL flush serves concurrent commits)\n');
    const [writes] = await pointsOn(options, schema.url);
    return [...results, { ...(writes as BenchResult), name: 'points.ledger.writes_per_s.pg', reference: 'postgres.bare_insert_tx_per_s' }];
  } finally {
    await schema.drop();
  }
}

async function pointsOn(options: { seconds: number }, postgresUrl?: string): Promise<BenchResult[]> {
  const { deps, database, dataDir, removeDataDir } = await benchDatabase('points', postgresUrl ? { DATABASE_URL: postgresUrl } : {});
  const now = Date.now();
  const county = await insertRegion(deps.db, { id: uuidv7(), code: '500242', name: '酉阳县', level: 'county' }, now);
  const township = await insertRegion(deps.db, { id: uuidv7(), code: '500242110', name: '涂市镇', level: 'township', parent: county }, now);
  const village = await insertRegion(
    deps.db,
    { id: uuidv7(), code: '500242110201', name: '地灵村', level: 'village', parent: township },
    now,
  );
  const households: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    for (let i = 0; i < HOUSEHOLDS; i++) {
      const id = uuidv7();
      households.push(id);
      await insertHousehold(
        trx,
        id,
        { number: `DL${String(i).padStart(5, '0')}`, headName: `户主${i}`, address: null, phone: null, placement: village.placement },
        now,
      );
    }
  });
  const ruleId = uuidv7();
  await insertRule(
    deps.db,
    ruleId,
    village.placement,
    {
      code: 'labour',
      item: '参加义务劳动',
      itemEn: null,
      category: 'labour',
      points: 5,
      evidenceRequired: false,
      limitPerDay: null,
      limitPerMonth: null,
      limitPerHousehold: null,
      validFrom: null,
      validTo: null,
      active: true,
    },
    now,
  );
  const keeper: Principal = {
    userId: uuidv7(),
    displayName: '冉四海',
    phone: '13800000009',
    personId: null,
    householdId: null,
    assignments: [
      {
        id: uuidv7(),
        role: 'pointsKeeper',
        regionId: village.id,
        regionLevel: 'village',
        regionName: village.name,
        gridId: null,
        gridRegionIds: [],
      },
    ],
  };
  const grant = (i: number) =>
    bulkGrant(deps, keeper, SYSTEM_ACTOR, { ruleId, householdIds: [households[i % HOUSEHOLDS] as string], idempotencyKey: randomUUID() });

  for (let i = 0; i < 200; i++) await grant(i);
  const committer = groupCommitFor(deps.db);
  const before = { ...committer.stats };
  const flusher = walFlusherOf(deps.db);
  const flushesBefore = { count: flusher?.flushes ?? 0, totalMs: flusher?.flushTime.totalMs ?? 0 };
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  let booked = 0;
  const until = performance.now() + options.seconds * 1000;
  const client = async () => {
    while (performance.now() < until) {
      await grant(booked++);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const measured = booked / options.seconds;
  // Where a grant's time went: the main thread's busy share and CPU per grant, and the WAL flushes
  // the keepers waited for meanwhile (SQLite).
  const busy = performance.eventLoopUtilization(eluBefore).utilization;
  const cpu = process.cpuUsage(cpuBefore);
  const flushes = (flusher?.flushes ?? 0) - flushesBefore.count;
  process.stdout.write(
    `  grants: ${((cpu.user + cpu.system) / booked).toFixed(0)} µs of CPU a grant (this process), the main thread busy ${(busy * 100).toFixed(0)} % of the time; ${flushes} WAL flushes of ${(((flusher?.flushTime.totalMs ?? 0) - flushesBefore.totalMs) / Math.max(1, flushes)).toFixed(2)} ms on average\n`,
  );
  const commits = committer.stats.commits - before.commits;
  const perCommit = (committer.stats.writes - before.writes) / Math.max(commits, 1);
  const entries = await deps.db
    .selectFrom('points_ledger')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(entries.n) !== booked + 200) throw new Error(`expected ${booked + 200} ledger entries, found ${entries.n}`);
  await database.close();
  const reference = postgresUrl
    ? await bareInsertsPostgres(postgresUrl, options.seconds)
    : bareInserts(path.join(dataDir, 'bare.db'), options.seconds);
  removeDataDir();
  return [
    {
      name: 'points.ledger.writes_per_s',
      value: measured,
      unit: 'grants/s',
      reference: 'sqlite.bare_insert_tx_per_s',
      referenceValue: reference,
      ratio: measured / reference,
    },
    {
      name: 'points.ledger.writes_per_commit',
      value: perCommit,
      unit: 'grants/commit',
      reference: 'clients',
      referenceValue: CLIENTS,
      ratio: perCommit / CLIENTS,
    },
  ];
}
