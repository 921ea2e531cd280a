import {
  AttachmentName,
  AudienceSize,
  Broadcasts,
  Inbox,
  LoudspeakerInput,
  LoudspeakerKey,
  NoticeAudience,
  NoticeFileParams,
  NoticeInput,
  NoticeList,
  Notice as NoticeOut,
  NoticeTransition,
  Receipts,
} from '@cunzhi/contracts/notices';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { ById, errorResponses, IdempotencyHeaders, NoContent, PHOTO_TYPES } from '../../platform/route-schemas.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import {
  attach,
  attachmentOf,
  changeNotice,
  createNotice,
  inbox,
  listNotices,
  type NoticeRecord,
  openNotice,
  previewAudience,
  receipts,
} from './notices.service.ts';
import { broadcastPlayed, pollBroadcasts, registerLoudspeaker } from './notices-loudspeakers.service.ts';

const errors = errorResponses;
const tags = ['notices'];
const DOCUMENT_TYPES = [...PHOTO_TYPES, 'application/pdf'];

const present = (n: NoticeRecord) => ({
  id: n.id,
  title: n.title,
  body: n.body,
  urgent: n.urgent,
  // Households named by another module are counted, never listed.
  audience: {
    regionIds: n.audience.regionIds,
    gridIds: n.audience.gridIds,
    traits: n.audience.traits,
    personIds: n.audience.personIds,
    households: n.audience.householdIds?.length ?? 0,
    subjects: n.audience.subjects ?? [],
  },
  // Where the bytes are stored stays inside the server.
  attachments: n.attachments.map((a) => ({ id: a.id, name: a.name, contentType: a.contentType })),
  state: n.state,
  scheduledAt: toIsoOrNull(n.scheduledAt),
  sentAt: toIsoOrNull(n.sentAt),
  expiresAt: toIsoOrNull(n.expiresAt),
  recipients: n.recipients,
  createdAt: toIso(n.createdAt),
});

const bearerOf = (request: FastifyRequest) => {
  const header = request.headers.authorization ?? '';
  const key = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!key) throw new AppError('not_authenticated');
  return key;
};

export const noticesRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.addContentTypeParser(DOCUMENT_TYPES, { parseAs: 'buffer', bodyLimit: deps.config.photoLimitBytes }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary:
          'Write a notice for an audience (places, grids, households with traits, named people); send now, at a time, or keep a draft',
        headers: IdempotencyHeaders,
        body: NoticeInput,
        response: { 201: NoticeOut, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(present(await createNotice(deps, requirePrincipal(request), actorOf(request), request.body, idempotencyKeyOf(request)))),
  );

  app.post(
    '/audience-size',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'How many people and households an audience would reach now (nothing is written)',
        body: NoticeAudience,
        response: { 200: AudienceSize, ...errors },
      },
    },
    async (request) => previewAudience(deps, requirePrincipal(request), request.body),
  );

  app.get(
    '/',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Notices of the places I push to, newest first',
        response: { 200: NoticeList, ...errors },
      },
    },
    async (request) => ({ items: (await listNotices(deps, requirePrincipal(request))).map(present) }),
  );

  app.get(
    '/inbox',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'The notices that reached me, with the unread count',
        response: { 200: Inbox, ...errors },
      },
    },
    async (request) => {
      const result = await inbox(deps, requirePrincipal(request));
      return { unread: result.unread, items: result.items.map((i) => ({ ...i, sentAt: toIso(i.sentAt) })) };
    },
  );

  app.get(
    '/:id',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'Open a notice (marks it read for me)', params: ById, response: { 200: NoticeOut, ...errors } },
    },
    async (request) => present(await openNotice(deps, requirePrincipal(request), request.params.id)),
  );

  app.get(
    '/:id/attachments/:fileId',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'An attachment of a notice that reached me', params: NoticeFileParams },
    },
    async (request, reply) => {
      const file = await attachmentOf(deps, requirePrincipal(request), request.params.id, request.params.fileId);
      return reply.type(file.contentType).header('cache-control', 'private, max-age=3600').send(file.data);
    },
  );

  app.post(
    '/:id/attachments',
    {
      config: { access: 'signedIn' },
      bodyLimit: deps.config.photoLimitBytes,
      schema: {
        tags,
        summary: 'Attach a picture or PDF to a draft (the file as the body, ?name=)',
        params: ById,
        querystring: AttachmentName,
        consumes: DOCUMENT_TYPES,
        response: { 200: NoticeOut, ...errors },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('not_a_document');
      return present(await attach(deps, requirePrincipal(request), actorOf(request), request.params.id, request.query.name, request.body));
    },
  );

  app.post(
    '/:id/transitions',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'send (now), schedule (at scheduledAt) or cancel a notice not yet sent',
        params: ById,
        body: NoticeTransition,
        response: { 200: NoticeOut, ...errors },
      },
    },
    async (request) => present(await changeNotice(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/:id/receipts',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Delivery and read receipts per household, those who have not read it first',
        params: ById,
        response: { 200: Receipts, ...errors },
      },
    },
    async (request) => {
      const result = await receipts(deps, requirePrincipal(request), request.params.id);
      return {
        people: result.people,
        read: result.read,
        households: result.households.map((h) => ({ ...h, firstReadAt: toIsoOrNull(h.firstReadAt) })),
      };
    },
  );

  app.post(
    '/loudspeakers',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Register a village loudspeaker; its key is shown once',
        body: LoudspeakerInput,
        response: { 201: LoudspeakerKey, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await registerLoudspeaker(deps, requirePrincipal(request), actorOf(request), request.body.villageId, request.body.name)),
  );

  app.get(
    '/loudspeaker/broadcasts',
    {
      config: { access: 'key:device' },
      schema: {
        tags,
        summary: 'What a village loudspeaker (Authorization: Bearer <loudspeaker key>) should read aloud',
        security: [{ bearer: [] }],
        response: { 200: Broadcasts, ...errors },
      },
    },
    async (request) => ({ items: await pollBroadcasts(deps, bearerOf(request)) }),
  );

  app.post(
    '/loudspeaker/broadcasts/:id/played',
    {
      config: { access: 'key:device' },
      schema: {
        tags,
        summary: 'The loudspeaker has read it aloud',
        security: [{ bearer: [] }],
        params: ById,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await broadcastPlayed(deps, bearerOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
