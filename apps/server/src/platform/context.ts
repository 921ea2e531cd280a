// What a request carries through the platform: the decorations and the actor made from them.
import type { FastifyRequest } from 'fastify';
import { type Principal, rolesOf } from './access.ts';
import type { Actor } from './audit.ts';
import { AppError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    sessionExpired: boolean;
  }
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (request.principal) return request.principal;
  throw new AppError(request.sessionExpired ? 'session_expired' : 'not_authenticated');
}

export function actorOf(request: FastifyRequest): Actor {
  const principal = request.principal;
  return {
    userId: principal?.userId ?? null,
    roles: principal ? rolesOf(principal).join(',') : null,
    ip: request.ip,
    requestId: request.id,
  };
}

export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
    throw new AppError('validation_failed', {}, [{ field: 'Idempotency-Key', problem: 'expected 1 to 200 characters' }]);
  }
  return key;
}
