// PIPL: consents, data subject requests, legal holds and the record of processing activities.
import {
  ConsentInput,
  ConsentState,
  ConsentStateList,
  HoldCreated,
  HoldInput,
  PersonExport,
  PrivacyRequest,
  PrivacyRequestInput,
  PrivacyRequestList,
  PrivacyTransitionInput,
  ProcessingRecord,
} from '@cunzhi/contracts/privacy';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses, NoContent } from '../../platform/route-schemas.ts';
import { presentConsent, presentRequest } from './privacy.presenters.ts';
import * as privacy from './privacy.service.ts';

export const privacyRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/people/:id/consents',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['privacy'],
        summary: "A person's consents, one per purpose",
        params: ById,
        response: { 200: ConsentStateList, ...errorResponses },
      },
    },
    async (request) =>
      (await privacy.listConsents(deps, requirePrincipal(request), actorOf(request), request.params.id)).map(presentConsent),
  );

  app.post(
    '/people/:id/consents',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['privacy'],
        summary: 'Grant or withdraw one consent (a guardian for a child under 14; staff for a paper form)',
        params: ById,
        body: ConsentInput,
        response: { 201: ConsentState, ...errorResponses },
      },
    },
    async (request, reply) => {
      const consent = await privacy.recordConsent(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body);
      return reply.status(201).send(presentConsent(consent));
    },
  );

  app.get(
    '/people/:id/export',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['privacy'],
        summary: 'Everything stored about the person, from every module (the person, or staff handling a request)',
        params: ById,
        response: { 200: PersonExport, ...errorResponses },
      },
    },
    async (request) => privacy.exportPerson(deps, requirePrincipal(request), actorOf(request), request.params.id),
  );

  app.post(
    '/requests',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['privacy'],
        summary: 'Ask for an export, a correction or a deletion of my data',
        body: PrivacyRequestInput,
        response: { 201: PrivacyRequest, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await privacy.submitRequest(deps, requirePrincipal(request), actorOf(request), request.body);
      return reply.status(201).send(presentRequest(created));
    },
  );

  app.get(
    '/requests',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['privacy'],
        summary: 'Requests: those of my place (staff) or my own',
        response: { 200: PrivacyRequestList, ...errorResponses },
      },
    },
    async (request) => ({ items: (await privacy.listRequests(deps, requirePrincipal(request))).map(presentRequest) }),
  );

  app.post(
    '/requests/:id/transitions',
    {
      config: { access: { permission: 'privacy.handle' } },
      schema: {
        tags: ['privacy'],
        summary: 'Accept, refuse or complete a request',
        params: ById,
        body: PrivacyTransitionInput,
        response: { 200: PrivacyRequest, ...errorResponses },
      },
    },
    async (request) =>
      presentRequest(await privacy.transitionRequest(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/holds',
    {
      config: { access: { permission: 'privacy.handle' } },
      schema: {
        tags: ['privacy'],
        summary: "Keep a person's data (deletion refused while the hold stands)",
        body: HoldInput,
        response: { 201: HoldCreated, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await privacy.placeHold(deps, requirePrincipal(request), actorOf(request), request.body)),
  );

  app.post(
    '/holds/:id/release',
    {
      config: { access: { permission: 'privacy.handle' } },
      schema: { tags: ['privacy'], summary: 'Release a legal hold', params: ById, response: { 204: NoContent, ...errorResponses } },
    },
    async (request, reply) => {
      await privacy.releaseHold(deps, requirePrincipal(request), actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/processing-record',
    {
      config: { access: { permission: 'privacy.record' } },
      schema: {
        tags: ['privacy'],
        summary: "Record of processing activities (个人信息处理活动记录), from the modules' declarations",
        response: { 200: ProcessingRecord, ...errorResponses },
      },
    },
    async () => ({ activities: privacy.processingRecord() }),
  );
};
