import { type Kysely, type SqlBool, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('departments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // A department handler holds the role for one department.
  await db.schema
    .alterTable('role_assignments')
    .addColumn('department_id', 'text', (c) => c.references('departments.id'))
    .execute();

  await db.schema
    .createTable('case_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('county_id', 'text', (c) => c.notNull().references('regions.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('route_to', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text', (c) => c.references('departments.id'))
    .addColumn('deadline_hours', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('case_categories_county_code_unique', ['county_id', 'code'])
    .execute();

  await db.schema
    .createTable('work_calendars')
    .addColumn('county_id', 'text', (c) => c.primaryKey().references('regions.id'))
    .addColumn('calendar', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull().references('case_categories.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id'))
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    .addColumn('latitude', 'real')
    .addColumn('longitude', 'real')
    .addColumn('reporter_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('reporter_household_id', 'text', (c) => c.references('households.id'))
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_phone', 'text')
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('assignee_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('assignee_department_id', 'text', (c) => c.references('departments.id'))
    .addColumn('escalation_level', 'text', (c) => c.notNull())
    .addColumn('return_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deadline_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('assigned_at', 'bigint')
    .addColumn('accepted_at', 'bigint')
    .addColumn('handled_at', 'bigint')
    .addColumn('replied_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('rating', 'integer')
    .addColumn('merged_into_id', 'text', (c) => c.references('cases.id'))
    .addColumn('me_too_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // Queues: a handler's or a department's open cases in deadline order. Partial indexes hold only
  // open cases, so a page reads its 20 rows in order however many cases a handler has closed.
  const open = () => sql<SqlBool>`state in ('received', 'assigned', 'accepted', 'handled')`;
  await db.schema
    .createIndex('cases_open_assignee_idx')
    .on('cases')
    .columns(['assignee_user_id', 'deadline_at', 'id'])
    .where(open)
    .execute();
  await db.schema
    .createIndex('cases_open_department_idx')
    .on('cases')
    .columns(['assignee_department_id', 'deadline_at', 'id'])
    .where(open)
    .execute();
  // Overdue open cases for the statistics: few among many closed ones.
  await db.schema.createIndex('cases_open_deadline_idx').on('cases').columns(['deadline_at']).where(open).execute();
  await db.schema.createIndex('cases_assignee_idx').on('cases').columns(['assignee_user_id', 'state', 'deadline_at']).execute();
  for (const column of ['region_id', 'village_id', 'township_id']) {
    await db.schema.createIndex(`cases_${column}_idx`).on('cases').columns([column, 'state', 'deadline_at']).execute();
  }
  await db.schema.createIndex('cases_created_idx').on('cases').columns(['county_id', 'created_at']).execute();
  await db.schema.createIndex('cases_reporter_idx').on('cases').columns(['reporter_user_id', 'created_at']).execute();

  await db.schema
    .createTable('case_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('note', 'text')
    .addColumn('details', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_events_case_idx').on('case_events').columns(['case_id', 'id']).execute();

  await db.schema
    .createTable('case_me_too')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_me_too_pk', ['case_id', 'household_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
