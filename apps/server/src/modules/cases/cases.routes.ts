import {
  Case,
  CaseCategory,
  CaseEvent,
  CaseInput,
  CasePage,
  QueueQuery,
  Statistics,
  StatisticsQuery,
  TransitionInput,
} from '@cunzhi/contracts/cases';
import { Id } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses, IdempotencyHeaders } from '../../platform/route-schemas.ts';
import { ratesOf, toCsv } from './case-statistics.ts';
import { presentCase, presentCategory, presentEvent } from './cases.presenters.ts';
import * as cases from './cases.service.ts';

const errors = errorResponses;

export const casesRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const present = async (request: Parameters<typeof requirePrincipal>[0], caseItem: Awaited<ReturnType<typeof cases.getCase>>) =>
    presentCase(caseItem, await cases.mayKnowReporter(deps, requirePrincipal(request), caseItem), deps.now());

  app.get(
    '/categories',
    {
      schema: {
        tags: ['cases'],
        summary: 'Case categories of the county in use',
        querystring: Type.Object({ countyId: Type.Optional(Id) }),
        response: { 200: Type.Object({ items: Type.Array(CaseCategory) }), ...errors },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return { items: (await cases.listCategories(deps, request.query.countyId)).map(presentCategory) };
    },
  );

  app.get(
    '/statistics',
    {
      schema: {
        tags: ['cases'],
        summary: 'Accepted, answered on the spot, assigned, handled, replied on time and the rates, by category and department',
        querystring: StatisticsQuery,
        response: { 200: Statistics, ...errors },
      },
    },
    async (request) => {
      const result = await cases.statistics(deps, requirePrincipal(request), request.query);
      const withRates = <T extends Parameters<typeof ratesOf>[0]>(figures: T) => ({ ...figures, ...ratesOf(figures) });
      return {
        totals: withRates(result.totals),
        byCategory: result.byCategory.map(withRates),
        byDepartment: result.byDepartment.map(withRates),
      };
    },
  );

  app.get(
    '/statistics/export',
    {
      schema: {
        tags: ['cases'],
        summary: 'The same statistics as a CSV file (UTF-8 with BOM, opens in spreadsheet programs)',
        querystring: StatisticsQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const result = await cases.statistics(deps, requirePrincipal(request), request.query);
      const rows = [
        { label: '合计 Total', figures: result.totals },
        ...result.byCategory.map((g) => ({ label: `分类 ${g.name}`, figures: g })),
        ...result.byDepartment.map((g) => ({ label: `部门 ${g.name}`, figures: g })),
      ];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="case-statistics.csv"')
        .send(toCsv(rows));
    },
  );

  app.post(
    '/',
    {
      schema: {
        tags: ['cases'],
        summary: 'Report a matter (民事直说, 曝光台, 酉诉即办 …); routed by its category',
        headers: IdempotencyHeaders,
        body: CaseInput,
        response: { 201: Case, ...errors },
      },
    },
    async (request, reply) => {
      const caseItem = await cases.createCase(deps, requirePrincipal(request), actorOf(request), request.body, idempotencyKeyOf(request));
      return reply.status(201).send(await present(request, caseItem));
    },
  );

  app.get(
    '/',
    {
      schema: {
        tags: ['cases'],
        summary: 'My queue by deadline, my region, or what I reported',
        querystring: QueueQuery,
        response: { 200: CasePage, ...errors },
      },
    },
    async (request) => {
      const page = await cases.listQueue(deps, requirePrincipal(request), request.query);
      return { items: await Promise.all(page.items.map((c) => present(request, c))), nextCursor: page.nextCursor };
    },
  );

  app.get('/:id', { schema: { tags: ['cases'], summary: 'One case', params: ById, response: { 200: Case, ...errors } } }, async (request) =>
    present(request, await cases.getCase(deps, requirePrincipal(request), request.params.id)),
  );

  app.get(
    '/:id/events',
    {
      schema: {
        tags: ['cases'],
        summary: 'Every step of a case: who, when, what, with notes',
        params: ById,
        response: { 200: Type.Object({ items: Type.Array(CaseEvent) }), ...errors },
      },
    },
    async (request) => ({ items: (await cases.listEvents(deps, requirePrincipal(request), request.params.id)).map(presentEvent) }),
  );

  app.post(
    '/:id/transitions',
    {
      schema: {
        tags: ['cases'],
        summary: 'Move a case by one action (accept, handle, reply, rate, return, transfer, merge …)',
        params: ById,
        headers: IdempotencyHeaders,
        body: TransitionInput,
        response: { 200: Case, ...errors },
      },
    },
    async (request) =>
      present(
        request,
        await cases.transition(
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
      schema: {
        tags: ['cases'],
        summary: 'Open cases of the same category nearby and recent, nearest first: candidates to merge',
        params: ById,
        response: {
          200: Type.Object({ items: Type.Array(Type.Intersect([Case, Type.Object({ distanceMeters: Type.Integer() })])) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const found = await cases.possibleDuplicates(deps, requirePrincipal(request), request.params.id);
      return { items: await Promise.all(found.map(async (c) => ({ ...(await present(request, c)), distanceMeters: c.distanceMeters }))) };
    },
  );

  app.post(
    '/:id/withdrawals',
    {
      schema: {
        tags: ['cases'],
        summary: 'The reporter withdraws personal details posted by mistake (new description; phone removed)',
        params: ById,
        body: Type.Object({ description: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
        response: { 200: Case, ...errors },
      },
    },
    async (request) =>
      present(
        request,
        await cases.withdrawDetails(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body.description),
      ),
  );

  app.post(
    '/:id/me-too',
    {
      schema: {
        tags: ['cases'],
        summary: 'A neighbour has the same problem (once per household)',
        params: ById,
        response: { 200: Case, ...errors },
      },
    },
    async (request) => present(request, await cases.meToo(deps, requirePrincipal(request), actorOf(request), request.params.id)),
  );
};
