// The county's evidence signing key: made once in the data directory (0600) or taken from
// configuration, Ed25519 only, published as PEM and fingerprint, and never shown in JSON or logs.
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  groupFingerprint,
  loadCountySigningKey,
  parseFingerprint,
  parsePublicKeyPem,
  publishedCountyKey,
  SIGNING_KEY_FILE,
} from './county-signing-key.ts';

describe('county signing key', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-signing-key-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('is generated once into the data directory, readable by its owner only, and the same on every later load', () => {
    const first = loadCountySigningKey({ fromConfig: undefined, dataDir });
    const file = path.join(dataDir, SIGNING_KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(file, 'utf8')).toContain('BEGIN PRIVATE KEY');
    const second = loadCountySigningKey({ fromConfig: undefined, dataDir });
    expect(second.fingerprint).toBe(first.fingerprint);
    const signature = sign(null, Buffer.from('manifest'), second.privateKey);
    expect(verify(null, Buffer.from('manifest'), first.publicKeyPem, signature)).toBe(true);
  });

  it('closes a key file others could read', () => {
    const first = loadCountySigningKey({ fromConfig: undefined, dataDir });
    const file = path.join(dataDir, SIGNING_KEY_FILE);
    fs.chmodSync(file, 0o644);
    expect(loadCountySigningKey({ fromConfig: undefined, dataDir }).fingerprint).toBe(first.fingerprint);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('takes the key from configuration as PEM or base64 DER, and then writes no file', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const der = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const expected = createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex');
    expect(loadCountySigningKey({ fromConfig: pem, dataDir }).fingerprint).toBe(expected);
    expect(loadCountySigningKey({ fromConfig: der, dataDir }).fingerprint).toBe(expected);
    expect(fs.existsSync(path.join(dataDir, SIGNING_KEY_FILE))).toBe(false);
  });

  it('refuses a key that is not Ed25519 or not a key, without repeating it', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadCountySigningKey({ fromConfig: ec, dataDir })).toThrow('must be an Ed25519 private key');
    const garbage = 'not-a-key-secret-material';
    const error = (() => {
      try {
        loadCountySigningKey({ fromConfig: garbage, dataDir });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toContain('could not be read');
    expect(error?.message).not.toContain(garbage);
  });

  it('publishes the public key and fingerprint, and JSON, inspect and log lines never show the private key', () => {
    const key = loadCountySigningKey({ fromConfig: undefined, dataDir });
    const published = publishedCountyKey(key);
    expect(Object.keys(published).sort()).toEqual(['algorithm', 'fingerprint', 'fingerprintGrouped', 'publicKeyPem']);
    expect(published.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(published.fingerprintGrouped).toBe(groupFingerprint(published.fingerprint));
    expect(published.fingerprintGrouped.split(' ')).toHaveLength(16);
    expect(parsePublicKeyPem(published.publicKeyPem)).toBeDefined();

    const secret = key.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    log.info({ key }, 'signing key loaded');
    for (const shown of [JSON.stringify(key), inspect(key, { depth: 5, showHidden: false }), JSON.stringify({ ...key }), lines.join('')]) {
      expect(shown).not.toContain('PRIVATE KEY');
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain(secret.slice(-44));
    }
    expect(JSON.parse(JSON.stringify(key))).toEqual(published);
  });

  it('reads a fingerprint however a person types it, and nothing else', () => {
    const hex = 'ab'.repeat(32);
    for (const typed of [hex, hex.toUpperCase(), `SHA256:${hex}`, groupFingerprint(hex), hex.match(/../g)?.join(':') ?? '']) {
      expect(parseFingerprint(typed)).toBe(hex);
    }
    for (const typed of ['', 'ab'.repeat(31), `${hex}00`, 'zz'.repeat(32), 'x'.repeat(500)])
      expect(parseFingerprint(typed)).toBeUndefined();
    expect(parsePublicKeyPem('-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----')).toBeUndefined();
  });
});
