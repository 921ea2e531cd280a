import { LoginInput, PasswordChangeInput, SessionInfo, type SessionInfo as SessionInfoType } from '@cunzhi/contracts/auth';
import { ErrorBody } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.ts';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { presentAssignment } from '../org/org.presenters.ts';
import { SESSION_COOKIE } from './auth.plugin.ts';
import { changePassword, login, logout, permissionsOf } from './auth.service.ts';

function presentSession(principal: Principal, csrfToken: string, deps: Deps): SessionInfoType {
  return {
    user: {
      id: principal.userId,
      phone: principal.phone,
      displayName: principal.displayName,
      householdId: principal.householdId,
      assignments: principal.assignments.map(presentAssignment),
    },
    permissions: permissionsOf(principal),
    csrfToken,
    idleTimeoutMinutes: deps.config.sessionIdleMinutes,
  };
}

/**
 * Whether the browser came over https: directly, or through a proxy that says so in
 * X-Forwarded-Proto (honoured only with TRUST_PROXY). Proxies write the scheme in any case and
 * chains of them append (`https, http`); Secure is set if any hop saw https, since a Secure
 * cookie set too often costs nothing and one set too rarely can leak.
 */
function cameOverHttps(request: FastifyRequest, deps: Deps): boolean {
  if (request.protocol === 'https' || ('encrypted' in request.raw.socket && request.raw.socket.encrypted === true)) return true;
  if (!deps.config.trustProxy) return false;
  const header = request.headers['x-forwarded-proto'];
  const said = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  return said.some((scheme) => scheme.trim().toLowerCase() === 'https');
}

/**
 * Secure whenever the browser came over https. Production always: a cookie that could leak over
 * plain http there is worse than a login that fails because the proxy forgot the header.
 */
function sessionCookieOptions(request: FastifyRequest, deps: Deps) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: cameOverHttps(request, deps) || deps.config.nodeEnv === 'production',
  };
}

export const authRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.post(
    '/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with phone and password; sets the session cookie',
        body: LoginInput,
        response: { 200: SessionInfo, 400: ErrorBody, 401: ErrorBody, 423: ErrorBody, 429: ErrorBody },
      },
      config: { rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const result = await login(deps, request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
      }).catch((error: unknown) => {
        // Someone may be trying many accounts from this address: say so where operators look.
        if (error instanceof AppError && error.code === 'too_many_failed_logins') {
          request.log.warn({ clientAddress: request.ip }, 'login refused: too many failed logins from this address');
        }
        throw error;
      });
      reply.setCookie(SESSION_COOKIE, result.token, sessionCookieOptions(request, deps));
      return presentSession(result.principal, result.csrfToken, deps);
    },
  );

  app.get(
    '/session',
    { schema: { tags: ['auth'], summary: 'The current session', response: { 200: SessionInfo, 401: ErrorBody } } },
    async (request) => presentSession(requirePrincipal(request), request.csrfToken ?? '', deps),
  );

  app.post('/logout', { schema: { tags: ['auth'], summary: 'End the session' } }, async (request, reply) => {
    const principal = requirePrincipal(request);
    await logout(deps, request.sessionToken ?? '', { ...actorOf(request), userId: principal.userId });
    reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(request, deps));
    return reply.status(204).send();
  });

  app.post(
    '/password',
    { schema: { tags: ['auth'], summary: 'Change my password; other sessions end', body: PasswordChangeInput } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      await changePassword(deps, principal, { ...request.body, keepToken: request.sessionToken ?? '' }, actorOf(request));
      return reply.status(204).send();
    },
  );
};
