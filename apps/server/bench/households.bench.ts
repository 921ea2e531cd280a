// households.list.*: an authenticated household-list request (one page of 20, filtered by village)
// on 100,000 households, against a bare Fastify route in the same run. The same page asked again
// and again comes from the read cache while households, people and regions are unchanged;
// households.list.uncached_rps is the same request with the cache off, read from the database
// every time (what a page asked for the first time, or after a change, costs).
import Fastify from 'fastify';
import { accountCredentials } from '../src/modules/auth/credentials.service.ts';
import type { RegionRecord } from '../src/modules/org/regions.repository.ts';
import { insertRegion } from '../src/modules/org/regions.repository.ts';
import { insertRoleAssignment, insertUser } from '../src/modules/org/users.repository.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { hashPassword } from '../src/platform/passwords.ts';
import { createReadCache } from '../src/platform/read-cache.ts';
import { benchDatabase, listenApp, load } from './load.ts';
import type { BenchResult } from './results.ts';

const HOUSEHOLDS = 100_000;
const TOWNSHIPS = 4;
const VILLAGES_PER_TOWNSHIP = 10;
const GROUPS_PER_VILLAGE = 4;
const PASSWORD = 'Bench2026x';

export async function householdsBench(options: { seconds: number }): Promise<BenchResult[]> {
  const { deps, database, removeDataDir } = await benchDatabase('households');
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
  await accountCredentials.setPassword(deps.db, cadreId, await hashPassword(PASSWORD), now);
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
  ];
}
