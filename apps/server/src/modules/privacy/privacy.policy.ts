import { hasPermission, type Permission, type Principal } from '../../platform/access.ts';
import { forbidden } from '../../platform/errors.ts';

/** For what is not placed anywhere (the county's record of processing): the permission held at all. */
export function authorizeAnywhere(principal: Principal, permission: Permission): void {
  if (!hasPermission(principal, permission)) throw forbidden();
}
