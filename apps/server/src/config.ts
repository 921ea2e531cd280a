import net from 'node:net';
import path from 'node:path';
import { SQLITE_CACHE_MB } from './db/dialect.ts';

export type Config = Readonly<{
  port: number;
  host: string;
  /** postgres://… for PostgreSQL; undefined means the embedded SQLite file in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** SQLite's page cache per connection (the writer's and the reader's each), in MB. */
  sqliteCacheMb: number;
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: string;
  /** 32-byte key protecting ID card numbers, base64; undefined means a key file in dataDir. */
  idNumberKey: string | undefined;
  /** Load the demo county into an empty database (never in production). */
  demoData: boolean;
  /** The demo county with Daxi's cameras and their week of pictures (painted and compared as it loads). */
  demoCameras: boolean;
  sessionIdleMinutes: number;
  /** Staff (every role but villager and family member) log in with an authenticator code too. */
  requireStaffTotp: boolean;
  loginRateLimitPerMinute: number;
  /** Failed logins one client address may make in 15 minutes, across all accounts, before it is refused. */
  loginFailuresPerAddress: number;
  /**
   * Which proxies in front may say who the client is (X-Forwarded-For) and how it came
   * (X-Forwarded-Proto): false, none; a number, that many hops nearest the server (each appends the
   * address it saw, so the address the outermost trusted hop saw is the client's and what the client
   * wrote before it is ignored); or the proxies' addresses and networks.
   */
  trustProxy: false | number | string[];
  webDistDir: string;
  bodyLimitBytes: number;
  /** A new report this near an open case of the same category, this recent, is offered as a duplicate. */
  duplicateRadiusMeters: number;
  duplicateWindowDays: number;
  /** Largest photo upload; photos are re-encoded to at most 2048 px, so this bounds only the upload. */
  photoLimitBytes: number;
  /** A reporter may object to a reply within this many days of it. */
  objectionDays: number;
  /** Handlers are reminded this many hours before a case's deadline. */
  reminderHours: number;
  /** Stored answers to retried writes are kept this long, then deleted with what they held. */
  idempotencyRetentionDays: number;
  /** mqtt://… to take device readings over MQTT; undefined means HTTP and FHIR only. */
  mqttUrl: string | undefined;
  mqttTopicPrefix: string;
  /** A fall alarm waits this long for "I'm OK" on the device before it goes out. */
  fallOkSeconds: number;
  /** An alarm nobody takes on goes one step further along the chain after this many minutes. */
  escalationMinutes: number;
  /** A device silent this long raises the device-offline alarm. */
  deviceOfflineHours: number;
  /** No activity of the elder for this long raises the inactivity alarm. */
  inactivityHours: number;
  /** Caretakers visit each elder every this many days, and do a care round (cooking, cleaning) every that many. */
  visitEveryDays: number;
  careRoundEveryDays: number;
  /** From this hour of the evening (Shanghai time) the day's missed visits are flagged to the village. */
  roundsDayEndHour: number;
  /** Audit records are kept at least this many days (180 at the least). Nothing deletes them yet: see README, Audit. */
  auditRetentionDays: number;
  /** Raw readings are kept this many days; hourly and daily roll-ups are kept for good. */
  readingsRetentionDays: number;
  /** A reminder not delivered to a speaker within this many hours is given up as expired. */
  commandTtlHours: number;
  /** The demo county's virtual bracelets send readings while the server runs (npm start). */
  simulateCare: boolean;
  /** Background jobs (deadlines, texts, retention) run in this process. */
  jobsEnabled: boolean;
  /**
   * The networks (CIDR) cameras are pulled from; the server connects to no other address when it
   * pulls (modules/monitoring/camera-network.ts). Empty means pulling is off; pushes still arrive.
   */
  cameraNetworks: readonly string[];
  /** The county's Ed25519 key for police evidence packages (PKCS#8 PEM or base64 DER); else DATA_DIR/keys. */
  evidenceSigningKey: string | undefined;
  /** Largest camera picture taken in (pushed or pulled), in bytes. */
  snapshotLimitBytes: number;
  /** The county's coturn for family calls (turn:host:3478?transport=udp …); empty means STUN only. */
  turnUrls: readonly string[];
  /** STUN servers for calls; by default the TURN servers' hosts. */
  stunUrls: readonly string[];
  /** coturn's static-auth-secret: the platform hands out short-lived TURN credentials made with it. */
  turnSecret: string | undefined;
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads the environment once; every bad value is reported on its own line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${raw}: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    problems.push(`${name}=${raw}: expected true or false`);
    return fallback;
  };

  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  const nodeEnv = (['development', 'production', 'test'] as const).find((e) => e === nodeEnvRaw);
  if (!nodeEnv) problems.push(`NODE_ENV=${nodeEnvRaw}: expected development, production or test`);

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL: expected a postgres:// URL (leave it unset for the embedded SQLite database)');
  }

  const idNumberKey = env.ID_NUMBER_KEY || undefined;
  if (idNumberKey && Buffer.from(idNumberKey, 'base64').length !== 32) {
    problems.push('ID_NUMBER_KEY: expected 32 bytes in base64 (e.g. `openssl rand -base64 32`)');
  }

  const logLevel = env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL=${logLevel}: expected one of ${LOG_LEVELS.join(', ')}`);

  const mqttUrl = env.MQTT_URL || undefined;
  if (mqttUrl && !/^mqtts?:\/\//.test(mqttUrl)) problems.push('MQTT_URL: expected an mqtt:// or mqtts:// URL');

  const cameraNetworks = (env.CAMERA_NETWORKS ?? (nodeEnv === 'production' ? '' : DEMO_CAMERA_NETWORK))
    .split(',')
    .map((cidr) => cidr.trim())
    .filter(Boolean);
  for (const cidr of cameraNetworks) {
    if (!isCidr(cidr)) problems.push(`CAMERA_NETWORKS: ${cidr.slice(0, 60)} is not an address range such as 10.77.0.0/16 or fd00::/8`);
  }

  const turnUrls = listOf(env.TURN_URLS);
  for (const url of turnUrls)
    if (!/^turns?:[^\s]+$/.test(url)) problems.push(`TURN_URLS: ${url.slice(0, 60)} is not a turn: or turns: URL`);
  const stunUrls = env.STUN_URLS === undefined ? [...new Set(turnUrls.map(stunOf))] : listOf(env.STUN_URLS);
  for (const url of stunUrls) if (!/^stuns?:[^\s]+$/.test(url)) problems.push(`STUN_URLS: ${url.slice(0, 60)} is not a stun: URL`);
  const turnSecret = env.TURN_SECRET || undefined;
  if (turnUrls.length > 0 && !turnSecret) problems.push('TURN_URLS needs TURN_SECRET (coturn static-auth-secret)');

  const host = env.HOST || '0.0.0.0';
  const demoData = bool('DEMO_DATA', nodeEnv !== 'production') && nodeEnv !== 'production';
  const config: Config = Object.freeze({
    port: int('PORT', 3000, 0, 65535),
    host,
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || './data'),
    sqliteCacheMb: int('SQLITE_CACHE_MB', SQLITE_CACHE_MB, 1, 4096),
    nodeEnv: nodeEnv ?? 'development',
    logLevel,
    idNumberKey,
    evidenceSigningKey: env.EVIDENCE_SIGNING_KEY || undefined,
    demoData,
    demoCameras: bool('DEMO_CAMERAS', true),
    sessionIdleMinutes: int('SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    // On outside demo mode; off in demo mode and in tests, unless set.
    requireStaffTotp: bool('REQUIRE_STAFF_TOTP', !demoData && nodeEnv !== 'test'),
    loginRateLimitPerMinute: int('LOGIN_RATE_LIMIT_PER_MINUTE', 20, 1, 10_000),
    loginFailuresPerAddress: int('LOGIN_FAILURES_PER_ADDRESS', 100, 1, 100_000),
    trustProxy: trustedProxies(env.TRUST_PROXY, problems),
    webDistDir: path.resolve(env.WEB_DIST_DIR || new URL('../../web/dist', import.meta.url).pathname),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    duplicateRadiusMeters: int('DUPLICATE_RADIUS_METERS', 300, 1, 100_000),
    duplicateWindowDays: int('DUPLICATE_WINDOW_DAYS', 14, 1, 365),
    photoLimitBytes: int('PHOTO_LIMIT_BYTES', 10 * 1_048_576, 1024, 100 * 1_048_576),
    objectionDays: int('OBJECTION_DAYS', 7, 1, 365),
    reminderHours: int('REMINDER_HOURS', 4, 1, 24 * 30),
    idempotencyRetentionDays: int('IDEMPOTENCY_RETENTION_DAYS', 7, 1, 365),
    jobsEnabled: bool('JOBS_ENABLED', nodeEnv !== 'test'),
    mqttUrl,
    mqttTopicPrefix: env.MQTT_TOPIC_PREFIX || 'cunzhi',
    fallOkSeconds: int('FALL_OK_SECONDS', 60, 0, 600),
    inactivityHours: int('INACTIVITY_HOURS', 24, 1, 24 * 7),
    escalationMinutes: int('ESCALATION_MINUTES', 5, 1, 24 * 60),
    deviceOfflineHours: int('DEVICE_OFFLINE_HOURS', 6, 1, 24 * 7),
    visitEveryDays: int('VISIT_EVERY_DAYS', 1, 1, 30),
    careRoundEveryDays: int('CARE_ROUND_EVERY_DAYS', 3, 1, 30),
    roundsDayEndHour: int('ROUNDS_DAY_END_HOUR', 20, 12, 23),
    readingsRetentionDays: int('READINGS_RETENTION_DAYS', 90, 8, 3650),
    auditRetentionDays: int('AUDIT_RETENTION_DAYS', 180, 180, 36500),
    commandTtlHours: int('COMMAND_TTL_HOURS', 24, 1, 24 * 7),
    simulateCare: bool('SIMULATE_CARE', nodeEnv === 'development') && nodeEnv !== 'production',
    cameraNetworks: Object.freeze(cameraNetworks),
    snapshotLimitBytes: int('SNAPSHOT_LIMIT_BYTES', 10 * 1_048_576, 1024, 50 * 1_048_576),
    turnUrls: Object.freeze(turnUrls),
    stunUrls: Object.freeze(stunUrls),
    turnSecret,
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const listOf = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** turn:host:port?transport=udp → stun:host:port: coturn answers STUN on its TURN port. */
const stunOf = (turnUrl: string) => turnUrl.replace(/^turns?:/, 'stun:').replace(/\?.*$/, '');

/** Outside production, cameras are pulled from this private test range unless CAMERA_NETWORKS says otherwise. */
export const DEMO_CAMERA_NETWORK = '10.77.0.0/16';

function isCidr(text: string): boolean {
  const [address, prefix, extra] = text.split('/');
  const family = net.isIP(address ?? '');
  if (family === 0 || extra !== undefined || !/^\d{1,3}$/.test(prefix ?? '')) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** The first administrator's password for `npm run setup:county` when it is not typed at the prompt. */
export function setupPasswordFrom(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.SETUP_ADMIN_PASSWORD || undefined;
}

/**
 * TRUST_PROXY: off (false, 0, no); on (true, yes) is the one load balancer in front; a number is that
 * many hops; a comma-separated list is the proxies' addresses or networks (CIDR), or proxy-addr's
 * names loopback, linklocal and uniquelocal. Never "trust every hop": the client writes the first
 * X-Forwarded-For entries itself, and a load balancer only appends to them.
 */
function trustedProxies(raw: string | undefined, problems: string[]): false | number | string[] {
  if (raw === undefined || raw.trim() === '') return false;
  const value = raw.trim().toLowerCase();
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  if (['1', 'true', 'yes', 'on'].includes(value)) return 1;
  if (/^[0-9]+$/.test(value) && Number(value) <= 10) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const valid = (entry: string) => ['loopback', 'linklocal', 'uniquelocal'].includes(entry) || net.isIP(entry) !== 0 || isCidr(entry);
  if (entries.length > 0 && entries.length <= 50 && entries.every(valid)) return entries;
  problems.push(
    'TRUST_PROXY: expected false, true (one load balancer), a number of hops up to 10, or the proxies’ addresses or networks, comma-separated',
  );
  return false;
}
