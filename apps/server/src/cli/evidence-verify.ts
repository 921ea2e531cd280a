// `npm run evidence:verify -- <package.zip> --fingerprint <hex>` (or `--key <PEM file>`): checks a
// downloaded evidence package offline (modules/monitoring/evidence/evidence-verifier.ts): the
// signature, every file's size and SHA-256, nothing missing or extra, no byte changed. It needs no
// database, configuration or network. The package carries a public key, but anyone can re-sign a
// changed package with a key of their own and enclose that one: only the county's published
// fingerprint (GET /api/monitoring/evidence-key, the police evidence page) proves who signed.
// Without --fingerprint or --key it checks integrity only, says so, never says VALID, and prints
// the enclosed key's fingerprint to compare. --public-key <PEM file or fingerprint> is the old name.
// Exits 0 when the package is intact and signed by the given key, 1 when it is not, 2 on bad usage
// or an unreadable file, 3 when it is intact but no key was given to check who signed it.
import fs from 'node:fs';
import path from 'node:path';
import { parseFingerprint, parsePublicKeyPem } from '../modules/monitoring/evidence/county-signing-key.ts';
import { describeVerification } from '../modules/monitoring/evidence/evidence-verification-summary.ts';
import { verifyEvidencePackage } from '../modules/monitoring/evidence/evidence-verifier.ts';

const USAGE = [
  '用法 usage: npm run evidence:verify -- <取证包.zip package.zip> --fingerprint <县里公布的公钥指纹 county key fingerprint>',
  '       npm run evidence:verify -- <取证包.zip package.zip> --key <县里公布的公钥文件 county public key PEM file>',
  '  不给指纹或公钥时只核验完整性，不核验签发者 / without one, only integrity is checked, not who signed.',
  '  退出码 exit: 0 有效 valid, 1 无效 invalid, 2 用法错误 usage, 3 完整但签发者未核实 intact, signer not checked',
  '',
].join('\n');
const OPTIONS = ['--fingerprint', '--key', '--public-key'] as const;
type Trusted = { option: (typeof OPTIONS)[number]; value: string };

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(USAGE);
  process.exit(2);
}

function parseArgs(args: string[]): { packageFile: string; trusted: Trusted | undefined } {
  let packageFile: string | undefined;
  let trusted: Trusted | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const option = OPTIONS.find((o) => arg === o || arg.startsWith(`${o}=`));
    if (option) {
      if (trusted !== undefined) usage();
      const value = arg === option ? args[++i] : arg.slice(option.length + 1);
      if (!value) usage();
      trusted = { option, value };
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
function trustedKeyFrom({ option, value }: Trusted): string {
  const isFile = fs.existsSync(value) && fs.statSync(value).isFile();
  if (option !== '--fingerprint' && isFile) {
    const pem = fs.statSync(value).size <= 16_384 ? fs.readFileSync(value, 'utf8') : '';
    if (!parsePublicKeyPem(pem)) usage(`${option}: 该文件不是 Ed25519 公钥 / the file is not an Ed25519 public key (PEM)`);
    return pem;
  }
  if (option === '--key') usage('--key: 找不到该公钥文件 / no such public key file');
  if (!parseFingerprint(value)) usage(`${option}: 应为 64 位十六进制指纹 / expected a 64-hex-digit fingerprint`);
  return value;
}

const { packageFile, trusted } = parseArgs(process.argv.slice(2));
const trustedPublicKey = trusted === undefined ? undefined : trustedKeyFrom(trusted);
if (!fs.existsSync(packageFile) || !fs.statSync(packageFile).isFile()) usage('找不到该取证包文件 / no such package file');
const result = await verifyEvidencePackage(packageFile, { trustedPublicKey });
process.stdout.write(describeVerification(result, path.basename(packageFile)));
process.exit(!result.valid ? 1 : result.signerVerified ? 0 : 3);
