// Cameras and their pictures: registering and changing cameras (cadres), pictures pushed by
// cameras with their key, and the reads behind the camera pages and the live view.

import { ErrorBody } from '@cunzhi/contracts/common';
import {
  CameraInput,
  CameraListQuery,
  CameraPage,
  CameraPatch,
  CameraRegistered,
  Camera as CameraSchema,
  LiveView,
  PushKey,
  PushQuery,
  Snapshot,
  SnapshotImageQuery,
  SnapshotPage,
  SnapshotRangeQuery,
} from '@cunzhi/contracts/monitoring';
import { EvidenceKey } from '@cunzhi/contracts/monitoring-evidence';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { ById, errorResponses, IdempotencyHeaders } from '../../platform/route-schemas.ts';
import { presentCamera, presentLiveCamera, presentSnapshot } from './monitoring.presenters.ts';
import { changeCamera, getCamera, listCameras, registerCamera, rotatePushKey } from './monitoring-cameras.service.ts';
import { publishedEvidenceKey } from './monitoring-evidence-package.service.ts';
import { pullNow } from './monitoring-pull.service.ts';
import {
  isRecordedPushRefusal,
  listSnapshots,
  liveView,
  pushSnapshot,
  recordPushRefusal,
  snapshotImage,
} from './monitoring-snapshots.service.ts';
import { tooLarge } from './snapshot-image.ts';

const tags = ['monitoring'];
const errors = { ...errorResponses, 413: ErrorBody, 415: ErrorBody, 502: ErrorBody };
const manage = { access: { permission: 'monitoring.manage' as const } };
const view = { access: { permission: ['monitoring.view' as const, 'monitoring.manage' as const] } };
/** What a camera or NVR may send; the content decides what it is (snapshot-image.ts). */
const PICTURE_TYPES = ['image/jpeg', 'image/png', 'application/octet-stream'];

/** The key of `Authorization: Bearer <key>`; the scheme in any case (RFC 7235: schemes are case-insensitive). */
const bearerOf = (header: string | undefined) => /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')?.[1];

/** What a refused push is recorded as: a stable code, never anything the request carried. */
function refusalReason(error: FastifyError | AppError): string | undefined {
  if (error instanceof AppError) return error.status < 500 || error.code === 'snapshot_busy' ? error.code : undefined;
  if (error.validation) return 'validation_failed';
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'snapshot_too_large';
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'unsupported_media_type';
  return error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? 'request_refused' : undefined;
}

export const monitoringRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const limit = deps.config.snapshotLimitBytes;
  app.addContentTypeParser(PICTURE_TYPES, { parseAs: 'buffer', bodyLimit: limit }, (_request, body, done) => done(null, body));

  app.post(
    '/cameras',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Register a camera; its push key is shown once',
        description: 'Credentials are write-only. A pull address must lie inside CAMERA_NETWORKS.',
        body: CameraInput,
        response: { 201: CameraRegistered, ...errors },
      },
    },
    async (request, reply) => {
      const made = await registerCamera(deps, requirePrincipal(request), actorOf(request), request.body);
      return reply.status(201).send({ camera: presentCamera(made.camera), pushKey: made.pushKey });
    },
  );

  app.get(
    '/cameras',
    {
      config: view,
      schema: { tags, summary: 'Cameras in the caller’s places', querystring: CameraListQuery, response: { 200: CameraPage, ...errors } },
    },
    async (request) => {
      const page = await listCameras(deps, requirePrincipal(request), request.query);
      return { items: page.items.map(presentCamera), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/cameras/:id',
    { config: view, schema: { tags, summary: 'A camera', params: ById, response: { 200: CameraSchema, ...errors } } },
    async (request) => presentCamera(await getCamera(deps, requirePrincipal(request), request.params.id)),
  );

  app.patch(
    '/cameras/:id',
    {
      config: manage,
      schema: { tags, summary: 'Change a camera', params: ById, body: CameraPatch, response: { 200: CameraSchema, ...errors } },
    },
    async (request) =>
      presentCamera(await changeCamera(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/cameras/:id/push-key',
    {
      config: manage,
      schema: { tags, summary: 'Replace the push key; the new one is shown once', params: ById, response: { 200: PushKey, ...errors } },
    },
    async (request) => ({ pushKey: await rotatePushKey(deps, requirePrincipal(request), actorOf(request), request.params.id) }),
  );

  app.post(
    '/cameras/:id/pull',
    {
      config: manage,
      schema: { tags, summary: 'Take a picture from a pull camera now', params: ById, response: { 201: Snapshot, ...errors } },
    },
    async (request, reply) =>
      reply.status(201).send(presentSnapshot(await pullNow(deps, requirePrincipal(request), actorOf(request), request.params.id))),
  );

  /** The camera a push names, when the path holds an id at all (never whatever else was sent). */
  const pushedCamera = (request: FastifyRequest) => {
    const id = (request.params as { id?: string } | undefined)?.id ?? '';
    return /^[0-9a-f-]{36}$/.test(id) ? id : null;
  };

  app.post(
    '/cameras/:id/snapshots',
    {
      config: { access: 'key:device' },
      bodyLimit: limit,
      schema: {
        tags,
        summary: 'A camera or NVR pushes a picture (JPEG or PNG as the body; Authorization: Bearer <push key>)',
        description: 'capturedAt defaults to the time received; one later than the server clock (2 min skew) is refused.',
        security: [{ bearer: [] }],
        params: ById,
        headers: IdempotencyHeaders,
        querystring: PushQuery,
        consumes: PICTURE_TYPES,
        response: { 201: Snapshot, ...errors, 429: ErrorBody, 503: ErrorBody },
      },
      // A declared length over the limit is refused before the body is read; a body sent without a
      // length is cut off at the limit by the parser.
      preParsing: async (request) => {
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > limit) throw tooLarge(limit);
      },
      // Every refusal of a push is recorded: those the service made itself, and those made before
      // it was reached (no key, a wrong type, a bad path or query, too large, a CSRF or access check).
      // A wait asked for (too many wrong keys, decoding queue full) goes in Retry-After.
      onError: async (request, reply, error) => {
        const seconds = error instanceof AppError && error.status >= 429 ? error.params.seconds : undefined;
        if (typeof seconds === 'number') reply.header('retry-after', String(seconds));
        if (isRecordedPushRefusal(error)) return;
        const reason = refusalReason(error);
        if (reason) await recordPushRefusal(deps, actorOf(request), pushedCamera(request), reason);
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (!Buffer.isBuffer(body)) throw new AppError('snapshot_not_image');
      const snapshot = await pushSnapshot(deps, actorOf(request), {
        cameraId: request.params.id,
        key: bearerOf(request.headers.authorization),
        data: body,
        capturedAt: request.query.capturedAt,
        idempotencyKey: idempotencyKeyOf(request),
      });
      return reply.status(201).send(presentSnapshot(snapshot));
    },
  );

  app.get(
    '/cameras/:id/snapshots',
    {
      config: view,
      schema: {
        tags,
        summary: 'A camera’s pictures captured in a time range, newest first',
        params: ById,
        querystring: SnapshotRangeQuery,
        response: { 200: SnapshotPage, ...errors },
      },
    },
    async (request) => {
      const page = await listSnapshots(deps, requirePrincipal(request), actorOf(request), request.params.id, request.query);
      return { items: page.items.map(presentSnapshot), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/snapshots/:id/image',
    {
      config: view,
      schema: {
        tags,
        summary: 'One picture (JPEG), full size or thumbnail; every look is audited',
        params: ById,
        querystring: SnapshotImageQuery,
        produces: ['image/jpeg'],
      },
    },
    async (request, reply) => {
      const file = await snapshotImage(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.id,
        request.query.variant ?? 'full',
      );
      return reply.type('image/jpeg').header('cache-control', 'private, no-store').send(file);
    },
  );

  app.get(
    '/evidence-key',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'The county’s evidence-signing public key and its fingerprint, for checking who signed a package',
        description: 'Compare with `npm run evidence:verify -- <package.zip> --fingerprint <this fingerprint>`. No login.',
        response: { 200: EvidenceKey },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return publishedEvidenceKey(deps);
    },
  );

  app.get(
    '/live',
    {
      config: view,
      schema: { tags, summary: 'The newest picture of each camera in the caller’s places', response: { 200: LiveView, ...errors } },
    },
    async (request) => ({ items: (await liveView(deps, requirePrincipal(request))).map(presentLiveCamera) }),
  );
};
