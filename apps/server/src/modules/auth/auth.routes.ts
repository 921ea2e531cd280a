import { LoginInput, PasswordChangeInput, SessionInfo, type SessionInfo as SessionInfoType } from '@cunzhi/contracts/auth';
import { ErrorBody } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Principal } from '../../platform/access.ts';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
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

export const authRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.post(
    '/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with phone and password; sets the session cookie',
        body: LoginInput,
        response: { 200: SessionInfo, 401: ErrorBody, 423: ErrorBody, 429: ErrorBody },
      },
      config: { rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const result = await login(deps, request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
      });
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
      });
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
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
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
