// The county's evidence-signing key in backups (backup.ts): kept like the ID-number key. Its public
// fingerprint is recorded; the key itself travels only with --include-key; a restore without it
// says so, because a server started without it makes a new key and the fingerprint the county
// published stops matching new police evidence packages.
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.ts';
import { countySigningKeyFrom, loadCountySigningKey, SIGNING_KEY_FILE } from './modules/monitoring/evidence/county-signing-key.ts';

/** Where the key goes inside a backup folder. */
export const EVIDENCE_KEY_PART = 'keys/county-evidence-signing.pem';

/** What a backup's manifest records of the key. */
export type RecordedEvidenceKey = { where: string; fingerprint: string | undefined; included: boolean };

/** The evidence-signing key as configured or kept in DATA_DIR, without making one. */
export async function evidenceKeyOf(config: Config): Promise<{ where: string; fingerprint: string | undefined; pem: string | undefined }> {
  if (config.evidenceSigningKey) {
    const key = loadCountySigningKey({ fromConfig: config.evidenceSigningKey, dataDir: config.dataDir });
    return { where: 'the EVIDENCE_SIGNING_KEY environment variable of the server', fingerprint: key.fingerprint, pem: undefined };
  }
  const file = path.join(config.dataDir, SIGNING_KEY_FILE);
  const pem = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return { where: file, fingerprint: pem === undefined ? undefined : countySigningKeyFrom(createPrivateKey(pem)).fingerprint, pem };
}

export function evidenceKeyNote(where: string, fingerprint: string | undefined, included: boolean): string {
  if (!fingerprint) return '';
  return [
    '证据包签名密钥 The evidence-signing key',
    '',
    `公安证据包用此密钥签名 Police evidence packages are signed with the key at: ${where}`,
    `公钥指纹 Public key fingerprint (sha256): ${fingerprint}`,
    included
      ? '本备份含此密钥（--include-key）。 This backup HOLDS this key (--include-key).'
      : `本备份不含此密钥：恢复后请放回 DATA_DIR/${SIGNING_KEY_FILE} 或设 EVIDENCE_SIGNING_KEY，否则服务器会生成新密钥、公布的指纹随之改变。\n` +
        `This backup does NOT hold this key: after a restore put it back at DATA_DIR/${SIGNING_KEY_FILE} or set EVIDENCE_SIGNING_KEY,\n` +
        "or the server makes a new key and the county's published fingerprint changes.",
    '',
  ].join('\n');
}

export async function restoreEvidenceKey(config: Config, source: string, recorded: RecordedEvidenceKey | undefined): Promise<string[]> {
  if (!recorded?.fingerprint) return [];
  const file = path.join(config.dataDir, SIGNING_KEY_FILE);
  if (recorded.included && !config.evidenceSigningKey) {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await fs.copyFile(path.join(source, EVIDENCE_KEY_PART), file);
    await fs.chmod(file, 0o600);
  }
  const present = await evidenceKeyOf(config);
  if (!present.fingerprint) {
    return [
      `EVIDENCE KEY NEEDED: put the evidence-signing key (fingerprint ${recorded.fingerprint}) at ${file} or in EVIDENCE_SIGNING_KEY ` +
        "before starting the server; without it the server makes a new key and the county's published fingerprint changes",
    ];
  }
  if (present.fingerprint !== recorded.fingerprint) {
    return [`EVIDENCE KEY MISMATCH: the configured evidence-signing key is not the backup's (fingerprint ${recorded.fingerprint})`];
  }
  return [];
}
