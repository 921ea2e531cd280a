// Each test file gets the real app on a fresh, migrated database of each dialect: SQLite in
// memory always, and PostgreSQL (a schema of its own) when TEST_DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
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

export const dialects: DialectName[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

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
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create schema ${schema}`);
  return { schema, drop: () => run(`drop schema ${schema} cascade`) };
}

export async function openTestDatabase(dialect: DialectName): Promise<{ database: Database; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const database = openDatabase({ sqliteFile: ':memory:' });
    return { database, drop: async () => {} };
  }
  const url = process.env.TEST_DATABASE_URL as string;
  const { schema, drop } = await createTestSchema(url);
  return { database: openDatabase({ url, searchPath: schema }), drop };
}

/** Texts "sent" in tests, newest last; a test may make the gateway fail. */
export type TestSms = SmsGateway & { sent: { phone: string; text: string }[]; failing: boolean };

export async function buildTestApp(dialect: DialectName, env: Record<string, string> = {}): Promise<TestContext> {
  const testSms: TestSms = {
    sent: [],
    failing: false,
    async send(phone, text) {
      if (this.failing) throw new Error('gateway down');
      this.sent.push({ phone, text });
    },
  };
  const { database, drop } = await openTestDatabase(dialect);
  await migrateToLatest(database.db);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: path.join(os.tmpdir(), 'cunzhi-test'),
    WEB_DIST_DIR: path.join(os.tmpdir(), 'cunzhi-test-no-web'),
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    ...env,
  });
  const clock: TestClock = {
    now: Date.now(),
    advance(ms) {
      this.now += ms;
    },
  };
  const deps: Deps = {
    db: database.db,
    reader: database.reader,
    readCache: createReadCache(database.changes),
    dialect: database.dialect,
    config,
    vault: createIdNumberVault(randomBytes(32)),
    files: localFileStore(path.join(os.tmpdir(), 'cunzhi-test-files')),
    events: createEventBus(),
    sms: testSms,
    now: () => clock.now,
  };
  const app = await buildApp(deps, { logger: false });
  await app.ready();
  return {
    app,
    deps,
    clock,
    database,
    sms: testSms,
    close: async () => {
      await app.close();
      await database.close();
      await drop();
    },
  };
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
