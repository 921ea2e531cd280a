// Huatian township's health centre in the demo: a dozen elders of Hejiayan village living alone,
// each with a bracelet and a home SOS button, a week of readings, and the centre's gateway key.
import type { Deps } from '../../platform/deps.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { seededRandom } from '../../platform/seeded-random.ts';
import { hashToken } from '../../platform/tokens.ts';
import { createApiKey, principalForApiKey } from '../auth/auth.service.ts';
import { oldestPeopleInVillage } from '../org/people.service.ts';
import { createKeyAccount, userIdByPhone } from '../org/users.service.ts';
import { recordConsentOnFile } from '../privacy/privacy.service.ts';
import { insertDevice, touchDevice } from './care-devices.repository.ts';
import { linkFamily, markActivity, upsertElder } from './care-elders.repository.ts';
import { gatewayDevices } from './care-elders.service.ts';
import { insertReadings, type NewReading } from './care-ingest.repository.ts';
import { gatewaySource, ingest } from './care-ingest.service.ts';
import { insertVisit } from './care-rounds.repository.ts';
import { CareSimulator } from './care-simulator.ts';

/** Listed in the README: the Huatian health centre's device gateway. */
export const DEMO_GATEWAY_KEY = 'demo-gateway-key';
/** Listed in the README: the first demo elder's home speaker (HT-SP-0001) polls for reminders with it. */
export const DEMO_SPEAKER_KEY = 'demo-speaker-key';

const HOUR = 3_600_000;
const number = (index: number) => String(index + 1).padStart(4, '0');

export async function seedDemoCare(deps: Deps, regionsByCode: ReadonlyMap<string, { id: string }>): Promise<number> {
  const huatian = regionsByCode.get('500242208') as { id: string };
  const hejiayan = regionsByCode.get('500242208201') as { id: string };
  const now = deps.now();
  const random = seededRandom(2026_05);
  const doctor = await userIdByPhone(deps, '13800000007');
  const caretaker = await userIdByPhone(deps, '13800000008');
  const family = await userIdByPhone(deps, '13800000012');
  // The oldest registered people of the village are the ones in care.
  const elders = await oldestPeopleInVillage(deps, hejiayan.id, 12);
  let readings = 0;
  await deps.db.transaction().execute(async (trx) => {
    for (const [index, person] of elders.entries()) {
      await upsertElder(
        trx,
        {
          personId: person.id,
          householdId: person.householdId,
          livingSituation: index % 3 === 0 ? '独居，子女在重庆务工' : '老两口同住，子女在外务工',
          conditions: index % 2 === 0 ? ['高血压'] : ['糖尿病'],
          contacts: [{ name: `${person.name.slice(0, 1)}小华`, relation: '子女', phone: `1390000${String(1000 + index)}` }],
          doctorUserId: doctor ?? null,
          caretakerUserId: caretaker ?? null,
          presence: 'home',
          placement: person.placement,
        },
        now,
      );
      const bracelet = uuidv7(now);
      await insertDevice(
        trx,
        { id: bracelet, serial: `HT-BR-${number(index)}`, kind: 'bracelet', elderPersonId: person.id, keyHash: null },
        now,
      );
      await insertDevice(
        trx,
        { id: uuidv7(now), serial: `HT-SOS-${number(index)}`, kind: 'sosButton', elderPersonId: person.id, keyHash: null },
        now,
      );
      await insertDevice(
        trx,
        {
          id: uuidv7(now),
          serial: `HT-SP-${number(index)}`,
          kind: 'speaker',
          elderPersonId: person.id,
          keyHash: index === 0 ? hashToken(DEMO_SPEAKER_KEY) : null,
        },
        now,
      );
      // Each elder signed the health centre's consent form (PIPL art. 29), recorded by the doctor.
      await recordConsentOnFile(trx, { personId: person.id, purpose: 'healthData', recordedBy: doctor ?? null }, now);
      // The demo family member (石敦国) is the first elder's son, linked with her consent.
      if (index === 0 && family) {
        await recordConsentOnFile(trx, { personId: person.id, purpose: 'familyAccess', recordedBy: doctor ?? null }, now);
        await linkFamily(trx, { elderPersonId: person.id, userId: family, linkedBy: doctor ?? family }, now);
      }
      // The caretaker came by every day this week and cooked every third day; today is still to do.
      if (caretaker) {
        for (let day = 1; day <= 6; day++) {
          const visitAt = now - day * 24 * HOUR - 3 * HOUR;
          for (const kind of day % 3 === 0 ? (['visit', 'careRound'] as const) : (['visit'] as const)) {
            await insertVisit(
              trx,
              {
                id: uuidv7(visitAt),
                elderPersonId: person.id,
                placement: person.placement,
                kind,
                byUserId: caretaker,
                at: visitAt,
                note: kind === 'visit' ? '精神不错，按时服药' : '做了午饭，打扫了屋子',
                tasks: kind === 'visit' ? ['bloodPressureTaken', 'medicineChecked'] : ['mealCooked', 'houseCleaned'],
                systolic: null,
                diastolic: null,
              },
              visitAt,
            );
          }
        }
      }
      // A week of a reading every two hours, with the day's steps: the charts have something to show.
      const week: NewReading[] = [];
      let lastAt = now;
      for (let t = now - 7 * 24 * HOUR; t < now; t += 2 * HOUR) {
        const base = index % 2 === 0 ? 138 : 124;
        const points: [string, number, number | null][] = [
          ['heartRate', Math.round(62 + random() * 25), null],
          ['bloodPressure', Math.round(base + random() * 20), Math.round(78 + random() * 12)],
        ];
        if (new Date(t + 8 * HOUR).getUTCHours() === 20) points.push(['steps', Math.round(800 + random() * 4000), null]);
        for (const [kind, value1, value2] of points) {
          week.push({
            id: uuidv7(t),
            deviceId: bracelet,
            readingKey: `${kind}@${t}`,
            elderPersonId: person.id,
            kind,
            value1,
            value2,
            at: t,
          });
        }
        lastAt = t;
      }
      readings += (await insertReadings(trx, week, now)).count;
      await markActivity(trx, person.id, lastAt);
      await touchDevice(trx, bracelet, now - HOUR, Math.round(40 + random() * 60));
    }
  });
  // The gateway acts as the health centre's account, with the doctor role for the township.
  const gatewayUser = await createKeyAccount(deps, {
    phone: 'gateway-huatian',
    displayName: '花田乡卫生院设备网关',
    role: 'doctor',
    regionId: huatian.id,
  });
  await createApiKey(deps, { name: 'Huatian health centre gateway', kind: 'gateway', key: DEMO_GATEWAY_KEY, userId: gatewayUser });
  return readings;
}

/**
 * Runs the demo gateway's virtual devices in this process every 30 seconds (npm start with the
 * demo county). Nothing happens when the demo gateway is not there (a real county's database).
 */
export async function startDemoSimulation(
  deps: Deps,
  log: (line: Record<string, unknown>, message: string) => void,
): Promise<{ stop(): void } | undefined> {
  const gateway = await principalForApiKey(deps, DEMO_GATEWAY_KEY, 'gateway');
  if (!gateway) return undefined;
  const simulator = new CareSimulator(await gatewayDevices(deps, gateway), deps.now());
  let running = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(async () => {
        const readings = simulator.tick(deps.now());
        for (let i = 0; i < readings.length; i += 500) await ingest(deps, gatewaySource(gateway), readings.slice(i, i + 500));
      })
      .catch((error: unknown) => log({ err: error }, 'care simulation batch failed'));
  }, 30_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
