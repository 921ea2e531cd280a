// `npm run backup -- <new folder> [--include-key]`: a consistent backup of the database, the stored
// files and a note of where the ID-number key lives, taken while the server keeps serving (SQLite's
// online backup API, or pg_dump on PostgreSQL). See src/backup.ts for the folder's contents.
// Exits 0 when the backup is complete, 2 on bad usage or a non-empty folder, 1 on any other failure.
import { parseArgs } from 'node:util';
import { BackupRefusal, makeBackup } from '../backup.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { keepDataPrivate } from '../platform/bootstrap.ts';

const USAGE = 'usage: npm run backup -- <new backup folder> [--include-key]\n';

try {
  const { values, positionals } = parseArgs({ options: { 'include-key': { type: 'boolean', default: false } }, allowPositionals: true });
  if (positionals.length !== 1) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  const started = Date.now();
  const config = loadConfig();
  // The backup holds what the data folder holds: readable by this account only.
  keepDataPrivate(config);
  const manifest = await makeBackup(config, positionals[0] as string, { includeKey: values['include-key'] === true });
  const rows = Object.values(manifest.counts).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `backup of ${manifest.dialect} at schema ${manifest.schemaVersion}: ${rows} rows in ${Object.keys(manifest.counts).length} tables, ` +
      `${manifest.files.count} files, in ${Date.now() - started} ms\n` +
      (manifest.key.included
        ? 'the ID-number key is IN this backup: guard it like the key\n'
        : `the ID-number key is NOT in it; it lives at ${manifest.key.where}\n`),
  );
  process.exit(0);
} catch (error) {
  const refused =
    error instanceof BackupRefusal || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
  if (refused) process.stderr.write(USAGE);
  process.exit(refused ? 2 : 1);
}
