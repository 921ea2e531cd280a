// What every browser test file starts with: the real server on a fresh SQLite folder, serving the
// built web app, seeded as the file needs, and Debian's chromium; stop() takes it all down again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';
import { prepare } from '../../server/src/platform/bootstrap.ts';
import type { Deps } from '../../server/src/platform/deps.ts';
import { launchBrowser } from './browser.ts';

export type WebWorld = { deps: Deps; baseUrl: string; browser: Browser; stop(): Promise<void> };

export async function startWebWorld(
  name: string,
  seed: (deps: Deps) => Promise<void>,
  env: Record<string, string> = {},
): Promise<WebWorld> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cunzhi-e2e-${name}-`));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, WEB_DIST_DIR: path.resolve(import.meta.dirname, '../dist'), ...env });
  const { deps, database } = await prepare(config);
  await seed(deps);
  const app = await buildApp(deps, { logger: false });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await launchBrowser();
  return {
    deps,
    baseUrl,
    browser,
    stop: async () => {
      await browser.close();
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
