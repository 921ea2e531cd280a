// Who may do what with a camera, decided once over every role the caller holds (platform/access.ts):
// - register and change cameras: monitoring.manage over the camera's place (county admins,
//   township officials, village cadres of that place);
// - look at pictures: monitoring.view over the place (those cadres and the place's grid workers),
//   except for cameras in elders' homes, which only the cadres (monitoring.manage) see. Linking an
//   elder's home camera to the elder's doctor and family would need care's links here; until a
//   camera names its elder, the narrower rule holds.
import { allows, type Principal, type Scope, scopeFor } from '../../platform/access.ts';
import type { CameraRecord } from './monitoring-cameras.repository.ts';

export type CameraScopes = { manage: Scope; view: Scope };

export function cameraScopes(principal: Principal): CameraScopes {
  return { manage: scopeFor(principal, 'monitoring.manage'), view: scopeFor(principal, 'monitoring.view') };
}

export function mayManageCamera(principal: Principal, camera: Pick<CameraRecord, 'placement'>): boolean {
  return allows(principal, 'monitoring.manage', camera.placement);
}

export function mayViewCamera(principal: Principal, camera: Pick<CameraRecord, 'placement' | 'purpose'>): boolean {
  if (mayManageCamera(principal, camera)) return true;
  return camera.purpose !== 'eldersHome' && allows(principal, 'monitoring.view', camera.placement);
}
