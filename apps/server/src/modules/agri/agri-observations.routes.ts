// Reading observations (API list: packages/contracts/src/agri.ts): one farm's, and those of every
// farm in the caller's places (the extension worker's field records). Registered by agri-farms.routes.ts.
import { FarmObservationPage, ObservationListQuery, ObservationPage } from '@cunzhi/contracts/agri-farms';
import { Id, PageQuery } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/route-schemas.ts';
import { presentObservation } from './agri.presenters.ts';
import { farmSide } from './agri-farm-page.service.ts';
import * as observations from './agri-observations.service.ts';

const tags = ['agri'];
const read = { access: { permission: 'agri.read' as const } };
const ByHousehold = Type.Object({ householdId: Id }, { additionalProperties: false });
const HistoryQuery = Type.Object({ ...PageQuery.properties }, { additionalProperties: false });

export const agriObservationReadRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/observations',
    {
      config: read,
      schema: {
        tags,
        summary: 'Observations of every farm in the caller’s places, newest observed day first; by kind, pest, day',
        querystring: ObservationListQuery,
        response: { 200: FarmObservationPage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await observations.listObservationsAcross(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.query,
        await farmSide.regionPlacement(deps, request.query.regionId),
      );
      return {
        items: page.items.map(({ householdNumber, headName, ...o }) => ({ ...presentObservation(o), householdNumber, headName })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/farms/:householdId/observations',
    {
      config: read,
      schema: {
        tags,
        summary: 'A farm’s observations, newest first',
        params: ByHousehold,
        querystring: HistoryQuery,
        response: { 200: ObservationPage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await observations.listObservations(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.householdId,
        request.query,
      );
      return { items: page.items.map(presentObservation), nextCursor: page.nextCursor };
    },
  );
};
