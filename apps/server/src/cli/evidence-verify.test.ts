// `npm run evidence:verify` as a person runs it: a package intact and signed by the county's key
// (--fingerprint or --key) exits 0; a changed one, or one re-signed with another key and that key
// enclosed, exits 1; without a key it checks integrity only, never says VALID, and exits 3; bad
// usage exits 2. No database or configuration needed.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countySigningKeyFrom } from '../modules/monitoring/evidence/county-signing-key.ts';
import { buildEvidencePackage } from '../modules/monitoring/evidence/evidence-package.ts';

const CLI = path.resolve(import.meta.dirname, 'evidence-verify.ts');
const ROOT = path.resolve(import.meta.dirname, '../../../..');
const countyKey = countySigningKeyFrom(generateKeyPairSync('ed25519').privateKey);
const otherKey = countySigningKeyFrom(generateKeyPairSync('ed25519').privateKey);
/** Each run starts Node with tsx (several seconds on a loaded two-core machine), and a test makes up to eleven. */
const SLOW = 240_000;

describe('evidence:verify', () => {
  let dir: string;
  let good: string;
  let tampered: string;
  let forged: string;
  let countyPem: string;
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-evidence-cli-'));
    good = path.join(dir, 'evidence.zip');
    const person = { userId: 'u-1', name: '张警官', role: 'police_liaison' };
    const build = (outFile: string, signingKey: typeof countyKey, picture = 'jpeg') =>
      buildEvidencePackage({
        outFile,
        files: [1, 2].map((i) => ({
          path: `images/snap-${i}.jpg`,
          bytes: Buffer.from(`${picture} ${i}`),
          capturedAt: `2026-11-2${i}T08:00:00Z`,
        })),
        manifestFields,
        signingKey,
      });
    const manifestFields = {
      packageId: 'ep-cli',
      caseNumber: '大公（刑）字〔2026〕第12号',
      camera: { id: 'cam-1', name: '集镇东口' },
      region: { id: 'r-1', name: '大溪镇' },
      timeRange: { from: '2026-11-20T00:00:00Z', to: '2026-11-30T00:00:00Z' },
      request: { by: person, at: '2026-12-01T01:00:00Z', reason: '调查违建纠纷' },
      approval: { by: { userId: 'u-2', name: '李书记' }, at: '2026-12-01T02:00:00Z', reason: '同意' },
      issuer: { platform: '村治 Cunzhi', county: '示范县' },
    };
    await build(good, countyKey);
    // The attacker's package: other pictures, re-signed with their own key, which it encloses.
    forged = path.join(dir, 'forged.zip');
    await build(forged, otherKey, 'altered');
    tampered = path.join(dir, 'tampered.zip');
    const bytes = fs.readFileSync(good);
    bytes[100] = (bytes[100] as number) ^ 1;
    fs.writeFileSync(tampered, bytes);
    countyPem = path.join(dir, 'county.pem');
    fs.writeFileSync(countyPem, countyKey.publicKeyPem);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(
    'without a key checks integrity only: never VALID, exit 3, the enclosed fingerprint to compare',
    () => {
      const result = run(good);
      expect(result.status).toBe(3);
      expect(result.stdout).not.toContain('VALID\n');
      expect(result.stdout).not.toContain('有效 VALID');
      expect(result.stdout).toContain('结果 Result: 仅完整性已核验，签发者未核实 INTEGRITY ONLY — ORIGIN NOT CHECKED');
      expect(result.stdout).toContain('--fingerprint');
      expect(result.stdout).toContain('签名者 Signer: 未核实 NOT VERIFIED');
      expect(result.stdout).toContain(countyKey.fingerprintGrouped);
      expect(result.stdout).toContain('案件编号 Case number: 大公（刑）字〔2026〕第12号');
      expect(result.stdout).toContain('申请 Requested: 张警官，police_liaison，2026-12-01 09:00:00：调查违建纠纷');
    },
    SLOW,
  );

  it(
    'exits 0 and says the signer is verified with the county fingerprint or PEM file',
    () => {
      for (const args of [
        ['--fingerprint', countyKey.fingerprint],
        ['--fingerprint', countyKey.fingerprintGrouped],
        ['--key', countyPem],
        ['--public-key', countyPem],
        ['--public-key', countyKey.fingerprint],
      ]) {
        const result = run(good, ...args);
        expect(result.status, args.join(' ')).toBe(0);
        expect(result.stdout).toContain('结果 Result: 有效 VALID');
        expect(result.stdout).toContain('签名者 Signer: 已核实 VERIFIED');
      }
      expect(run(`--fingerprint=${countyKey.fingerprint}`, good).status).toBe(0);
    },
    SLOW,
  );

  it(
    'fails a package re-signed with another key that it encloses, once the county fingerprint is given',
    () => {
      const forgedAlone = run(forged);
      expect(forgedAlone.status).toBe(3);
      expect(forgedAlone.stdout).not.toContain('有效 VALID');
      // The fingerprint printed to compare is the forger's, not the county's.
      expect(forgedAlone.stdout).toContain(otherKey.fingerprintGrouped);
      expect(forgedAlone.stdout).not.toContain(countyKey.fingerprintGrouped);
      for (const args of [
        ['--fingerprint', countyKey.fingerprint],
        ['--key', countyPem],
      ]) {
        const result = run(forged, ...args);
        expect(result.status, args.join(' ')).toBe(1);
        expect(result.stdout).toContain('结果 Result: 无效 INVALID');
        expect(result.stdout).toContain('签名公钥不是您信任的县级公钥');
      }
    },
    SLOW,
  );

  it(
    'exits 1 for a changed package, or one checked against another key',
    () => {
      const changed = run(tampered, '--public-key', countyKey.fingerprint);
      expect(changed.status).toBe(1);
      expect(changed.stdout).toContain('结果 Result: 无效 INVALID');
      const other = run(good, '--public-key', otherKey.fingerprint);
      expect(other.status).toBe(1);
      expect(other.stdout).toContain('签名公钥不是您信任的县级公钥');
      const notZip = path.join(dir, 'note.txt');
      fs.writeFileSync(notZip, 'hello');
      expect(run(notZip).status).toBe(1);
    },
    SLOW,
  );

  it(
    'exits 2 on bad usage: no package, no such file, an unusable --public-key, an unknown flag',
    () => {
      for (const args of [
        [],
        [path.join(dir, 'missing.zip')],
        [good, '--public-key', 'not-a-key'],
        [good, '--public-key'],
        [good, '--fingerprint', 'abcd'],
        [good, '--fingerprint', countyPem],
        [good, '--key', countyKey.fingerprint],
        [good, '--fingerprint', countyKey.fingerprint, '--key', countyPem],
        [good, '--force'],
        [good, good],
      ]) {
        const result = run(...args);
        expect(result.status, args.join(' ')).toBe(2);
        expect(result.stderr).toContain('npm run evidence:verify');
      }
      fs.writeFileSync(
        path.join(dir, 'ec.pem'),
        generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }),
      );
      expect(run(good, '--public-key', path.join(dir, 'ec.pem')).status).toBe(2);
    },
    SLOW,
  );

  it(
    'runs as the npm script',
    () => {
      const result = spawnSync('npm', ['run', '--silent', 'evidence:verify', '--', good, '--fingerprint', countyKey.fingerprint], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('已核实 VERIFIED');
    },
    SLOW,
  );
});
