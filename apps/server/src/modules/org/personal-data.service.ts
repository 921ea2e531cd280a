// What the privacy module asks of org about a person: their birth date (a guardian's consent for
// children), the people of a household, the person behind an account, and ending their sessions
// after an erasure.
import { idNumberFacts } from '@cunzhi/contracts/id-number';
import type { Deps } from '../../platform/deps.ts';
import { sessionCacheOf } from '../../platform/session-cache.ts';
import * as repo from './org.privacy.repository.ts';

/** The person's birth date: as recorded, else read from the ID card number (GB 11643 positions 7-14). */
export async function birthDateOf(deps: Deps, personId: string): Promise<string | null> {
  const row = await repo.personRow(deps.reader, personId);
  if (!row) return null;
  if (row.birth_date) return row.birth_date;
  return row.id_number_enc ? idNumberFacts(deps.vault.decrypt(row.id_number_enc)).birthDate : null;
}

/** After an erasure commits: the person's accounts' cached sessions end on this node at once. */
export async function forgetSessionsOf(deps: Deps, personId: string): Promise<void> {
  for (const user of await repo.usersOfPerson(deps.db, personId)) sessionCacheOf(deps).forgetUser(user.id);
}

/** The people of a household, and the person an account belongs to: whose consent a household or a report rests on. */
export const householdMemberIds = (deps: Deps, householdId: string) => repo.memberIdsOf(deps.reader, householdId);
export const personOfUser = (deps: Deps, userId: string) => repo.personOfUser(deps.reader, userId);
