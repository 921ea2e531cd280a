// `npm run audit:verify`: recomputes the audit log's hash chain on the configured database
// (modules/audit/audit-chain.ts). Exits 0 when every link holds, 1 naming the first broken link
// (its seq and record id), 2 when the database cannot be read. It seals nothing: records the
// server has not sealed yet are counted, not judged.
import { ConfigError, loadConfig } from '../config.ts';
import { verifyAuditChain } from '../modules/audit/audit-chain.ts';
import { prepare } from '../platform/bootstrap.ts';

try {
  const { database, deps } = await prepare(loadConfig());
  const verdict = await verifyAuditChain(deps.db);
  await database.close();
  process.stdout.write(`audit: ${verdict.verified} links verified, ${verdict.unsealed} records not sealed yet\n`);
  const broken = verdict.firstBroken;
  if (broken) {
    process.stdout.write(`BROKEN at seq ${broken.seq ?? '-'} record ${broken.auditId ?? '-'}: ${broken.reason}\n`);
  } else {
    process.stdout.write('the audit chain holds\n');
  }
  process.exit(verdict.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(2);
}
