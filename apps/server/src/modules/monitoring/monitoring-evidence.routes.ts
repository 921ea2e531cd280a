// Evidence for the police: the liaison asks, lists, withdraws and downloads; the cadres of the
// camera's place list and decide. Every route is open to any signed-in caller and the service
// decides, so that a refusal for the wrong role is audited like every other refusal.
import { createReadStream } from 'node:fs';
import {
  EvidenceCameraList,
  EvidenceDecisionInput,
  EvidenceRequestInput,
  EvidenceRequestListQuery,
  EvidenceRequestPage,
  EvidenceRequest as EvidenceRequestSchema,
} from '@cunzhi/contracts/monitoring-evidence';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses, IdempotencyHeaders } from '../../platform/route-schemas.ts';
import { presentEvidenceCamera, presentEvidenceRequest } from './monitoring-evidence.presenters.ts';
import {
  cameraRegionNames,
  camerasForEvidence,
  decideEvidenceRequest,
  downloadEvidencePackage,
  listEvidenceRequests,
  type RequestLabelsInput,
  requestEvidence,
  requestLabels,
  viewEvidenceRequest,
  withdrawEvidenceRequest,
} from './monitoring-evidence.service.ts';

const tags = ['monitoring'];
const signedIn = { access: 'signedIn' as const };

export const monitoringEvidenceRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const present = async (request: RequestLabelsInput) => presentEvidenceRequest(request, await requestLabels(deps, [request]));

  app.get(
    '/cameras',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Cameras of the liaison’s township a request may name',
        response: { 200: EvidenceCameraList, ...errorResponses },
      },
    },
    async (request) => {
      const cameras = await camerasForEvidence(deps, requirePrincipal(request), actorOf(request));
      const regions = await cameraRegionNames(deps, cameras);
      return { items: cameras.map((c) => presentEvidenceCamera(c, regions)) };
    },
  );

  app.post(
    '/requests',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'A police liaison asks for a camera’s pictures over a time range for a case',
        description: 'At most 7 days, ending no later than now. Idempotency-Key makes a retry return the first answer.',
        headers: IdempotencyHeaders,
        body: EvidenceRequestInput,
        response: { 201: EvidenceRequestSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const made = await requestEvidence(deps, requirePrincipal(request), actorOf(request), request.body, idempotencyKeyOf(request));
      return reply.status(201).send(await present(made));
    },
  );

  app.get(
    '/requests',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'The liaison’s own requests (view=mine) or those about cameras of the cadre’s places (view=desk), newest first',
        querystring: EvidenceRequestListQuery,
        response: { 200: EvidenceRequestPage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await listEvidenceRequests(deps, requirePrincipal(request), actorOf(request), request.query);
      const labels = await requestLabels(deps, page.items);
      return { items: page.items.map((r) => presentEvidenceRequest(r, labels)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/requests/:id',
    {
      config: signedIn,
      schema: { tags, summary: 'One evidence request', params: ById, response: { 200: EvidenceRequestSchema, ...errorResponses } },
    },
    async (request) => present(await viewEvidenceRequest(deps, requirePrincipal(request), actorOf(request), request.params.id)),
  );

  for (const [verb, approve] of [
    ['approve', true],
    ['refuse', false],
  ] as const) {
    app.post(
      `/requests/:id/${verb}`,
      {
        config: signedIn,
        schema: {
          tags,
          summary: approve
            ? 'A cadre of the camera’s place approves: the pictures are held and the package built'
            : 'A cadre of the camera’s place refuses',
          params: ById,
          body: EvidenceDecisionInput,
          response: { 200: EvidenceRequestSchema, ...errorResponses },
        },
      },
      async (request) =>
        present(
          await decideEvidenceRequest(deps, requirePrincipal(request), actorOf(request), request.params.id, {
            approve,
            reason: request.body.reason,
          }),
        ),
    );
  }

  app.post(
    '/requests/:id/withdraw',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'The liaison withdraws a request not yet decided',
        params: ById,
        response: { 200: EvidenceRequestSchema, ...errorResponses },
      },
    },
    async (request) => present(await withdrawEvidenceRequest(deps, requirePrincipal(request), actorOf(request), request.params.id)),
  );

  app.get(
    '/requests/:id/package',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'The signed evidence package (ZIP) of an approved request, for the liaison who asked; every download is audited',
        description: 'Check it offline with `npm run evidence:verify <package>`.',
        params: ById,
        produces: ['application/zip'],
      },
    },
    async (request, reply) => {
      const pkg = await downloadEvidencePackage(deps, requirePrincipal(request), actorOf(request), request.params.id);
      return reply
        .type('application/zip')
        .header('content-length', pkg.bytes)
        .header('content-disposition', `attachment; filename="${pkg.name}"`)
        .header('cache-control', 'private, no-store')
        .send(createReadStream(pkg.file));
    },
  );
};
