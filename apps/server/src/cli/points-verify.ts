// `npm run points:verify`: recomputes every points balance from its ledger, checks each entry's
// balance-after, and each item's stock against its redemptions, on the configured database.
// Exits 0 when everything matches, 1 with one line per mismatch otherwise.
import { ConfigError, loadConfig } from '../config.ts';
import { verify } from '../modules/points/points-reports.repository.ts';
import { keepDataPrivate, prepare } from '../platform/bootstrap.ts';

try {
  const config = loadConfig();
  keepDataPrivate(config);
  const { database, deps } = await prepare(config);
  const result = await verify(deps.reader);
  await database.close();
  process.stdout.write(`points: ${result.accounts} accounts, ${result.entries} ledger entries, ${result.goods} goods checked\n`);
  for (const m of result.mismatches) process.stdout.write(`MISMATCH ${m.kind} ${m.id}: expected ${m.expected}, found ${m.actual}\n`);
  process.stdout.write(
    result.mismatches.length === 0 ? 'all balances and stock match the ledger\n' : `${result.mismatches.length} mismatches\n`,
  );
  process.exit(result.mismatches.length === 0 ? 0 : 1);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(2);
}
