// Farms, plots, flocks, photos and observations (API list: packages/contracts/src/agri.ts).
import { PhotoRef, PhotoVariantQuery } from '@cunzhi/contracts/agri';
import {
  CameraLinkInput,
  CameraObservationInput,
  Farm,
  FarmCamera,
  FarmChangePage,
  FarmListQuery,
  FarmPage,
  Flock,
  FlockInput,
  FlockPatch,
  Observation,
  ObservationInput,
  Plot,
  PlotInput,
  PlotPatch,
} from '@cunzhi/contracts/agri-farms';
import { Id, PageQuery } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { acceptPhotoBodies, ById, errorResponses, IdempotencyHeaders, NoContent, PHOTO_TYPES } from '../../platform/route-schemas.ts';
import { presentChange, presentFarm, presentFarmSummary, presentFlock, presentObservation, presentPlot } from './agri.presenters.ts';
import { farmSide } from './agri-farm-page.service.ts';
import * as service from './agri-farms.service.ts';
import { agriObservationReadRoutes } from './agri-observations.routes.ts';
import * as observations from './agri-observations.service.ts';

const tags = ['agri'];
const read = { access: { permission: 'agri.read' as const } };
const farm = { access: { permission: 'agri.farm' as const } };
const ByHousehold = Type.Object({ householdId: Id }, { additionalProperties: false });
const HistoryQuery = Type.Object({ ...PageQuery.properties }, { additionalProperties: false });
const SUBJECTS = ['plots', 'flocks'] as const;

export const agriFarmsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  acceptPhotoBodies(app, deps.config.photoLimitBytes);
  // The lists of observations (a farm's, and every farm's of a place): agri-observations.routes.ts.
  await app.register(agriObservationReadRoutes, { deps });

  app.get(
    '/farms',
    {
      config: read,
      schema: { tags, summary: 'Farms in the caller’s places', querystring: FarmListQuery, response: { 200: FarmPage, ...errorResponses } },
    },
    async (request) => {
      const page = await service.listFarms(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.query,
        await farmSide.regionPlacement(deps, request.query.regionId),
      );
      return { items: page.items.map(presentFarmSummary), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/farms/mine',
    { config: read, schema: { tags, summary: 'My household’s farm', response: { 200: Farm, ...errorResponses } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const found = await service.myFarm(deps, principal, actorOf(request));
      return presentFarm(found, deps.now(), await farmSide.counts(deps, found.household.id));
    },
  );

  app.get(
    '/farms/:householdId',
    { config: read, schema: { tags, summary: 'A household’s farm', params: ByHousehold, response: { 200: Farm, ...errorResponses } } },
    async (request) => {
      const found = await service.getFarm(deps, requirePrincipal(request), actorOf(request), request.params.householdId);
      return presentFarm(found, deps.now(), await farmSide.counts(deps, found.household.id));
    },
  );

  app.get(
    '/farms/:householdId/history',
    {
      config: read,
      schema: {
        tags,
        summary: 'Changes to a farm’s plots and flocks',
        params: ByHousehold,
        querystring: HistoryQuery,
        response: { 200: FarmChangePage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await service.farmHistory(deps, requirePrincipal(request), actorOf(request), request.params.householdId, request.query);
      return { items: page.items.map(presentChange), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/farms/:householdId/plots',
    {
      config: farm,
      schema: {
        tags,
        summary: 'Add a plot',
        params: ByHousehold,
        headers: IdempotencyHeaders,
        body: PlotInput,
        response: { 201: Plot, ...errorResponses },
      },
    },
    async (request, reply) => {
      const plot = await service.addPlot(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.householdId,
        request.body,
        idempotencyKeyOf(request),
      );
      return reply.status(201).send(presentPlot(plot));
    },
  );

  app.patch(
    '/plots/:id',
    {
      config: farm,
      schema: {
        tags,
        summary: 'Change a plot',
        params: ById,
        headers: IdempotencyHeaders,
        body: PlotPatch,
        response: { 200: Plot, ...errorResponses },
      },
    },
    async (request) =>
      presentPlot(
        await service.changePlot(
          deps,
          requirePrincipal(request),
          actorOf(request),
          request.params.id,
          request.body,
          idempotencyKeyOf(request),
        ),
      ),
  );

  app.post(
    '/farms/:householdId/flocks',
    {
      config: farm,
      schema: {
        tags,
        summary: 'Add a flock or herd',
        params: ByHousehold,
        headers: IdempotencyHeaders,
        body: FlockInput,
        response: { 201: Flock, ...errorResponses },
      },
    },
    async (request, reply) => {
      const flock = await service.addFlock(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.householdId,
        request.body,
        idempotencyKeyOf(request),
      );
      return reply.status(201).send(presentFlock(flock, deps.now()));
    },
  );

  app.patch(
    '/flocks/:id',
    {
      config: farm,
      schema: {
        tags,
        summary: 'Change a flock or herd',
        params: ById,
        headers: IdempotencyHeaders,
        body: FlockPatch,
        response: { 200: Flock, ...errorResponses },
      },
    },
    async (request) =>
      presentFlock(
        await service.changeFlock(
          deps,
          requirePrincipal(request),
          actorOf(request),
          request.params.id,
          request.body,
          idempotencyKeyOf(request),
        ),
        deps.now(),
      ),
  );

  for (const segment of SUBJECTS) {
    const kind = segment === 'plots' ? 'plot' : 'flock';
    app.delete(
      `/${segment}/:id`,
      {
        config: farm,
        schema: {
          tags,
          summary: `Remove a ${kind} (kept in the history)`,
          params: ById,
          headers: IdempotencyHeaders,
          response: { 204: NoContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await service.retireSubject(deps, requirePrincipal(request), actorOf(request), kind, request.params.id, idempotencyKeyOf(request));
        return reply.status(204).send(null);
      },
    );
    app.put(
      `/${segment}/:id/camera`,
      {
        config: { access: { permission: 'agri.camera' as const } },
        schema: {
          tags,
          summary: `Link a farm camera attached to the household to this ${kind}`,
          params: ById,
          body: CameraLinkInput,
          response: { 200: FarmCamera, ...errorResponses },
        },
      },
      async (request) => {
        const linked = await service.linkCamera(
          deps,
          requirePrincipal(request),
          actorOf(request),
          kind,
          request.params.id,
          request.body.cameraId,
        );
        if (!linked) throw new AppError('camera_not_attached');
        return { cameraId: linked.cameraId, cameraName: linked.cameraName, subjectId: linked.agriSubjectId };
      },
    );
    app.delete(
      `/${segment}/:id/camera`,
      {
        config: { access: { permission: 'agri.camera' as const } },
        schema: { tags, summary: `Unlink this ${kind}’s camera`, params: ById, response: { 204: NoContent, ...errorResponses } },
      },
      async (request, reply) => {
        await service.linkCamera(deps, requirePrincipal(request), actorOf(request), kind, request.params.id, null);
        return reply.status(204).send(null);
      },
    );
  }

  app.post(
    '/photos',
    {
      config: { access: { permission: ['agri.farm', 'agri.advise'] } },
      bodyLimit: deps.config.photoLimitBytes,
      schema: {
        tags,
        summary: 'Upload a photo (the picture as the body) for an observation or a question',
        headers: IdempotencyHeaders,
        consumes: PHOTO_TYPES,
        response: { 201: PhotoRef, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('not_an_image');
      const photo = await observations.uploadPhoto(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.body,
        idempotencyKeyOf(request),
      );
      return reply.status(201).send({ id: photo.id, width: photo.width, height: photo.height });
    },
  );

  app.get(
    '/photos/:id',
    { config: read, schema: { tags, summary: 'A photo (JPEG)', params: ById, querystring: PhotoVariantQuery, produces: ['image/jpeg'] } },
    async (request, reply) => {
      const data = await observations.photoFile(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.id,
        request.query.variant ?? 'full',
      );
      // Not kept: a shared village phone would show it after sign-out, and a cached copy skips the
      // audited read (security recheck, item 3, as for case photos).
      return reply.type('image/jpeg').header('cache-control', 'private, no-store').send(data);
    },
  );

  app.post(
    '/farms/:householdId/observations',
    {
      config: farm,
      schema: {
        tags,
        summary: 'Record an observation',
        params: ByHousehold,
        headers: IdempotencyHeaders,
        body: ObservationInput,
        response: { 201: Observation, ...errorResponses },
      },
    },
    async (request, reply) => {
      const made = await observations.addObservation(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.householdId,
        request.body,
        idempotencyKeyOf(request),
      );
      return reply.status(201).send(presentObservation(made));
    },
  );

  app.post(
    '/farms/:householdId/observations/from-camera',
    {
      config: farm,
      schema: {
        tags,
        summary: 'An observation from a farm camera’s picture',
        params: ByHousehold,
        body: CameraObservationInput,
        response: { 201: Observation, ...errorResponses },
      },
    },
    async (request, reply) => {
      const made = await observations.addCameraObservation(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.householdId,
        request.body,
      );
      return reply.status(201).send(presentObservation(made));
    },
  );

  app.get(
    '/observations/:id/camera-image',
    {
      config: read,
      schema: {
        tags,
        summary: 'The camera picture of an observation (JPEG)',
        params: ById,
        querystring: PhotoVariantQuery,
        produces: ['image/jpeg'],
      },
    },
    async (request, reply) => {
      const data = await observations.observationImage(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.id,
        request.query.variant ?? 'full',
      );
      // Not kept: a shared village phone would show it after sign-out, and a cached copy skips the
      // audited read (security recheck, item 3, as for case photos).
      return reply.type('image/jpeg').header('cache-control', 'private, no-store').send(data);
    },
  );
};
