// `npm run audit:verify [-- --expect-head <seq>:<hash>]`: recomputes the audit log's hash chain
// on the configured database (modules/audit/audit-chain.ts) with the key derived from the
// ID-number key. Exits 0 when every link holds, 1 naming the first broken link (its seq and
// record id), 2 on bad usage or when the database cannot be read. It seals nothing: records the
// server has not sealed yet are counted, not judged.
// --expect-head takes a head recorded outside the machine (the server log's `audit chain sealed`
// lines, a backup manifest, GET /api/audit/head): the chain must still reach it, which catches
// newest records cut off with the head row moved back.
import { ConfigError, loadConfig } from '../config.ts';
import { type ChainHeadRef, formatHead, parseHead, verifyAuditChain } from '../modules/audit/audit-chain.ts';
import { keepDataPrivate, prepare } from '../platform/bootstrap.ts';

const USAGE = 'usage: npm run audit:verify [-- --expect-head <seq>:<sha256 hex>]\n';

let expectHead: ChainHeadRef | undefined;
const args = process.argv.slice(2);
if (args.length > 0) {
  const value = args[0] === '--expect-head' && args.length === 2 ? parseHead(args[1] as string) : undefined;
  if (!value) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  expectHead = value;
}

try {
  const config = loadConfig();
  keepDataPrivate(config);
  const { database, deps } = await prepare(config);
  const verdict = await verifyAuditChain(deps.db, deps.vault.derivedKey('audit-chain'), { expectHead });
  await database.close();
  process.stdout.write(`audit: ${verdict.verified} links verified, ${verdict.unsealed} records not sealed yet\n`);
  const broken = verdict.firstBroken;
  if (broken) {
    process.stdout.write(`BROKEN at seq ${broken.seq ?? '-'} record ${broken.auditId ?? '-'}: ${broken.reason}\n`);
  } else {
    process.stdout.write(`the audit chain holds${expectHead ? ` and reaches ${formatHead(expectHead)}` : ''}\n`);
  }
  process.exit(verdict.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(2);
}
