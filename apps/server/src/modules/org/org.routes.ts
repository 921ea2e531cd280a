import {
  GridList,
  GridQuery,
  Household,
  HouseholdCounts,
  HouseholdInput,
  HouseholdPage,
  HouseholdPatch,
  HouseholdQuery,
  IdNumberReveal,
  Person,
  PersonInput,
  PersonPage,
  PersonPatch,
  PersonQuery,
  RegionChildrenQuery,
  RegionList,
} from '@cunzhi/contracts/org';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { sendJsonText } from '../../platform/read-cache.ts';
import { ById, errorResponses, IdempotencyHeaders, NoContent } from '../../platform/route-schemas.ts';
import * as households from './households.service.ts';
import { personPresenter, presentHousehold, presentRegion } from './org.presenters.ts';
import * as people from './people.service.ts';
import * as regions from './regions.service.ts';

const errors = errorResponses;

export const orgRoutes: FastifyPluginAsyncTypebox<{
  deps: Deps;
  householdMoves: households.HouseholdMoves;
}> = async (app, { deps, householdMoves }) => {
  // Regions and grids
  app.get(
    '/regions',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['org'],
        summary: 'Children of a region (the county when parentId is left out)',
        querystring: RegionChildrenQuery,
        response: { 200: RegionList, ...errors },
      },
    },
    async (request) => {
      requirePrincipal(request);
      const items = await regions.listRegionChildren(deps, request.query.parentId ?? null);
      return { items: items.map(presentRegion) };
    },
  );

  app.get(
    '/grids',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['org'],
        summary: 'Grids of a village with their villager groups and grid workers',
        querystring: GridQuery,
        response: { 200: GridList, ...errors },
      },
    },
    async (request) => ({ items: await regions.listGrids(deps, requirePrincipal(request), request.query.villageId) }),
  );

  // Households
  app.get(
    '/households',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['org'],
        summary: 'Households in my scope',
        querystring: HouseholdQuery,
        response: { 200: HouseholdPage, ...errors },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const key = households.listKey(principal, request.query);
      const { body, items } = await deps.readCache.json(key, households.LIST_TABLES, async () => {
        const page = await households.listHouseholds(deps, principal, request.query);
        return { items: page.items.map(presentHousehold), nextCursor: page.nextCursor };
      });
      await households.auditHouseholdList(deps, principal, actorOf(request), request.query, items);
      return sendJsonText(reply, body);
    },
  );

  app.post(
    '/households',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['org'],
        summary: 'Register a household',
        headers: IdempotencyHeaders,
        body: HouseholdInput,
        response: { 201: Household, ...errors },
      },
    },
    async (request, reply) => {
      const household = await households.createHousehold(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.body,
        idempotencyKeyOf(request),
      );
      return reply.status(201).send(presentHousehold(household));
    },
  );

  app.get(
    '/households/:id',
    {
      config: { access: 'signedIn' },
      schema: { tags: ['org'], summary: 'One household', params: ById, response: { 200: Household, ...errors } },
    },
    async (request) =>
      presentHousehold(await households.readHousehold(deps, requirePrincipal(request), actorOf(request), request.params.id)),
  );

  app.patch(
    '/households/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['org'],
        summary: 'Change a household',
        params: ById,
        body: HouseholdPatch,
        response: { 200: Household, ...errors },
      },
    },
    async (request) =>
      presentHousehold(
        await households.updateHousehold(
          deps,
          requirePrincipal(request),
          actorOf(request),
          request.params.id,
          request.body,
          householdMoves,
        ),
      ),
  );

  app.delete(
    '/households/:id',
    {
      config: { access: 'signedIn' },
      schema: { tags: ['org'], summary: 'Remove an empty household', params: ById, response: { 204: NoContent, ...errors } },
    },
    async (request, reply) => {
      await households.deleteHousehold(deps, requirePrincipal(request), actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/household-counts',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['org'],
        summary: 'Households per village in my scope',
        response: { 200: HouseholdCounts, ...errors },
      },
    },
    async (request) => ({ items: await households.countHouseholdsByVillage(deps, requirePrincipal(request)) }),
  );

  // People
  app.get(
    '/people',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['org'],
        summary: 'Search people by name, phone, exact ID number, household or region',
        querystring: PersonQuery,
        response: { 200: PersonPage, ...errors },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const page = await people.listPeople(deps, principal, actorOf(request), request.query);
      return { items: page.items.map(personPresenter(principal, deps.now())), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/people',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['org'],
        summary: 'Register a person (ID card number checked by GB 11643)',
        headers: IdempotencyHeaders,
        body: PersonInput,
        response: { 201: Person, ...errors },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const person = await people.createPerson(deps, principal, actorOf(request), request.body, idempotencyKeyOf(request));
      return reply.status(201).send(personPresenter(principal, deps.now())(person));
    },
  );

  app.get(
    '/people/:id',
    {
      config: { access: 'signedIn' },
      schema: { tags: ['org'], summary: 'One person, ID number masked', params: ById, response: { 200: Person, ...errors } },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return personPresenter(principal, deps.now())(await people.readPerson(deps, principal, actorOf(request), request.params.id));
    },
  );

  app.get(
    '/people/:id/id-number',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['org'],
        summary: 'The full ID card number, for roles that need it; every read is audited',
        params: ById,
        response: { 200: IdNumberReveal, ...errors },
      },
    },
    async (request, reply) => {
      const idNumber = await people.revealIdNumber(deps, requirePrincipal(request), actorOf(request), request.params.id);
      reply.header('cache-control', 'no-store');
      return { personId: request.params.id, idNumber: idNumber ?? '' };
    },
  );

  app.patch(
    '/people/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['org'],
        summary: 'Change a person',
        params: ById,
        body: PersonPatch,
        response: { 200: Person, ...errors },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return personPresenter(
        principal,
        deps.now(),
      )(await people.updatePerson(deps, principal, actorOf(request), request.params.id, request.body));
    },
  );

  app.delete(
    '/people/:id',
    {
      config: { access: 'signedIn' },
      schema: { tags: ['org'], summary: 'Remove a person', params: ById, response: { 204: NoContent, ...errors } },
    },
    async (request, reply) => {
      await people.deletePerson(deps, requirePrincipal(request), actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
