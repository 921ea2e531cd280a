// The wall screen's API (issue 19): the six sections of a region as JSON (for the screen page and
// a county's own big-screen system), the screen session that swaps a key for a cookie, and the
// keys themselves. Live updates go out as `screen.changed` on GET /api/events.
import { Screen, ScreenParams, ScreenSectionBody, ScreenSectionParams } from '@cunzhi/contracts/dashboard';
import {
  IssuedScreenKey,
  SCREEN_COOKIE,
  ScreenKeyInput,
  ScreenKeyList,
  ScreenKeyParams,
  ScreenKeyQuery,
  ScreenSession,
  ScreenSessionInput,
} from '@cunzhi/contracts/dashboard-keys';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { hasPermission } from '../../platform/access.ts';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { sendJsonText } from '../../platform/read-cache.ts';
import { errorResponses, IdempotencyHeaders, NoContent } from '../../platform/route-schemas.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import { findRegion } from '../org/regions.service.ts';
import { presentRegion, readScreen, readSection } from './dashboard.service.ts';
import {
  auditRefusal,
  issuersOf,
  issueScreenKey,
  listScreenKeys,
  regionsOf,
  resolveScreenKey,
  revokeScreenKey,
  type ScreenKey,
} from './dashboard-keys.service.ts';
import { stopFollowing } from './dashboard-live.service.ts';
import { presentedKey } from './dashboard-screen.plugin.ts';

const errors = errorResponses;
const SCREEN_ACCESS = { permission: 'screen.read' } as const;
const KEY_ACCESS = { permission: 'screen.manage' } as const;
/** A screen is left on for months; browsers keep a cookie at most 400 days. */
const COOKIE_SECONDS = 400 * 86_400;
const security: { [name: string]: string[] }[] = [{ screenKey: [] }, { screenCookie: [] }, { session: [] }];

const secureRequest = (request: FastifyRequest, deps: Deps) =>
  request.protocol === 'https' ||
  deps.config.nodeEnv === 'production' ||
  (deps.config.trustProxy !== false && `${request.headers['x-forwarded-proto']}`.includes('https'));

export const dashboardRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.addHook('onClose', async () => stopFollowing(deps));
  // A caller without screen.manage (a grid worker) is turned away before the service runs; the
  // refusal is recorded as the service records its own (another region's key or place).
  app.addHook('onError', async (request, _reply, error) => {
    const principal = request.principal;
    if (!principal || !(error instanceof AppError) || error.code !== 'forbidden') return;
    if (!request.routeOptions.url?.includes('/keys') || hasPermission(principal, 'screen.manage')) return;
    const action = request.method === 'POST' ? 'screen.key.issue' : request.method === 'DELETE' ? 'screen.key.revoke' : 'screen.key.list';
    const params = (request.params ?? {}) as Record<string, unknown>;
    const targetId = typeof params.id === 'string' && params.id.length <= 40 ? params.id : null;
    await auditRefusal(deps, actorOf(request), action, { targetType: 'screenKey', targetId });
  });

  const presentKeys = async (keys: ScreenKey[]) => {
    const [regions, issuers] = await Promise.all([regionsOf(deps, keys), issuersOf(deps, keys)]);
    return keys.flatMap((k) => {
      const region = regions.get(k.regionId);
      return region
        ? [
            {
              id: k.id,
              name: k.name,
              region: presentRegion(region),
              createdAt: toIso(k.createdAt),
              issuedBy: (k.createdBy && issuers.get(k.createdBy)) ?? null,
              lastUsedAt: toIsoOrNull(k.lastUsedAt),
              revokedAt: toIsoOrNull(k.revokedAt ?? null),
            },
          ]
        : [];
    });
  };

  app.post(
    '/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['screen'],
        summary: 'A wall browser presents its screen key once and gets the screen cookie (cz_screen); the key is not kept in the address',
        security: [],
        body: ScreenSessionInput,
        response: { 200: ScreenSession, ...errors },
      },
    },
    async (request, reply) => {
      const key = await resolveScreenKey(deps, request.body.key);
      const region = key && (await findRegion(deps, key.regionId));
      if (!key || !region) throw new AppError('not_authenticated');
      reply.setCookie(SCREEN_COOKIE, request.body.key, {
        path: '/api',
        httpOnly: true,
        sameSite: 'strict',
        secure: secureRequest(request, deps),
        maxAge: COOKIE_SECONDS,
      });
      return { region: presentRegion(region), keyName: key.name };
    },
  );

  app.get(
    '/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['screen'],
        summary: 'The screen the cookie or ScreenKey header opens (401 when none, or revoked)',
        security,
        response: { 200: ScreenSession, ...errors },
      },
    },
    async (request) => {
      const presented = presentedKey(request);
      const key = presented ? await resolveScreenKey(deps, presented) : undefined;
      const region = key && (await findRegion(deps, key.regionId));
      if (!key || !region) throw new AppError('not_authenticated');
      return { region: presentRegion(region), keyName: key.name };
    },
  );

  app.delete(
    '/session',
    {
      config: { access: 'public' },
      schema: { tags: ['screen'], summary: 'Forget the screen cookie', security: [], response: { 204: NoContent } },
    },
    async (_request, reply) => {
      reply.clearCookie(SCREEN_COOKIE, { path: '/api' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/keys',
    {
      config: { access: KEY_ACCESS },
      schema: {
        tags: ['screen'],
        summary: 'The live screen keys of a place and the places under it (never the keys themselves)',
        querystring: ScreenKeyQuery,
        response: { 200: ScreenKeyList, ...errors },
      },
    },
    async (request) => ({ items: await presentKeys(await listScreenKeys(deps, requirePrincipal(request), request.query.regionId)) }),
  );

  app.post(
    '/keys',
    {
      config: { access: KEY_ACCESS },
      schema: {
        tags: ['screen'],
        summary:
          'Issue a key for one wall screen of a place (county, township or village); the key is shown this once, a retry under the same Idempotency-Key is 409 screen_key_already_shown',
        headers: IdempotencyHeaders,
        body: ScreenKeyInput,
        response: { 201: IssuedScreenKey, ...errors },
      },
    },
    async (request, reply) => {
      const issued = await issueScreenKey(deps, requirePrincipal(request), actorOf(request), request.body, idempotencyKeyOf(request));
      const [summary] = await presentKeys([issued]);
      return reply.code(201).send({ ...(summary as NonNullable<typeof summary>), key: issued.key });
    },
  );

  app.delete(
    '/keys/:id',
    {
      config: { access: KEY_ACCESS },
      schema: {
        tags: ['screen'],
        summary: 'Revoke a screen key: its next request is refused and its open event stream ends',
        params: ScreenKeyParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await revokeScreenKey(deps, requirePrincipal(request), actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/:regionId',
    {
      config: { access: SCREEN_ACCESS },
      schema: {
        tags: ['screen'],
        summary:
          'The wall screen of a county, township or village: rural overview and the five sections, aggregated (Authorization: ScreenKey <key>, the screen cookie, or a cadre session)',
        security,
        params: ScreenParams,
        response: { 200: Screen, ...errors },
      },
    },
    async (request, reply) =>
      sendJsonText(reply.header('cache-control', 'no-store'), await readScreen(deps, requirePrincipal(request), request.params.regionId)),
  );

  app.get(
    '/:regionId/:section',
    {
      config: { access: SCREEN_ACCESS },
      schema: {
        tags: ['screen'],
        summary: 'One section of the wall screen (refetched on a screen.changed event of GET /api/events)',
        security,
        params: ScreenSectionParams,
        response: { 200: ScreenSectionBody, ...errors },
      },
    },
    async (request, reply) =>
      sendJsonText(
        reply.header('cache-control', 'no-store'),
        await readSection(deps, requirePrincipal(request), request.params.regionId, request.params.section),
      ),
  );
};
