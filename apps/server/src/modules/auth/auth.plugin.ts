// Resolves the session cookie on every request and guards writes against CSRF.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { csrfMatches, resolveSession, type SessionWatch, watchSession } from './sessions.service.ts';

export const SESSION_COOKIE = 'cz_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * All a session may do while it signed in with a password someone else chose, not yet changed:
 * say who it is, change the password, log out, or log in again (as someone else).
 */
const PASSWORD_CHANGE_ROUTES = new Set([
  'GET /api/auth/session',
  'GET /api/auth/current',
  'GET /api/platform-info',
  'POST /api/auth/login',
  'POST /api/auth/login/second-factor',
  'POST /api/auth/logout',
  'POST /api/auth/password',
]);
/**
 * All a session may do while its staff account must enrol a second factor and has not: the same,
 * and enrol. A session that owes both changes the password first (PASSWORD_CHANGE_ROUTES).
 */
const ENROLMENT_ROUTES = new Set([...PASSWORD_CHANGE_ROUTES, 'POST /api/auth/totp/enrolment', 'POST /api/auth/totp/confirm']);

declare module 'fastify' {
  interface FastifyRequest {
    sessionToken: string | null;
    csrfToken: string | null;
    /** The session may only change the password an administrator set (PASSWORD_CHANGE_ROUTES). */
    passwordChangeOnly: boolean;
    /**
     * Binds a long-lived response to the request's session: `onEnd` is called once when the
     * session ends (see watchSession). Undefined when the request carries no session.
     */
    watchSession(onEnd: () => void): SessionWatch | undefined;
  }
}

async function authPlugin(app: FastifyInstance, opts: { deps: Deps }) {
  app.decorateRequest('principal', null);
  app.decorateRequest('sessionExpired', false);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('passwordChangeOnly', false);
  app.decorateRequest('watchSession', function (this: FastifyRequest, onEnd: () => void) {
    if (!this.sessionToken || !this.principal) return undefined;
    return watchSession(opts.deps, this.sessionToken, this.principal, onEnd);
  });

  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || !(request.url.startsWith('/api/') || request.url.startsWith('/fhir/'))) return;
    const resolved = await resolveSession(opts.deps, token);
    if (!resolved) return;
    if ('expired' in resolved) {
      request.sessionExpired = true;
      return;
    }
    if (!SAFE_METHODS.has(request.method) && !csrfMatches(resolved.csrfToken, request.headers['x-csrf-token'] as string)) {
      throw new AppError('csrf_failed');
    }
    // A session that owes a step may take only that step's routes; a new password comes first.
    const allowed = resolved.passwordChangeOnly ? PASSWORD_CHANGE_ROUTES : resolved.enrolOnly ? ENROLMENT_ROUTES : undefined;
    const route = `${request.method === 'HEAD' ? 'GET' : request.method} ${request.url.split('?')[0]}`;
    if (allowed && !allowed.has(route)) {
      // A public route answers anyone: the session is left aside there, as if nobody had signed in.
      if (request.routeOptions.config.access === 'public') return;
      throw new AppError(resolved.passwordChangeOnly ? 'password_change_required' : 'totp_enrolment_required');
    }
    request.principal = resolved.principal;
    request.sessionToken = token;
    request.csrfToken = resolved.csrfToken;
    request.passwordChangeOnly = resolved.passwordChangeOnly;
  });
}

export default fp(authPlugin, { name: 'auth' });
