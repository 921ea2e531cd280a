import { ExposureBoardItem } from '@cunzhi/contracts/cases';
import { ErrorBody, Id, Nullable, PageQuery, pageOf, Timestamp } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../../platform/deps.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import { listVillages } from '../org/regions.service.ts';
import { exposureBoard } from './case-moderation.service.ts';
import { publicPhotoFile } from './case-photos.service.ts';
import { villageAffairs } from './village-affairs.service.ts';

const PublicMatter = Type.Object({
  number: Type.String(),
  title: Type.String(),
  categoryName: Type.String(),
  state: Type.String(),
  createdAt: Timestamp,
  closedAt: Nullable(Type.String()),
});

/** No login: the public side of the platform. */
export const villageAffairsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/villages',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary: 'Every village, for the index of public village pages',
        security: [],
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ id: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()), townshipName: Type.String() }),
            ),
          }),
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return { items: await listVillages(deps) };
    },
  );

  app.get(
    '/villages/:id/affairs',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary: "A village's matters of the last twelve months and its completion rate (村务公开, 办结率)",
        security: [],
        params: Type.Object({ id: Id }),
        querystring: PageQuery,
        response: {
          200: Type.Object({
            village: Type.Object({ id: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()), code: Type.String() }),
            total: Type.Integer(),
            closed: Type.Integer(),
            completionRate: Nullable(Type.Number()),
            matters: pageOf(PublicMatter),
          }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const result = await villageAffairs(deps, request.params.id, request.query);
      reply.header('cache-control', 'public, max-age=60');
      return {
        ...result,
        matters: {
          items: result.matters.items.map((m) => ({ ...m, createdAt: toIso(m.createdAt), closedAt: toIsoOrNull(m.closedAt) })),
          nextCursor: result.matters.nextCursor,
        },
      };
    },
  );

  app.get(
    '/villages/:id/exposure-board',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary: "A village's exposure board (曝光台): moderated reports, without names, numbers or faces",
        security: [],
        params: Type.Object({ id: Id }),
        querystring: PageQuery,
        response: { 200: pageOf(ExposureBoardItem), 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const page = await exposureBoard(deps, request.params.id, request.query);
      reply.header('cache-control', 'public, max-age=60');
      return {
        items: page.items.map((item) => ({
          ...item,
          createdAt: toIso(item.createdAt),
          closedAt: toIsoOrNull(item.closedAt),
          photos: item.photoIds.map((photoId) => ({
            url: `/api/public/cases/${item.id}/photos/${photoId}`,
            thumbUrl: `/api/public/cases/${item.id}/photos/${photoId}?variant=thumb`,
          })),
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/cases/:id/photos/:photoId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary: 'The moderated (blurred) copy of a published exposure-board photo',
        security: [],
        params: Type.Object({ id: Id, photoId: Id }),
        querystring: Type.Object({ variant: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('thumb')])) }),
        produces: ['image/jpeg'],
      },
    },
    async (request, reply) => {
      const file = await publicPhotoFile(deps, request.params.id, request.params.photoId, request.query.variant ?? 'full');
      return reply.type('image/jpeg').header('cache-control', 'public, max-age=300').send(file);
    },
  );
};
