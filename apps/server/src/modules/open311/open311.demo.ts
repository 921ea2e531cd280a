import { randomBytes } from 'node:crypto';
import type { Deps } from '../../platform/deps.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { createApiKey } from '../auth/auth.service.ts';
import { insertRoleAssignment, insertUser } from '../org/users.repository.ts';

/** Listed in the README: the demo county's Open311 client key. */
export const DEMO_OPEN311_KEY = 'demo-open311-key';

/** An Open311 client acts as an intake account of the county appeals centre. */
export async function seedDemoOpen311(deps: Deps, countyId: string): Promise<void> {
  const now = deps.now();
  const userId = uuidv7(now);
  // The account only ever acts through its key: its password is random and never shown.
  const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
  await deps.db.transaction().execute(async (trx) => {
    await insertUser(
      trx,
      { id: userId, phone: 'open311-demo-client', displayName: 'Open311 演示客户端', passwordHash, personId: null },
      now,
    );
    await insertRoleAssignment(trx, { id: uuidv7(now), userId, role: 'appealsAgent', regionId: countyId, gridId: null }, now);
  });
  await createApiKey(deps, { name: 'Open311 demo client', kind: 'open311', key: DEMO_OPEN311_KEY, userId });
}
