// The county's Ed25519 key that signs evidence packages for the police. It is kept the way the
// ID-number key is (platform/id-number-vault.ts): given by configuration, else a file in the data
// directory's keys/ folder made on first use with mode 0600. The public half is published (the
// PEM and its fingerprint) so that whoever receives a package can check who signed it.
//
// The fingerprint is the SHA-256 of the public key's DER (SubjectPublicKeyInfo), so anyone can
// recompute it with standard tools:
//   openssl pkey -pubin -in county-public-key.pem -outform DER | sha256sum
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';

export const SIGNING_KEY_FILE = path.join('keys', 'county-evidence-signing.pem');

export type PublishedCountyKey = {
  algorithm: 'Ed25519';
  publicKeyPem: string;
  /** 64 lowercase hex digits: SHA-256 of the public key's DER. */
  fingerprint: string;
  /** The same in groups of four, easier to read aloud over the phone. */
  fingerprintGrouped: string;
};

export type CountySigningKey = PublishedCountyKey & { readonly privateKey: KeyObject };

/**
 * The key from configuration (a PKCS#8 PEM, or its DER in base64), else the key file in
 * `dataDir` (created if absent). Throws if the key is not Ed25519; never puts key bytes in an error.
 */
export function loadCountySigningKey(options: { fromConfig: string | undefined; dataDir: string }): CountySigningKey {
  if (options.fromConfig) return countySigningKeyFrom(parsePrivateKey(options.fromConfig.trim()));
  const file = path.join(options.dataDir, SIGNING_KEY_FILE);
  if (fs.existsSync(file)) return countySigningKeyFrom(readKeyFile(file));
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  // 'wx' fails if another process made the file meanwhile; then use theirs.
  try {
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    return countySigningKeyFrom(privateKey);
  } catch {
    return countySigningKeyFrom(readKeyFile(file));
  }
}

/** What may be shown to anyone: the public key and its fingerprint, without the private key. */
export function publishedCountyKey(key: PublishedCountyKey): PublishedCountyKey {
  return {
    algorithm: 'Ed25519',
    publicKeyPem: key.publicKeyPem,
    fingerprint: key.fingerprint,
    fingerprintGrouped: key.fingerprintGrouped,
  };
}

export function countySigningKeyFrom(privateKey: KeyObject): CountySigningKey {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error('The evidence signing key must be an Ed25519 private key');
  }
  const publicKey = createPublicKey(privateKey);
  const published = {
    algorithm: 'Ed25519' as const,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: publicKeyFingerprint(publicKey),
  };
  const key = { ...published, fingerprintGrouped: groupFingerprint(published.fingerprint) };
  // The private key is not enumerable, and JSON or a log line of the object shows the public part only.
  Object.defineProperty(key, 'privateKey', { value: privateKey, enumerable: false });
  Object.defineProperty(key, 'toJSON', { value: () => publishedCountyKey(key), enumerable: false });
  Object.defineProperty(key, inspect.custom, { value: () => publishedCountyKey(key), enumerable: false });
  return key as CountySigningKey;
}

export function publicKeyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export function groupFingerprint(fingerprint: string): string {
  return (fingerprint.match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * A fingerprint as a person types or pastes it: 64 hex digits, any case, with or without
 * spaces or colons and an optional `SHA256:` prefix. Undefined when it is not one.
 */
export function parseFingerprint(text: string): string | undefined {
  if (text.length > 200) return undefined;
  const digits = text
    .trim()
    .replace(/^sha-?256:/i, '')
    .replace(/[\s:]/g, '')
    .toLowerCase();
  return /^[0-9a-f]{64}$/.test(digits) ? digits : undefined;
}

/** An Ed25519 public key from PEM text; undefined when the text is not one. */
export function parsePublicKeyPem(pem: string): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

function readKeyFile(file: string): KeyObject {
  // Close a key file left readable by others (made by hand, or copied in with a loose umask).
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return parsePrivateKey(fs.readFileSync(file, 'utf8').trim());
}

function parsePrivateKey(text: string): KeyObject {
  try {
    return text.startsWith('-----BEGIN')
      ? createPrivateKey({ key: text, format: 'pem' })
      : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error('The evidence signing key could not be read: expected an Ed25519 private key in PKCS#8 PEM or base64 DER');
  }
}
