import {
  ClaimInput,
  ClaimPage,
  ClaimPhotoParams,
  ClaimPhotoQuery,
  ClaimWithPhotos,
  PhotoVariantQuery,
  PointsClaim,
  PointsListQuery,
  ReviewInput,
} from '@cunzhi/contracts/points';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { acceptPhotoBodies, ById, errorResponses as errors, IdempotencyHeaders, PHOTO_TYPES } from '../../platform/route-schemas.ts';
import { presentClaim, presentClaimPhotos, presentUploadedPhoto } from './points.presenters.ts';
import * as claims from './points-claims.service.ts';

const tags = ['points'];

/** Claims for points, their photos, and their review. */
export const pointsClaimsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  acceptPhotoBodies(app, deps.config.photoLimitBytes);

  app.post(
    '/claims',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'File a claim for points under a rule',
        headers: IdempotencyHeaders,
        body: ClaimInput,
        response: { 201: PointsClaim, ...errors },
      },
    },
    async (request, reply) => {
      const claim = await claims.fileClaim(deps, requirePrincipal(request), actorOf(request), {
        ...request.body,
        idempotencyKey: idempotencyKeyOf(request),
      });
      return reply.status(201).send(presentClaim(claim));
    },
  );

  app.get(
    '/claims',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Claims in my scope, newest first (a villager: their household)',
        querystring: PointsListQuery,
        response: { 200: ClaimPage, ...errors },
      },
    },
    async (request) => {
      const page = await claims.listClaims(deps, requirePrincipal(request), actorOf(request), request.query);
      return { items: page.items.map(presentClaim), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/claims/:id',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'A claim with its photos', params: ById, response: { 200: ClaimWithPhotos, ...errors } },
    },
    async (request) => {
      const { claim, photos } = await claims.getClaim(deps, requirePrincipal(request), request.params.id);
      return presentClaimPhotos(claim, photos);
    },
  );

  app.post(
    '/claims/:id/photos',
    {
      config: { access: 'signedIn' },
      bodyLimit: deps.config.photoLimitBytes,
      schema: {
        tags,
        summary: 'Add a before or after photo to a claim (the picture as the body)',
        params: ById,
        headers: IdempotencyHeaders,
        querystring: ClaimPhotoQuery,
        consumes: PHOTO_TYPES,
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('not_an_image');
      const photo = await claims.addClaimPhoto(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.id,
        request.query.stage ?? 'after',
        request.body,
        idempotencyKeyOf(request),
      );
      return reply.status(201).send(presentUploadedPhoto(photo));
    },
  );

  app.get(
    '/claims/:id/photos/:photoId',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'A claim photo (JPEG)', params: ClaimPhotoParams, querystring: PhotoVariantQuery, produces: ['image/jpeg'] },
    },
    async (request, reply) => {
      const { id, photoId } = request.params;
      const file = await claims.claimPhotoFile(deps, requirePrincipal(request), id, photoId, request.query.variant === 'thumb');
      return reply.type('image/jpeg').header('cache-control', 'private, no-store').send(file); // shared phones: not kept past sign-out
    },
  );

  app.post(
    '/claims/:id/reviews',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'The keeper approves (points booked), rejects or asks for more; the filer resubmits',
        params: ById,
        headers: IdempotencyHeaders,
        body: ReviewInput,
        response: { 200: PointsClaim, ...errors },
      },
    },
    async (request) =>
      presentClaim(
        await claims.reviewClaim(deps, requirePrincipal(request), actorOf(request), request.params.id, {
          ...request.body,
          idempotencyKey: idempotencyKeyOf(request),
        }),
      ),
  );
};
