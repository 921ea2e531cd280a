// `npm run evidence:verify -- <package.zip> [--public-key <PEM file or fingerprint>]`: checks a
// downloaded evidence package offline (modules/monitoring/evidence/evidence-verifier.ts): the
// signature, every file's size and SHA-256, nothing missing or extra, no byte changed. It needs no
// database, configuration or network. With --public-key (the county's published PEM file or its
// fingerprint) it also proves who signed; without, it says the signature was checked against the
// key inside the package only and prints that key's fingerprint to compare with the county's.
// Exits 0 when the package is valid, 1 when it is not, 2 on bad usage or an unreadable file.
import fs from 'node:fs';
import path from 'node:path';
import { parseFingerprint, parsePublicKeyPem } from '../modules/monitoring/evidence/county-signing-key.ts';
import { describeVerification } from '../modules/monitoring/evidence/evidence-verification-summary.ts';
import { verifyEvidencePackage } from '../modules/monitoring/evidence/evidence-verifier.ts';

const USAGE = '用法 usage: npm run evidence:verify -- <取证包.zip package.zip> [--public-key <公钥文件或指纹 PEM file or fingerprint>]\n';

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(USAGE);
  process.exit(2);
}

function parseArgs(args: string[]): { packageFile: string; trusted: string | undefined } {
  let packageFile: string | undefined;
  let trusted: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--public-key' || arg.startsWith('--public-key=')) {
      if (trusted !== undefined) usage();
      trusted = arg === '--public-key' ? args[++i] : arg.slice('--public-key='.length);
      if (!trusted) usage();
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-') || packageFile !== undefined) {
      usage();
    } else {
      packageFile = arg;
    }
  }
  if (!packageFile) usage();
  return { packageFile, trusted };
}

/** A PEM file's text or a fingerprint, as the verifier takes it. */
function trustedKeyFrom(value: string): string {
  if (fs.existsSync(value) && fs.statSync(value).isFile()) {
    const pem = fs.statSync(value).size <= 16_384 ? fs.readFileSync(value, 'utf8') : '';
    if (!parsePublicKeyPem(pem)) usage('--public-key: 该文件不是 Ed25519 公钥 / the file is not an Ed25519 public key (PEM)');
    return pem;
  }
  if (!parseFingerprint(value)) usage('--public-key: 应为公钥文件或 64 位十六进制指纹 / expected a PEM file or a 64-hex-digit fingerprint');
  return value;
}

const { packageFile, trusted } = parseArgs(process.argv.slice(2));
const trustedPublicKey = trusted === undefined ? undefined : trustedKeyFrom(trusted);
if (!fs.existsSync(packageFile) || !fs.statSync(packageFile).isFile()) usage('找不到该取证包文件 / no such package file');
const result = await verifyEvidencePackage(packageFile, { trustedPublicKey });
process.stdout.write(describeVerification(result, path.basename(packageFile)));
process.exit(result.valid ? 0 : 1);
