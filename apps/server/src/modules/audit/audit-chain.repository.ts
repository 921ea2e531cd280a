import type { Kysely, Transaction } from 'kysely';
import { lockedForUpdate } from '../../db/portable-sql.ts';
import type { DB } from '../../db/schema.ts';

/** An audit record with every column as stored: what its row hash is taken over. */
export type StoredAuditRow = {
  id: string;
  at: number;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  outcome: string;
  targetType: string | null;
  targetId: string | null;
  regionId: string | null;
  ip: string | null;
  requestId: string | null;
  details: string | null;
};

export type ChainHead = { seq: number; chainHash: string; sealedThroughId: string | null };

export type ChainLink = {
  seq: number;
  auditId: string;
  rowHash: string;
  prevHash: string;
  chainHash: string;
  sealedAt: number;
};

type AuditRowColumns = {
  id: string;
  at: number;
  actor_user_id: string | null;
  actor_role: string | null;
  action: string;
  outcome: string;
  target_type: string | null;
  target_id: string | null;
  region_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: string | null;
};

const toStored = (row: AuditRowColumns): StoredAuditRow => ({
  id: row.id,
  at: row.at,
  actorUserId: row.actor_user_id,
  actorRole: row.actor_role,
  action: row.action,
  outcome: row.outcome,
  targetType: row.target_type,
  targetId: row.target_id,
  regionId: row.region_id,
  ip: row.ip,
  requestId: row.request_id,
  details: row.details,
});

/**
 * The chain's head, locked on PostgreSQL until the transaction ends, so that two sealers (two
 * nodes, or a node and the command line) never extend the chain from the same place. SQLite has
 * one writer and needs no lock.
 */
export async function lockHead(trx: Transaction<DB>): Promise<ChainHead> {
  const head = trx.selectFrom('audit_chain_head').select(['seq', 'chain_hash', 'sealed_through_id']).where('id', '=', 1);
  const row = await lockedForUpdate(trx, head).executeTakeFirstOrThrow();
  return { seq: row.seq, chainHash: row.chain_hash, sealedThroughId: row.sealed_through_id };
}

export async function readHead(db: Kysely<DB>): Promise<ChainHead> {
  const row = await db
    .selectFrom('audit_chain_head')
    .select(['seq', 'chain_hash', 'sealed_through_id'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { seq: row.seq, chainHash: row.chain_hash, sealedThroughId: row.sealed_through_id };
}

/** Records from `fromId` on that are in no link yet, oldest id first. */
export async function unsealedFrom(db: Kysely<DB>, fromId: string, limit: number): Promise<StoredAuditRow[]> {
  const rows = await db
    .selectFrom('audit_log as a')
    .selectAll('a')
    .where('a.id', '>=', fromId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('audit_chain as c').select('c.seq').whereRef('c.audit_id', '=', 'a.id'))))
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return rows.map(toStored);
}

/** The oldest record before `beforeId` in no link, and how many records are in none at all. */
export async function unsealedSummary(db: Kysely<DB>, beforeId: string): Promise<{ count: number; oldestBefore: string | null }> {
  const unsealed = db
    .selectFrom('audit_log as a')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('audit_chain as c').select('c.seq').whereRef('c.audit_id', '=', 'a.id'))),
    );
  const [{ count }] = (await unsealed.select((eb) => eb.fn.countAll<number>().as('count')).execute()) as [{ count: number }];
  const oldest = await unsealed.select('a.id').where('a.id', '<', beforeId).orderBy('a.id').limit(1).executeTakeFirst();
  return { count: Number(count), oldestBefore: oldest?.id ?? null };
}

export async function appendLinks(trx: Transaction<DB>, links: ChainLink[], head: ChainHead): Promise<void> {
  // 6 values a link: 500 links stay far below either dialect's limit on parameters.
  for (let i = 0; i < links.length; i += 500) {
    await trx
      .insertInto('audit_chain')
      .values(
        links.slice(i, i + 500).map((l) => ({
          seq: l.seq,
          audit_id: l.auditId,
          row_hash: l.rowHash,
          prev_hash: l.prevHash,
          chain_hash: l.chainHash,
          sealed_at: l.sealedAt,
        })),
      )
      .execute();
  }
  await trx
    .updateTable('audit_chain_head')
    .set({ seq: head.seq, chain_hash: head.chainHash, sealed_through_id: head.sealedThroughId })
    .where('id', '=', 1)
    .execute();
}

/** Links after `afterSeq` in order, each with its record as it is now (null when it is gone). */
export async function linksAfter(
  db: Kysely<DB>,
  afterSeq: number,
  limit: number,
): Promise<{ link: ChainLink; row: StoredAuditRow | null }[]> {
  const rows = await db
    .selectFrom('audit_chain as c')
    .leftJoin('audit_log as a', 'a.id', 'c.audit_id')
    .select([
      'c.seq',
      'c.audit_id',
      'c.row_hash',
      'c.prev_hash',
      'c.chain_hash',
      'c.sealed_at',
      'a.id',
      'a.at',
      'a.actor_user_id',
      'a.actor_role',
      'a.action',
      'a.outcome',
      'a.target_type',
      'a.target_id',
      'a.region_id',
      'a.ip',
      'a.request_id',
      'a.details',
    ])
    .where('c.seq', '>', afterSeq)
    .orderBy('c.seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    link: {
      seq: r.seq,
      auditId: r.audit_id,
      rowHash: r.row_hash,
      prevHash: r.prev_hash,
      chainHash: r.chain_hash,
      sealedAt: r.sealed_at,
    },
    row: r.id === null ? null : toStored(r as AuditRowColumns),
  }));
}

export type ExportRow = StoredAuditRow & { seq: number | null; chainHash: string | null; sealedAt: number | null };

/** Records in [fromMs, toMs) oldest first, with their link where sealed; at most `limit`. */
export async function exportRange(
  db: Kysely<DB>,
  range: { fromMs: number; toMs: number; fromId: string },
  limit: number,
): Promise<ExportRow[]> {
  const rows = await db
    .selectFrom('audit_log as a')
    .leftJoin('audit_chain as c', 'c.audit_id', 'a.id')
    .selectAll('a')
    .select(['c.seq', 'c.chain_hash', 'c.sealed_at'])
    // Ids begin with their time (UUIDv7), never earlier than it: the id bound lets the primary key
    // find the range, the time bounds make it exact.
    .where('a.id', '>=', range.fromId)
    .where('a.at', '>=', range.fromMs)
    .where('a.at', '<', range.toMs)
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...toStored(r), seq: r.seq, chainHash: r.chain_hash, sealedAt: r.sealed_at }));
}
