// Pieces every module's route schemas share.
import { ErrorBody, Id } from '@cunzhi/contracts/common';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

export const ById = Type.Object({ id: Id });
export const NoContent = Type.Null({ description: 'No content' });
/** The error answers an authenticated API route may give, all in the one error shape. */
export const errorResponses = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
/** Writes a phone may retry: the same key with the same body returns the first answer. */
export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) });

/** Phones send pictures as whatever type they like; the content decides (see platform/images.ts). */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'application/octet-stream'];

/** Lets a module's routes take a picture as the raw request body, up to the configured size. */
export function acceptPhotoBodies(app: FastifyInstance, limitBytes: number): void {
  app.addContentTypeParser(PHOTO_TYPES, { parseAs: 'buffer', bodyLimit: limitBytes }, (_request, body, done) => done(null, body));
}
