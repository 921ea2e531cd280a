// Who is calling the care and FHIR routes: a device gateway with its key, or a signed-in user. A key
// acts for its account but is limited by what the county granted it (Principal.key, decided in
// platform/access.ts); either way the audit trail names the account.
import type { FastifyRequest } from 'fastify';
import { type Principal, rolesOf } from '../../platform/access.ts';
import type { Actor } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { principalForApiKey } from '../auth/auth.service.ts';

export const bearerOf = (request: FastifyRequest) => {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
};

/** The gateway a Bearer key names, or else the signed-in user; undefined when neither. */
export async function gatewayOrUser(deps: Deps, request: FastifyRequest): Promise<Principal | undefined> {
  const key = bearerOf(request);
  if (key) return principalForApiKey(deps, key, 'gateway');
  return request.principal ?? undefined;
}

/** Where a request came from, for the audit trail. */
export type Origin = { ip: string; requestId: string };

export const originOf = (request: FastifyRequest): Origin => ({ ip: request.ip, requestId: request.id });

/** The actor of a request made by this principal (a key's account, which the session decoration does not carry). */
export function actingAs(principal: Principal, origin: Origin): Actor {
  const roles = rolesOf(principal).join(',');
  return {
    userId: principal.userId,
    roles: principal.key ? `${principal.key.kind}-key:${roles}` : roles,
    ip: origin.ip,
    requestId: origin.requestId,
  };
}

export const actorFor = (request: FastifyRequest, principal: Principal): Actor => actingAs(principal, originOf(request));
