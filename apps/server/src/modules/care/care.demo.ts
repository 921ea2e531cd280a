// Huatian township's health centre in the demo: a dozen elders of Hejiayan village living alone,
// each with a bracelet and a home SOS button, a week of readings, and the centre's gateway key.
import { randomBytes } from 'node:crypto';
import type { Deps } from '../../platform/deps.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { seededRandom } from '../../platform/seeded-random.ts';
import { createApiKey } from '../auth/auth.service.ts';
import type { RegionRecord } from '../org/regions.repository.ts';
import { insertRoleAssignment, insertUser } from '../org/users.repository.ts';
import * as repo from './care.repository.ts';

/** Listed in the README: the Huatian health centre's device gateway. */
export const DEMO_GATEWAY_KEY = 'demo-gateway-key';

const HOUR = 3_600_000;

export async function seedDemoCare(deps: Deps, regionsByCode: Map<string, RegionRecord>): Promise<number> {
  const huatian = regionsByCode.get('500242208') as RegionRecord;
  const hejiayan = regionsByCode.get('500242208201') as RegionRecord;
  const now = deps.now();
  const random = seededRandom(2026_05);
  const doctor = await deps.db.selectFrom('users').select('id').where('phone', '=', '13800000007').executeTakeFirst();
  const caretaker = await deps.db.selectFrom('users').select('id').where('phone', '=', '13800000008').executeTakeFirst();
  // The oldest registered people of the village are the ones in care.
  const elders = await deps.db
    .selectFrom('people')
    .select(['id', 'household_id', 'region_id', 'village_id', 'township_id', 'county_id', 'name'])
    .where('village_id', '=', hejiayan.id)
    .where('birth_date', 'is not', null)
    .orderBy('birth_date')
    .limit(12)
    .execute();
  let readings = 0;
  await deps.db.transaction().execute(async (trx) => {
    for (const [index, person] of elders.entries()) {
      await repo.upsertElder(
        trx,
        {
          personId: person.id,
          householdId: person.household_id,
          livingSituation: index % 3 === 0 ? '独居，子女在重庆务工' : '老两口同住，子女在外务工',
          conditions: index % 2 === 0 ? ['高血压'] : ['糖尿病'],
          contacts: [{ name: `${person.name.slice(0, 1)}小华`, relation: '子女', phone: `1390000${String(1000 + index)}` }],
          doctorUserId: doctor?.id ?? null,
          caretakerUserId: caretaker?.id ?? null,
          presence: 'home',
          placement: {
            regionId: person.region_id,
            villageId: person.village_id,
            townshipId: person.township_id,
            countyId: person.county_id,
          },
        },
        now,
      );
      const bracelet = uuidv7(now);
      await repo.insertDevice(
        trx,
        { id: bracelet, serial: `HT-BR-${String(index + 1).padStart(4, '0')}`, kind: 'bracelet', elderPersonId: person.id },
        now,
      );
      await repo.insertDevice(
        trx,
        { id: uuidv7(now), serial: `HT-SOS-${String(index + 1).padStart(4, '0')}`, kind: 'sosButton', elderPersonId: person.id },
        now,
      );
      // A week of a reading every two hours, with the day's steps: the charts have something to show.
      for (let t = now - 7 * 24 * HOUR; t < now; t += 2 * HOUR) {
        const base = index % 2 === 0 ? 138 : 124;
        const points: [string, number, number | null][] = [
          ['heartRate', Math.round(62 + random() * 25), null],
          ['bloodPressure', Math.round(base + random() * 20), Math.round(78 + random() * 12)],
        ];
        if (new Date(t + 8 * HOUR).getUTCHours() === 20) points.push(['steps', Math.round(800 + random() * 4000), null]);
        for (const [kind, value1, value2] of points) {
          await repo.insertReading(
            trx,
            { id: uuidv7(t), deviceId: bracelet, readingKey: `${kind}@${t}`, elderPersonId: person.id, kind, value1, value2, at: t },
            now,
          );
          readings++;
        }
        await repo.markActivity(trx, person.id, t);
      }
      await repo.touchDevice(trx, bracelet, now - HOUR, Math.round(40 + random() * 60));
    }
  });
  // The gateway acts as the health centre's account, with the doctor role for the township.
  const gatewayUser = uuidv7(now);
  const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
  await deps.db.transaction().execute(async (trx) => {
    await insertUser(
      trx,
      { id: gatewayUser, phone: 'gateway-huatian', displayName: '花田乡卫生院设备网关', passwordHash, personId: null },
      now,
    );
    await insertRoleAssignment(trx, { id: uuidv7(now), userId: gatewayUser, role: 'doctor', regionId: huatian.id, gridId: null }, now);
  });
  await createApiKey(deps, { name: 'Huatian health centre gateway', kind: 'gateway', key: DEMO_GATEWAY_KEY, userId: gatewayUser });
  return readings;
}
