// The care bench's server, as a process of its own (care.bench.ts forks this file): the whole app
// with production settings on a fresh database, the elders with a bracelet each, a gateway key
// and the duty screens' doctors (as the bench asks), listening on 127.0.0.1. Everything the server holds (its
// caches, the group committer, the per-elder state, the duty screens' SSE streams) is in this
// process and nothing else is: the gateways, the screens' client side and the raw-insert reference
// stay in the bench's process, so that this process's resident memory is the server's
// (care.server.rss_mb).
//
// Messages from the bench: 'stats' (the group committer's commits and writes), 'memory'
// (process.memoryUsage(), the peak resident set and its anonymous and file-backed parts; with
// BENCH_HEAP_SNAPSHOT=<folder> also /proc/self/smaps, V8's heap spaces and a heap snapshot, written
// there after the figures are read), 'close'.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { walFlusherOf } from '../src/db/wal-flush.ts';
import { createApiKey } from '../src/modules/auth/auth.service.ts';
import { accountCredentials } from '../src/modules/auth/credentials.service.ts';
import { insertDevice } from '../src/modules/care/care-devices.repository.ts';
import { upsertElder } from '../src/modules/care/care-elders.repository.ts';
import { insertPerson } from '../src/modules/org/people.repository.ts';
import { insertRegion } from '../src/modules/org/regions.repository.ts';
import { insertRoleAssignment, insertUser } from '../src/modules/org/users.repository.ts';
import { groupCommitFor } from '../src/platform/group-commit.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { hashPassword } from '../src/platform/passwords.ts';
import { benchDatabase, listenApp, watchPauses } from './load.ts';
import { watchSlowSql } from './slow-sql.ts';

/** What the bench asks for (the first argument, as JSON); without databaseUrl the server runs on SQLite. */
/**
 * `doctors`: the duty screens' people, each a doctor of the township with the same password. Twenty
 * screens are twenty people: one person may hold at most 8 live-event streams (events.routes.ts).
 */
export type CareServerSpec = { elders: number; gatewayKey: string; doctors: { phones: string[]; password: string }; databaseUrl?: string };

/** What the server tells the bench once it listens: its URL, and the bracelets' serials with their elders. */
export type CareServerReady = { type: 'ready'; url: string; serials: string[]; elderOf: string[] };
export type CareServerMemory = {
  type: 'memory';
  usage: NodeJS.MemoryUsage;
  peakRss: number;
  anonymous: number;
  files: number;
  snapshot?: string;
};
/**
 * The group committer's commits and writes so far; and since the last 'stats', the event loop's
 * longest delay and its p99 (ms), and the garbage collector's pauses (how many, the longest, ms).
 */
export type CareServerStats = {
  type: 'stats';
  commits: number;
  writes: number;
  loop: { maxMs: number; p99Ms: number };
  gc: { pauses: number; maxMs: number };
  /** The WAL flushes so far (SQLite): how many, their time in all and the longest (ms). */
  flushes: { count: number; totalMs: number; maxMs: number };
  /** The server process's CPU time so far (µs, user and system, all its threads). */
  cpu: NodeJS.CpuUsage;
  /** The main thread's time so far running (activeMs) and waiting for work (idleMs). */
  loopTime: { activeMs: number; idleMs: number };
  /** With BENCH_SLOW_SQL_MS: the SQLite calls that took longer, by statement. */
  slowSql?: { sql: string; calls: number; totalMs: number; maxMs: number }[];
};

const send = (message: CareServerReady | CareServerMemory | CareServerStats | { type: 'closed' }) =>
  new Promise<void>((resolve, reject) => process.send?.(message, (error: Error | null) => (error ? reject(error) : resolve())));

/**
 * From /proc/self/status, in bytes: the most resident memory this process had at any moment (VmHWM),
 * and how much of the resident memory now is anonymous (heaps: V8's, malloc's, SQLite's page cache)
 * and how much mapped files (node's binary, libraries).
 */
function residentFigures(): { peakRss: number; anonymous: number; files: number } {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))?.[1] ?? 0) * 1024;
  return { peakRss: kb('VmHWM'), anonymous: kb('RssAnon'), files: kb('RssFile') };
}

const slowSqlMs = Number(process.env.BENCH_SLOW_SQL_MS ?? 0);
const slowSql = slowSqlMs > 0 ? watchSlowSql(slowSqlMs) : undefined;
const spec = JSON.parse(process.argv[2] as string) as CareServerSpec;
// The duty screens sign in together from one address: more than the default 20 sign-ins a minute.
const { deps, database, removeDataDir } = await benchDatabase('care', {
  LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
  ...(spec.databaseUrl ? { DATABASE_URL: spec.databaseUrl } : {}),
});
const now = Date.now();
const county = await insertRegion(deps.db, { id: uuidv7(), code: '500242', name: '酉阳县', level: 'county' }, now);
const township = await insertRegion(deps.db, { id: uuidv7(), code: '500242208', name: '花田乡', level: 'township', parent: county }, now);
const village = await insertRegion(
  deps.db,
  { id: uuidv7(), code: '500242208201', name: '何家岩村', level: 'village', parent: township },
  now,
);
const serials: string[] = [];
const elderOf: string[] = [];
await deps.db.transaction().execute(async (trx) => {
  for (let i = 0; i < spec.elders; i++) {
    const personId = uuidv7();
    await insertPerson(
      trx,
      personId,
      {
        householdId: null,
        name: `老人${i}`,
        gender: null,
        birthDate: '1940-01-01',
        relation: null,
        phone: null,
        placement: village.placement,
      },
      now,
    );
    await upsertElder(
      trx,
      {
        personId,
        householdId: null,
        livingSituation: '独居',
        conditions: [],
        contacts: [],
        doctorUserId: null,
        caretakerUserId: null,
        presence: 'home',
        placement: { ...village.placement, regionId: village.id },
      },
      now,
    );
    const serial = `BN-${String(i).padStart(6, '0')}`;
    await insertDevice(trx, { id: uuidv7(), serial, kind: 'bracelet', elderPersonId: personId, keyHash: null }, now);
    serials.push(serial);
    elderOf.push(personId);
  }
});
const gatewayId = uuidv7();
const passwordHash = await hashPassword(spec.doctors.password);
await insertUser(deps.db, { id: gatewayId, phone: 'bench-gateway', displayName: '网关', personId: null }, now);
await accountCredentials.setPassword(deps.db, gatewayId, passwordHash, now, false);
await insertRoleAssignment(deps.db, { id: uuidv7(), userId: gatewayId, role: 'doctor', regionId: township.id, gridId: null }, now);
for (const [i, phone] of spec.doctors.phones.entries()) {
  const doctorId = uuidv7();
  await insertUser(deps.db, { id: doctorId, phone, displayName: `值班医生${i + 1}`, personId: null }, now);
  await accountCredentials.setPassword(deps.db, doctorId, passwordHash, now, false);
  await insertRoleAssignment(deps.db, { id: uuidv7(), userId: doctorId, role: 'doctor', regionId: township.id, gridId: null }, now);
}
await createApiKey(deps, { name: 'bench gateway', kind: 'gateway', key: spec.gatewayKey, userId: gatewayId });

const { app, url } = await listenApp(deps);
const committer = groupCommitFor(deps.db);
const pauses = watchPauses();

process.on('message', async (message: 'stats' | 'memory' | 'close') => {
  if (message === 'stats') {
    const since = { ...pauses.since(), slowSql: slowSql?.() };
    const flusher = walFlusherOf(deps.db);
    const elu = performance.eventLoopUtilization();
    const flushes = { count: flusher?.flushes ?? 0, ...(flusher?.flushTime ?? { totalMs: 0, maxMs: 0 }) };
    await send({
      type: 'stats',
      ...committer.stats,
      ...since,
      flushes,
      cpu: process.cpuUsage(),
      loopTime: { activeMs: elu.active, idleMs: elu.idle },
    });
  } else if (message === 'memory') {
    const figures = { usage: process.memoryUsage(), ...residentFigures() };
    const folder = process.env.BENCH_HEAP_SNAPSHOT;
    if (folder) {
      fs.writeFileSync(`${folder}/care-server-${process.pid}.smaps`, fs.readFileSync('/proc/self/smaps'));
      fs.writeFileSync(`${folder}/care-server-${process.pid}.heap-spaces.json`, JSON.stringify(v8.getHeapSpaceStatistics(), null, 1));
    }
    const snapshot = folder ? v8.writeHeapSnapshot(`${folder}/care-server-${process.pid}.heapsnapshot`) : undefined;
    await send({ type: 'memory', ...figures, snapshot });
  } else if (message === 'close') {
    await app.close();
    await database.close();
    removeDataDir();
    await send({ type: 'closed' });
    process.disconnect();
  }
});
await send({ type: 'ready', url, serials, elderOf });
