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

// C0 and C1 controls and DEL, tab included: a header's text is one line of visible characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters refused
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The write's Idempotency-Key: 1 to 200 characters, not all of them spaces, no control character
 * (tab included). A blank key or one a terminal or log would show otherwise than it is stored is
 * refused rather than kept. Named as a route's headers schema names the field (IdempotencyHeaders).
 */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length > 200 || key.trim() === '' || CONTROL_CHARACTER.test(key)) {
    throw new AppError('validation_failed', {}, [
      { field: 'headers.idempotency-key', problem: 'expected 1 to 200 characters, not only spaces, without control characters' },
    ]);
  }
  return key;
}
