// Findings of change detection and each camera's detection settings: lists and pictures for the
// cadres and grid workers of the place, the cadres' two decisions (accept the scene, confirm).
import {
  DetectionSettingsInput,
  DetectionStatus,
  FindingDecision,
  FindingImageQuery,
  FindingListQuery,
  FindingPage,
  Finding as FindingSchema,
} from '@cunzhi/contracts/monitoring-findings';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses, IdempotencyHeaders } from '../../platform/route-schemas.ts';
import { baselineImage, closeDetection, detectionStatus, updateDetectionSettings } from './monitoring-detection.service.ts';
import { presentDetectionStatus, presentFinding } from './monitoring-findings.presenters.ts';
import { acceptScene, confirmFinding, findingImage, getFinding, listFindings } from './monitoring-findings.service.ts';

const tags = ['monitoring'];
const view = { access: { permission: ['monitoring.view' as const, 'monitoring.manage' as const] } };
// The decisions are the cadres' (monitoring.manage over the camera's place), decided in the
// service so that a grid worker's or anyone else's attempt is refused there and audited.
const decide = { access: 'signedIn' as const };

export const monitoringFindingsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.addHook('onClose', () => closeDetection());

  app.get(
    '/findings',
    {
      config: view,
      schema: {
        tags,
        summary: 'Findings of change detection in the caller’s places, newest first',
        querystring: FindingListQuery,
        response: { 200: FindingPage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await listFindings(deps, requirePrincipal(request), actorOf(request), request.query);
      return { items: page.items.map(presentFinding), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/findings/:id',
    { config: view, schema: { tags, summary: 'A finding', params: ById, response: { 200: FindingSchema, ...errorResponses } } },
    async (request) => presentFinding(await getFinding(deps, requirePrincipal(request), actorOf(request), request.params.id)),
  );

  app.get(
    '/findings/:id/image',
    {
      config: view,
      schema: {
        tags,
        summary: 'A finding’s before (baseline), after, or after with the change outlined (JPEG); audited',
        params: ById,
        querystring: FindingImageQuery,
        produces: ['image/jpeg'],
      },
    },
    async (request, reply) => {
      const image = await findingImage(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.id,
        request.query.kind ?? 'outlined',
      );
      return reply.type('image/jpeg').header('cache-control', 'private, no-store').send(image);
    },
  );

  for (const [path, run, summary] of [
    [
      'accept-baseline',
      acceptScene,
      'Accept the new scene as the camera’s baseline: the finding closes, its case is closed with the reason given (note, required: reason_required)',
    ],
    ['confirm', confirmFinding, 'Confirm the finding: its case goes on, the confirmation and its note in the case’s history'],
  ] as const) {
    app.post(
      `/findings/:id/${path}`,
      {
        config: decide,
        schema: {
          tags,
          summary,
          params: ById,
          headers: IdempotencyHeaders,
          body: FindingDecision,
          response: { 200: FindingSchema, ...errorResponses },
        },
      },
      async (request) =>
        presentFinding(
          await run(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body ?? {}, idempotencyKeyOf(request)),
        ),
    );
  }

  app.get(
    '/cameras/:id/detection',
    {
      config: view,
      schema: {
        tags,
        summary: 'A camera’s change detection: settings, baseline, changes being watched',
        params: ById,
        response: { 200: DetectionStatus, ...errorResponses },
      },
    },
    async (request) => presentDetectionStatus(await detectionStatus(deps, requirePrincipal(request), request.params.id)),
  );

  app.patch(
    '/cameras/:id/detection',
    {
      config: view,
      schema: {
        tags,
        summary: 'Set N, the minimum area, or turn detection off (cadres of the place)',
        params: ById,
        body: DetectionSettingsInput,
        response: { 200: DetectionStatus, ...errorResponses },
      },
    },
    async (request) =>
      presentDetectionStatus(
        await updateDetectionSettings(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body),
      ),
  );

  app.get(
    '/cameras/:id/baseline/image',
    { config: view, schema: { tags, summary: 'The camera’s baseline picture (JPEG); audited', params: ById, produces: ['image/jpeg'] } },
    async (request, reply) => {
      const image = await baselineImage(deps, requirePrincipal(request), actorOf(request), request.params.id);
      return reply.type('image/jpeg').header('cache-control', 'private, no-store').send(image);
    },
  );
};
