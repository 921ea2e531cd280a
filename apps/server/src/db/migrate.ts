import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { dialectOf } from './dialect.ts';
import * as createFoundation from './migrations/202611281540_create_foundation.ts';
import * as createCases from './migrations/202611281640_create_cases.ts';
import * as createApiKeys from './migrations/202611281700_create_api_keys.ts';
import * as createCaseDailyStats from './migrations/202611281730_create_case_daily_stats.ts';
import * as casePhotosNotificationsJobs from './migrations/202611281810_case_photos_notifications_jobs.ts';
import * as caseRollups from './migrations/202611281900_case_rollups.ts';
import * as createPoints from './migrations/202611282000_create_points.ts';
import * as createCare from './migrations/202611282100_create_care.ts';
import * as careRulesRoundsCommands from './migrations/202611282200_care_rules_rounds_commands.ts';
import * as createServices from './migrations/202611282300_create_services.ts';
import * as createNotices from './migrations/202611282330_create_notices.ts';
import * as addApiKeyScopes from './migrations/202612011503_add_api_key_scopes.ts';
import * as createAuditChain from './migrations/202612011513_create_audit_chain.ts';
import * as createUserTotp from './migrations/202612011516_create_user_totp.ts';
import * as forbidAuditTruncate from './migrations/202612011517_forbid_audit_truncate.ts';
import * as createPrivacy from './migrations/202612011519_create_privacy.ts';
import * as createNumberCounters from './migrations/202612011520_create_number_counters.ts';
import * as moveCredentialsToAuth from './migrations/202612012040_move_credentials_to_auth.ts';
import * as addServiceAliases from './migrations/202612012100_add_service_aliases_and_certificate_numbers.ts';
import * as createSmsLoginCodes from './migrations/202612012110_create_sms_login_codes.ts';
import * as addSignInLimits from './migrations/202612020110_add_sign_in_limits.ts';
import * as createMonitoring from './migrations/202612020410_create_monitoring.ts';
import * as createMonitoringEvidenceRequests from './migrations/202612020430_create_monitoring_evidence_requests.ts';
import * as addRegionBoundaries from './migrations/202612020445_add_region_boundaries.ts';
import * as createMonitoringFindings from './migrations/202612020500_create_monitoring_findings.ts';
import * as createPoverty from './migrations/202612020815_create_poverty.ts';
import * as createAgri from './migrations/202612020830_create_agri.ts';
import * as createCareCalls from './migrations/202612020845_create_care_calls.ts';
import * as caseRollupsOpen from './migrations/202612021500_case_rollups_open.ts';
import * as createScreenKeys from './migrations/202612021600_create_screen_keys.ts';
import * as caseAreaRollups from './migrations/202612021700_case_area_rollups.ts';
import * as smsCodesOthersTries from './migrations/202612022110_sms_codes_others_tries.ts';
import * as sessionsSignIn from './migrations/202612030300_sessions_sign_in.ts';
import * as casesReporterPhoneIndex from './migrations/202612030330_cases_reporter_phone_index.ts';
import * as careRemindersFromFamily from './migrations/202612031900_care_reminders_from_family.ts';
import * as credentialsMustChange from './migrations/202612041730_credentials_must_change.ts';

// Listed by hand so the bundle-free ESM build knows every migration; names sort by time.
const migrations: Record<string, Migration> = {
  '202611281540_create_foundation': createFoundation,
  '202611281640_create_cases': createCases,
  '202611281700_create_api_keys': createApiKeys,
  '202611281730_create_case_daily_stats': createCaseDailyStats,
  '202611281810_case_photos_notifications_jobs': casePhotosNotificationsJobs,
  '202611281900_case_rollups': caseRollups,
  '202611282000_create_points': createPoints,
  '202611282100_create_care': createCare,
  '202611282200_care_rules_rounds_commands': careRulesRoundsCommands,
  '202611282300_create_services': createServices,
  '202611282330_create_notices': createNotices,
  '202612011503_add_api_key_scopes': addApiKeyScopes,
  '202612011513_create_audit_chain': createAuditChain,
  '202612011516_create_user_totp': createUserTotp,
  '202612011517_forbid_audit_truncate': forbidAuditTruncate,
  '202612011519_create_privacy': createPrivacy,
  '202612011520_create_number_counters': createNumberCounters,
  '202612012040_move_credentials_to_auth': moveCredentialsToAuth,
  '202612012100_add_service_aliases_and_certificate_numbers': addServiceAliases,
  '202612012110_create_sms_login_codes': createSmsLoginCodes,
  '202612020110_add_sign_in_limits': addSignInLimits,
  '202612020410_create_monitoring': createMonitoring,
  '202612020430_create_monitoring_evidence_requests': createMonitoringEvidenceRequests,
  '202612020445_add_region_boundaries': addRegionBoundaries,
  '202612020500_create_monitoring_findings': createMonitoringFindings,
  '202612020815_create_poverty': createPoverty,
  '202612020830_create_agri': createAgri,
  '202612020845_create_care_calls': createCareCalls,
  '202612021500_case_rollups_open': caseRollupsOpen,
  '202612021600_create_screen_keys': createScreenKeys,
  '202612021700_case_area_rollups': caseAreaRollups,
  '202612022110_sms_codes_others_tries': smsCodesOthersTries,
  '202612030300_sessions_sign_in': sessionsSignIn,
  '202612030330_cases_reporter_phone_index': casesReporterPhoneIndex,
  '202612031900_care_reminders_from_family': careRemindersFromFamily,
  '202612041730_credentials_must_change': credentialsMustChange,
};

export const MIGRATION_NAMES = Object.keys(migrations);

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies pending migrations; returns the names applied (none on a second start). */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // On PostgreSQL the bookkeeping tables are named with the current schema: without it, Kysely's
  // check for them looks in every schema, and a neighbour's schema (parallel test files, or two
  // installations in one database) would make it skip creating its own.
  const schema =
    dialectOf(db) === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({ db: schema ? ownSchemaOnly(db, schema) : db, provider, ...(schema && { migrationTableSchema: schema }) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * The database as Kysely's migrator sees it on PostgreSQL: its look at the tables covers this
 * schema only. Kysely lists every column of every schema to learn whether its two bookkeeping
 * tables exist; a neighbour's schema dropped or altered during that scan (parallel test files, a
 * second installation in the database) fails it ("schema … does not exist", "column … of relation
 * … does not exist"), which made migrating fail at random beside other work.
 */
function ownSchemaOnly(db: Kysely<any>, schema: string): Kysely<any> {
  const introspection = {
    getSchemas: () => db.introspection.getSchemas(),
    getTables: async () =>
      (
        await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${schema}`.execute(db)
      ).rows.map((table) => ({ name: table.name, schema, isView: false, columns: [] })),
    getMetadata: async () => ({ tables: await introspection.getTables() }),
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspection;
      const value = Reflect.get(target, property, target);
      // Kysely's methods use private fields: they run on the database itself, not on this view.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
