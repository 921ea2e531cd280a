// `npm run points:verify` on a real data directory: silent success, then the tampered balance found.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { accountCredentials } from '../modules/auth/credentials.service.ts';
import { seedDemoOrg } from '../modules/org/org.demo.ts';
import { seedDemoPoints } from '../modules/points/points.demo.ts';
import { prepare } from '../platform/bootstrap.ts';

const CLI = path.resolve(import.meta.dirname, 'points-verify.ts');

describe('points:verify', () => {
  let dataDir: string;
  const run = () =>
    spawnSync(process.execPath, ['--import', 'tsx', CLI], {
      env: { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'test', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });

  // Each test its own data directory: the second one tampers with a balance.
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-verify-'));
    const { database, deps } = await prepare(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir }));
    const demo = await seedDemoOrg(deps, accountCredentials);
    const keeper = await deps.db.selectFrom('users').select('id').where('phone', '=', '13800000009').executeTakeFirstOrThrow();
    await seedDemoPoints(deps, demo.regionsByCode, keeper.id);
    await database.close();
  }, 60_000);
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('reports that every balance and every stock matches, and exits 0', () => {
    const result = run();
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/points: \d+ accounts, \d+ ledger entries, 48 goods checked/);
    expect(result.stdout).toContain('all balances and stock match the ledger');
  });

  it('names a balance changed behind the ledger and exits 1', async () => {
    const { database, deps } = await prepare(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir }));
    const account = await deps.db.selectFrom('points_accounts').select(['household_id', 'balance']).executeTakeFirstOrThrow();
    await deps.db
      .updateTable('points_accounts')
      .set({ balance: account.balance + 7 })
      .where('household_id', '=', account.household_id)
      .execute();
    await database.close();
    const result = run();
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`MISMATCH balance ${account.household_id}: expected ${account.balance}, found ${account.balance + 7}`);
  });
});
