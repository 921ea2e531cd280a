// The demo county's wall screens: Pingdiba's village screen and the county's, with stable keys
// (listed in the README beside the other demo keys). A real county issues its own.
import type { Deps } from '../../platform/deps.ts';
import type { requireRegion } from '../org/regions.service.ts';
import { insertScreenKey } from './dashboard-keys.service.ts';

type RegionRecord = Awaited<ReturnType<typeof requireRegion>>;

export const DEMO_SCREEN_KEY_PINGDIBA = 'demo-screen-pingdiba';
export const DEMO_SCREEN_KEY_COUNTY = 'demo-screen-county';

export async function seedDemoScreens(deps: Deps, regionsByCode: Map<string, RegionRecord>): Promise<void> {
  const now = deps.now();
  const village = regionsByCode.get('500242105201');
  const county = regionsByCode.get('500242');
  if (village)
    await insertScreenKey(
      deps.db,
      { regionId: village.id, name: '平地坝村村委会大屏', key: DEMO_SCREEN_KEY_PINGDIBA, createdBy: null },
      now,
    );
  if (county)
    await insertScreenKey(deps.db, { regionId: county.id, name: '酉阳县指挥中心大屏', key: DEMO_SCREEN_KEY_COUNTY, createdBy: null }, now);
}
