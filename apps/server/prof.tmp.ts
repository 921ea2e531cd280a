import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from './src/app.ts';
import { loadConfig } from './src/config.ts';
import { insertRegion } from './src/modules/org/regions.repository.ts';
import { insertRoleAssignment, insertUser } from './src/modules/org/users.repository.ts';
import { prepare } from './src/platform/bootstrap.ts';
import { uuidv7 } from './src/platform/ids.ts';
import { hashPassword } from './src/platform/passwords.ts';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
const { deps } = await prepare(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'production' }));
const now = Date.now();
const county = await insertRegion(deps.db, { id: uuidv7(), code: '500242', name: 'c', level: 'county' }, now);
const t = await insertRegion(deps.db, { id: uuidv7(), code: '500242100', name: 't', level: 'township', parent: county }, now);
const villages = [];
for (let v = 0; v < 40; v++) villages.push(await insertRegion(deps.db, { id: uuidv7(), code: `500242100${200 + v}`, name: 'v', level: 'village', parent: t }, now));
await deps.db.transaction().execute(async (trx) => {
  for (let s = 0; s < 100000; s += 500) {
    const rows = [];
    for (let i = s; i < s + 500; i++) { const v = villages[i % 40]; rows.push({ id: uuidv7(), number: `${v.code}-${String(i).padStart(6,'0')}`, head_name: 'x', address: null, phone: null, region_id: v.id, village_id: v.id, township_id: t.id, county_id: county.id, created_at: now, updated_at: now }); }
    await trx.insertInto('households').values(rows).execute();
  }
});
const uid = uuidv7();
await insertUser(deps.db, { id: uid, phone: '13900000000', displayName: 'x', passwordHash: await hashPassword('Bench2026x'), personId: null }, now);
await insertRoleAssignment(deps.db, { id: uuidv7(), userId: uid, role: 'villageCadre', regionId: villages[3].id, gridId: null }, now);
const app = await buildApp(deps, { logger: false });
const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: '13900000000', password: 'Bench2026x' } });
const cookie = `cz_session=${login.cookies[0].value}`;
const url = `/api/org/households?regionId=${villages[3].id}&limit=20`;
for (let i = 0; i < 500; i++) await app.inject({ url, headers: { cookie } });
import inspector from 'node:inspector/promises';
const session = new inspector.Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const t0 = performance.now();
for (let i = 0; i < 5000; i++) await app.inject({ url, headers: { cookie } });
console.log('ms/req', (performance.now() - t0) / 5000);
const { profile } = await session.post('Profiler.stop');
fs.mkdirSync('/tmp/prof2', { recursive: true });
fs.writeFileSync('/tmp/prof2/x.cpuprofile', JSON.stringify(profile));
import { listHouseholds } from './src/modules/org/households.repository.ts';
const scope = { countyIds: [], townshipIds: [], villageIds: [villages[3].id], regionIds: [], householdIds: [] };
let t1 = performance.now();
for (let i = 0; i < 3000; i++) await listHouseholds(deps.db, { scope, region: villages[3], limit: 20 });
console.log('repo list µs', ((performance.now() - t1) / 3000) * 1000);
