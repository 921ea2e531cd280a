// The server as npm start runs it: built to plain JavaScript (scripts/build-server.mjs) and run by
// node with no TypeScript loader. The build must hold everything the server loads at run time,
// including the modules its worker threads load by path. It is built before the tests run
// (test/global-setup.ts), as the tests that start the real process use it too.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const BUILT = path.join(ROOT, 'apps/server/dist');

describe('the built server', () => {
  let child: ChildProcess;
  let url: string;
  let output = '';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-built-'));

  beforeAll(async () => {
    child = spawn(process.execPath, [path.join(BUILT, 'main.js')], {
      cwd: dataDir,
      env: {
        PATH: process.env.PATH as string,
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        DEMO_DATA: 'false',
        JOBS_ENABLED: 'false',
        SIMULATE_CARE: 'false',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no sign of listening:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (found) {
          clearTimeout(timer);
          resolve(found[1] as string);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('exit', (code) => reject(new Error(`exited (${code}):\n${output}`)));
    });
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds no TypeScript: every file it runs is JavaScript', () => {
    const files = fs.readdirSync(BUILT, { recursive: true }).map(String);
    expect(files.filter((file) => file.endsWith('.ts'))).toEqual([]);
    expect(files).toContain('main.js');
    // Worker threads load their module by path, not by import: each is built all the same.
    const workers = fs
      .readdirSync(path.join(ROOT, 'apps/server/src'), { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.worker.ts'));
    expect(workers.length).toBeGreaterThan(0);
    for (const worker of workers) expect(files).toContain(worker.replace(/\.ts$/, '.js'));
  });

  it('answers, migrated and with its routes and contracts loaded', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const refused = await fetch(`${url}/api/cases?view=mine`);
    expect(refused.status).toBe(401);
    // The refusal's words come from the contracts' error catalogue, built beside the server.
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('not_authenticated');
    expect(error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it("runs the change detector's worker thread from the built files, without a loader", async () => {
    // The runner the server's detection job uses, and the detector it hands snapshots to.
    const { DetectionRunner } = await import(path.join(BUILT, 'modules/monitoring/detection-runner.js'));
    const { prepareBaseline } = await import(path.join(BUILT, 'modules/monitoring/detection/change-detector.js'));
    const runner = new DetectionRunner();
    try {
      const image = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#6a8' } })
        .jpeg()
        .toBuffer();
      const baseline = await prepareBaseline(new Uint8Array(image));
      const result = await runner.detect({
        baseline,
        snapshot: new Uint8Array(image),
        watchArea: [
          { x: 0, y: 0 },
          { x: 1, y: 0 },
          { x: 1, y: 1 },
          { x: 0, y: 1 },
        ],
      });
      expect(result.regions).toEqual([]);
    } finally {
      await runner.close();
    }
  });
});
