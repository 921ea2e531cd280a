// Pingdiba's notices in the demo: households known for keeping chickens or monitored for poverty,
// the village loudspeaker, two notices already pushed (one urgent) and one scheduled for tomorrow.
import type { Deps } from '../../platform/deps.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { seededRandom } from '../../platform/seeded-random.ts';
import { householdIdsUnder } from '../org/households.service.ts';
import type { requireRegion } from '../org/regions.service.ts';
import { insertNotice } from './notices.repository.ts';
import { addHouseholdTrait } from './notices-audiences.repository.ts';
import { insertLoudspeaker } from './notices-loudspeakers.service.ts';
import { pushDueNotices } from './notices-push.service.ts';

/** Listed in the README: Pingdiba's village loudspeaker fetches what it should read aloud with it. */
export const DEMO_LOUDSPEAKER_KEY = 'demo-loudspeaker-key';

type RegionRecord = Awaited<ReturnType<typeof requireRegion>>;

/** `cadreUserId`: Pingdiba's village cadre (13800000003), who wrote the notices. */
export async function seedDemoNotices(deps: Deps, regionsByCode: Map<string, RegionRecord>, cadreUserId: string): Promise<number> {
  const village = regionsByCode.get('500242105201') as RegionRecord;
  const now = deps.now();
  const random = seededRandom(2026_11);
  const households = await householdIdsUnder(deps, village.id);
  await deps.db.transaction().execute(async (trx) => {
    for (const householdId of households) {
      const draw = random();
      if (draw < 0.3) await addHouseholdTrait(trx, householdId, 'keepsChickens');
      if (draw > 0.93) await addHouseholdTrait(trx, householdId, 'monitoredForPoverty');
    }
    await insertLoudspeaker(trx, village.id, '平地坝村委会广播', DEMO_LOUDSPEAKER_KEY, now);
    const notice = (title: string, body: string, urgent: boolean, scheduledAt: number, traits: string[] = []) =>
      insertNotice(trx, {
        id: uuidv7(now),
        title,
        body,
        urgent,
        audience: { regionIds: [village.id], gridIds: [], traits, personIds: [] },
        attachments: [],
        state: 'scheduled',
        scheduledAt,
        sentAt: null,
        expiresAt: null,
        recipients: 0,
        createdBy: cadreUserId,
        createdAt: now,
        placement: village.placement,
      });
    await notice('秋冬季森林防火通知', '进入森林防火期，严禁野外用火、烧荒和祭祀烧纸，发现火情请立即拨打12119。', false, now);
    await notice('禽流感防疫提醒', '请养鸡户于本周内到村卫生室领取疫苗，为鸡群接种，发现病死禽请勿食用并及时报告。', false, now, [
      'keepsChickens',
    ]);
    await notice('暴雨橙色预警', '今晚至明天有大暴雨，请住在山脚和河边的村民注意防范山洪和地质灾害，必要时转移到村委会。', true, now);
    await notice(
      '城乡居民医保缴费提醒',
      '2027年度城乡居民医保缴费将于12月31日截止，可在“渝快办”或村便民服务站缴纳。',
      false,
      now + 24 * 3_600_000,
    );
  });
  return pushDueNotices(deps);
}
