// ID card numbers are stored encrypted (AES-256-GCM) with a keyed hash beside them for exact
// search, so a database dump reveals neither the numbers nor a way to test guesses offline.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type IdNumberVault = {
  encrypt(idNumber: string): string;
  decrypt(sealed: string): string;
  /** Deterministic keyed hash: equal numbers give equal hashes, for lookups and uniqueness. */
  blindIndex(idNumber: string): string;
  /** Login secrets (authenticator apps' keys), sealed under a key of their own derived from the same master key. */
  sealSecret(secret: string): string;
  openSecret(sealed: string): string;
  /**
   * A key of its own for one purpose, derived from the master key and never stored in the
   * database: the audit chain's HMAC key, so that whoever holds only the database cannot
   * recompute the chain (modules/audit/audit-chain.ts).
   */
  derivedKey(purpose: 'audit-chain'): Buffer;
};

export function createIdNumberVault(masterKey: Buffer): IdNumberVault {
  if (masterKey.length !== 32) throw new Error('The ID number key must be 32 bytes');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
  const encryptionKey = derive('cunzhi id-number encryption v1');
  const indexKey = derive('cunzhi id-number index v1');
  const secretKey = derive('cunzhi login-secret encryption v1');
  const seal = (key: Buffer, text: string) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  };
  const open = (key: Buffer, sealed: string) => {
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  };
  const auditChainKey = derive('cunzhi audit-chain hmac v1');
  return {
    derivedKey: () => auditChainKey,
    encrypt: (idNumber) => seal(encryptionKey, idNumber),
    decrypt: (sealed) => open(encryptionKey, sealed),
    sealSecret: (secret) => seal(secretKey, secret),
    openSecret: (sealed) => open(secretKey, sealed),
    blindIndex(idNumber) {
      return createHmac('sha256', indexKey).update(idNumber).digest('base64url');
    },
  };
}

/** The key from the environment, else a key file in the data directory made on first start. */
export function loadIdNumberKey(options: { fromEnv: string | undefined; dataDir: string }): Buffer {
  if (options.fromEnv) return Buffer.from(options.fromEnv, 'base64');
  const file = path.join(options.dataDir, 'keys', 'id-number.key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // 'wx' fails if another node made the file meanwhile; then read theirs.
  try {
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  }
}
