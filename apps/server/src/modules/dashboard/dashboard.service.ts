// Reading a wall screen: a screen key of the region or a place above it, or the region's cadres at
// their desks (screen.read). Another region's key or staff are told the region does not exist.
import { SCREEN_SECTIONS, type ScreenSection } from '@cunzhi/contracts/dashboard';
import { authorize, type Principal } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { requireRegion } from '../org/regions.service.ts';
import { screenKeyIdOf } from './dashboard-keys.service.ts';
import { sectionJson } from './dashboard-live.service.ts';
import { screenActorOf } from './dashboard-sections.service.ts';

async function screenRegion(deps: Deps, principal: Principal, regionId: string) {
  const region = await requireRegion(deps, regionId);
  authorize(principal, 'screen.read', region.placement, 'region');
  return region;
}

export const presentRegion = (r: Awaited<ReturnType<typeof requireRegion>>) => ({
  id: r.id,
  code: r.code,
  name: r.name,
  nameEn: r.nameEn,
  level: r.level,
});

/**
 * One section as JSON text (kept until its data changes). The figure reads made when it is
 * computed are audited under the wall's key, when a key asks.
 */
export async function readSection(deps: Deps, principal: Principal, regionId: string, section: ScreenSection): Promise<string> {
  return sectionJson(deps, await screenRegion(deps, principal, regionId), section, screenActorOf(screenKeyIdOf(principal)));
}

/** The whole screen as JSON text, its sections as kept. */
export async function readScreen(deps: Deps, principal: Principal, regionId: string): Promise<string> {
  const region = await screenRegion(deps, principal, regionId);
  const actor = screenActorOf(screenKeyIdOf(principal));
  const parts: string[] = [];
  for (const section of SCREEN_SECTIONS) parts.push(`"${section}":${await sectionJson(deps, region, section, actor)}`);
  return `{"region":${JSON.stringify(presentRegion(region))},"sections":{${parts.join(',')}}}`;
}
