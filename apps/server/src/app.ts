import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { pingDatabase } from './db/database.ts';
import { agriAdviceRoutes } from './modules/agri/agri-advice.routes.ts';
import { agriFarmsRoutes } from './modules/agri/agri-farms.routes.ts';
import { agriQuestionsRoutes } from './modules/agri/agri-questions.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import authPlugin from './modules/auth/auth.plugin.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { accountCredentials } from './modules/auth/credentials.service.ts';
import { backsApiKey, endSessionsOf } from './modules/auth/sessions.service.ts';
import { careAlarmsRoutes } from './modules/care/care-alarms.routes.ts';
import { careCallsRoutes } from './modules/care/care-calls.routes.ts';
import { careCommandsRoutes } from './modules/care/care-commands.routes.ts';
import { careEldersRoutes } from './modules/care/care-elders.routes.ts';
import { elderPlacementsChanged, moveEldersOfHousehold } from './modules/care/care-elders.service.ts';
import { careIngestRoutes } from './modules/care/care-ingest.routes.ts';
import { careRoundsRoutes } from './modules/care/care-rounds.routes.ts';
import { fhirRoutes } from './modules/care/fhir.routes.ts';
import { caseConfigRoutes } from './modules/cases/case-config.routes.ts';
import { caseModerationRoutes } from './modules/cases/case-moderation.routes.ts';
import { casePhotosRoutes } from './modules/cases/case-photos.routes.ts';
import { caseStatisticsRoutes } from './modules/cases/case-statistics.routes.ts';
import { casesRoutes } from './modules/cases/cases.routes.ts';
import { villageAffairsRoutes } from './modules/cases/village-affairs.routes.ts';
import { dashboardRoutes } from './modules/dashboard/dashboard.routes.ts';
import screenKeyPlugin from './modules/dashboard/dashboard-screen.plugin.ts';
import { monitoringRoutes } from './modules/monitoring/monitoring.routes.ts';
import { monitoringEvidenceRoutes } from './modules/monitoring/monitoring-evidence.routes.ts';
import { monitoringFarmRoutes } from './modules/monitoring/monitoring-farm.routes.ts';
import { monitoringFindingsRoutes } from './modules/monitoring/monitoring-findings.routes.ts';
import { noticesRoutes } from './modules/notices/notices.routes.ts';
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts';
import { open311Routes } from './modules/open311/open311.routes.ts';
import { orgRoutes } from './modules/org/org.routes.ts';
import { regionShapesRoutes } from './modules/org/region-shapes.routes.ts';
import { userRoutes } from './modules/org/users.routes.ts';
import { pointsClaimsRoutes } from './modules/points/points-claims.routes.ts';
import { pointsLedgerRoutes } from './modules/points/points-ledger.routes.ts';
import { pointsPublicRoutes, pointsReportsRoutes } from './modules/points/points-reports.routes.ts';
import { pointsRulesRoutes } from './modules/points/points-rules.routes.ts';
import { pointsShopRoutes } from './modules/points/points-shop.routes.ts';
import { povertyRoutes } from './modules/poverty/poverty.routes.ts';
import { povertyMonitoredRoutes, povertyPublicRoutes } from './modules/poverty/poverty-monitored.routes.ts';
import { privacyRoutes } from './modules/privacy/privacy.routes.ts';
import { applicationsRoutes } from './modules/services/applications.routes.ts';
import { catalogueRoutes } from './modules/services/catalogue.routes.ts';
import { installBodyTypeRule } from './platform/body-types.ts';
import { clientErrorHandler } from './platform/client-errors.ts';
import { installCompression } from './platform/compression.ts';
import type { Deps } from './platform/deps.ts';
import { installErrorHandler } from './platform/error-handler.ts';
import { AppError, errorMessage, languageOf } from './platform/errors.ts';
import { eventsRoutes } from './platform/events.routes.ts';
import { uuidv7 } from './platform/ids.ts';
import { REDACTED_PATHS, requestSerializer } from './platform/log-redaction.ts';
import { platformInfoRoutes } from './platform/platform-info.routes.ts';
import { requestValidatorCompiler } from './platform/request-validation.ts';
import { sharedResponseSerializers } from './platform/response-serialization.ts';
import { declaredAccess, enforceDeclaredAccess, type RouteAccess, requireDeclaredAccess } from './platform/route-access.ts';
import { installSecurityHeaders } from './platform/security-headers.ts';

export type BuildOptions = { logger?: boolean };

export type RouteSummary = {
  method: string;
  url: string;
  consumes: string[];
  bodyLimit: number | undefined;
  access: RouteAccess | undefined;
};

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: readonly RouteSummary[];
  }
}

export async function buildApp(deps: Deps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, serializers: { req: requestSerializer } },
    bodyLimit: config.bodyLimitBytes,
    // A number of hops is trusted as such (Fastify's types take no number): the hop nearest the
    // server is 0. An address list goes to proxy-addr as it is.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    requestIdHeader: 'x-request-id',
    clientErrorHandler,
    genReqId: () => uuidv7(),
    schemaController: { compilersFactory: { buildSerializer: sharedResponseSerializers } },
    // The router refuses a broken percent-encoding (400) or an over-long path segment (414) before
    // any hook runs, and Fastify's own answer quotes the whole URL back: answer in our shape instead.
    frameworkErrors: (error, request, reply) => {
      const language = languageOf(request.headers['accept-language']);
      const message = errorMessage('validation_failed', language);
      const details = [{ field: 'url', problem: 'could not be read' }];
      // Typed before the route's provider is known: the plain reply is what is sent.
      return (reply as unknown as FastifyReply)
        .status(error.statusCode ?? 400)
        .send({ error: { code: 'validation_failed', message, details } });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Every route as declared, for the checks that must cover all of them (bodies, access).
  const routeTable: RouteSummary[] = [];
  app.decorate('routeTable', routeTable);
  // Every route of ours declares who may call it (platform/route-access.ts); the docs and the web
  // app's files, registered by their plugins, are public.
  let thirdParty = false;
  app.addHook('onRoute', (route) => {
    if (!thirdParty) requireDeclaredAccess(route);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const consumes = (route.schema as { consumes?: string[] } | undefined)?.consumes ?? [];
    for (const method of methods)
      routeTable.push({ method, url: route.url, consumes, bodyLimit: route.bodyLimit, access: declaredAccess(route) });
  });
  app.setValidatorCompiler(requestValidatorCompiler());
  installErrorHandler(app);
  installBodyTypeRule(app);

  // Platform plugins first, then the modules.
  await app.register(cookie);
  installSecurityHeaders(app);
  installCompression(app);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError('rate_limited'),
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Cunzhi (村治) API',
        version: '0.1.0',
        description: 'Digital village governance platform. Browsers use the session cookie and send X-CSRF-Token on writes.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'cz_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'A device gateway key' },
          screenKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'A wall screen key: `ScreenKey <key>`' },
          screenCookie: { type: 'apiKey', in: 'cookie', name: 'cz_screen' },
        },
      },
      security: [{ session: [] }],
    },
  });
  thirdParty = true;
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  thirdParty = false;
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());

  await app.register(authPlugin, { deps });
  await app.register(screenKeyPlugin, { deps });
  app.addHook('onRequest', enforceDeclaredAccess);

  app.get('/healthz', { schema: { hide: true }, config: { access: 'public' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => {
    try {
      await pingDatabase(deps.db);
      return { status: 'ready', database: deps.dialect };
    } catch (error) {
      app.log.warn({ err: error }, 'database not reachable');
      return reply.status(503).send({ status: 'unavailable', database: deps.dialect });
    }
  });

  await app.register(authRoutes, { prefix: '/api/auth', deps });
  // Org ends sessions, spots key accounts and sets passwords through auth's functions: auth depends on org, not back.
  await app.register(userRoutes, {
    prefix: '/api/org',
    deps,
    accounts: { endSessionsOf: (db, userId) => endSessionsOf(deps, db, userId), backsApiKey, ...accountCredentials },
  });
  await app.register(orgRoutes, {
    prefix: '/api/org',
    deps,
    // Care's elders move with their household: care depends on org, not back.
    householdMoves: { moveWith: moveEldersOfHousehold, moved: () => elderPlacementsChanged(deps) },
  });
  await app.register(regionShapesRoutes, { prefix: '/api/org', deps });
  await app.register(auditRoutes, { prefix: '/api/audit', deps });
  await app.register(casesRoutes, { prefix: '/api/cases', deps });
  await app.register(caseConfigRoutes, { prefix: '/api/cases', deps });
  await app.register(caseStatisticsRoutes, { prefix: '/api/cases', deps });
  await app.register(casePhotosRoutes, { prefix: '/api/cases', deps });
  await app.register(caseModerationRoutes, { prefix: '/api/cases', deps });
  await app.register(notificationsRoutes, { prefix: '/api/notifications', deps });
  await app.register(pointsRulesRoutes, { prefix: '/api/points', deps });
  await app.register(pointsLedgerRoutes, { prefix: '/api/points', deps });
  await app.register(pointsClaimsRoutes, { prefix: '/api/points', deps });
  await app.register(pointsShopRoutes, { prefix: '/api/points', deps });
  await app.register(pointsReportsRoutes, { prefix: '/api/points', deps });
  await app.register(careIngestRoutes, { prefix: '/api/care', deps });
  await app.register(careCommandsRoutes, { prefix: '/api/care', deps });
  await app.register(careEldersRoutes, { prefix: '/api/care', deps });
  await app.register(careRoundsRoutes, { prefix: '/api/care', deps });
  await app.register(careCallsRoutes, { prefix: '/api/care', deps });
  await app.register(careAlarmsRoutes, { prefix: '/api/care', deps });
  await app.register(catalogueRoutes, { prefix: '/api/services', deps });
  await app.register(applicationsRoutes, { prefix: '/api/services', deps });
  await app.register(noticesRoutes, { prefix: '/api/notices', deps });
  await app.register(monitoringRoutes, { prefix: '/api/monitoring', deps });
  await app.register(monitoringFindingsRoutes, { prefix: '/api/monitoring', deps });
  await app.register(monitoringFarmRoutes, { prefix: '/api/monitoring', deps });
  await app.register(monitoringEvidenceRoutes, { prefix: '/api/monitoring/evidence', deps });
  await app.register(povertyRoutes, { prefix: '/api/poverty', deps });
  await app.register(dashboardRoutes, { prefix: '/api/screen', deps });
  await app.register(povertyMonitoredRoutes, { prefix: '/api/poverty', deps });
  await app.register(agriFarmsRoutes, { prefix: '/api/agri', deps });
  await app.register(agriAdviceRoutes, { prefix: '/api/agri', deps });
  await app.register(agriQuestionsRoutes, { prefix: '/api/agri', deps });
  await app.register(privacyRoutes, { prefix: '/api/privacy', deps });
  await app.register(eventsRoutes, { prefix: '/api/events', deps });
  await app.register(platformInfoRoutes, { prefix: '/api/platform-info', deps });
  await app.register(villageAffairsRoutes, { prefix: '/api/public', deps });
  await app.register(pointsPublicRoutes, { prefix: '/api/public', deps });
  await app.register(povertyPublicRoutes, { prefix: '/api/public', deps });
  await app.register(open311Routes, { prefix: '/open311/v2', deps });
  await app.register(fhirRoutes, { prefix: '/fhir', deps });

  thirdParty = true;
  await serveWebApp(app, config.webDistDir);
  thirdParty = false;
  return app;
}

/** The built web app from the same process; unknown non-API paths get index.html (client routing). */
async function serveWebApp(app: FastifyInstance, distDir: string): Promise<void> {
  const hasWeb = fs.existsSync(path.join(distDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: distDir,
      preCompressed: true,
      wildcard: false,
      setHeaders(reply, filePath) {
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    // A page address, not a file: a missing script or picture (/assets/…, anything with an extension)
    // is a 404, never index.html, which a browser or the service worker would take for the file.
    const pathname = request.url.split('?')[0] as string;
    // The static routes are the files found at startup (wildcard: false). A web build replaced in
    // place while the server runs has a new index.html (read from disk) naming new hashed assets:
    // those are looked for on disk here, or every page would stay blank until a restart.
    const asset = hasWeb && (request.method === 'GET' || request.method === 'HEAD') ? await builtLaterAsset(distDir, pathname) : undefined;
    if (asset) return reply.sendFile(asset);
    // (index.html itself is the page: the static files answer / with it, and this handler /index.html.)
    const isFile = pathname !== '/index.html' && (pathname.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(pathname));
    const isPage = request.method === 'GET' && !isFile && !pathname.startsWith('/api/') && !pathname.startsWith('/open311/');
    if (hasWeb && isPage) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    // A browser opening an address with a file ending that is no file (/foo.html, /admin.php) is
    // shown the app's Chinese not-found page (its client routing has no such page), as a 404, not
    // raw JSON. Only for a request that asks for HTML: a missing script, picture or /assets/ file, or
    // any API path, still answers the JSON 404 below.
    const wantsPage =
      request.method === 'GET' && isFile && !pathname.startsWith('/assets/') && request.headers.accept?.includes('text/html');
    if (hasWeb && wantsPage && !pathname.startsWith('/api/') && !pathname.startsWith('/open311/')) {
      const page = await fs.promises.readFile(path.join(distDir, 'index.html'));
      return reply.status(404).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page);
    }
    const language = languageOf(request.headers['accept-language']);
    return reply.status(404).send({ error: { code: 'route_not_found', message: errorMessage('route_not_found', language) } });
  });
}

/**
 * `assets/<name>` when `pathname` names a file directly inside the built app's assets folder that
 * is there now. Only a plain file name (no slash, no leading dot, no escapes): nothing outside
 * that folder can be reached.
 */
async function builtLaterAsset(distDir: string, pathname: string): Promise<string | undefined> {
  const name = /^\/assets\/([A-Za-z0-9_-][A-Za-z0-9._-]*)$/.exec(pathname)?.[1];
  if (!name) return undefined;
  const stat = await fs.promises.stat(path.join(distDir, 'assets', name)).catch(() => undefined);
  return stat?.isFile() ? `assets/${name}` : undefined;
}

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}
