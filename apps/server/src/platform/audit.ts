// The append-only audit trail: every write and every read of sensitive personal data.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { type AuditRow, actorsOf, countActionsSince, insertAuditRow } from './audit.repository.ts';
import { inSharedCommit } from './group-commit.ts';
import { uuidv7 } from './ids.ts';

/** Who is acting and from where; built from a request, or by a job for itself. */
export type Actor = {
  userId: string | null;
  /** The roles the actor held, comma-separated, as they were at the time. */
  roles: string | null;
  ip: string | null;
  requestId: string | null;
};

export const SYSTEM_ACTOR: Actor = { userId: null, roles: 'system', ip: null, requestId: null };

export type AuditEntry = {
  action: string;
  outcome?: 'ok' | 'denied';
  targetType?: string;
  targetId?: string | null;
  regionId?: string | null;
  details?: Record<string, unknown>;
};

/** The row recording `entry` by `actor` at `now`. */
export const auditRowOf = (actor: Actor, entry: AuditEntry, now: number): AuditRow => ({
  id: uuidv7(now),
  at: now,
  actorUserId: actor.userId,
  actorRole: actor.roles,
  action: entry.action,
  outcome: entry.outcome ?? 'ok',
  targetType: entry.targetType ?? null,
  targetId: entry.targetId ?? null,
  regionId: entry.regionId ?? null,
  ip: actor.ip,
  requestId: actor.requestId,
  details: entry.details ? JSON.stringify(entry.details) : null,
});

/** Call with the transaction of the write it records, so that both land or neither does. */
export async function recordAudit(db: Kysely<DB>, actor: Actor, entry: AuditEntry, now = Date.now()): Promise<void> {
  await insertAuditRow(db, auditRowOf(actor, entry, now));
}

/** A user's entries of one action within the last `windowMs`: the audit log is the counter. */
export function countRecentActions(db: Kysely<DB>, userId: string, action: string, windowMs: number, now: number): Promise<number> {
  return countActionsSince(db, userId, action, now - windowMs);
}

/**
 * The actions by which one person sets up another's way in: making the account, giving it a role,
 * resetting its password or its second factor. Whoever did any of them to an account could be the
 * one signing in with it, so they do not also vouch for what that account asks (separation of duties).
 */
const ACCOUNT_SETUP = ['user.create', 'user.role.assign', 'user.password_reset', 'user.totp_reset'] as const;

/**
 * Who set up an account, and who set up theirs, up to four steps back, with the roles each held
 * when they did: whoever made an account may sign in with it, and through it with those it made.
 */
export async function accountSetUpChain(db: Kysely<DB>, userId: string): Promise<Map<string, string[]>> {
  const chain = new Map<string, string[]>();
  let frontier = [userId];
  for (let step = 0; step < 4 && frontier.length > 0; step++) {
    const next: string[] = [];
    for (const { actorUserId, actorRole } of await actorsOf(db, frontier, ACCOUNT_SETUP)) {
      if (actorUserId === userId) continue;
      const roles = actorRole ? actorRole.split(',') : [];
      const known = chain.get(actorUserId);
      if (known) known.push(...roles);
      else {
        chain.set(actorUserId, roles);
        next.push(actorUserId);
      }
    }
    frontier = next;
  }
  return chain;
}

/**
 * A read of people's personal data (a person, a household, their consents, points or a case with a
 * reporter's contact) by someone other than that person or household: who read whose, or how many
 * for a list. Written after the read, in a commit shared with the writes arriving with it, so that
 * a desk paging through lists costs no flush of its own.
 */
export function auditPersonalRead(db: Kysely<DB>, actor: Actor, entry: AuditEntry, now: number): Promise<void> {
  return inSharedCommit(db, (trx) => recordAudit(trx, actor, entry, now));
}

/** Whether a read is of the reader's own household (or themselves): that needs no trace. */
export const ownHousehold = (principal: { householdId: string | null }, householdId: string | null | undefined): boolean =>
  principal.householdId !== null && householdId !== undefined && householdId === principal.householdId;

/**
 * Traces a list of households' records (claims, redemptions) with how many it held, unless every
 * one is the reader's own household's: one row per list, as for people and households.
 */
export async function auditListUnlessOwn(
  deps: { db: Kysely<DB>; now(): number },
  principal: { householdId: string | null },
  actor: Actor,
  action: string,
  items: readonly { householdId: string }[],
): Promise<void> {
  if (items.every((item) => ownHousehold(principal, item.householdId))) return;
  await auditPersonalRead(deps.db, actor, { action, targetType: 'household', details: { count: items.length } }, deps.now());
}

/** Traces a read of one household's data (or one of its people's), unless the reader is of that household. */
export async function auditReadUnlessOwn(
  deps: { db: Kysely<DB>; now(): number },
  principal: { householdId: string | null },
  actor: Actor,
  householdId: string | null | undefined,
  entry: AuditEntry,
): Promise<void> {
  if (!ownHousehold(principal, householdId)) await auditPersonalRead(deps.db, actor, entry, deps.now());
}
