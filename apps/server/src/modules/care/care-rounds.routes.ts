// Caretakers' and doctors' visits: checked in on a phone, the day's list, and the visits missed.
import { MissedVisitList, MissedVisitsQuery, RoundsPlan, Visit, VisitInput, VisitList, VisitsQuery } from '@cunzhi/contracts/care-rounds';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses as errors, IdempotencyHeaders } from '../../platform/route-schemas.ts';
import { presentRoundsItem, presentVisit } from './care-presenters.ts';
import { checkIn, listMissedVisits, listVisits, visitPlan } from './care-rounds.service.ts';

const tags = ['care'];

export const careRoundsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/elders/:id/visits',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "An elder's visits (caretakers, doctors) since a moment, newest first (audited)",
        params: ById,
        querystring: VisitsQuery,
        response: { 200: VisitList, ...errors },
      },
    },
    async (request) => {
      const since = Date.parse(request.query.since);
      return { items: (await listVisits(deps, requirePrincipal(request), actorOf(request), request.params.id, since)).map(presentVisit) };
    },
  );

  app.post(
    '/elders/:id/visits',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "Check a visit in: a caretaker's daily visit or care round, or a doctor's home visit",
        params: ById,
        headers: IdempotencyHeaders,
        body: VisitInput,
        response: { 201: Visit, ...errors },
      },
    },
    async (request, reply) => {
      const visit = await checkIn(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.id,
        request.body,
        idempotencyKeyOf(request),
      );
      return reply.status(201).send(presentVisit(visit));
    },
  );

  app.get(
    '/rounds',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'My visit list for today: each of my elders with the visits owed today and whether they are done',
        response: { 200: RoundsPlan, ...errors },
      },
    },
    async (request) => ({ items: (await visitPlan(deps, requirePrincipal(request), actorOf(request))).map(presentRoundsItem) }),
  );

  app.get(
    '/missed-visits',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Visits that were due and did not happen, in my scope, since a day (audited)',
        querystring: MissedVisitsQuery,
        response: { 200: MissedVisitList, ...errors },
      },
    },
    async (request) => ({ items: await listMissedVisits(deps, requirePrincipal(request), actorOf(request), request.query.since) }),
  );
};
