import type { ColumnType } from 'kysely';

/** Epoch milliseconds; PostgreSQL int8 is parsed to number (see dialect.ts). */
type Millis = number;
/** 0/1 integers: portable booleans for SQLite and PostgreSQL. */
type Flag = number;

export type RegionLevel = 'county' | 'township' | 'village' | 'villagerGroup';

export interface RegionTable {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  level: RegionLevel;
  parent_id: string | null;
  county_id: string | null;
  township_id: string | null;
  village_id: string | null;
  sort_order: number;
  /** GeoJSON Polygon or MultiPolygon in WGS84, as JSON text. */
  boundary: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface GridTable {
  id: string;
  name: string;
  village_id: string;
  created_at: Millis;
}

export interface GridGroupTable {
  grid_id: string;
  region_id: string;
}

/** Ancestry copied from the region a record is attached to, so scope filters are indexed equalities. */
interface Placed {
  region_id: string;
  village_id: string | null;
  township_id: string | null;
  county_id: string | null;
}

export interface HouseholdTable extends Placed {
  id: string;
  number: string;
  head_name: string;
  address: string | null;
  phone: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface PersonTable extends Placed {
  id: string;
  household_id: string | null;
  name: string;
  gender: 'male' | 'female' | null;
  birth_date: string | null;
  relation: string | null;
  phone: string | null;
  id_number_enc: string | null;
  id_number_hash: string | null;
  id_number_masked: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface UserTable {
  id: string;
  phone: string;
  display_name: string;
  person_id: string | null;
  disabled: ColumnType<Flag, Flag | undefined, Flag>;
  created_at: Millis;
  updated_at: Millis;
}

export interface RoleAssignmentTable {
  id: string;
  user_id: string;
  role: string;
  region_id: string;
  grid_id: string | null;
  department_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Millis;
}

/** Auth's: an account's password and its lockout. An account without a row has no password. */
export interface CredentialTable {
  user_id: string;
  password_hash: string;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: Millis | null;
  updated_at: Millis;
  /** 1 while the password is one an administrator set and the account has not changed it. */
  must_change: ColumnType<Flag, Flag | undefined, Flag>;
}

export interface SessionTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Millis;
  last_seen_at: Millis;
  ip: string | null;
  user_agent: string | null;
  /** 1 while a staff account that must use a second factor has not enrolled: the session may only enrol. */
  enrol_only: ColumnType<Flag, Flag | undefined, Flag>;
  /** A code sign-in that chose to stay signed in: the session lasts until then, however idle. */
  stays_until: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  /** How it signed in: 'password', 'password_totp' or 'sms_code'; null for sessions opened before it was kept. */
  sign_in: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Auth's: each request for a sign-in code by text, a code sent or not (see the migration). */
export interface SmsLoginCodeTable {
  id: string;
  phone: string;
  ip: string;
  user_id: string | null;
  code_hash: string | null;
  /** Wrong tries from the address that asked for the code: five end it. */
  attempts: ColumnType<number, number | undefined, number>;
  /** Wrong tries from any other address: five stop other addresses from trying it. */
  others_attempts: ColumnType<number, number | undefined, number>;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
}

export interface LoginFailureTable {
  phone: string;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: Millis | null;
  updated_at: Millis;
}

export interface UserTotpTable {
  user_id: string;
  secret_sealed: string;
  confirmed_at: Millis | null;
  last_step: number | null;
  created_at: Millis;
}

export interface TotpRecoveryCodeTable {
  user_id: string;
  code_hash: string;
  used_at: Millis | null;
}

export interface LoginChallengeTable {
  token_hash: string;
  user_id: string;
  expires_at: Millis;
}

export interface AuditLogTable {
  id: string;
  at: Millis;
  actor_user_id: string | null;
  actor_role: string | null;
  action: string;
  outcome: 'ok' | 'denied';
  target_type: string | null;
  target_id: string | null;
  region_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: string | null;
}

/** The hash chain over audit_log, appended by the sealer (modules/audit/audit-chain.ts). */
export interface AuditChainTable {
  seq: number;
  audit_id: string;
  row_hash: string;
  prev_hash: string;
  chain_hash: string;
  sealed_at: Millis;
}

export interface AuditChainHeadTable {
  id: number;
  seq: number;
  chain_hash: string;
  sealed_through_id: string | null;
}

export interface IdempotencyKeyTable {
  principal_id: string;
  key: string;
  operation: string;
  request_hash: string;
  response: string;
  created_at: Millis;
}

export interface DepartmentTable {
  id: string;
  name: string;
  name_en: string | null;
  region_id: string;
  created_at: Millis;
}

export interface CaseCategoryTable {
  id: string;
  county_id: string;
  code: string;
  name: string;
  name_en: string | null;
  route_to: 'grid' | 'department';
  department_id: string | null;
  deadline_hours: number;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  sort_order: ColumnType<number, number | undefined, number>;
  created_at: Millis;
}

export interface WorkCalendarTable {
  county_id: string;
  calendar: string;
  updated_at: Millis;
}

/** The last running number given out in a numbering (`case:20261201`, `household:<group code>`). */
export interface NumberCounterTable {
  scope: string;
  last: number;
}

export interface CaseTable extends Placed {
  id: string;
  number: string;
  source: string;
  channel: string;
  category_id: string;
  title: string;
  description: string;
  latitude: number | null;
  longitude: number | null;
  reporter_user_id: string | null;
  reporter_household_id: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  anonymous: Flag;
  state: string;
  assignee_user_id: string | null;
  assignee_department_id: string | null;
  escalation_level: string;
  return_count: number;
  deadline_at: Millis;
  answered_at: Millis | null;
  assigned_at: Millis | null;
  accepted_at: Millis | null;
  handled_at: Millis | null;
  replied_at: Millis | null;
  closed_at: Millis | null;
  rating: number | null;
  merged_into_id: string | null;
  me_too_count: number;
  version: number;
  created_at: Millis;
  updated_at: Millis;
  reminded_at: Millis | null;
  overdue_at: Millis | null;
  /** The exposure board: pending, published or rejected; null for cases that are not on it. */
  public_state: string | null;
  public_title: string | null;
  public_text: string | null;
  moderated_by: string | null;
  moderated_at: Millis | null;
}

export interface CasePhotoTable {
  id: string;
  case_id: string;
  stage: string;
  uploaded_by: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  file_key: string;
  thumb_key: string;
  public_key: string | null;
  public_thumb_key: string | null;
  created_at: Millis;
}

export interface NotificationTable {
  id: string;
  user_id: string | null;
  phone: string | null;
  channel: 'inbox' | 'sms';
  topic: string;
  subject_type: string | null;
  subject_id: string | null;
  message_zh: string;
  message_en: string;
  created_at: Millis;
  read_at: Millis | null;
  sent_at: Millis | null;
  attempts: number;
}

export interface JobLeaseTable {
  name: string;
  holder: string | null;
  lease_until: Millis;
  last_run_at: Millis | null;
}

export interface CaseEventTable {
  id: string;
  case_id: string;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_user_id: string | null;
  actor_role: string | null;
  note: string | null;
  details: string | null;
  at: Millis;
}

export interface CaseMeTooTable {
  case_id: string;
  household_id: string;
  user_id: string;
  at: Millis;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  kind: 'open311' | 'gateway';
  key_hash: string;
  user_id: string;
  created_at: Millis;
  revoked_at: Millis | null;
  /** Space-separated permissions the county granted beyond the key's kind; '' for none. */
  scopes: ColumnType<string, string | undefined, string>;
}

/** A wall screen's key (dashboard): reads the screen of one region and below, nothing else. */
export interface ScreenKeyTable {
  id: string;
  region_id: string;
  name: string;
  key_hash: string;
  created_by: string | null;
  created_at: Millis;
  last_used_at: Millis | null;
  revoked_by: string | null;
  revoked_at: Millis | null;
}

export interface CaseRollupTable {
  /** 'd' for a local day, 'm' for a local month. */
  period: 'd' | 'm';
  /** Days since 1970-01-01 in Asia/Shanghai, or year * 12 + month - 1. */
  bucket: number;
  village_id: string;
  township_id: string | null;
  county_id: string | null;
  category_id: string;
  /** The department's id, or '' for cases in no department's hands. */
  department_key: string;
  source: string;
  received: number;
  answered: number;
  assigned: number;
  handled: number;
  replied: number;
  replied_on_time: number;
  closed: number;
  rated: number;
  rating_sum: number;
  satisfied: number;
  /** Cases still open (received, assigned, accepted or handled): overdue ones are these less those not yet due. */
  open_count: number;
}

/** The village roll-ups summed per township and per county (level), in the same periods. */
export interface CaseAreaRollupTable {
  period: 'd' | 'm';
  bucket: number;
  level: 'county' | 'township';
  /** The township's or the county's id. */
  area_id: string;
  county_id: string | null;
  /** The township's id on a township's row, null on a county's. */
  township_id: string | null;
  category_id: string;
  department_key: string;
  source: string;
  received: number;
  answered: number;
  assigned: number;
  handled: number;
  replied: number;
  replied_on_time: number;
  closed: number;
  rated: number;
  rating_sum: number;
  satisfied: number;
  open_count: number;
}

/** Points rows belong to a village (and so to its township and county). */
interface InVillage {
  village_id: string;
  township_id: string | null;
  county_id: string | null;
}

export interface PointsRuleTable extends InVillage {
  id: string;
  code: string;
  item: string;
  item_en: string | null;
  category: string;
  points: number;
  evidence_required: Flag;
  limit_per_day: number | null;
  limit_per_month: number | null;
  limit_per_household: number | null;
  valid_from: Millis | null;
  valid_to: Millis | null;
  active: Flag;
  created_at: Millis;
  updated_at: Millis;
}

export interface PointsAccountTable extends InVillage {
  household_id: string;
  region_id: string;
  balance: number;
  public_name: Flag;
  version: number;
  updated_at: Millis;
}

export interface PointsLedgerTable extends InVillage {
  id: string;
  household_id: string;
  region_id: string;
  amount: number;
  balance_after: number;
  seq: number;
  kind: string;
  rule_id: string | null;
  rule_item: string | null;
  category: string | null;
  claim_id: string | null;
  redemption_id: string | null;
  reverses_id: string | null;
  note: string | null;
  actor_user_id: string | null;
  month: number;
  at: Millis;
}

export interface PointsClaimTable extends InVillage {
  id: string;
  household_id: string;
  region_id: string;
  rule_id: string;
  filed_by: string;
  note: string | null;
  state: string;
  reason: string | null;
  reviewed_by: string | null;
  reviewed_at: Millis | null;
  ledger_id: string | null;
  version: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface PointsClaimPhotoTable {
  id: string;
  claim_id: string;
  stage: string;
  file_key: string;
  thumb_key: string;
  width: number;
  height: number;
  uploaded_by: string;
  created_at: Millis;
}

export interface PointsAppealTable {
  ledger_id: string;
  household_id: string;
  village_id: string;
  reason: string;
  state: string;
  decided_by: string | null;
  decision_note: string | null;
  created_at: Millis;
  decided_at: Millis | null;
}

export interface PointsGoodsTable extends InVillage {
  id: string;
  name: string;
  name_en: string | null;
  unit: string | null;
  price: number;
  received: number;
  collected: number;
  pending: number;
  reorder_level: number;
  photo_key: string | null;
  active: Flag;
  sort_order: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface PointsRedemptionTable extends InVillage {
  id: string;
  household_id: string;
  goods_id: string;
  quantity: number;
  points: number;
  state: string;
  ledger_id: string;
  cancel_ledger_id: string | null;
  created_by: string;
  handled_by: string | null;
  version: number;
  created_at: Millis;
  closed_at: Millis | null;
}

export interface CareElderTable extends Placed {
  person_id: string;
  household_id: string | null;
  living_situation: string;
  /** JSON: string[] */
  conditions: string;
  /** JSON: { name, relation, phone }[] */
  contacts: string;
  doctor_user_id: string | null;
  caretaker_user_id: string | null;
  presence: 'home' | 'away' | 'hospital';
  last_activity_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
  /** JSON: { [cause]: { limit?, forMinutes?, enabled? } } over the county defaults */
  alarm_rules: string | null;
  inactivity_hours: number | null;
  visit_every_days: number | null;
  care_round_every_days: number | null;
}

export interface CareFamilyLinkTable {
  elder_person_id: string;
  user_id: string;
  consent_at: Millis;
  linked_by: string;
}

export interface CareHomeDeviceTable {
  id: string;
  elder_person_id: string;
  key_hash: string;
  paired_by: string;
  created_at: Millis;
  last_seen_at: Millis | null;
  revoked_at: Millis | null;
}

export interface CareHomePairingTable {
  code_hash: string;
  elder_person_id: string;
  issued_by: string;
  expires_at: Millis;
  used_at: Millis | null;
}

export interface CareCallSettingsTable {
  elder_person_id: string;
  /** JSON: string[] of user ids */
  auto_answer: string;
  look_consent: number;
  updated_by: string;
  updated_at: Millis;
}

export interface CareCallTable {
  id: string;
  elder_person_id: string;
  kind: 'call' | 'look';
  direction: 'home' | 'family' | 'caretaker';
  user_id: string;
  state: 'ringing' | 'active' | 'ended' | 'missed' | 'declined';
  auto_answered: number;
  started_at: Millis;
  answered_at: Millis | null;
  ended_at: Millis | null;
  end_reason: string | null;
}

export interface CareDeviceTable {
  id: string;
  serial: string;
  kind: string;
  elder_person_id: string | null;
  battery: number | null;
  last_seen_at: Millis | null;
  created_at: Millis;
  key_hash: string | null;
}

export interface CareVisitTable extends Placed {
  id: string;
  elder_person_id: string;
  kind: 'visit' | 'careRound' | 'doctorVisit';
  by_user_id: string;
  at: Millis;
  note: string;
  /** JSON: string[] */
  tasks: string;
  systolic: number | null;
  diastolic: number | null;
  created_at: Millis;
}

export interface CareMissedVisitTable extends Placed {
  elder_person_id: string;
  day: string;
  kind: string;
  caretaker_user_id: string | null;
  flagged_at: Millis;
}

export interface CareReminderTable extends Placed {
  id: string;
  text: string;
  /** 1: a family member's to their own elder, listed to the sender only. */
  from_family: ColumnType<Flag, Flag | undefined, Flag>;
  created_by: string;
  created_at: Millis;
}

export interface CareCommandTable {
  id: string;
  reminder_id: string | null;
  device_id: string;
  elder_person_id: string;
  kind: string;
  /** JSON */
  payload: string;
  state: 'queued' | 'sent' | 'delivered' | 'failed' | 'expired';
  attempts: number;
  created_at: Millis;
  sent_at: Millis | null;
  delivered_at: Millis | null;
  expires_at: Millis;
}

export interface CareReadingRollupTable {
  elder_person_id: string;
  kind: string;
  period: 'hour' | 'day';
  start: Millis;
  n: number;
  sum1: number | null;
  min1: number | null;
  max1: number | null;
  sum2: number | null;
  min2: number | null;
  max2: number | null;
}

export interface CareRollupMarkTable {
  name: string;
  last_id: string;
}

export interface CareReadingTable {
  id: string;
  device_id: string;
  reading_key: string;
  elder_person_id: string;
  kind: string;
  value1: number | null;
  value2: number | null;
  at: Millis;
  received_at: Millis;
}

export interface CareBreachTable {
  elder_person_id: string;
  cause: string;
  since: Millis;
}

export interface CareAlarmTable extends Placed {
  id: string;
  elder_person_id: string;
  cause: string;
  severity: string;
  state: string;
  repeats: number;
  value: number | null;
  first_at: Millis;
  last_at: Millis;
  due_at: Millis | null;
  acknowledged_by: string | null;
  acknowledged_at: Millis | null;
  resolved_by: string | null;
  resolved_at: Millis | null;
  note: string | null;
  escalation_step: number;
  escalated_at: Millis | null;
  version: number;
}

export interface ServiceItemTable {
  id: string;
  code: string;
  name: string;
  department_id: string;
  legal_basis: string;
  /** JSON: { name, required, note }[] */
  materials: string;
  fee: string;
  statutory_days: number;
  promised_days: number;
  /** JSON: string[] */
  places: string;
  /** JSON: string[] */
  tags: string;
  /** JSON: string[] */
  life_events: string;
  search_text: string;
  /** JSON: string[], the short names and synonyms people search by */
  aliases: string;
  active: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface ServiceApplicationTable extends Placed {
  id: string;
  item_id: string;
  department_id: string;
  applicant_person_id: string;
  household_id: string | null;
  channel: 'online' | 'proxy';
  agent_user_id: string | null;
  consent_at: Millis | null;
  state: 'submitted' | 'accepted' | 'moreMaterials' | 'approved' | 'refused' | 'delivered';
  /** JSON: string[] */
  missing: string | null;
  delivery: 'collect' | 'mail';
  address: string | null;
  tracking_number: string | null;
  reason: string | null;
  created_by: string;
  created_at: Millis;
  accepted_at: Millis | null;
  due_at: Millis | null;
  decided_at: Millis | null;
  delivered_at: Millis | null;
  overdue_at: Millis | null;
  /** 500242-2026-000123: given when approved, unique */
  certificate_number: string | null;
  delivered_by: string | null;
  delivered_by_name: string | null;
  version: number;
}

export interface ServiceApplicationFileTable {
  id: string;
  application_id: string;
  material: string;
  file_key: string;
  content_type: string;
  bytes: number;
  created_by: string;
  created_at: Millis;
}

export interface ServiceApplicationEventTable {
  id: string;
  application_id: string;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_user_id: string | null;
  note: string | null;
  at: Millis;
}

export interface HouseholdTraitTable {
  household_id: string;
  trait: string;
}

export interface NoticeTable extends Placed {
  id: string;
  title: string;
  body: string;
  urgent: number;
  /** JSON: { regionIds, gridIds, traits, personIds } */
  audience: string;
  /** JSON: { id, name, contentType, key }[] */
  attachments: string;
  state: 'draft' | 'scheduled' | 'sending' | 'sent' | 'cancelled';
  scheduled_at: Millis | null;
  sent_at: Millis | null;
  expires_at: Millis | null;
  recipients: number;
  created_by: string;
  created_at: Millis;
}

export interface NoticeRecipientTable {
  notice_id: string;
  person_id: string;
  household_id: string | null;
  user_id: string | null;
  delivered_at: Millis;
  read_at: Millis | null;
}

export interface VillageLoudspeakerTable {
  id: string;
  village_id: string;
  name: string;
  key_hash: string;
  created_at: Millis;
}

export interface NoticeBroadcastTable {
  id: string;
  notice_id: string;
  village_id: string;
  text: string;
  state: 'queued' | 'fetched' | 'played';
  created_at: Millis;
  fetched_at: Millis | null;
  played_at: Millis | null;
}

/** PIPL consents: appended, never updated; the latest row per person and purpose is the state. */
export interface PrivacyConsentTable {
  id: string;
  person_id: string;
  purpose: 'healthData' | 'publicDisplay' | 'familyAccess';
  granted: Flag;
  at: Millis;
  /** The user who recorded it (the person, a guardian, or staff with a paper form); null: on file before PIPL records. */
  recorded_by: string | null;
  guardian_person_id: string | null;
  note: string | null;
}

export interface PrivacyRequestTable extends Placed {
  id: string;
  person_id: string;
  kind: 'export' | 'correction' | 'deletion';
  details: string;
  state: 'submitted' | 'accepted' | 'refused' | 'completed';
  requested_by: string;
  handled_by: string | null;
  answer: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface PrivacyHoldTable {
  id: string;
  person_id: string;
  reason: string;
  placed_by: string;
  placed_at: Millis;
  released_at: Millis | null;
}

export type CameraPurpose = 'publicSecurity' | 'marketTown' | 'farm' | 'eldersHome';
export type CameraSource = 'push' | 'httpPull' | 'rtsp' | 'onvif';

export interface MonitoringCameraTable {
  id: string;
  name: string;
  region_id: string;
  village_id: string | null;
  township_id: string | null;
  county_id: string | null;
  latitude: number;
  longitude: number;
  direction_degrees: number;
  owner: string;
  purpose: CameraPurpose;
  public_sign_ref: string | null;
  retention_days: number;
  /** JSON: polygons of [x, y] in 0..1 */
  privacy_masks: string;
  /** JSON: one polygon of [x, y] in 0..1, or null */
  watch_area: string | null;
  source: CameraSource;
  snapshot_url: string | null;
  stream_url: string | null;
  onvif_url: string | null;
  /** Sealed JSON { username, password } (vault.sealSecret) */
  credentials_sealed: string | null;
  pull_every_seconds: number | null;
  next_pull_at: Millis | null;
  last_pull_at: Millis | null;
  last_pull_error: string | null;
  push_key_hash: string | null;
  enabled: number;
  created_by: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface MonitoringSnapshotTable {
  id: string;
  camera_id: string;
  source: CameraSource;
  captured_at: Millis;
  received_at: Millis;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  file_key: string;
  thumb_key: string;
  held: number;
}

export interface MonitoringSnapshotQueueTable {
  snapshot_id: string;
  camera_id: string;
  queued_at: Millis;
}

export type EvidenceRequestStatus = 'requested' | 'approved' | 'refused' | 'withdrawn';
export type EvidencePackageState = 'pending' | 'ready' | 'failed';

export interface MonitoringEvidenceRequestTable {
  id: string;
  camera_id: string;
  region_id: string;
  village_id: string | null;
  township_id: string | null;
  county_id: string | null;
  case_number: string;
  reason: string;
  range_from: Millis;
  range_to: Millis;
  status: EvidenceRequestStatus;
  requested_by: string;
  requested_by_name: string;
  requested_at: Millis;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_by_role: string | null;
  decided_at: Millis | null;
  decision_reason: string | null;
  withdrawn_at: Millis | null;
  image_count: number | null;
  package_state: EvidencePackageState | null;
  /** The package's file name under DATA_DIR/evidence-packages. */
  package_file: string | null;
  package_bytes: number | null;
  /** SHA-256 (hex) of the whole package file, and of its manifest.json (what the signature covers). */
  package_sha256: string | null;
  manifest_sha256: string | null;
  packaged_at: Millis | null;
  updated_at: Millis;
}

export interface MonitoringEvidenceHoldTable {
  request_id: string;
  snapshot_id: string;
}

export interface MonitoringBaselineTable {
  id: string;
  camera_id: string;
  snapshot_id: string;
  captured_at: Millis;
  file_key: string;
  /** first | accepted */
  reason: string;
  finding_id: string | null;
  accepted_by: string | null;
  created_at: Millis;
}

export interface MonitoringDetectionStateTable {
  camera_id: string;
  enabled: number;
  snapshots_to_confirm: number | null;
  min_area_fraction: number | null;
  baseline_id: string | null;
  /** JSON: detection/persistence.ts TrackerState */
  tracker: string | null;
  last_snapshot_id: string | null;
  last_captured_at: Millis | null;
  updated_at: Millis;
}

export interface MonitoringDetectionTable {
  snapshot_id: string;
  camera_id: string;
  baseline_id: string | null;
  /** baseline | compared | skipped | failed */
  outcome: string;
  changed_fraction: number;
  regions: number;
  ms: number;
  detected_at: Millis;
}

export interface MonitoringFindingTable {
  id: string;
  camera_id: string;
  region_id: string;
  village_id: string | null;
  township_id: string | null;
  county_id: string | null;
  baseline_id: string;
  after_snapshot_id: string;
  after_captured_at: Millis;
  /** JSON: string[] */
  snapshot_ids: string;
  /** JSON: NormalisedBox[] */
  boxes: string;
  changed_fraction: number;
  score: number;
  before_key: string;
  after_key: string;
  outlined_key: string;
  /** open | confirmed | sceneAccepted */
  state: string;
  case_id: string | null;
  confirmed_by: string | null;
  confirmed_at: Millis | null;
  resolved_by: string | null;
  resolved_at: Millis | null;
  note: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface MonitoringFarmSubjectTable {
  camera_id: string;
  household_id: string;
  /** plot | flock */
  kind: string;
  label: string;
  agri_subject_id: string | null;
  created_by: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface PovertySettingsTable {
  county_id: string;
  year: number;
  income_line: number;
  expense_ratio: number;
  expense_minimum: number;
  stable_months: number;
  visit_interval_days: number;
  notice_days: number;
  updated_by: string | null;
  updated_at: Millis;
}

export interface PovertyEconomicsTable {
  id: string;
  household_id: string;
  region_id: string;
  village_id: string | null;
  township_id: string | null;
  county_id: string | null;
  year: number;
  members: number;
  labour: number;
  formerly_poor: number;
  /** JSON: income by source, yuan */
  income: string;
  income_year: number;
  income_last12: number;
  per_capita_year: number;
  per_capita_last12: number;
  /** JSON: [{ kind, amount, note? }] */
  expenses: string;
  /** JSON: { food, clothing, education, medical, housing, water } */
  assurances: string;
  serious_illness: number;
  disaster: number;
  causes_resolved: number;
  note: string | null;
  /** entry | import */
  source: string;
  recorded_by: string | null;
  recorded_at: Millis;
}

export interface PovertyMonitoredTable {
  id: string;
  household_id: string;
  household_number: string;
  head_name: string;
  region_id: string;
  village_id: string | null;
  township_id: string | null;
  county_id: string | null;
  category: string | null;
  /** identifying | monitored | removing | removed | dismissed */
  status: string;
  done_steps: number;
  /** data | visit | selfReport */
  source: string;
  /** JSON: FlagReason[] */
  reasons: string;
  notice_text: string | null;
  notice_starts_at: Millis | null;
  notice_ends_at: Millis | null;
  next_visit_due_at: Millis | null;
  flagged_by: string | null;
  flagged_at: Millis;
  monitored_at: Millis | null;
  removed_at: Millis | null;
  version: number;
  updated_at: Millis;
}

export interface PovertyStepEventTable {
  id: string;
  monitored_id: string;
  /** flag | identification | removal */
  phase: string;
  step: string;
  /** approve | reject | flag */
  decision: string;
  actor_user_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  note: string | null;
  at: Millis;
}

export interface PovertyEvidenceTable {
  id: string;
  monitored_id: string;
  file_key: string;
  content_type: string;
  step_event_id: string | null;
  uploaded_by: string;
  uploaded_at: Millis;
}

export interface PovertyMeasureTable {
  id: string;
  monitored_id: string;
  region_id: string;
  village_id: string | null;
  township_id: string | null;
  county_id: string | null;
  kind: string;
  description: string;
  responsible: string;
  due_date: string;
  done_at: Millis | null;
  created_by: string;
  created_at: Millis;
}

export interface PovertyVisitTable {
  id: string;
  monitored_id: string;
  note: string;
  visitor_user_id: string;
  visitor_name: string | null;
  /** JSON: measure ids */
  measures_done: string;
  at: Millis;
}

export interface PovertyObjectionTable {
  id: string;
  monitored_id: string;
  text: string;
  raised_by: string;
  raised_at: Millis;
  upheld: number | null;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: Millis | null;
}

// ---- Farms (agri, issue 17) ----
type AgriPlaced = { region_id: string; village_id: string | null; township_id: string | null; county_id: string | null };

export interface AgriPlotTable extends AgriPlaced {
  id: string;
  household_id: string;
  name: string;
  /** field | orchard | teaGarden */
  kind: string;
  crop: string;
  variety: string;
  area_mu: number;
  planted_on: string | null;
  growth_stage: string | null;
  note: string;
  retired_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface AgriFlockTable extends AgriPlaced {
  id: string;
  household_id: string;
  name: string;
  species: string;
  breed: string;
  head_count: number;
  started_on: string | null;
  growth_stage: string | null;
  note: string;
  retired_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface AgriChangeTable {
  id: string;
  household_id: string;
  subject_type: string;
  subject_id: string;
  action: string;
  /** JSON: { field: { from, to } } */
  changes: string;
  by_user_id: string | null;
  by_name: string;
  at: Millis;
}

export interface AgriPhotoTable {
  id: string;
  uploaded_by: string;
  file_key: string;
  thumb_key: string;
  width: number;
  height: number;
  sha256: string;
  attached_type: string | null;
  attached_id: string | null;
  household_id: string | null;
  created_at: Millis;
}

export interface AgriObservationTable extends AgriPlaced {
  id: string;
  household_id: string;
  plot_id: string | null;
  flock_id: string | null;
  subject_name: string;
  kind: string;
  source: string;
  observed_on: string;
  growth_stage: string | null;
  pest: string | null;
  deaths: number | null;
  quantity_kg: number | null;
  price_yuan_per_kg: number | null;
  note: string;
  /** JSON: string[] */
  photo_ids: string;
  camera_id: string | null;
  snapshot_id: string | null;
  by_user_id: string | null;
  by_name: string;
  created_at: Millis;
}

export interface AgriAdviceRuleTable extends AgriPlaced {
  id: string;
  title: string;
  body: string;
  /** JSON arrays */
  subjects: string;
  growth_stages: string;
  months: string;
  solar_terms: string;
  weather: string;
  picture_ids: string;
  valid_days: number;
  active: Flag;
  author_id: string;
  author_name: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface AgriAdvicePeriodTable {
  id: string;
  rule_id: string;
  starts_on: string;
  ends_on: string;
  created_at: Millis;
}

export interface AgriAdviceDeliveryTable extends AgriPlaced {
  rule_id: string;
  household_id: string;
  period_id: string;
  notice_id: string | null;
  delivered_at: Millis;
}

export interface AgriWeatherTable {
  id: string;
  region_id: string;
  date: string;
  min_temp_c: number;
  max_temp_c: number;
  rain_mm: number;
  /** JSON: conditions named outright */
  named_conditions: string;
  source: string;
  updated_by: string | null;
  updated_at: Millis;
}

export interface AgriQuestionTable extends AgriPlaced {
  id: string;
  household_id: string;
  plot_id: string | null;
  flock_id: string | null;
  subject_name: string | null;
  text: string;
  photo_ids: string;
  /** open | answered | closed */
  state: string;
  asked_by: string;
  asked_at: Millis;
  due_at: Millis;
  answered_at: Millis | null;
  answered_by_name: string | null;
  updated_at: Millis;
}

export interface AgriQuestionMessageTable {
  id: string;
  question_id: string;
  side: string;
  by_user_id: string;
  by_name: string;
  text: string;
  photo_ids: string;
  at: Millis;
}

export interface DB {
  agri_plots: AgriPlotTable;
  agri_flocks: AgriFlockTable;
  agri_changes: AgriChangeTable;
  agri_photos: AgriPhotoTable;
  agri_observations: AgriObservationTable;
  agri_advice_rules: AgriAdviceRuleTable;
  agri_advice_periods: AgriAdvicePeriodTable;
  agri_advice_deliveries: AgriAdviceDeliveryTable;
  agri_weather: AgriWeatherTable;
  agri_questions: AgriQuestionTable;
  agri_question_messages: AgriQuestionMessageTable;
  monitoring_evidence_requests: MonitoringEvidenceRequestTable;
  monitoring_evidence_holds: MonitoringEvidenceHoldTable;
  monitoring_cameras: MonitoringCameraTable;
  monitoring_snapshots: MonitoringSnapshotTable;
  monitoring_snapshot_queue: MonitoringSnapshotQueueTable;
  monitoring_baselines: MonitoringBaselineTable;
  monitoring_detection_state: MonitoringDetectionStateTable;
  monitoring_detections: MonitoringDetectionTable;
  monitoring_findings: MonitoringFindingTable;
  monitoring_farm_subjects: MonitoringFarmSubjectTable;
  poverty_settings: PovertySettingsTable;
  poverty_economics: PovertyEconomicsTable;
  poverty_monitored: PovertyMonitoredTable;
  poverty_step_events: PovertyStepEventTable;
  poverty_evidence: PovertyEvidenceTable;
  poverty_measures: PovertyMeasureTable;
  poverty_visits: PovertyVisitTable;
  poverty_objections: PovertyObjectionTable;
  privacy_consents: PrivacyConsentTable;
  privacy_requests: PrivacyRequestTable;
  privacy_holds: PrivacyHoldTable;
  household_traits: HouseholdTraitTable;
  notices: NoticeTable;
  notice_recipients: NoticeRecipientTable;
  village_loudspeakers: VillageLoudspeakerTable;
  notice_broadcasts: NoticeBroadcastTable;
  service_items: ServiceItemTable;
  service_applications: ServiceApplicationTable;
  service_application_files: ServiceApplicationFileTable;
  service_application_events: ServiceApplicationEventTable;
  care_elders: CareElderTable;
  care_devices: CareDeviceTable;
  care_family_links: CareFamilyLinkTable;
  care_readings: CareReadingTable;
  care_breaches: CareBreachTable;
  care_alarms: CareAlarmTable;
  care_visits: CareVisitTable;
  care_missed_visits: CareMissedVisitTable;
  care_reminders: CareReminderTable;
  care_commands: CareCommandTable;
  care_reading_rollups: CareReadingRollupTable;
  care_rollup_marks: CareRollupMarkTable;
  care_home_devices: CareHomeDeviceTable;
  care_home_pairings: CareHomePairingTable;
  care_call_settings: CareCallSettingsTable;
  care_calls: CareCallTable;
  points_rules: PointsRuleTable;
  points_accounts: PointsAccountTable;
  points_ledger: PointsLedgerTable;
  points_claims: PointsClaimTable;
  points_claim_photos: PointsClaimPhotoTable;
  points_appeals: PointsAppealTable;
  points_goods: PointsGoodsTable;
  points_redemptions: PointsRedemptionTable;
  case_photos: CasePhotoTable;
  notifications: NotificationTable;
  job_leases: JobLeaseTable;
  case_rollups: CaseRollupTable;
  case_area_rollups: CaseAreaRollupTable;
  api_keys: ApiKeyTable;
  screen_keys: ScreenKeyTable;
  departments: DepartmentTable;
  case_categories: CaseCategoryTable;
  work_calendars: WorkCalendarTable;
  cases: CaseTable;
  number_counters: NumberCounterTable;
  case_events: CaseEventTable;
  case_me_too: CaseMeTooTable;
  regions: RegionTable;
  grids: GridTable;
  grid_groups: GridGroupTable;
  households: HouseholdTable;
  people: PersonTable;
  users: UserTable;
  role_assignments: RoleAssignmentTable;
  credentials: CredentialTable;
  sms_login_codes: SmsLoginCodeTable;
  login_failures: LoginFailureTable;
  sessions: SessionTable;
  user_totp: UserTotpTable;
  totp_recovery_codes: TotpRecoveryCodeTable;
  login_challenges: LoginChallengeTable;
  audit_log: AuditLogTable;
  audit_chain: AuditChainTable;
  audit_chain_head: AuditChainHeadTable;
  idempotency_keys: IdempotencyKeyTable;
}
