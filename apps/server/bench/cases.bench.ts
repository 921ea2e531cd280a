// cases.*: a grid worker's queue page and a county's statistics for a year, at a tenth of the
// cases (100,000) and then at all of them (1,000,000), in the same run: the cost's growth for ten
// times the cases is printed beside the figures.
import Fastify from 'fastify';
import { sql } from 'kysely';
import { accountCredentials } from '../src/modules/auth/credentials.service.ts';
import { insertCategory } from '../src/modules/cases/case-categories.repository.ts';
import { rebuildRollups } from '../src/modules/cases/case-rollups.repository.ts';
import { insertGrid, insertRegion, type RegionRecord } from '../src/modules/org/regions.repository.ts';
import { insertRoleAssignment, insertUser } from '../src/modules/org/users.repository.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { hashPassword } from '../src/platform/passwords.ts';
import type { CasesServerSpec, CasesServerStats } from './cases-server.ts';
import { benchDatabase, forkBenchServer, inWorkerThread, load, postgresSchema } from './load.ts';
import type { BenchResult } from './results.ts';

/**
 * The statistics asked for one at a time, 200 times, from a worker thread of the bench's process
 * (a heap of its own, not the seeding's): each request's time in ms.
 */
const STATS_CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const times = [];
  // The first requests of a fresh thread set up its connection and compile its fetch: not timed.
  for (let i = 0; i < 20; i++) await (await fetch(workerData.url, { headers: { cookie: workerData.cookie } })).arrayBuffer();
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    const response = await fetch(workerData.url, { headers: { cookie: workerData.cookie } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error('statistics answered ' + response.status);
    times.push(performance.now() - started);
  }
  parentPort.postMessage(times);
})().catch((error) => parentPort.postMessage({ error: String(error) }));
`;

/** p99 by nearest rank (the second slowest of 200, so that one pause of a loaded machine is not the figure). */
async function statsSamples(url: string, cookie: string) {
  const times = await inWorkerThread<number[] | { error: string }>(STATS_CLIENT, { url, cookie });
  if (!Array.isArray(times)) throw new Error(times.error);
  times.sort((a, b) => a - b);
  return {
    p99Ms: times[Math.ceil(times.length * 0.99) - 1] as number,
    medianMs: times[times.length / 2] as number,
    worst: times.slice(-5).map((t) => t.toFixed(1)),
  };
}

/** The app as a process of its own on the seeded data (cases-server.ts), and the questions the bench asks it. */
async function startCasesServer(spec: CasesServerSpec) {
  const server = await forkBenchServer('cases-server.ts', spec);
  const { url } = await server.next<{ type: 'ready'; url: string }>('ready');
  return { url, stats: () => server.ask<CasesServerStats>('stats', 'stats'), close: server.close };
}

const DEFAULT_CASES = Number(process.env.BENCH_CASES ?? 1_000_000);
const PASSWORD = 'Bench2026x';
const DAY = 24 * 3_600_000;

/**
 * On SQLite, and then on PostgreSQL when BENCH_DATABASE_URL is set (in a schema of its own,
 * dropped afterwards), with the same figures named `….pg`.
 */
/** `cases`: how many at the full count (BENCH_CASES or 1,000,000; the test of the bench runs it small). */
export type CasesOptions = { seconds: number; cases?: number };

export async function casesBench(options: CasesOptions): Promise<BenchResult[]> {
  const results = await casesOn(options, {});
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) return results;
  const schema = await postgresSchema(url, 'cases');
  try {
    process.stdout.write('cases on PostgreSQL\n');
    const onPostgres = await casesOn(options, { DATABASE_URL: schema.url });
    return [...results, ...onPostgres.map((r) => ({ ...r, name: `${r.name}.pg` }))];
  } finally {
    await schema.drop();
  }
}

async function casesOn(options: CasesOptions, env: Record<string, string>): Promise<BenchResult[]> {
  const CASES = options.cases ?? DEFAULT_CASES;
  const { deps, database, dataDir, removeDataDir } = await benchDatabase('cases', env);
  const now = Date.now();
  const passwordHash = await hashPassword(PASSWORD);

  const county = await insertRegion(deps.db, { id: uuidv7(), code: '500242', name: '酉阳县', level: 'county' }, now);
  const groups: RegionRecord[] = [];
  const workers: { userId: string; groups: RegionRecord[] }[] = [];
  let phone = 13_900_000_000;
  for (let t = 0; t < 4; t++) {
    const township = await insertRegion(
      deps.db,
      { id: uuidv7(), code: `500242${100 + t}`, name: `镇${t}`, level: 'township', parent: county },
      now,
    );
    for (let v = 0; v < 10; v++) {
      const village = await insertRegion(
        deps.db,
        { id: uuidv7(), code: `${township.code}${200 + v}`, name: `村${t}-${v}`, level: 'village', parent: township },
        now,
      );
      const villageGroups: RegionRecord[] = [];
      for (let g = 0; g < 4; g++) {
        villageGroups.push(
          await insertRegion(
            deps.db,
            { id: uuidv7(), code: `${village.code}00${g + 1}`, name: `组${g}`, level: 'villagerGroup', parent: village },
            now,
          ),
        );
      }
      groups.push(...villageGroups);
      for (let k = 0; k < 2; k++) {
        const gridId = uuidv7();
        const members = villageGroups.slice(k * 2, k * 2 + 2);
        await insertGrid(deps.db, { id: gridId, name: `网格${k}`, villageId: village.id, regionIds: members.map((m) => m.id) }, now);
        const userId = uuidv7();
        await insertUser(deps.db, { id: userId, phone: String(phone++), displayName: '网格员', personId: null }, now);
        await accountCredentials.setPassword(deps.db, userId, passwordHash, now, false);
        await insertRoleAssignment(deps.db, { id: uuidv7(), userId, role: 'gridWorker', regionId: village.id, gridId }, now);
        workers.push({ userId, groups: members });
      }
    }
  }
  const adminId = uuidv7();
  await insertUser(deps.db, { id: adminId, phone: '13800000001', displayName: '县管理员', personId: null }, now);
  await accountCredentials.setPassword(deps.db, adminId, passwordHash, now, false);
  await insertRoleAssignment(deps.db, { id: uuidv7(), userId: adminId, role: 'countyAdmin', regionId: county.id, gridId: null }, now);
  const categoryIds: string[] = [];
  for (let c = 0; c < 6; c++) {
    const id = uuidv7();
    categoryIds.push(id);
    await insertCategory(
      deps.db,
      {
        id,
        countyId: county.id,
        code: `c${c}`,
        name: `分类${c}`,
        nameEn: null,
        routeTo: 'grid',
        departmentId: null,
        deadlineHours: 24,
        active: true,
        sortOrder: c,
      },
      now,
    );
  }
  const workerOfGroup = new Map(workers.flatMap((w) => w.groups.map((g) => [g.id, w.userId] as const)));

  const open = ['received', 'assigned', 'accepted', 'handled'];
  /** Cases number `from` to `to` - 1 of CASES, spread over the past year, then the roll-ups rebuilt. */
  const seed = async (from: number, to: number) => {
    const seeded = Date.now();
    await deps.db.transaction().execute(async (trx) => {
      const batch = 200;
      for (let start = from; start < to; start += batch) {
        const rows = [];
        for (let i = start; i < Math.min(start + batch, to); i++) {
          const group = groups[i % groups.length] as RegionRecord;
          const createdAt = now - Math.floor((((i * 7919) % CASES) / CASES) * 365 * DAY);
          // One case in twenty is still open, spread evenly over the handlers.
          const isOpen = Math.floor(i / groups.length) % 20 === 0;
          const closedAt = isOpen ? null : createdAt + 2 * DAY;
          rows.push({
            id: uuidv7(),
            number: `B${i}`,
            source: i % 3 === 0 ? 'appeal' : 'villagerVoice',
            channel: 'app',
            category_id: categoryIds[i % categoryIds.length] as string,
            title: '事项',
            description: '基准测试数据',
            region_id: group.id,
            village_id: group.placement.villageId,
            township_id: group.placement.townshipId,
            county_id: group.placement.countyId,
            latitude: null,
            longitude: null,
            reporter_user_id: null,
            reporter_household_id: null,
            reporter_name: null,
            reporter_phone: null,
            anonymous: 0,
            state: isOpen ? (open[i % open.length] as string) : 'closed',
            assignee_user_id: workerOfGroup.get(group.id) ?? null,
            assignee_department_id: null,
            escalation_level: 'grid',
            return_count: 0,
            deadline_at: createdAt + 3 * DAY,
            answered_at: i % 7 === 0 ? createdAt : null,
            assigned_at: createdAt,
            accepted_at: createdAt + DAY,
            handled_at: isOpen ? null : createdAt + DAY,
            replied_at: isOpen ? null : createdAt + (i % 50 === 0 ? 4 : 2) * DAY,
            closed_at: closedAt,
            rating: isOpen ? null : 4 + (i % 2),
            merged_into_id: null,
            me_too_count: 0,
            version: 0,
            created_at: createdAt,
            updated_at: createdAt,
          });
        }
        await trx.insertInto('cases').values(rows).execute();
      }
    });
    await rebuildRollups(deps.db);
    // A county's cases come over years, not in three minutes: the seeding's WAL is copied into the
    // database before measuring, rather than by the checkpointer while the statistics are timed.
    if (database.dialect === 'sqlite') await sql`pragma wal_checkpoint(truncate)`.execute(deps.db);
    process.stdout.write(
      `  seeded ${to - from} cases (${to} in all) and rebuilt the roll-ups in ${((Date.now() - seeded) / 1000).toFixed(1)} s\n`,
    );
  };
  const tenth = Math.round(CASES / 10);
  await seed(0, tenth);

  // A year of whole local days, as the statistics page asks for it.
  const midnight = (ms: number) => Math.floor((ms + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000;
  const from = new Date(midnight(now) - 365 * DAY).toISOString();
  const to = new Date(midnight(now) + DAY).toISOString();
  const statsPath = `/api/cases/statistics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

  const bare = Fastify({ logger: false });
  bare.get('/bare', async () => ({ ok: true }));
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

  /** The queue under load, then the statistics, from a server of its own on the cases seeded so far. */
  const measure = async (count: number) => {
    const server = await startCasesServer({ dataDir, databaseUrl: env.DATABASE_URL });
    try {
      const { url } = server;
      const cookieOf = async (phoneNumber: string) => {
        const response = await fetch(`${url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ phone: phoneNumber, password: PASSWORD }),
        });
        if (response.status !== 200) throw new Error(`bench login failed: ${response.status}`);
        return (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
      };
      const workerCookie = await cookieOf('13900000000');
      const adminCookie = await cookieOf('13800000001');
      const queueUrl = `${url}/api/cases?limit=20`;
      const statsUrl = `${url}${statsPath}`;
      const answer = (await (await fetch(statsUrl, { headers: { cookie: adminCookie } })).json()) as { totals: { received: number } };
      if (answer.totals.received < count * 0.99) throw new Error(`statistics counted ${answer.totals.received} of ${count}`);
      const queue = (await (await fetch(queueUrl, { headers: { cookie: workerCookie } })).json()) as { items: unknown[] };
      // A full page of 20 once the worker has that many open (100,000 cases give each worker hundreds).
      const full = count >= 100_000 ? 20 : 1;
      if (queue.items.length < full || queue.items.length > 20) throw new Error(`expected a queue page of 20, got ${queue.items.length}`);

      await load(queueUrl, { seconds: 2, headers: { cookie: workerCookie } });
      const queueLoad = await load(queueUrl, { seconds: options.seconds, headers: { cookie: workerCookie } });
      if (queueLoad.non2xx > 0 || queueLoad.errors > 0) throw new Error(`queue failed under load: ${JSON.stringify(queueLoad)}`);
      await server.stats();
      const statsLoad = await statsSamples(statsUrl, adminCookie);
      const during = await server.stats();
      process.stdout.write(
        `  at ${count} cases: queue ${queueLoad.rps.toFixed(0)} req/s, p99 ${queueLoad.p99Ms} ms; statistics p99 ${statsLoad.p99Ms.toFixed(1)} ms, median ${statsLoad.medianMs.toFixed(1)} ms, the five slowest ${statsLoad.worst.join(', ')}; meanwhile the server's event loop waited at most ${during.loopMaxMs.toFixed(1)} ms, ${during.gc.pauses} GC pauses, the longest ${during.gc.maxMs.toFixed(1)} ms\n`,
      );
      return { queueLoad, statsLoad };
    } finally {
      await server.close();
    }
  };
  const small = await measure(tenth);
  await seed(tenth, CASES);
  await load(`${bareUrl}/bare`, { seconds: 2 });
  const reference = await load(`${bareUrl}/bare`, { seconds: options.seconds });
  const { queueLoad, statsLoad } = await measure(CASES);

  await bare.close();
  await database.close();
  removeDataDir();

  const goal = 20;
  const growthGoal = 1.5;
  const share = `${CASES / tenth}x cases`;
  // p99 at the full count and at a tenth of it against the goal, and the growth between them.
  const p99Figures = (kind: 'queue' | 'stats', p99Ms: number, tenthP99Ms: number): BenchResult[] => [
    { name: `cases.${kind}.p99_ms`, value: p99Ms, unit: 'ms', reference: 'goal.p99_ms', referenceValue: goal, ratio: p99Ms / goal },
    {
      name: `cases.${kind}.p99_ms.at_${tenth}`,
      value: tenthP99Ms,
      unit: 'ms',
      reference: 'goal.p99_ms',
      referenceValue: goal,
      ratio: tenthP99Ms / goal,
    },
    {
      name: `cases.${kind}.growth`,
      value: p99Ms / tenthP99Ms,
      unit: `p99 / p99 at ${share}`,
      reference: 'goal.growth',
      referenceValue: growthGoal,
      ratio: p99Ms / tenthP99Ms / growthGoal,
    },
  ];
  return [
    {
      name: 'cases.queue.rps',
      value: queueLoad.rps,
      unit: 'req/s',
      reference: 'fastify.bare_route.rps',
      referenceValue: reference.rps,
      ratio: queueLoad.rps / reference.rps,
    },
    ...p99Figures('queue', queueLoad.p99Ms, small.queueLoad.p99Ms),
    ...p99Figures('stats', statsLoad.p99Ms, small.statsLoad.p99Ms),
  ];
}
