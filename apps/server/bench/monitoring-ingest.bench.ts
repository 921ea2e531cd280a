// monitoring.snapshots_per_s: how many pushed 1920×1080 snapshots one server takes in over HTTP
// (each checked, masked, re-encoded with a thumbnail, stored and queued) while change detection
// drains the queue in its worker thread, against the same pushes with detection off. Cameras push
// generated street scenes (detection/scenes.ts) from a second thread, so the pushers do not share
// the server's event loop. Also printed: snapshots compared per second meanwhile
// (monitoring.detected_per_s, against the ingest rate: below it, the queue grows). On SQLite, and
// with BENCH_DATABASE_URL on PostgreSQL too (a schema of its own; the pictures stay in the data
// folder), `….pg`.
import { makeCase, renderBaseline, renderSnapshot, SNAPSHOTS_PER_CASE, TUNING_RANGES } from '../src/modules/monitoring/detection/scenes.ts';
import { insertCamera } from '../src/modules/monitoring/monitoring-cameras.repository.ts';
import { closeDetection, runDetection } from '../src/modules/monitoring/monitoring-detection.service.ts';
import { insertRegion } from '../src/modules/org/regions.repository.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { hashToken } from '../src/platform/tokens.ts';
import { alsoOnPostgres, benchDatabase, inWorkerThread, listenApp } from './load.ts';
import type { BenchResult } from './results.ts';

const CAMERAS = 4;
const CONNECTIONS = 4;

/** The cameras' side, as plain JavaScript for a worker thread: each pushes its pictures in turn. */
const PUSHERS = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, cameras, seconds, connections, startAt } = workerData;
const until = performance.now() + seconds * 1000;
let minute = 0;
async function pusher(n) {
  let accepted = 0;
  let i = 0;
  while (performance.now() < until) {
    const camera = cameras[(n + i * connections) % cameras.length];
    const picture = camera.pictures[i % camera.pictures.length];
    i++;
    const capturedAt = new Date(startAt + (minute++) * 1000).toISOString();
    const response = await fetch(url + '/api/monitoring/cameras/' + camera.id + '/snapshots?capturedAt=' + encodeURIComponent(capturedAt), {
      method: 'POST',
      headers: { authorization: 'Bearer ' + camera.key, 'content-type': 'image/jpeg' },
      body: picture,
    });
    await response.arrayBuffer();
    if (response.status === 201) accepted++;
  }
  return accepted;
}
Promise.all(Array.from({ length: connections }, (_, n) => pusher(n))).then((counts) => parentPort.postMessage(counts.reduce((a, b) => a + b, 0)));
`;

type PushCamera = { id: string; key: string; pictures: Uint8Array[] };

const runPushers = (data: { url: string; cameras: PushCamera[]; seconds: number; connections: number; startAt: number }) =>
  inWorkerThread<number>(PUSHERS, data);

export function monitoringIngestBench(options: { seconds: number }): Promise<BenchResult[]> {
  return alsoOnPostgres('monitoring-ingest', (env) => ingestOn(options, env));
}

async function ingestOn(options: { seconds: number }, env: Record<string, string>): Promise<BenchResult[]> {
  const { deps, database, removeDataDir } = await benchDatabase('monitoring', env);
  const now = Date.now();
  const county = await insertRegion(deps.db, { id: uuidv7(), code: '500242', name: '酉阳县', level: 'county' }, now);
  const township = await insertRegion(deps.db, { id: uuidv7(), code: '500242104', name: '大溪镇', level: 'township', parent: county }, now);
  const cameras: PushCamera[] = [];
  for (let i = 0; i < CAMERAS; i++) {
    const scene = makeCase(i % 2 === 0 ? 'structure' : 'passing', 100 + i, TUNING_RANGES);
    const pictures = [await renderBaseline(scene)];
    for (let k = 0; k < SNAPSHOTS_PER_CASE; k++) pictures.push(await renderSnapshot(scene, k));
    const id = uuidv7();
    const key = `cam_bench_${i}_${'x'.repeat(20)}`;
    await insertCamera(deps.db, {
      id,
      name: `集镇${i + 1}号`,
      placement: township.placement,
      latitude: 28.7,
      longitude: 108.7,
      directionDegrees: 90,
      owner: '大溪镇综合行政执法队',
      purpose: 'marketTown',
      publicSignRef: `GS-${i}`,
      retentionDays: 30,
      privacyMasks: scene.privacyMasks.map((m) => m.map((p) => [p.x, p.y] as [number, number])),
      watchArea: scene.watchArea.map((p) => [p.x, p.y] as [number, number]),
      source: 'push',
      snapshotUrl: null,
      streamUrl: null,
      onvifUrl: null,
      credentialsSealed: null,
      pullEverySeconds: null,
      nextPullAt: null,
      lastPullAt: null,
      lastPullError: null,
      pushKeyHash: hashToken(key),
      enabled: true,
      createdBy: 'bench',
      createdAt: now,
      updatedAt: now,
    });
    cameras.push({ id, key, pictures: pictures.map((p) => new Uint8Array(p)) });
  }
  const { app, url } = await listenApp(deps);
  const queued = async () =>
    Number(
      (
        await deps.db
          .selectFrom('monitoring_snapshot_queue')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const compared = async () =>
    Number(
      (
        await deps.db
          .selectFrom('monitoring_detections')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const startAt = now - 7 * 24 * 3_600_000;
  const push = (seconds: number, offset: number) =>
    runPushers({ url, cameras, seconds, connections: CONNECTIONS, startAt: startAt + offset });

  try {
    // Warm-up: the first request of each kind, sharp's first encode, the worker's start.
    await push(2, 0);
    await runDetection(deps);

    // Reference: the same pushes, nothing detecting.
    const plain = (await push(options.seconds, 3_600_000)) / options.seconds;
    // Empty what the reference left, then ingest while detection runs as the job would, back to back.
    while ((await runDetection(deps, { maxBatches: 50 })) > 0);
    const before = await compared();
    let detecting = true;
    const detector = (async () => {
      while (detecting) {
        if ((await runDetection(deps, { batch: 4, maxBatches: 1 })) === 0) await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const started = performance.now();
    const withDetection = (await push(options.seconds, 2 * 3_600_000)) / options.seconds;
    const elapsed = (performance.now() - started) / 1000;
    const detectedPerSecond = ((await compared()) - before) / elapsed;
    detecting = false;
    await detector;
    const backlog = await queued();
    process.stdout.write(`  queue left after the detecting run: ${backlog} snapshots\n`);
    return [
      {
        name: 'monitoring.snapshots_per_s',
        value: withDetection,
        unit: 'snapshots/s',
        reference: `the same 1920×1080 pushes (${CAMERAS} cameras, ${CONNECTIONS} connections) with detection off`,
        referenceValue: plain,
        ratio: withDetection / plain,
      },
      {
        name: 'monitoring.detected_per_s',
        value: detectedPerSecond,
        unit: 'snapshots/s',
        reference: 'snapshots taken in per second meanwhile (below it, the detection queue grows)',
        referenceValue: withDetection,
        ratio: detectedPerSecond / withDetection,
      },
    ];
  } finally {
    await closeDetection();
    await app.close();
    await database.close();
    removeDataDir();
  }
}
