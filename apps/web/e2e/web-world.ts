// What every browser test file starts with: the real server serving the built web app, seeded as
// the file needs, and Debian's chromium; stop() takes it all down again.
//
// Each test starts from the seed, whatever ran before it: the seeded database is kept as an image
// (in-memory SQLite) and fresh() puts a new copy of it under the running app, as useTestApp does
// for the server's tests (apps/server/test/build-test-app.ts). Copying the image takes milliseconds;
// restarting the server and re-seeding per test would take seconds. What the app keeps in memory
// besides (rate-limit tallies, open event streams) and the uploaded files live as long as the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';
import { type Database, openDatabase } from '../../server/src/db/database.ts';
import { loadDemoCounty } from '../../server/src/demo-county.ts';
import { accountCredentials } from '../../server/src/modules/auth/credentials.service.ts';
import { DEMO_GATEWAY_KEY } from '../../server/src/modules/care/care.demo.ts';
import { seedDemoOrg } from '../../server/src/modules/org/org.demo.ts';
import { prepare } from '../../server/src/platform/bootstrap.ts';
import type { Deps } from '../../server/src/platform/deps.ts';
import { createReadCache } from '../../server/src/platform/read-cache.ts';
import { launchBrowser } from './browser.ts';

export type WebWorld = {
  /** The same object for the whole file; its database is swapped by fresh(). */
  deps: Deps;
  baseUrl: string;
  browser: Browser;
  /** Puts a new copy of the seeded database under the app: call before each test. */
  fresh(): Promise<void>;
  stop(): Promise<void>;
};

export async function startWebWorld(
  name: string,
  seed: (deps: Deps) => Promise<void>,
  env: Record<string, string> = {},
): Promise<WebWorld> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cunzhi-e2e-${name}-`));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, WEB_DIST_DIR: path.resolve(import.meta.dirname, '../dist'), ...env });
  const seeded = openDatabase({ sqliteFile: ':memory:' });
  const { deps } = await prepare(config, seeded);
  await seed(deps);
  const image = seeded.image?.();
  if (!image) throw new Error('an in-memory SQLite database has an image');
  await seeded.close();

  let live: Database | undefined;
  const fresh = async () => {
    const previous = live;
    live = openDatabase({ sqliteImage: image });
    deps.db = live.db;
    deps.reader = live.reader;
    deps.readCache = createReadCache(live.changes);
    await previous?.close();
  };
  await fresh();
  const app = await buildApp(deps, { logger: false });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await launchBrowser();
  return {
    deps,
    baseUrl,
    browser,
    fresh,
    stop: async () => {
      await browser.close();
      await app.close();
      await live?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What the server texted, newest last: the test world's SMS gateway. */
export type Texts = { phone: string; text: string }[];

/**
 * A world on the demo's people and accounts (no cases, care or cameras), whose texts land in
 * `outbox` instead of an SMS gateway. The outbox is emptied by fresh(), with the database.
 */
export async function startTextingWorld(name: string): Promise<WebWorld & { outbox: Texts }> {
  const world = await startWebWorld(name, async (seeded) => {
    await seedDemoOrg(seeded, accountCredentials);
  });
  const outbox: Texts = [];
  world.deps.sms = {
    async send(phone, text) {
      outbox.push({ phone, text });
    },
  };
  return {
    ...world,
    outbox,
    async fresh() {
      await world.fresh();
      outbox.length = 0;
    },
  };
}

/** A world on the demo county without its cameras' week (it loads in a fraction of the time), for pages that show no camera. */
export function startDemoWorld(name: string): Promise<WebWorld> {
  return startWebWorld(name, async (seeded) => void (await loadDemoCounty(seeded)), { DEMO_CAMERAS: 'false' });
}

/** Readings sent as the demo county's gateway (its demo-gateway-key), as a bracelet's gateway posts them. */
export async function sendDemoReadings(baseUrl: string, readings: Record<string, unknown>[]): Promise<void> {
  const response = await fetch(`${baseUrl}/api/care/readings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEMO_GATEWAY_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ readings }),
  });
  expect(response.status).toBe(200);
}
