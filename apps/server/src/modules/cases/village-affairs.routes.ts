import { ErrorBody, PageQuery } from '@cunzhi/contracts/common';
import {
  ExposureBoard,
  PublicPhotoParams,
  PublicPhotoQuery,
  PublicVillageList,
  PublicVillageParams,
  VillageAffairs,
} from '@cunzhi/contracts/village-affairs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../platform/deps.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import { listVillages } from '../org/regions.service.ts';
import { exposureBoard } from './case-moderation.service.ts';
import { publicPhotoFile } from './case-photos.service.ts';
import { villageAffairs } from './village-affairs.service.ts';

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
        response: { 200: PublicVillageList },
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
        params: PublicVillageParams,
        querystring: PageQuery,
        response: { 200: VillageAffairs, 400: ErrorBody, 404: ErrorBody },
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
        params: PublicVillageParams,
        querystring: PageQuery,
        response: { 200: ExposureBoard, 400: ErrorBody, 404: ErrorBody },
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
        params: PublicPhotoParams,
        querystring: PublicPhotoQuery,
        produces: ['image/jpeg'],
      },
    },
    async (request, reply) => {
      const file = await publicPhotoFile(deps, request.params.id, request.params.photoId, request.query.variant ?? 'full');
      return reply.type('image/jpeg').header('cache-control', 'public, max-age=300').send(file);
    },
  );
};
