// What the poverty module holds of a household, for a member's export (PIPL art. 45).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export async function householdFile(db: Kysely<DB>, householdId: string) {
  const economics = await db
    .selectFrom('poverty_economics')
    .select([
      'year',
      'members',
      'labour',
      'income',
      'income_last12',
      'per_capita_year',
      'per_capita_last12',
      'expenses',
      'assurances',
      'recorded_at',
    ])
    .where('household_id', '=', householdId)
    .orderBy('recorded_at')
    .execute();
  const monitored = await db
    .selectFrom('poverty_monitored')
    .select(['id', 'category', 'status', 'source', 'reasons', 'flagged_at', 'monitored_at', 'removed_at'])
    .where('household_id', '=', householdId)
    .orderBy('flagged_at')
    .execute();
  return {
    economics: economics.map((e) => ({
      year: e.year,
      members: e.members,
      labour: e.labour,
      income: JSON.parse(e.income) as unknown,
      incomeLast12: e.income_last12,
      perCapitaYear: e.per_capita_year,
      perCapitaLast12: e.per_capita_last12,
      expenses: JSON.parse(e.expenses) as unknown,
      assurances: JSON.parse(e.assurances) as unknown,
      recordedAt: Number(e.recorded_at),
    })),
    monitoring: monitored.map((m) => ({
      category: m.category,
      status: m.status,
      source: m.source,
      reasons: JSON.parse(m.reasons) as unknown,
      flaggedAt: Number(m.flagged_at),
      monitoredAt: m.monitored_at === null ? null : Number(m.monitored_at),
      removedAt: m.removed_at === null ? null : Number(m.removed_at),
    })),
  };
}
