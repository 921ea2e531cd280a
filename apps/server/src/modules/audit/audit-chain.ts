// The audit log's hash chain: proof that no sealed record was changed or removed.
//
// Why records are chained by a sealer after they commit, not at each write: every write of the
// platform adds an audit record inside its own transaction (platform/audit.ts), the points ledger
// thousands a second. Chaining at the write means reading the previous hash under a lock on one
// chain-head row that is held until commit; on PostgreSQL that would make every audited
// transaction of every node wait for the one before it to commit (one linear chain = one queue),
// and add a read and an update to the hot path on both dialects. Instead the write stays one
// insert, and a background job (`audit.seal`, under a row lease, platform/jobs.ts) takes the
// committed records not yet in the chain, oldest id first, and appends a link for each:
//   row_hash   = sha256 over the canonical form of every column of the record (rowHashOf)
//   chain_hash = HMAC-SHA256 over [prev_hash, seq, audit id, row_hash, sealed_at] (chainHashOf)
// keyed with vault.derivedKey('audit-chain'), derived from the ID-number key, which lives outside
// the database (ID_NUMBER_KEY or DATA_DIR/keys/id-number.key): with plain sha256 anyone who could
// write the database could rewrite a record and recompute every link after it.
// with `seq` given by the sealer, one apart, under a lock on `audit_chain_head` (PostgreSQL:
// SELECT ... FOR UPDATE in the sealing transaction), so two sealers never fork the chain. The
// order of the chain is the order in which records were sealed, which on PostgreSQL need not be
// id order: a record whose transaction committed late is simply sealed in a later batch.
//
// What it proves: verifyAuditChain recomputes every link; a record changed, a record removed, a
// link removed or changed, or the chain cut short behind the head is named as the first broken
// link (seq and record id). What it does not: a record not yet sealed (the last seconds, one job
// interval) is protected only by the append-only triggers; a record that stays unsealed although
// records well after it are sealed (SEAL_GRACE_MS) is reported as broken, which catches records
// inserted later with an old id.
// The head row lives in the same database, so someone with database rights can cut the newest
// links off and move the head back, and the chain still holds from genesis to that head. The
// defence is a head kept elsewhere: every seal logs `audit chain sealed` with its seq and hash
// (logs are shipped off the machine), the daily backup's manifest records the head, and
// GET /api/audit/head lets the audit administrator note it; verifyAuditChain(..., { expectHead })
// then requires the link at that seq to exist with that hash. Someone holding both the database
// and the key can still rebuild a chain, but not one that reaches a head recorded before.
import { createHash, createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import * as repo from './audit-chain.repository.ts';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * How long after a record's id time its transaction may still commit and be sealed in place.
 * Transactions are short (ARCHITECTURE habit 6); this only bounds how far back the sealer looks.
 */
export const SEAL_GRACE_MS = 15 * 60_000;

const SEAL_BATCH = 1000;
const VERIFY_PAGE = 2000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Every column, in a fixed order, as JSON: the same text on both dialects. */
export function rowHashOf(row: repo.StoredAuditRow): string {
  return sha256(
    JSON.stringify([
      row.id,
      row.at,
      row.actorUserId,
      row.actorRole,
      row.action,
      row.outcome,
      row.targetType,
      row.targetId,
      row.regionId,
      row.ip,
      row.requestId,
      row.details,
    ]),
  );
}

export function chainHashOf(link: Omit<repo.ChainLink, 'chainHash'>, chainKey: Buffer): string {
  return createHmac('sha256', chainKey)
    .update(JSON.stringify([link.prevHash, link.seq, link.auditId, link.rowHash, link.sealedAt]))
    .digest('hex');
}

/** A head as recorded outside the database: `<seq>:<hash>`. */
export type ChainHeadRef = { seq: number; chainHash: string };

export function formatHead(head: ChainHeadRef): string {
  return `${head.seq}:${head.chainHash}`;
}

/** Parses `<seq>:<64 hex>`; undefined when it is not one. */
export function parseHead(text: string): ChainHeadRef | undefined {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  if (!match) return undefined;
  return { seq: Number(match[1]), chainHash: match[2] as string };
}

/** The head as the database has it now (to record elsewhere; it proves nothing by itself). */
export async function readChainHead(db: Kysely<DB>): Promise<ChainHeadRef> {
  const { seq, chainHash } = await repo.readHead(db);
  return { seq, chainHash };
}

/** The smallest UUIDv7 text of the given millisecond: ids at or after it sort at or after this. */
export function idFloorOf(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}`;
}

const msOfId = (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

/** Where the sealer and the verifier look for records not yet sealed. */
const unsealedFloor = (head: repo.ChainHead) => (head.sealedThroughId ? idFloorOf(msOfId(head.sealedThroughId) - SEAL_GRACE_MS) : '');

/**
 * Appends every committed record not yet in the chain; returns how many it sealed. `onSealed` is
 * told each new head after its batch commits, for the server log (the head's copy off the machine).
 */
export async function sealAuditChain(
  db: Kysely<DB>,
  now: () => number,
  chainKey: Buffer,
  onSealed?: (head: ChainHeadRef) => void,
): Promise<number> {
  let sealed = 0;
  for (;;) {
    // One short transaction a batch, so that sealing a backlog never holds the head for long.
    const { count, head } = await db.transaction().execute(async (trx) => {
      const head = await repo.lockHead(trx);
      const rows = await repo.unsealedFrom(trx, unsealedFloor(head), SEAL_BATCH);
      if (rows.length === 0) return { count: 0, head: null };
      const sealedAt = now();
      let { seq, chainHash } = head;
      let sealedThroughId = head.sealedThroughId;
      const links: repo.ChainLink[] = [];
      for (const row of rows) {
        seq += 1;
        const link = { seq, auditId: row.id, rowHash: rowHashOf(row), prevHash: chainHash, sealedAt };
        chainHash = chainHashOf(link, chainKey);
        links.push({ ...link, chainHash });
        if (sealedThroughId === null || row.id > sealedThroughId) sealedThroughId = row.id;
      }
      await repo.appendLinks(trx, links, { seq, chainHash, sealedThroughId });
      return { count: rows.length, head: { seq, chainHash } };
    });
    if (head === null) return sealed;
    onSealed?.(head);
    sealed += count;
    if (count < SEAL_BATCH) return sealed;
  }
}

export type BrokenLink = {
  /** The link's sequence number; null for a record that was never sealed. */
  seq: number | null;
  auditId: string | null;
  reason:
    | 'record_missing'
    | 'record_altered'
    | 'link_altered'
    | 'link_missing'
    | 'head_mismatch'
    | 'never_sealed'
    /** The chain does not reach the head recorded outside the database: cut short, or rebuilt. */
    | 'expected_head_missing'
    | 'expected_head_mismatch';
};

export type ChainVerdict = {
  ok: boolean;
  /** Links recomputed and found whole before the first broken one (all of them when ok). */
  verified: number;
  /** Records not in the chain yet: the tail the sealer has still to reach. */
  unsealed: number;
  firstBroken: BrokenLink | null;
};

/**
 * Recomputes the whole chain from the genesis hash and names the first link that does not hold.
 * Read-only: it seals nothing, so it can run against a copy or a restored backup.
 */
export async function verifyAuditChain(
  db: Kysely<DB>,
  chainKey: Buffer,
  options: { expectHead?: ChainHeadRef } = {},
): Promise<ChainVerdict> {
  const head = await repo.readHead(db);
  const { count: unsealed, oldestBefore } = await repo.unsealedSummary(db, unsealedFloor(head));
  const broken = (verified: number, link: BrokenLink): ChainVerdict => ({ ok: false, verified, unsealed, firstBroken: link });

  const expected = options.expectHead;
  let verified = 0;
  let prevHash = GENESIS_HASH;
  let lastSeq = 0;
  for (;;) {
    const page = await repo.linksAfter(db, lastSeq, VERIFY_PAGE);
    for (const { link, row } of page) {
      const at = { seq: link.seq, auditId: link.auditId };
      // A removed link leaves a gap in seq, and the next link's prev_hash no longer matches.
      if (link.seq !== lastSeq + 1 || link.prevHash !== prevHash) return broken(verified, { ...at, reason: 'link_missing' });
      if (chainHashOf(link, chainKey) !== link.chainHash) return broken(verified, { ...at, reason: 'link_altered' });
      if (row === null) return broken(verified, { ...at, reason: 'record_missing' });
      if (rowHashOf(row) !== link.rowHash) return broken(verified, { ...at, reason: 'record_altered' });
      if (expected && link.seq === expected.seq && link.chainHash !== expected.chainHash) {
        return broken(verified, { ...at, reason: 'expected_head_mismatch' });
      }
      prevHash = link.chainHash;
      lastSeq = link.seq;
      verified += 1;
    }
    if (page.length < VERIFY_PAGE) break;
  }
  // Cut short and the head moved back with it: only a head kept elsewhere tells.
  if (expected && lastSeq < expected.seq) return broken(verified, { seq: expected.seq, auditId: null, reason: 'expected_head_missing' });
  // Links cut off the end leave the head pointing past the last one.
  if (head.seq !== lastSeq || head.chainHash !== prevHash) {
    return broken(verified, { seq: head.seq, auditId: null, reason: 'head_mismatch' });
  }
  if (oldestBefore !== null) return broken(verified, { seq: null, auditId: oldestBefore, reason: 'never_sealed' });
  return { ok: true, verified, unsealed, firstBroken: null };
}
