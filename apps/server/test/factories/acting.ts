// The principal and actor a factory acts as: the services check access as they do for a request,
// so a factory builds only what that user may build.

import { principalAccount } from '../../src/modules/org/users.service.ts';
import { type Principal, rolesOf } from '../../src/platform/access.ts';
import type { Actor } from '../../src/platform/audit.ts';
import type { Deps } from '../../src/platform/deps.ts';

export async function actingAs(deps: Deps, userId: string): Promise<{ principal: Principal; actor: Actor }> {
  const account = await principalAccount(deps, userId);
  if (!account) throw new Error(`no account ${userId}`);
  const principal: Principal = {
    userId: account.id,
    displayName: account.displayName,
    phone: account.phone,
    personId: account.personId,
    householdId: account.householdId,
    assignments: account.assignments,
  };
  return { principal, actor: { userId: account.id, roles: rolesOf(principal).join(','), ip: null, requestId: null } };
}

let counter = 0;
/** A number no other record built in this process has, for codes and names that must differ. */
export const nextNumber = () => ++counter;
