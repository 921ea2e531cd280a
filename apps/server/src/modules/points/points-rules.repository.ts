import type { Kysely } from 'kysely';
import { compiledOnce } from '../../db/compiled-once.ts';
import type { DB, PointsRuleTable } from '../../db/schema.ts';
import type { Placement } from '../../platform/access.ts';
import { villageColumns, villagePlacement } from './points.repository.ts';

export type Rule = {
  id: string;
  villageId: string;
  code: string;
  item: string;
  itemEn: string | null;
  category: string;
  points: number;
  evidenceRequired: boolean;
  limitPerDay: number | null;
  limitPerMonth: number | null;
  limitPerHousehold: number | null;
  validFrom: number | null;
  validTo: number | null;
  active: boolean;
  placement: Placement;
};

const toRule = (r: PointsRuleTable): Rule => ({
  id: r.id,
  villageId: r.village_id,
  code: r.code,
  item: r.item,
  itemEn: r.item_en,
  category: r.category,
  points: r.points,
  evidenceRequired: r.evidence_required === 1,
  limitPerDay: r.limit_per_day,
  limitPerMonth: r.limit_per_month,
  limitPerHousehold: r.limit_per_household,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  active: r.active === 1,
  placement: villagePlacement(r),
});

export type RuleWrite = Omit<Rule, 'id' | 'placement' | 'villageId'>;

export async function listRules(db: Kysely<DB>, villageId: string): Promise<Rule[]> {
  const rows = await db
    .selectFrom('points_rules')
    .selectAll()
    .where('village_id', '=', villageId)
    .orderBy('category')
    .orderBy('code')
    .execute();
  return rows.map(toRule);
}

const ruleQuery = compiledOnce<PointsRuleTable>((db, slot) =>
  db.selectFrom('points_rules').selectAll().where('id', '=', slot<string>('id')),
);

export async function findRule(db: Kysely<DB>, id: string): Promise<Rule | undefined> {
  const {
    rows: [row],
  } = await ruleQuery(db, { id });
  return row && toRule(row);
}

const ruleColumns = (rule: RuleWrite) => ({
  code: rule.code,
  item: rule.item,
  item_en: rule.itemEn,
  category: rule.category,
  points: rule.points,
  evidence_required: rule.evidenceRequired ? 1 : 0,
  limit_per_day: rule.limitPerDay,
  limit_per_month: rule.limitPerMonth,
  limit_per_household: rule.limitPerHousehold,
  valid_from: rule.validFrom,
  valid_to: rule.validTo,
  active: rule.active ? 1 : 0,
});

export async function insertRule(db: Kysely<DB>, id: string, village: Placement, rule: RuleWrite, now: number): Promise<Rule> {
  const row: PointsRuleTable = { id, ...villageColumns(village), ...ruleColumns(rule), created_at: now, updated_at: now };
  await db.insertInto('points_rules').values(row).execute();
  return toRule(row);
}

/** The rule as changed, or nothing if there is no such rule. */
export async function updateRule(db: Kysely<DB>, id: string, rule: RuleWrite, now: number): Promise<Rule | undefined> {
  const row = await db
    .updateTable('points_rules')
    .set({ ...ruleColumns(rule), updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toRule(row);
}
