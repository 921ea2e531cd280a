import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * The points bank (积分银行): each village's rule table, household accounts with an append-only
 * ledger, claims with photo evidence, deductions and their appeals, and the shop of goods with
 * redemptions.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const placed = <T extends { addColumn: (...args: any[]) => T }>(table: T): T =>
    table
      .addColumn('village_id', 'text', (c: any) => c.notNull())
      .addColumn('township_id', 'text')
      .addColumn('county_id', 'text');

  await placed(
    db.schema
      .createTable('points_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('item', 'text', (c) => c.notNull())
      .addColumn('item_en', 'text')
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('points', 'integer', (c) => c.notNull())
      .addColumn('evidence_required', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('limit_per_day', 'integer')
      .addColumn('limit_per_month', 'integer')
      .addColumn('limit_per_household', 'integer')
      .addColumn('valid_from', 'bigint')
      .addColumn('valid_to', 'bigint')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('points_rules_village_code').on('points_rules').columns(['village_id', 'code']).unique().execute();

  await placed(
    db.schema
      .createTable('points_accounts')
      .addColumn('household_id', 'text', (c) => c.primaryKey().references('households.id'))
      .addColumn('region_id', 'text', (c) => c.notNull())
      .addColumn('balance', 'integer', (c) => c.notNull().defaultTo(0))
      // The household agreed to be named in public rankings.
      .addColumn('public_name', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'bigint', (c) => c.notNull()),
  ).execute();

  await placed(
    db.schema
      .createTable('points_ledger')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('region_id', 'text', (c) => c.notNull())
      .addColumn('amount', 'integer', (c) => c.notNull())
      .addColumn('balance_after', 'integer', (c) => c.notNull())
      // The household's booking order (its account's version when booked): the balance chain follows it.
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('rule_id', 'text')
      .addColumn('rule_item', 'text')
      .addColumn('category', 'text')
      .addColumn('claim_id', 'text')
      .addColumn('redemption_id', 'text')
      .addColumn('reverses_id', 'text')
      .addColumn('note', 'text')
      .addColumn('actor_user_id', 'text')
      // Local (Asia/Shanghai) year * 100 + month, for statements and rankings.
      .addColumn('month', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('points_ledger_household_idx').on('points_ledger').columns(['household_id', 'seq']).unique().execute();
  await db.schema
    .createIndex('points_ledger_rule_idx')
    .on('points_ledger')
    .columns(['household_id', 'rule_id', 'at'])
    .where(sql.ref('rule_id'), 'is not', null)
    .execute();
  await db.schema.createIndex('points_ledger_village_month_idx').on('points_ledger').columns(['village_id', 'month']).execute();
  // A reversal undoes one entry, once. Partial: the many entries that reverse nothing cost no index write.
  await db.schema
    .createIndex('points_ledger_reverses_idx')
    .on('points_ledger')
    .column('reverses_id')
    .unique()
    .where(sql.ref('reverses_id'), 'is not', null)
    .execute();

  // Append-only below the product too: the database refuses edits and deletes of ledger entries.
  if (dialectOf(db) === 'postgres') {
    await sql`create function points_ledger_refuse_change() returns trigger language plpgsql as $$
      begin raise exception 'points_ledger is append-only'; end $$`.execute(db);
    await sql`create trigger points_ledger_append_only before update or delete on points_ledger
      for each row execute function points_ledger_refuse_change()`.execute(db);
  } else {
    await sql`create trigger points_ledger_no_update before update on points_ledger
      begin select raise(abort, 'points_ledger is append-only'); end`.execute(db);
    await sql`create trigger points_ledger_no_delete before delete on points_ledger
      begin select raise(abort, 'points_ledger is append-only'); end`.execute(db);
  }

  await placed(
    db.schema
      .createTable('points_claims')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('region_id', 'text', (c) => c.notNull())
      .addColumn('rule_id', 'text', (c) => c.notNull().references('points_rules.id'))
      .addColumn('filed_by', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('reviewed_by', 'text')
      .addColumn('reviewed_at', 'bigint')
      .addColumn('ledger_id', 'text')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('points_claims_village_state_idx').on('points_claims').columns(['village_id', 'state', 'id']).execute();
  await db.schema.createIndex('points_claims_household_idx').on('points_claims').columns(['household_id', 'id']).execute();

  await db.schema
    .createTable('points_claim_photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('points_claims.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('file_key', 'text', (c) => c.notNull())
    .addColumn('thumb_key', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('points_claim_photos_claim_idx').on('points_claim_photos').columns(['claim_id', 'id']).execute();

  // A household may appeal a deduction once.
  await db.schema
    .createTable('points_appeals')
    .addColumn('ledger_id', 'text', (c) => c.primaryKey())
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .execute();

  await placed(
    db.schema
      .createTable('points_goods')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text')
      .addColumn('unit', 'text')
      .addColumn('price', 'integer', (c) => c.notNull())
      // Available = received − collected − pending; kept as counters so a redemption is one conditional update.
      .addColumn('received', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('collected', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('pending', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reorder_level', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('photo_key', 'text')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('points_goods_village_idx').on('points_goods').columns(['village_id', 'sort_order']).execute();

  await placed(
    db.schema
      .createTable('points_redemptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
      .addColumn('goods_id', 'text', (c) => c.notNull().references('points_goods.id'))
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('points', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('ledger_id', 'text', (c) => c.notNull())
      .addColumn('cancel_ledger_id', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('handled_by', 'text')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('closed_at', 'bigint'),
  ).execute();
  await db.schema.createIndex('points_redemptions_village_idx').on('points_redemptions').columns(['village_id', 'state', 'id']).execute();
  await db.schema.createIndex('points_redemptions_household_idx').on('points_redemptions').columns(['household_id', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
