// Each test file gets the real app on a fresh, migrated database of each dialect: SQLite in
// memory always, and PostgreSQL (a schema of its own) when TEST_DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import type { DialectName } from '../src/db/dialect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Deps } from '../src/platform/deps.ts';
import { createEventBus } from '../src/platform/events.ts';
import { localFileStore } from '../src/platform/files.ts';
import { createIdNumberVault } from '../src/platform/id-number-vault.ts';
import type { SmsGateway } from '../src/platform/notify.ts';
import { createReadCache } from '../src/platform/read-cache.ts';
import { takeMigratedSchema } from './migrated-schemas.ts';

export const dialects: DialectName[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/**
 * The tests' PostgreSQL connections commit without waiting for the write-ahead log to reach the
 * disk: every write a test makes is a commit, and waiting for the flush (3-5 ms each on CI's disk)
 * was time spent idle. What a test sees is unchanged (a commit is visible at once either way); only
 * a crash of the PostgreSQL server itself could lose the last commits, and the tests' data is
 * thrown away. The crash, restart and backup tests start servers with their own URL and keep the
 * flush.
 */
const TEST_SETTINGS = { synchronous_commit: 'off' };

export type TestClock = { now: number; advance(ms: number): void };

export type TestContext = {
  app: FastifyInstance;
  deps: Deps;
  clock: TestClock;
  database: Database;
  sms: TestSms;
  close(): Promise<void>;
};

/** A PostgreSQL schema of its own for one test file, dropped afterwards. */
export async function createTestSchema(url: string, prefix = 'test'): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onServer(`create schema ${schema}`, url);
  return { schema, drop: () => onServer(`drop schema ${schema} cascade`, url) };
}

/** Runs statements on the PostgreSQL server of the tests, outside any app's pool. */
async function onServer(statements: string, url = process.env.TEST_DATABASE_URL as string): Promise<void> {
  const client = new pg.Client({ connectionString: url, options: '-c synchronous_commit=off' });
  await client.connect();
  try {
    await client.query(statements);
  } finally {
    await client.end();
  }
}

/**
 * A migrated, empty SQLite database, kept as an image and migrated once per process: the files of
 * a worker share this module (vitest's isolate: false), and each opens its copy in milliseconds
 * instead of running every migration again. The callers still run migrateToLatest, which finds
 * nothing to do.
 */
let migratedSqlite: Promise<Buffer> | undefined;

async function openMigratedSqlite(): Promise<Database> {
  migratedSqlite ??= (async () => {
    const empty = openDatabase({ sqliteFile: ':memory:' });
    await migrateToLatest(empty.db);
    const image = empty.image?.();
    await empty.close();
    if (!image) throw new Error('an in-memory SQLite test database has an image');
    return image;
  })();
  return openDatabase({ sqliteImage: await migratedSqlite });
}

export async function openTestDatabase(dialect: DialectName): Promise<{ database: Database; drop(): Promise<void> }> {
  if (dialect === 'sqlite') return { database: await openMigratedSqlite(), drop: async () => {} };
  const url = process.env.TEST_DATABASE_URL as string;
  const { schema, release } = await takeMigratedSchema(url);
  return { database: openDatabase({ url, searchPath: schema, settings: TEST_SETTINGS }), drop: release };
}

/** Texts "sent" in tests, newest last; a test may make the gateway fail. */
export type TestSms = SmsGateway & { sent: { phone: string; text: string }[]; failing: boolean };

/** The six-digit sign-in code in the last text sent to a phone. */
export function lastTextedCode(sms: TestSms, phone: string): string {
  const code = sms.sent
    .filter((text) => text.phone === phone)
    .at(-1)
    ?.text.match(/\d{6}/)?.[0];
  if (!code) throw new Error(`no code texted to ${phone}`);
  return code;
}

function testSms(sent: { phone: string; text: string }[] = []): TestSms {
  return {
    sent,
    failing: false,
    async send(phone, text) {
      if (this.failing) throw new Error('gateway down');
      this.sent.push({ phone, text });
    },
  };
}

/** The real app over `database`, with a test clock starting at `now` and a recording SMS gateway. */
async function startApp(
  database: Database,
  drop: () => Promise<void>,
  options: { env: Record<string, string>; vaultKey: Buffer; now: number; sms: TestSms },
): Promise<TestContext> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: path.join(os.tmpdir(), 'cunzhi-test'),
    WEB_DIST_DIR: path.join(os.tmpdir(), 'cunzhi-test-no-web'),
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    ...options.env,
  });
  const clock: TestClock = {
    now: options.now,
    advance(ms) {
      this.now += ms;
    },
  };
  const deps: Deps = {
    db: database.db,
    reader: database.reader,
    readCache: createReadCache(database.changes),
    // Given here, so that deps copied with a change (a transaction's db) share the caches.
    caches: new Map(),
    dialect: database.dialect,
    config,
    vault: createIdNumberVault(options.vaultKey),
    files: localFileStore(path.join(os.tmpdir(), 'cunzhi-test-files')),
    events: createEventBus(),
    sms: options.sms,
    now: () => clock.now,
  };
  const app = await buildApp(deps, { logger: false });
  await app.ready();
  return {
    app,
    deps,
    clock,
    database,
    sms: options.sms,
    close: async () => {
      await app.close();
      await database.close();
      await drop();
    },
  };
}

/** The real app on a fresh, migrated database of `dialect`, for a whole test file (see useTestApp). */
export async function buildTestApp(dialect: DialectName, env: Record<string, string> = {}): Promise<TestContext> {
  const { database, drop } = await openTestDatabase(dialect);
  await migrateToLatest(database.db);
  return startApp(database, drop, { env, vaultKey: randomBytes(32), now: Date.now(), sms: testSms() });
}

/**
 * What each test starts from: the migrated database after the file's seed. SQLite keeps it as an
 * image and opens an in-memory copy per test. PostgreSQL keeps a copy of every table in a schema
 * beside the file's own and, before each test, puts the tables back to that copy in one
 * transaction (deletes and inserts, with foreign keys and the append-only triggers paused).
 * A template database per test was the first choice; creating one copies every page through the
 * write-ahead log and took 0.2 s on an idle machine and seconds on a busy one.
 */
type Template = { open(): Promise<Database>; discard(): Promise<void> };

async function keepAsTemplate(dialect: DialectName, seeded: Database, schema: { name: string; drop(): Promise<void> }): Promise<Template> {
  if (dialect === 'sqlite') {
    const image = seeded.image?.();
    if (!image) throw new Error('an in-memory SQLite test database has an image');
    await seeded.close();
    return { open: async () => openDatabase({ sqliteImage: image }), discard: async () => {} };
  }
  const url = process.env.TEST_DATABASE_URL as string;
  const kept = `${schema.name}_seed`;
  const tables = (
    await sql<{ name: string }>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${schema.name} and c.relkind = 'r'`.execute(seeded.db)
  ).rows.map((t) => t.name);
  await sql.raw(`create schema ${kept}`).execute(seeded.db);
  const filled: string[] = [];
  for (const table of tables) {
    await sql.raw(`create table ${kept}.${table} as select * from ${schema.name}.${table}`).execute(seeded.db);
    if ((await sql.raw(`select 1 from ${kept}.${table} limit 1`).execute(seeded.db)).rows.length > 0) filled.push(table);
  }
  await seeded.close();
  const restore = [
    'begin',
    'set local session_replication_role = replica',
    ...tables.map((table) => `delete from ${schema.name}.${table}`),
    ...filled.map((table) => `insert into ${schema.name}.${table} select * from ${kept}.${table}`),
    'commit',
  ].join(';\n');
  return {
    open: async () => {
      await onServer(restore);
      return openDatabase({ url, searchPath: schema.name, settings: TEST_SETTINGS });
    },
    discard: async () => {
      await onServer(`drop schema ${kept} cascade`);
      await schema.drop();
    },
  };
}

/** A database of the file's own (a PostgreSQL schema, or SQLite in memory), to be seeded. */
async function openTemplateDatabase(
  dialect: DialectName,
): Promise<{ database: Database; schema: { name: string; drop(): Promise<void> } }> {
  if (dialect === 'sqlite') return { database: await openMigratedSqlite(), schema: { name: 'main', drop: async () => {} } };
  const url = process.env.TEST_DATABASE_URL as string;
  const { schema, release } = await takeMigratedSchema(url);
  return { database: openDatabase({ url, searchPath: schema, settings: TEST_SETTINGS }), schema: { name: schema, drop: release } };
}

/**
 * One fresh database per test. `seed` runs once per file, through the real app, and builds what
 * every test of the file starts from (a region tree, signed-in users); each test then runs on its
 * own copy of that database, with the clock and the sent texts as the seed left them, so no test
 * sees another's writes and the file passes in any order. Call it inside the describe block; it
 * registers its own hooks.
 *
 * The app is built once per file and each test's database is put under it (deps.db, deps.reader
 * and the per-process caches are swapped): building the app costs far more than copying a database, and
 * sessions signed in during the seed keep working because the copy holds them. What the app keeps
 * in memory besides (rate-limit tallies, open event streams) lives as long as the file; a test of
 * those builds its own app with buildTestApp.
 */
export function useTestApp(
  dialect: DialectName,
  seed: (ctx: TestContext) => Promise<void> = async () => {},
  env: Record<string, string> = {},
): TestContext {
  let ctx: TestContext | undefined;
  let template: Template | undefined;
  let seededAt = 0;
  let seededSms: { phone: string; text: string }[] = [];
  let dropCopy = async () => {};
  const live = (): TestContext => {
    if (!ctx) throw new Error('useTestApp: the app exists once the file has started');
    return ctx;
  };
  const stable: TestContext = {
    get app() {
      return live().app;
    },
    get deps() {
      return live().deps;
    },
    get clock() {
      return live().clock;
    },
    get database() {
      return live().database;
    },
    get sms() {
      return live().sms;
    },
    close: async () => {},
  };

  beforeAll(async () => {
    const { database, schema } = await openTemplateDatabase(dialect);
    await migrateToLatest(database.db);
    ctx = await startApp(database, async () => {}, { env, vaultKey: randomBytes(32), now: Date.now(), sms: testSms() });
    await seed(stable);
    seededAt = ctx.clock.now;
    seededSms = [...ctx.sms.sent];
    template = await keepAsTemplate(dialect, database, schema);
  });
  beforeEach(async () => {
    const running = live();
    if (!template) throw new Error('useTestApp: the seed failed');
    const database = await template.open();
    dropCopy = () => database.close();
    running.database = database;
    running.deps.db = database.db;
    running.deps.reader = database.reader;
    running.deps.readCache = createReadCache(database.changes);
    // What the modules keep per process (platform/process-cache.ts) was read from the last copy.
    running.deps.caches = new Map();
    running.clock.now = seededAt;
    running.sms.sent = [...seededSms];
    running.sms.failing = false;
  });
  afterEach(async () => {
    const drop = dropCopy;
    dropCopy = async () => {};
    await drop();
  });
  afterAll(async () => {
    await ctx?.app.close();
    await template?.discard();
  });
  return stable;
}

/** A logged-in browser: carries the session cookie and sends the CSRF token on writes. */
export type Session = {
  cookie: string;
  csrfToken: string;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, payload: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
};

/**
 * Signs in with a password an administrator set (a new account's, a reset's, a county duty
 * holder's) and first changes it, as such a session must before anything else opens, to
 * `${given}Own1`; the session goes on with the new password.
 */
export async function loginChangingPassword(app: FastifyInstance, phone: string, given: string): Promise<Session> {
  const session = await login(app, phone, given);
  const changed = await session.post('/api/auth/password', { currentPassword: given, newPassword: `${given}Own1` });
  if (changed.statusCode !== 204) throw new Error(`password change of ${phone} failed: ${changed.statusCode} ${changed.body}`);
  return session;
}

export async function login(app: FastifyInstance, phone: string, password: string): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password } });
  if (response.statusCode !== 200) throw new Error(`login ${phone} failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'cz_session');
  if (!cookie) throw new Error('no session cookie');
  const { csrfToken } = response.json() as { csrfToken: string };
  const request = (options: InjectOptions) =>
    app.inject({
      ...options,
      headers: { cookie: `cz_session=${cookie.value}`, 'x-csrf-token': csrfToken, ...(options.headers ?? {}) },
    });
  return {
    cookie: cookie.value,
    csrfToken,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, payload, headers) => request({ method: 'POST', url, payload: payload as InjectOptions['payload'], headers }),
    patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] }),
    delete: (url) => request({ method: 'DELETE', url }),
  };
}
