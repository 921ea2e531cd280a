import {
  CurrentSession,
  LoginAnswer,
  LoginInput,
  PasswordChangeInput,
  RecoveryCodes,
  SecondFactorInput,
  SessionHandleParams,
  SessionInfo,
  type SessionInfo as SessionInfoType,
  SessionsEnded,
  SignedInSessions,
  SmsCodeLoginInput,
  SmsCodeRequest,
  SmsCodeSent,
  TotpCodeInput,
  TotpDisableInput,
  TotpEnrolment,
  TotpUserParams,
} from '@cunzhi/contracts/auth';
import { ErrorBody } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { NoContent } from '../../platform/route-schemas.ts';
import { SESSION_COOKIE } from './auth.plugin.ts';
import { presentDeviceSession, presentSession } from './auth.presenters.ts';
import { changePassword, completeSecondFactor, type LoginResult, login } from './auth.service.ts';
import { endDeviceSession, endOtherDeviceSessions, listDeviceSessions } from './device-sessions.service.ts';
import { logout, sessionStanding } from './sessions.service.ts';
import { requestSmsCode, signInWithSmsCode } from './sms-login.service.ts';
import { confirmEnrolment, disableTotp, resetTotp, startEnrolment } from './totp.service.ts';

/**
 * Whether the browser came over https: directly, or through a proxy that says so in
 * X-Forwarded-Proto (honoured only with TRUST_PROXY). Proxies write the scheme in any case and
 * chains of them append (`https, http`); Secure is set if any hop saw https, since a Secure
 * cookie set too often costs nothing and one set too rarely can leak.
 */
function cameOverHttps(request: FastifyRequest, deps: Deps): boolean {
  if (request.protocol === 'https' || ('encrypted' in request.raw.socket && request.raw.socket.encrypted === true)) return true;
  if (deps.config.trustProxy === false) return false;
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

/** The session the request came with: a device list is a session's, never an integration key's. */
function sessionTokenOf(request: FastifyRequest): string {
  if (!request.sessionToken) throw new AppError('not_authenticated');
  return request.sessionToken;
}

export const authRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.post(
    '/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with phone and password; sets the session cookie, or asks for the second factor first',
        body: LoginInput,
        response: { 200: LoginAnswer, 400: ErrorBody, 401: ErrorBody, 423: ErrorBody, 429: ErrorBody },
      },
      config: { access: 'public', rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
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
      return answerLogin(request, reply, result);
    },
  );

  const answerLogin = (request: FastifyRequest, reply: FastifyReply, result: LoginResult) => {
    if ('secondFactor' in result) return result;
    // A session that stays signed in keeps its cookie when the browser closes; every other one does not.
    const lasting = result.staysUntil ? { maxAge: Math.floor((result.staysUntil - deps.now()) / 1000) } : {};
    reply.setCookie(SESSION_COOKIE, result.token, { ...sessionCookieOptions(request, deps), ...lasting });
    return presentSession(result.principal, result.csrfToken, result.standing);
  };

  app.post(
    '/sms-code',
    {
      schema: {
        tags: ['auth'],
        summary: 'Text a six-digit sign-in code to a villager or family member; the same answer for every number',
        body: SmsCodeRequest,
        response: { 202: SmsCodeSent, 400: ErrorBody, 429: ErrorBody },
      },
      config: { access: 'public', rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const sent = await requestSmsCode(deps, request.body.phone, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
      });
      return reply.status(202).send(sent);
    },
  );

  app.post(
    '/sms-code/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with the texted code; sets the session cookie (for 30 days when staySignedIn)',
        body: SmsCodeLoginInput,
        response: { 200: SessionInfo, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
      },
      config: { access: 'public', rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const result = await signInWithSmsCode(deps, request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
      });
      return answerLogin(request, reply, result) as SessionInfoType;
    },
  );

  app.post(
    '/login/second-factor',
    {
      schema: {
        tags: ['auth'],
        summary: "Complete a login with the authenticator app's code or a recovery code; sets the session cookie",
        body: SecondFactorInput,
        response: { 200: SessionInfo, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 423: ErrorBody, 429: ErrorBody },
      },
      config: { access: 'public', rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const result = await completeSecondFactor(deps, request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
      });
      return answerLogin(request, reply, result) as SessionInfoType;
    },
  );

  app.post(
    '/totp/enrolment',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['auth'],
        summary: 'Start setting up an authenticator app: a new secret, its otpauth URI and QR code',
        response: { 200: TotpEnrolment, 401: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => startEnrolment(deps, requirePrincipal(request), actorOf(request)),
  );

  app.post(
    '/totp/confirm',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['auth'],
        summary: 'Put the authenticator app in force with one of its codes; answers the recovery codes, once',
        body: TotpCodeInput,
        response: { 200: RecoveryCodes, 401: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => ({
      recoveryCodes: await confirmEnrolment(deps, requirePrincipal(request), actorOf(request), {
        code: request.body.code,
        sessionToken: request.sessionToken ?? '',
      }),
    }),
  );

  app.post(
    '/totp/disable',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['auth'],
        summary: 'Turn the second factor off with the password and a current code; other sessions end',
        body: TotpDisableInput,
        response: { 204: NoContent, 401: ErrorBody, 409: ErrorBody, 423: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      await disableTotp(deps, requirePrincipal(request), actorOf(request), { ...request.body, keepToken: request.sessionToken ?? '' });
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/totp/users/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['auth'],
        summary: "An administrator takes a user's second factor away (lost phone); their sessions end",
        params: TotpUserParams,
        response: { 204: NoContent, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      await resetTotp(deps, requirePrincipal(request), actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/session',
    {
      config: { access: 'signedIn' },
      schema: { tags: ['auth'], summary: 'The current session', response: { 200: SessionInfo, 401: ErrorBody } },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return presentSession(principal, request.csrfToken ?? '', await sessionStanding(deps, principal, request));
    },
  );

  // The same answer without a 401 when nobody is signed in: a browser reports every 4xx it meets in
  // its console, and the web app asks this on every first load, the login page's included.
  app.get(
    '/current',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'The current session, or null when nobody is signed in', response: { 200: CurrentSession } },
    },
    async (request) => {
      const principal = request.principal;
      if (!principal) return { session: null };
      return { session: presentSession(principal, request.csrfToken ?? '', await sessionStanding(deps, principal, request)) };
    },
  );

  app.post(
    '/logout',
    { config: { access: 'signedIn' }, schema: { tags: ['auth'], summary: 'End the session' } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      await logout(deps, request.sessionToken ?? '', { ...actorOf(request), userId: principal.userId });
      reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(request, deps));
      return reply.status(204).send();
    },
  );

  // The person's own signed-in devices: a villager whose phone was lost ends its session from another.
  app.get(
    '/sessions',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['auth'],
        summary: 'My signed-in devices: my own live sessions, this one marked current',
        response: { 200: SignedInSessions, 401: ErrorBody },
      },
    },
    async (request) => {
      const sessions = await listDeviceSessions(deps, requirePrincipal(request), sessionTokenOf(request));
      return { items: sessions.map(presentDeviceSession) };
    },
  );

  app.delete(
    '/sessions/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['auth'],
        summary: 'Sign one of my devices out (404 for an unknown handle or anyone else’s session)',
        params: SessionHandleParams,
        response: { 204: NoContent, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { wasCurrent } = await endDeviceSession(deps, requirePrincipal(request), actorOf(request), {
        currentToken: sessionTokenOf(request),
        id: request.params.id,
      });
      // Ending this very session is a logout: its cookie goes too.
      if (wasCurrent) reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(request, deps));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/sessions/end-others',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out every device of mine but this one',
        response: { 200: SessionsEnded, 401: ErrorBody },
      },
    },
    async (request) => ({
      ended: await endOtherDeviceSessions(deps, requirePrincipal(request), actorOf(request), sessionTokenOf(request)),
    }),
  );

  app.post(
    '/password',
    {
      config: { access: 'signedIn' },
      schema: { tags: ['auth'], summary: 'Change my password; other sessions end', body: PasswordChangeInput },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      await changePassword(deps, principal, { ...request.body, keepToken: request.sessionToken ?? '' }, actorOf(request));
      return reply.status(204).send(null);
    },
  );
};
