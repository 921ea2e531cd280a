// households.list.*: an authenticated household-list request (one page of 20, filtered by village)
// on 100,000 households, against a bare Fastify route in the same run. The same page asked again
// and again comes from the read cache while households, people and regions are unchanged;
// households.list.uncached_rps is the same request with the cache off, read from the database
// every time (what a page asked for the first time, or after a change, costs). On PostgreSQL (with
// BENCH_DATABASE_URL) nothing is kept: both figures read anew.
//
// Beside each throughput, the server's CPU time per request (process.cpuUsage around the run) and
// the CPU shares of the server and of autocannon: on two cores the bare route's figure is as much
// the load generator's speed as the server's (autocannon spends more CPU per request than a bare
// Fastify route does), so it swings with whatever else the machine runs; µs per request does less.
// On PostgreSQL the server's µs leave out the database's own CPU (another process).
import Fastify from 'fastify';
import { accountCredentials } from '../src/modules/auth/credentials.service.ts';
import type { RegionRecord } from '../src/modules/org/regions.repository.ts';
import { insertRegion } from '../src/modules/org/regions.repository.ts';
import { insertRoleAssignment, insertUser } from '../src/modules/org/users.repository.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { hashPassword } from '../src/platform/passwords.ts';
import { createReadCache } from '../src/platform/read-cache.ts';
import { alsoOnPostgres, benchDatabase, cpuOf, type LoadResult, listenApp, load } from './load.ts';
import type { BenchResult } from './results.ts';

const HOUSEHOLDS = 100_000;
const TOWNSHIPS = 4;
const VILLAGES_PER_TOWNSHIP = 10;
const GROUPS_PER_VILLAGE = 4;
const PASSWORD = 'Bench2026x';

export function householdsBench(options: { seconds: number }): Promise<BenchResult[]> {
  return alsoOnPostgres('households', (env) => householdsOn(options, env));
}

async function householdsOn(options: { seconds: number }, env: Record<string, string>): Promise<BenchResult[]> {
  const { deps, database, removeDataDir } = await benchDatabase('households', env);
  const now = Date.now();

  // A county of 40 villages and 160 villager groups holding 100,000 households.
  const county = await insertRegion(deps.db, { id: uuidv7(), code: '500242', name: '酉阳县', level: 'county' }, now);
  const groups: RegionRecord[] = [];
  let village: RegionRecord | undefined;
  for (let t = 0; t < TOWNSHIPS; t++) {
    const township = await insertRegion(
      deps.db,
      { id: uuidv7(), code: `500242${100 + t}`, name: `镇${t}`, level: 'township', parent: county },
      now,
    );
    for (let v = 0; v < VILLAGES_PER_TOWNSHIP; v++) {
      const code = `${township.code}${200 + v}`;
      village = await insertRegion(deps.db, { id: uuidv7(), code, name: `村${t}-${v}`, level: 'village', parent: township }, now);
      for (let g = 0; g < GROUPS_PER_VILLAGE; g++) {
        groups.push(
          await insertRegion(
            deps.db,
            { id: uuidv7(), code: `${code}00${g + 1}`, name: `组${g}`, level: 'villagerGroup', parent: village },
            now,
          ),
        );
      }
    }
  }
  const seeded = Date.now();
  await deps.db.transaction().execute(async (trx) => {
    const batch = 500;
    for (let start = 0; start < HOUSEHOLDS; start += batch) {
      const rows = [];
      for (let i = start; i < Math.min(start + batch, HOUSEHOLDS); i++) {
        const group = groups[i % groups.length] as RegionRecord;
        rows.push({
          id: uuidv7(),
          number: `${group.code}-${String(i).padStart(6, '0')}`,
          head_name: `户主${i}`,
          address: null,
          phone: null,
          region_id: group.id,
          village_id: group.placement.villageId,
          township_id: group.placement.townshipId,
          county_id: group.placement.countyId,
          created_at: now,
          updated_at: now,
        });
      }
      await trx.insertInto('households').values(rows).execute();
    }
  });
  process.stdout.write(`  seeded ${HOUSEHOLDS} households in ${((Date.now() - seeded) / 1000).toFixed(1)} s\n`);

  const target = village as RegionRecord;
  const cadreId = uuidv7();
  await insertUser(deps.db, { id: cadreId, phone: '13900000000', displayName: '村干部', personId: null }, now);
  await accountCredentials.setPassword(deps.db, cadreId, await hashPassword(PASSWORD), now, false);
  await insertRoleAssignment(deps.db, { id: uuidv7(), userId: cadreId, role: 'villageCadre', regionId: target.id, gridId: null }, now);

  const { app, url } = await listenApp(deps);
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: '13900000000', password: PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const listUrl = `${url}/api/org/households?regionId=${target.id}&limit=20`;
  const check = (await (await fetch(listUrl, { headers: { cookie } })).json()) as { items: unknown[] };
  if (check.items.length !== 20) throw new Error(`expected a page of 20, got ${check.items.length}`);

  // The same app without the read cache: every request reads the page from the database.
  const { app: uncachedApp, url: uncachedBase } = await listenApp({ ...deps, readCache: createReadCache(undefined) });
  const uncachedUrl = `${uncachedBase}/api/org/households?regionId=${target.id}&limit=20`;
  const uncachedCheck = await (await fetch(uncachedUrl, { headers: { cookie } })).text();
  if (uncachedCheck !== JSON.stringify(check)) throw new Error('the page read anew differs from the kept one');

  const bare = Fastify({ logger: false });
  bare.get('/bare', async () => ({ ok: true }));
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

  // Warm both, then measure.
  await load(`${bareUrl}/bare`, { seconds: 2 });
  await load(listUrl, { seconds: 2, headers: { cookie } });
  const reference = await load(`${bareUrl}/bare`, { seconds: options.seconds });
  const measured = await load(listUrl, { seconds: options.seconds, headers: { cookie } });
  if (measured.non2xx > 0 || measured.errors > 0) throw new Error(`household list failed under load: ${JSON.stringify(measured)}`);
  await load(uncachedUrl, { seconds: 2, headers: { cookie } });
  const uncached = await load(uncachedUrl, { seconds: options.seconds, headers: { cookie } });
  if (uncached.non2xx > 0 || uncached.errors > 0) throw new Error(`household list failed under load: ${JSON.stringify(uncached)}`);
  const { hits, misses } = deps.readCache.stats();
  process.stdout.write(`  read cache: ${hits} hits, ${misses} misses\n`);
  for (const [name, run] of [
    ['bare route', reference],
    ['household list', measured],
    ['household list, read anew', uncached],
  ] as const) {
    const cpu = cpuOf(run);
    process.stdout.write(
      `  ${name}: ${Math.round(run.rps)} req/s, server ${cpu.serverUsPerRequest.toFixed(1)} µs CPU a request, ` +
        `${percent(cpu.serverShare)} of a core; autocannon ${cpu.clientUsPerRequest.toFixed(1)} µs, ${percent(cpu.clientShare)} of a core\n`,
    );
  }

  await bare.close();
  await uncachedApp.close();
  await app.close();
  await database.close();
  removeDataDir();

  return [
    {
      name: 'households.list.rps',
      value: measured.rps,
      unit: 'req/s',
      reference: 'fastify.bare_route.rps',
      referenceValue: reference.rps,
      ratio: measured.rps / reference.rps,
    },
    {
      name: 'households.list.uncached_rps',
      value: uncached.rps,
      unit: 'req/s',
      reference: 'fastify.bare_route.rps',
      referenceValue: reference.rps,
      ratio: uncached.rps / reference.rps,
    },
    {
      name: 'households.list.p99_ms',
      value: measured.p99Ms,
      unit: 'ms',
      reference: 'fastify.bare_route.p99_ms',
      referenceValue: reference.p99Ms,
      ratio: measured.p99Ms / Math.max(reference.p99Ms, 1),
    },
    serverUs('households.list.server_us', measured, reference),
    serverUs('households.list.uncached_server_us', uncached, reference),
    {
      name: 'households.bare_route.server_cpu_share',
      value: cpuOf(reference).serverShare,
      unit: 'cores',
      reference: 'households.bare_route.autocannon_cpu_share',
      referenceValue: cpuOf(reference).clientShare,
      ratio: cpuOf(reference).serverShare / cpuOf(reference).clientShare,
    },
  ];
}

/** The server's CPU time per request (µs) against the bare route's: what the request costs the server. */
function serverUs(name: string, run: LoadResult, reference: LoadResult): BenchResult {
  const value = cpuOf(run).serverUsPerRequest;
  const referenceValue = cpuOf(reference).serverUsPerRequest;
  return { name, value, unit: 'µs/req', reference: 'fastify.bare_route.server_us', referenceValue, ratio: value / referenceValue };
}

const percent = (share: number) => `${Math.round(share * 100)} %`;
