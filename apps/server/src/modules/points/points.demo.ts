// The demo villages' points banks: each keeps a rule table drawn from the seed article (voluntary
// labour 5, honesty 10, bravery 100, attracting investment 5, deductions for breaking village
// rules), a shop of daily goods (washing powder 20, soy sauce 10 …) and three months of history.
import type { Deps } from '../../platform/deps.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { seededRandom } from '../../platform/seeded-random.ts';
import { type HouseholdHead, householdHeadsUnder } from '../org/households.service.ts';
import type { requireRegion } from '../org/regions.service.ts';
import * as ledger from './points-ledger.repository.ts';
import * as ruleRepo from './points-rules.repository.ts';
import * as shop from './points-shop.repository.ts';

type RegionRecord = Awaited<ReturnType<typeof requireRegion>>;

type DemoRule = [
  code: string,
  item: string,
  itemEn: string,
  category: string,
  points: number,
  limits?: { day?: number; month?: number; household?: number; evidence?: boolean },
];

export const DEMO_RULES: DemoRule[] = [
  ['labour', '参加义务劳动', 'Voluntary labour', 'labour', 5, { day: 1, evidence: true }],
  ['road-repair', '参与修路修渠', 'Helping repair roads and ditches', 'labour', 5, { day: 1 }],
  ['cleanup', '参加村庄大扫除', 'Village clean-up day', 'environment', 3, { day: 1 }],
  ['courtyard', '庭院整洁美化', 'A tidy, planted courtyard', 'environment', 5, { month: 1 }],
  ['sorting', '垃圾分类投放', 'Sorting household waste', 'environment', 2, { month: 4 }],
  ['honesty', '拾金不昧', 'Returning lost property', 'honesty', 10, { evidence: true }],
  ['credit', '按时还贷守信', 'Repaying loans on time', 'honesty', 10, { month: 1 }],
  ['bravery', '见义勇为', 'Acting bravely to help others', 'bravery', 100, { evidence: true }],
  ['rescue', '抢险救灾', 'Helping in disaster relief', 'bravery', 20, { day: 1 }],
  ['investment', '招商引资', 'Attracting investment', 'investment', 5, {}],
  ['industry', '发展特色产业', 'Starting a local speciality business', 'investment', 10, { month: 1 }],
  ['elder-care', '孝老爱亲', 'Caring for elders', 'family', 10, { month: 1 }],
  ['family-harmony', '家庭和睦邻里团结', 'Family and neighbourly harmony', 'family', 5, { month: 1 }],
  ['volunteer', '志愿服务', 'Volunteer service', 'civility', 3, { day: 1 }],
  ['meeting', '参加村民大会', 'Attending the village assembly', 'civility', 2, { day: 1 }],
  ['study', '参加农技培训', 'Attending farm training', 'civility', 3, { day: 1 }],
  ['civilized-wedding', '婚事新办丧事简办', 'Simple weddings and funerals', 'civility', 10, { household: 2 }],
  ['mediation', '主动化解纠纷', 'Settling a dispute peacefully', 'civility', 5, { month: 2 }],
  ['litter', '乱扔乱倒垃圾', 'Dumping rubbish', 'violation', -5, {}],
  ['burning', '露天焚烧秸秆', 'Burning straw in the open', 'violation', -10, {}],
  ['illegal-building', '乱搭乱建', 'Unauthorised building', 'violation', -20, {}],
  ['gambling', '参与赌博', 'Gambling', 'violation', -20, {}],
  ['banquet', '大操大办酒席', 'Lavish banquets', 'violation', -10, {}],
];

export const DEMO_GOODS: [name: string, nameEn: string, unit: string, price: number, stock: number][] = [
  ['洗衣粉', 'Washing powder', '袋', 20, 40],
  ['酱油', 'Soy sauce', '瓶', 10, 60],
  ['食醋', 'Vinegar', '瓶', 8, 40],
  ['食盐', 'Salt', '袋', 5, 80],
  ['菜籽油', 'Rapeseed oil', '桶', 60, 15],
  ['卫生纸', 'Toilet paper', '提', 15, 30],
  ['牙膏', 'Toothpaste', '支', 8, 50],
  ['香皂', 'Soap', '块', 5, 50],
  ['洗洁精', 'Dish soap', '瓶', 10, 30],
  ['毛巾', 'Towel', '条', 8, 40],
  ['大米', 'Rice', '袋', 80, 10],
  ['挂面', 'Noodles', '把', 6, 60],
];

/** Pingdiba's households mostly agreed to be named in the public ranking; elsewhere fewer did. */
const PINGDIBA_CODE = '500242105201';
const AGREED_SHARE = { pingdiba: 0.6, other: 0.25 };

/**
 * Rules, goods and three months of grants and redemptions in each demo village, and the households
 * that agreed to be named in the public ranking (the village's public page and the wall screen).
 */
export async function seedDemoPoints(deps: Deps, regionsByCode: Map<string, RegionRecord>, keeperUserId: string): Promise<number> {
  const villages = [...regionsByCode.values()].filter((r) => r.level === 'village');
  const random = seededRandom(2026_11);
  // Drawn apart from the bookings, so that agreeing changes none of the demo's points.
  const agrees = seededRandom(2026_12);
  const now = deps.now();
  let entries = 0;
  // Org's households of each village, by number, asked before the transaction opens.
  const householdsOf = new Map<string, HouseholdHead[]>();
  for (const village of villages) householdsOf.set(village.id, await householdHeadsUnder(deps, village.id));
  await deps.db.transaction().execute(async (trx) => {
    for (const village of villages) {
      const rules: ruleRepo.Rule[] = [];
      for (const [code, item, itemEn, category, points, limits = {}] of DEMO_RULES) {
        const rule = await ruleRepo.insertRule(
          trx,
          uuidv7(now),
          village.placement,
          {
            code,
            item,
            itemEn,
            category,
            points,
            evidenceRequired: limits.evidence ?? false,
            limitPerDay: limits.day ?? null,
            limitPerMonth: limits.month ?? null,
            limitPerHousehold: limits.household ?? null,
            validFrom: null,
            validTo: null,
            active: true,
          },
          now,
        );
        rules.push(rule);
      }
      const goodsIds: { id: string; price: number }[] = [];
      for (const [index, [name, nameEn, unit, price, stock]] of DEMO_GOODS.entries()) {
        const id = uuidv7(now);
        await shop.insertGoods(
          trx,
          id,
          village.placement,
          { name, nameEn, unit, price, reorderLevel: 5, active: true, received: stock, sortOrder: index },
          now,
        );
        goodsIds.push({ id, price });
      }
      const households = householdsOf.get(village.id) ?? [];
      const positive = rules.filter((r) => r.points > 0 && r.points < 50);
      const negative = rules.filter((r) => r.points < 0);
      // Ninety days of conduct, day by day, in time order so that every balance-after is right.
      const bookings: {
        at: number;
        household: HouseholdHead;
        rule?: ruleRepo.Rule;
        goods?: { id: string; price: number };
      }[] = [];
      for (const household of households) {
        const count = 3 + Math.floor(random() * 12);
        for (let i = 0; i < count; i++) {
          const at = now - Math.floor(random() * 90 * 86_400_000);
          const rule = random() < 0.9 ? positive[Math.floor(random() * positive.length)] : negative[Math.floor(random() * negative.length)];
          bookings.push({ at, household, rule });
        }
        if (random() < 0.5)
          bookings.push({ at: now - Math.floor(random() * 30 * 86_400_000), household, goods: goodsIds[Math.floor(random() * 4)] });
      }
      bookings.sort((a, b) => a.at - b.at);
      for (const booking of bookings) {
        const place = { id: booking.household.id, placement: booking.household.placement };
        if (booking.rule) {
          const entry = {
            household: place,
            amount: booking.rule.points,
            rule: booking.rule,
            note: '演示数据',
            actorUserId: keeperUserId,
            at: booking.at,
          };
          if (booking.rule.points > 0) await ledger.book(trx, { ...entry, kind: 'grant' });
          // A deduction never takes a balance below zero, as in the service.
          else if (!(await ledger.book(trx, { ...entry, kind: 'deduction', floorAtZero: true }))) continue;
          entries++;
        } else if (booking.goods && (await shop.reserveStock(trx, booking.goods.id, 1, booking.at))) {
          const redemptionId = uuidv7(booking.at);
          const entry = await ledger.book(trx, {
            household: place,
            amount: -booking.goods.price,
            kind: 'redemption',
            redemptionId,
            actorUserId: keeperUserId,
            at: booking.at,
            floorAtZero: true,
          });
          if (!entry) {
            await shop.releaseStock(trx, booking.goods.id, 1, false, booking.at);
            continue;
          }
          await shop.insertRedemption(
            trx,
            {
              id: redemptionId,
              household: place,
              goodsId: booking.goods.id,
              quantity: 1,
              points: booking.goods.price,
              ledgerId: entry.id,
              createdBy: keeperUserId,
            },
            booking.at,
          );
          // Most redemptions older than a week were collected.
          if (booking.at < now - 7 * 86_400_000) {
            await shop.closeRedemption(trx, redemptionId, 'collected', keeperUserId, booking.at + 86_400_000);
            await shop.releaseStock(trx, booking.goods.id, 1, true, booking.at + 86_400_000);
          }
          entries++;
        }
      }
      // The keeper records the household's agreement (PUT .../public-name); no demo household withdrew it.
      const share = village.code === PINGDIBA_CODE ? AGREED_SHARE.pingdiba : AGREED_SHARE.other;
      // Every household has an account by now (three bookings at least).
      for (const household of households) if (agrees() < share) await ledger.setPublicName(trx, household.id, true);
    }
  });
  return entries;
}
