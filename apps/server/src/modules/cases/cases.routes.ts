import {
  AwaitingMyRating,
  Case,
  CaseEventList,
  CaseInput,
  CaseSummaryPage,
  DuplicateList,
  NoCase,
  QueueQuery,
  TransitionInput,
  WithdrawalInput,
} from '@cunzhi/contracts/cases';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses, IdempotencyHeaders } from '../../platform/route-schemas.ts';
import { caseAnswers } from './case-answers.ts';
import * as lists from './case-queue.service.ts';
import * as transitions from './case-transitions.service.ts';
import { presentEvent } from './cases.presenters.ts';
import * as cases from './cases.service.ts';

const errors = errorResponses;

/** Reporting a matter, the queues, one case and its history, and the actions on it. */
export const casesRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { presentSummaries, presentView, answer } = caseAnswers(deps);

  app.post(
    '/',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'Report a matter (民事直说, 曝光台, 酉诉即办 …); routed by its category',
        headers: IdempotencyHeaders,
        body: CaseInput,
        response: { 201: Case, 204: NoCase, ...errors },
      },
    },
    async (request, reply) => {
      const caseItem = await cases.createCase(deps, requirePrincipal(request), actorOf(request), request.body, idempotencyKeyOf(request));
      return answer(request, reply, caseItem, 201);
    },
  );

  app.get(
    '/',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'My queue by deadline, my region, or what I reported: summaries (the whole case is GET /{id})',
        querystring: QueueQuery,
        response: { 200: CaseSummaryPage, ...errors },
      },
    },
    async (request) => {
      const page = await lists.listQueue(deps, requirePrincipal(request), actorOf(request), request.query);
      return { items: await presentSummaries(request, page.items), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/awaiting-my-rating',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'How many of the cases I reported wait for my rating (replied or answered on the spot)',
        response: { 200: AwaitingMyRating, ...errors },
      },
    },
    async (request) => ({ count: await lists.countAwaitingMyRating(deps, requirePrincipal(request)) }),
  );

  app.get(
    '/:id',
    { config: { access: 'signedIn' }, schema: { tags: ['cases'], summary: 'One case', params: ById, response: { 200: Case, ...errors } } },
    async (request) => presentView(request, await cases.openCase(deps, requirePrincipal(request), actorOf(request), request.params.id)),
  );

  app.get(
    '/:id/events',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'Every step of a case: who, when, what, with notes',
        params: ById,
        response: { 200: CaseEventList, ...errors },
      },
    },
    async (request) => ({ items: (await cases.listEvents(deps, requirePrincipal(request), request.params.id)).map(presentEvent) }),
  );

  app.post(
    '/:id/transitions',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'Move a case by one action (accept, handle, reply, rate, return, transfer, merge …)',
        params: ById,
        headers: IdempotencyHeaders,
        body: TransitionInput,
        response: { 200: Case, 204: NoCase, ...errors },
      },
    },
    async (request, reply) =>
      answer(
        request,
        reply,
        await transitions.transition(
          deps,
          requirePrincipal(request),
          actorOf(request),
          request.params.id,
          request.body,
          idempotencyKeyOf(request),
        ),
      ),
  );

  app.get(
    '/:id/duplicates',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'Open cases of the same category nearby and recent, nearest first: candidates to merge',
        params: ById,
        response: { 200: DuplicateList, ...errors },
      },
    },
    async (request) => {
      const found = await cases.possibleDuplicates(deps, requirePrincipal(request), request.params.id);
      const distances = new Map(found.map((c) => [c.id, c.distanceMeters]));
      const items = await presentSummaries(request, found);
      return { items: items.map((c) => ({ ...c, distanceMeters: distances.get(c.id) ?? 0 })) };
    },
  );

  app.post(
    '/:id/withdrawals',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'The reporter withdraws personal details posted by mistake (new description; phone removed)',
        params: ById,
        body: WithdrawalInput,
        response: { 200: Case, 204: NoCase, ...errors },
      },
    },
    async (request, reply) =>
      answer(
        request,
        reply,
        await cases.withdrawDetails(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body.description),
      ),
  );

  app.post(
    '/:id/me-too',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'A neighbour has the same problem (once per household)',
        description: 'Answers with the case only to those who may read it; a neighbour gets 204: counted, and nothing of the report.',
        params: ById,
        response: { 200: Case, 204: NoCase, ...errors },
      },
    },
    async (request, reply) =>
      answer(request, reply, await cases.meToo(deps, requirePrincipal(request), actorOf(request), request.params.id)),
  );
};
