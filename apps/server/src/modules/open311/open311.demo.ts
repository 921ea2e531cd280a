import type { Deps } from '../../platform/deps.ts';
import { createApiKey } from '../auth/auth.service.ts';
import { createKeyAccount } from '../org/users.service.ts';

/** Listed in the README: the demo county's Open311 client key. */
export const DEMO_OPEN311_KEY = 'demo-open311-key';

/** An Open311 client acts as an intake account of the county appeals centre. */
export async function seedDemoOpen311(deps: Deps, countyId: string): Promise<void> {
  const userId = await createKeyAccount(deps, {
    phone: 'open311-demo-client',
    displayName: 'Open311 演示客户端',
    role: 'appealsAgent',
    regionId: countyId,
  });
  await createApiKey(deps, { name: 'Open311 demo client', kind: 'open311', key: DEMO_OPEN311_KEY, userId });
}
