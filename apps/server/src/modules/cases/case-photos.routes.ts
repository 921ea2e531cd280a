import { CasePhoto, CasePhotoList, CasePhotoParams, PhotoUploadQuery, PhotoVariantQuery } from '@cunzhi/contracts/cases';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { acceptPhotoBodies, ById, errorResponses, IdempotencyHeaders, PHOTO_TYPES } from '../../platform/route-schemas.ts';
import * as photos from './case-photos.service.ts';
import { presentPhoto } from './cases.presenters.ts';

const errors = errorResponses;

/** A case's photos: the report's, and before and after handling. */
export const casePhotosRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  acceptPhotoBodies(app, deps.config.photoLimitBytes);

  app.post(
    '/:id/photos',
    {
      config: { access: 'signedIn' },
      bodyLimit: deps.config.photoLimitBytes,
      schema: {
        tags: ['cases'],
        summary: 'Add a photo (the picture as the request body): the report, or before and after handling',
        description: 'Checked by content; re-encoded without metadata (GPS, device); a thumbnail is made.',
        params: ById,
        headers: IdempotencyHeaders,
        querystring: PhotoUploadQuery,
        consumes: PHOTO_TYPES,
        response: { 201: CasePhoto, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (!Buffer.isBuffer(body)) throw new AppError('not_an_image');
      const photo = await photos.addPhoto(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.id,
        request.query.stage ?? 'report',
        body,
        idempotencyKeyOf(request),
      );
      return reply.status(201).send(presentPhoto(photo));
    },
  );

  app.get(
    '/:id/photos',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: "A case's photos",
        params: ById,
        response: { 200: CasePhotoList, ...errors },
      },
    },
    async (request) => ({ items: (await photos.listPhotos(deps, requirePrincipal(request), request.params.id)).map(presentPhoto) }),
  );

  app.get(
    '/:id/photos/:photoId',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'A photo (JPEG), full size or thumbnail',
        params: CasePhotoParams,
        querystring: PhotoVariantQuery,
        produces: ['image/jpeg'],
      },
    },
    async (request, reply) => {
      const { id, photoId } = request.params;
      const file = await photos.photoFile(deps, requirePrincipal(request), id, photoId, request.query.variant ?? 'full');
      // Not kept after the answer: a village phone is often shared, and a cached photo of a case would
      // outlive the sign-out of whoever was allowed to see it (security recheck, item 3).
      return reply.type('image/jpeg').header('cache-control', 'private, no-store').send(file);
    },
  );
};
