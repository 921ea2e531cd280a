import { ErrorBody, Id, Nullable, PageQuery, pageOf, Timestamp } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../../platform/deps.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
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
    '/villages/:id/affairs',
    {
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
};
