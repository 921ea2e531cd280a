// The outlines the maps draw: a region's and those one and two levels under it.
import { RegionShapes, RegionShapesQuery } from '@cunzhi/contracts/region-shapes';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/route-schemas.ts';
import { regionShapes } from './region-shapes.service.ts';

export const regionShapesRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/region-shapes',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['org'],
        summary: 'A region’s outline and those of the regions one and two levels under it (GeoJSON, WGS84)',
        description: 'Administrative outlines are public knowledge; regions without an outline under it are left out.',
        querystring: RegionShapesQuery,
        response: { 200: RegionShapes, ...errorResponses },
      },
    },
    async (request, reply) => {
      requirePrincipal(request);
      // The same for everyone and rarely changed: a browser may keep it for an hour.
      reply.header('cache-control', 'private, max-age=3600');
      return regionShapes(deps, request.query.regionId);
    },
  );
};
