// `npm run restore -- <backup folder>`: restores a backup made by `npm run backup` into an empty
// DATA_DIR (and on PostgreSQL the empty schema DATABASE_URL points at), after checking every part
// against its sha256; then checks the restored database: migrations, row counts against the
// manifest, the points ledger and the audit chain.
// Exits 0 when restored and verified, 2 when refused before touching anything (not empty, wrong
// dialect, not a backup), 1 with one line per problem otherwise.
import { BackupRefusal, restoreBackup } from '../backup.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { keepDataPrivate } from '../platform/bootstrap.ts';

const USAGE = 'usage: npm run restore -- <backup folder>   (into the empty DATA_DIR / DATABASE_URL schema)\n';

try {
  const positionals = process.argv.slice(2);
  if (positionals.length !== 1) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  keepDataPrivate(config);
  const { problems, notes } = await restoreBackup(config, positionals[0] as string);
  for (const note of notes) process.stdout.write(`${note}\n`);
  for (const problem of problems) process.stderr.write(`PROBLEM ${problem}\n`);
  process.stdout.write(
    problems.length === 0
      ? 'restored and verified: sums, migrations, row counts, points ledger and audit chain\n'
      : `${problems.length} problems: do not serve from this restore\n`,
  );
  process.exit(problems.length === 0 ? 0 : 1);
} catch (error) {
  const refused = error instanceof BackupRefusal || error instanceof ConfigError;
  process.stderr.write(`restore ${refused ? 'refused' : 'failed'}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(refused ? 2 : 1);
}
