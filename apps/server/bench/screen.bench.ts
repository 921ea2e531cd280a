// The wall screen's server figures on the demo county: screen.section.rps and p99 of a section read
// as a screen reads it (with its key, the section kept), against the same section computed anew
// each time (screen.section.compute_ms, the statistics code's cost); and
// screen.requests_per_minute: how many requests a screen makes in a minute while the village
// writes something every 100 ms (a stream of audited writes moving governance), the events
// being gathered so that a storm of writes is not a storm of refetches. On SQLite, and with
// BENCH_DATABASE_URL on PostgreSQL too (the demo county loaded into a schema of its own), `….pg`.
import { SCREEN_CHANGED_EVENT, SCREEN_SECTIONS } from '@cunzhi/contracts/dashboard';
import { DEMO_STEPS_WITHOUT_CAMERAS, loadDemoCounty } from '../src/demo-county.ts';
import { insertScreenKey } from '../src/modules/dashboard/dashboard-keys.service.ts';
import { computeSection } from '../src/modules/dashboard/dashboard-sections.service.ts';
import { requireRegionByCode } from '../src/modules/org/regions.service.ts';
import { recordAudit, SYSTEM_ACTOR } from '../src/platform/audit.ts';
import { alsoOnPostgres, benchDatabase, listenApp, load } from './load.ts';
import type { BenchResult } from './results.ts';

const KEY = 'bench-screen-key';
const WRITE_EVERY_MS = 100;

export function screenBench(options: { seconds: number }): Promise<BenchResult[]> {
  return alsoOnPostgres('screen', (env) => screenOn(options, env));
}

async function screenOn(options: { seconds: number }, env: Record<string, string>): Promise<BenchResult[]> {
  const { deps, database, removeDataDir } = await benchDatabase('screen-server', env);
  await loadDemoCounty(deps, DEMO_STEPS_WITHOUT_CAMERAS);
  const village = await requireRegionByCode(deps, '500242105201');
  await insertScreenKey(deps.db, { regionId: village.id, name: 'bench', key: KEY, createdBy: null }, deps.now());
  const { app, url } = await listenApp(deps);
  try {
    const headers = { authorization: `ScreenKey ${KEY}` };
    const section = `${url}/api/screen/${village.id}/governance`;
    await fetch(section, { headers });
    const kept = await load(section, { headers, seconds: options.seconds });
    const computeMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      for (const s of SCREEN_SECTIONS) {
        const started = performance.now();
        await computeSection(deps, village, s);
        computeMs.push(performance.now() - started);
      }
    }
    computeMs.sort((a, b) => a - b);
    const computeP99 = computeMs[computeMs.length - 1] as number;

    // A minute of the wall: one stream, a refetch per event, writes every 100 ms.
    const seconds = Math.max(10, options.seconds);
    let requests = 1;
    const events = deps.events.subscribe((event) => {
      if (event.type === SCREEN_CHANGED_EVENT && (event.data as { regionId: string }).regionId === village.id) {
        requests++;
        void fetch(`${url}/api/screen/${village.id}/${(event.data as { section: string }).section}`, { headers }).then((r) =>
          r.arrayBuffer(),
        );
      }
    });
    const until = Date.now() + seconds * 1000;
    let writes = 0;
    while (Date.now() < until) {
      await recordAudit(
        deps.db,
        SYSTEM_ACTOR,
        { action: 'case.create', targetType: 'case', regionId: village.placement.regionId },
        deps.now(),
      );
      writes++;
      await new Promise((resolve) => setTimeout(resolve, WRITE_EVERY_MS));
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    events();
    const perMinute = (requests * 60) / seconds;
    return [
      {
        name: 'screen.section.rps',
        value: kept.rps,
        unit: 'req/s',
        reference: 'none (a section kept until its data changes)',
        referenceValue: kept.rps,
        ratio: 1,
      },
      {
        name: 'screen.section.p99_ms',
        value: kept.p99Ms,
        unit: 'ms',
        reference: 'screen.section.compute_ms (computed anew, slowest of 18)',
        referenceValue: computeP99,
        ratio: Math.max(1, kept.p99Ms) / Math.max(1, computeP99),
      },
      {
        name: 'screen.requests_per_minute',
        value: perMinute,
        unit: 'req/min',
        reference: 'audited writes per minute in the village',
        referenceValue: (writes * 60) / seconds,
        ratio: perMinute / ((writes * 60) / seconds),
      },
    ];
  } finally {
    await app.close();
    await database.close();
    removeDataDir();
  }
}
