// care.*: sustained ingestion of bracelet readings through the HTTP batch path (batches of 100,
// 10,000 elders, alarm rules evaluated) against raw better-sqlite3 inserts of the same rows into
// the same table and indexes in the same batch size; the latency from an SOS reading to its alarm
// on a connected SSE client while readings stream in; and the server's memory at the end.
// The server runs in a child process of its own (care-server.ts: the same app and settings, seeded
// there the same way as before), and care.server.rss_mb is that process's resident memory after the
// ingestion run, read while the twenty duty screens are still connected. The gateways (worker
// threads), the screens' client side, the raw-insert reference and the benches run before stay in
// this process and are no longer counted.
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { uuidv7 } from '../src/platform/ids.ts';
import type { CareServerMemory, CareServerReady, CareServerSpec, CareServerStats } from './care-server.ts';
import { benchDatabase, forkBenchServer, inWorkerThread, postgresSchema } from './load.ts';
import type { BenchResult } from './results.ts';

const ELDERS = 10_000;
const BATCH = 100;
const KEY = 'bench-gateway-key';
/** Twenty duty screens, each its own doctor's (one person may hold at most 8 live streams). */
const SCREENS = 20;
const DOCTORS = { phones: Array.from({ length: SCREENS }, (_, i) => `1380000${String(1000 + i)}`), password: 'Bench2026x' };

/**
 * The gateways' side of the ingestion run, as plain JavaScript for a worker thread. node:http with
 * kept-alive connections rather than fetch: the gateways are other machines, and fetch spent about
 * 1 ms of this machine's CPU per batch (10 µs a reading), taken from the server's two cores.
 */
const GATEWAYS = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, key, serials, seconds, gateways, batch, from, perSecond } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: gateways });
const target = new URL(url + '/api/care/readings');
let sequence = from;
const start = performance.now();
const until = start + seconds * 1000;
function post(body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
        headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
async function gateway() {
  let accepted = 0;
  let sent = 0;
  while (performance.now() < until) {
    // Paced (perSecond readings in all) or as fast as the server answers.
    if (perSecond) {
      const due = start + ((sent * gateways) / perSecond) * 1000;
      if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
    }
    sent += batch;
    const at = new Date(Date.now() - 1000).toISOString();
    const readings = [];
    for (let i = 0; i < batch; i++) {
      const n = sequence++;
      readings.push({ device: serials[n % serials.length], id: 'r' + n, kind: 'heartRate', value: 60 + (n % 40), at });
    }
    accepted += (await post(JSON.stringify({ readings }))).accepted;
  }
  return accepted;
}
Promise.all(Array.from({ length: gateways }, gateway)).then((counts) => {
  agent.destroy();
  parentPort.postMessage(counts.reduce((a, b) => a + b, 0));
});
`;

const runGateways = (data: {
  url: string;
  key: string;
  serials: string[];
  seconds: number;
  gateways: number;
  batch: number;
  from: number;
  perSecond?: number;
}) => inWorkerThread<number>(GATEWAYS, data);

/**
 * `elders`, `alarms` and `loadSeconds` make a smaller run (the test of the bench itself,
 * care.bench.test.ts): by default 10,000 elders, 100 SOS readings and 12 s of background load.
 */
export type CareOptions = { seconds: number; elders?: number; alarms?: number; loadSeconds?: number };

/** On SQLite, and then on PostgreSQL when BENCH_DATABASE_URL is set, with the same figures named `….pg`. */
export async function careBench(options: CareOptions): Promise<BenchResult[]> {
  const results = await careOn(options);
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) return results;
  const [server, reference] = [await postgresSchema(url, 'care'), await postgresSchema(url, 'care_ref')];
  try {
    process.stdout.write('care on PostgreSQL\n');
    const onPostgres = await careOn(options, { server: server.url, reference: reference.url });
    const named = (r: BenchResult) => ({ ...r, name: `${r.name}.pg`, reference: r.reference.replace('sqlite.', 'postgres.') });
    return [...results, ...onPostgres.map(named)];
  } finally {
    await server.drop();
    await reference.drop();
  }
}

/**
 * The same rows straight into the same table and indexes on PostgreSQL, 100 single-row inserts per
 * transaction on one connection (each commit flushed), for `seconds`: rows per second.
 */
async function rawInsertsPostgres(url: string, seconds: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const insert =
    'insert into care_readings (id, device_id, reading_key, elder_person_id, kind, value1, value2, at, received_at) values ($1, $2, $3, $4, $5, $6, null, $7, $8)';
  let written = 0;
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  while (performance.now() < until) {
    await client.query('begin');
    for (let n = written; n < written + BATCH; n++) {
      await client.query(insert, [
        uuidv7(),
        `d${n % ELDERS}`,
        `r${n}`,
        `e${n % ELDERS}`,
        'heartRate',
        60 + (n % 40),
        Date.now(),
        Date.now(),
      ]);
    }
    await client.query('commit');
    written += BATCH;
  }
  const rate = written / ((performance.now() - start) / 1000);
  await client.end();
  return rate;
}

/** The care server forked (care-server.ts) and seeded, and the questions the bench asks it. */
async function startCareServer(elders: number, databaseUrl?: string) {
  const spec: CareServerSpec = { elders, gatewayKey: KEY, doctors: DOCTORS, databaseUrl };
  // BENCH_CPU_PROFILE=<folder>: the server writes a V8 CPU profile of its whole run there (seeding included).
  const profile = process.env.BENCH_CPU_PROFILE;
  // Built, as npm start runs it: without tsx's loader thread (about 33 MB of its memory).
  const { next, ask, close } = await forkBenchServer('care-server.ts', spec, {
    execArgv: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
    // As the README's Production section runs the service: glibc gives back the 16 MB that scrypt
    // takes for each password checked on a thread of libuv's pool, which it otherwise keeps (the
    // twenty duty screens' doctors sign in here: 252 -> 304 MB without it).
    env: { ...process.env, MALLOC_MMAP_THRESHOLD_: '4194304' },
  });
  const ready = await next<CareServerReady>('ready');
  return {
    ...ready,
    stats: () => ask<CareServerStats>('stats', 'stats'),
    memory: () => ask<CareServerMemory>('memory', 'memory'),
    close,
  };
}

async function careOn(options: CareOptions, postgres?: { server: string; reference: string }): Promise<BenchResult[]> {
  const server = await startCareServer(options.elders ?? ELDERS, postgres?.server);
  const { url, serials } = server;
  let sequence = 0;
  const batch = (kind = 'heartRate') =>
    Array.from({ length: BATCH }, () => {
      const n = sequence++;
      return {
        device: serials[n % serials.length],
        id: `r${n}`,
        kind,
        value: 60 + (n % 40),
        at: new Date(Date.now() - 1000).toISOString(),
      };
    });
  const post = async (readings: unknown[]) => {
    const response = await fetch(`${url}/api/care/readings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ readings }),
    });
    const result = (await response.json()) as { accepted: number };
    return result.accepted;
  };

  // Ingestion: four gateways posting batches of 100 back to back, from a worker thread as gateways
  // are other machines: the server's thread does only the server's work.
  for (let i = 0; i < 20; i++) await post(batch());
  const before = await server.stats();
  const started = performance.now();
  const benchCpu = process.cpuUsage();
  const accepted = await runGateways({
    url,
    key: KEY,
    serials,
    seconds: options.seconds,
    gateways: Number(process.env.BENCH_GATEWAYS ?? 16),
    batch: BATCH,
    from: sequence,
  });
  const rate = accepted / ((performance.now() - started) / 1000);
  const after = await server.stats();
  const writesPerCommit = (after.writes - before.writes) / Math.max(1, after.commits - before.commits);
  // Whether the machine or the server's thread was the limit: the cores each process kept busy (of
  // os.availableParallelism()), and how long the WAL flushes took.
  const wall = (performance.now() - started) * 1000;
  const cores = (usage: NodeJS.CpuUsage) => ((usage.user + usage.system) / wall).toFixed(2);
  const flushes = after.flushes.count - before.flushes.count;
  const serverCpu = after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system;
  const active = after.loopTime.activeMs - before.loopTime.activeMs;
  const busy = active / (active + after.loopTime.idleMs - before.loopTime.idleMs);
  process.stdout.write(
    `  ingestion: ${(serverCpu / accepted).toFixed(1)} µs of server CPU a reading, its main thread busy ${(busy * 100).toFixed(0)} % of the time (${((active * 1000) / accepted).toFixed(1)} µs a reading); the server kept ${cores({ user: serverCpu, system: 0 })} cores busy, the gateways and this process ${cores(process.cpuUsage(benchCpu))} (of ${os.availableParallelism()}); ${flushes} WAL flushes of ${((after.flushes.totalMs - before.flushes.totalMs) / Math.max(1, flushes)).toFixed(2)} ms on average\n`,
  );
  sequence += 10_000_000;

  // Alarm latency: SOS readings while a gateway keeps posting, timed to their event on an SSE client.
  const cookies: string[] = [];
  for (const phone of DOCTORS.phones) {
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone, password: DOCTORS.password }),
    });
    if (login.status !== 200) throw new Error(`a duty screen's doctor could not sign in: ${login.status}`);
    cookies.push((login.headers.get('set-cookie') ?? '').split(';')[0] as string);
  }
  const controller = new AbortController();
  /** A duty screen's live stream; refused (a 429 for too many streams), the run is void, not "lost". */
  const connect = async (cookie: string) => {
    const response = await fetch(`${url}/api/events`, { headers: { cookie }, signal: controller.signal });
    if (response.status !== 200) throw new Error(`a duty screen's live stream was refused: ${response.status}`);
    return response;
  };
  // Twenty duty screens connected (the issue's condition), each its doctor's: nineteen that only read, and the one timed.
  const screens = await Promise.all(cookies.slice(1).map(connect));
  const drain = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // closed at the end
    }
  };
  for (const screen of screens) void drain((screen.body as ReadableStream<Uint8Array>).getReader());
  const stream = await connect(cookies[0] as string);
  const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
  const arrivals = new Map<string, number>();
  void (async () => {
    let text = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        for (const match of text.matchAll(/"elderPersonId":"([^"]+)"/g))
          if (!arrivals.has(match[1] as string)) arrivals.set(match[1] as string, performance.now());
        text = text.slice(text.lastIndexOf('\n\n') + 1);
      }
    } catch {
      // closed at the end
    }
  })();
  // 10,000 readings a second from four gateways in the worker, while the SOS readings go in.
  await server.stats();
  const loadStarted = performance.now();
  const load = runGateways({
    url,
    key: KEY,
    serials,
    seconds: options.loadSeconds ?? 12,
    gateways: 4,
    batch: BATCH,
    from: sequence,
    perSecond: 10_000,
  });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const latencies: number[] = [];
  const elders = serials.slice(0, options.alarms ?? 100).map((serial, i) => ({ serial, elder_person_id: server.elderOf[i] as string }));
  let lost = 0;
  for (const device of elders) {
    await new Promise((resolve) => setTimeout(resolve, 40));
    const sent = performance.now();
    await post([{ device: device.serial, id: `sos-${device.serial}`, kind: 'sos', at: new Date().toISOString() }]);
    while (!arrivals.has(device.elder_person_id as string) && performance.now() - sent < 2000)
      await new Promise((resolve) => setTimeout(resolve, 1));
    if (!arrivals.has(device.elder_person_id as string)) lost++;
    latencies.push((arrivals.get(device.elder_person_id as string) ?? performance.now()) - sent);
  }
  const loadAccepted = await load;
  const during = await server.stats();
  for (const slow of during.slowSql?.slice(0, 8) ?? [])
    process.stdout.write(
      `  slow SQL during the SOS run: ${slow.calls} × ${slow.sql.slice(0, 60)}: ${slow.totalMs.toFixed(0)} ms in all, the longest ${slow.maxMs.toFixed(1)}\n`,
    );
  const loadRate = loadAccepted / ((performance.now() - loadStarted) / 1000);
  // The server's memory after the ingestion run, its twenty duty screens still connected.
  const { usage: memory, peakRss, anonymous, files, snapshot } = await server.memory();
  controller.abort();
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)] as number;
  const rssMb = memory.rss / 1_048_576;
  // The shape of the SOS latencies: the p99 of 100 is their second-worst, so one stall decides it.
  const at = (q: number) => (latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * q) - 1)] as number).toFixed(1);
  process.stdout.write(
    `  SOS to screen: p50 ${at(0.5)} ms, p90 ${at(0.9)}, p99 ${at(0.99)}, max ${at(1)}; the five worst ${latencies
      .slice(-5)
      .map((l) => l.toFixed(1))
      .join(
        ', ',
      )}; meanwhile the server's event loop waited at most ${during.loop.maxMs.toFixed(1)} ms (p99 ${during.loop.p99Ms.toFixed(1)}), ${during.gc.pauses} GC pauses, the longest ${during.gc.maxMs.toFixed(1)} ms\n`,
  );
  // Where the server's resident memory is.
  const mb = (bytes: number) => (bytes / 1_048_576).toFixed(0);
  process.stdout.write(
    `  server memory: rss ${mb(memory.rss)} MB (peak ${mb(peakRss)}; anonymous ${mb(anonymous)}, files ${mb(files)}), JS heap used ${mb(memory.heapUsed)} of ${mb(memory.heapTotal)} MB, external ${mb(memory.external)} MB (array buffers ${mb(memory.arrayBuffers)})${snapshot ? `, heap snapshot ${snapshot}` : ''}\n`,
  );
  await server.close();

  // The same rows straight into the same table and indexes, 100 per transaction, on a fresh database.
  const ref = await benchDatabase('care-ref', postgres ? { DATABASE_URL: postgres.reference } : {});
  if (postgres) {
    await ref.database.close();
    const reference = await rawInsertsPostgres(postgres.reference, options.seconds);
    ref.removeDataDir();
    return results(reference);
  }
  await ref.database.close();
  const raw = new BetterSqlite3(path.join(ref.dataDir, 'cunzhi.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  const insert = raw.prepare(
    'insert into care_readings (id, device_id, reading_key, elder_person_id, kind, value1, value2, at, received_at) values (?, ?, ?, ?, ?, ?, null, ?, ?)',
  );
  const many = raw.transaction((rows: number[]) => {
    for (const n of rows)
      insert.run(uuidv7(), `d${n % ELDERS}`, `r${n}`, `e${n % ELDERS}`, 'heartRate', 60 + (n % 40), Date.now(), Date.now());
  });
  let written = 0;
  const refUntil = performance.now() + options.seconds * 1000;
  const refStart = performance.now();
  const refCpu = process.cpuUsage();
  while (performance.now() < refUntil) {
    many(Array.from({ length: BATCH }, (_, i) => written + i));
    written += BATCH;
  }
  const reference = written / ((performance.now() - refStart) / 1000);
  const refUsage = process.cpuUsage(refCpu);
  process.stdout.write(
    `  raw inserts: ${((refUsage.user + refUsage.system) / written).toFixed(1)} µs of CPU a reading, ${((1e6 / reference) * 1).toFixed(1)} µs of time\n`,
  );
  raw.close();
  ref.removeDataDir();
  return results(reference);

  function results(reference: number): BenchResult[] {
    return [
      {
        name: 'care.ingest.readings_per_s',
        value: rate,
        unit: 'readings/s',
        reference: 'sqlite.raw_batch_insert_per_s',
        referenceValue: reference,
        ratio: rate / reference,
      },
      {
        name: 'care.ingest.batches_per_commit',
        value: writesPerCommit,
        unit: 'batches',
        reference: 'gateways',
        referenceValue: 16,
        ratio: writesPerCommit / 16,
      },
      { name: 'care.alarm.p99_ms', value: p99, unit: 'ms', reference: 'goal.p99_ms', referenceValue: 20, ratio: p99 / 20 },
      {
        name: 'care.alarm.lost',
        value: lost,
        unit: 'alarms',
        reference: 'sos.sent',
        referenceValue: elders.length,
        ratio: lost / elders.length,
      },
      {
        name: 'care.alarm.background_readings_per_s',
        value: loadRate,
        unit: 'readings/s',
        reference: 'goal.readings_per_s',
        referenceValue: 10_000,
        ratio: loadRate / 10_000,
      },
      { name: 'care.server.rss_mb', value: rssMb, unit: 'MB', reference: 'goal.rss_mb', referenceValue: 300, ratio: rssMb / 300 },
    ];
  }
}
