import {
  Case,
  CaseCategory,
  CaseEvent,
  CaseInput,
  CasePage,
  CasePhoto,
  CategoryInput,
  ModerationInput,
  PHOTO_STAGES,
  QueueQuery,
  Statistics,
  StatisticsQuery,
  TransitionInput,
  WorkCalendar,
} from '@cunzhi/contracts/cases';
import { Id } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { acceptPhotoBodies, ById, errorResponses, IdempotencyHeaders, PHOTO_TYPES } from '../../platform/route-schemas.ts';
import { toXlsx, XLSX_CONTENT_TYPE } from '../../platform/xlsx.ts';
import * as moderation from './case-moderation.service.ts';
import * as photos from './case-photos.service.ts';
import { ratesOf, toCsv, toTable } from './case-statistics.ts';
import { presentCase, presentCategory, presentEvent, presentPhoto } from './cases.presenters.ts';
import * as cases from './cases.service.ts';

const errors = errorResponses;
/** An action done on a case the caller can no longer read (a handler who transferred it away). */
const NoCase = Type.Null({ description: 'Done; the caller may not read the case, so nothing of it is returned' });

const categoryWrite = (input: CategoryInput): cases.CategoryWrite => ({
  code: input.code,
  name: input.name,
  nameEn: input.nameEn ?? null,
  routeTo: input.routeTo,
  departmentId: input.departmentId ?? null,
  deadlineHours: input.deadlineHours,
  active: input.active ?? true,
  sortOrder: input.sortOrder,
});

type Request = Parameters<typeof requirePrincipal>[0];

export const casesRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  /** Every case in an answer goes through the gate GET /:id uses; what the caller may not read is left out. */
  const present = async (request: Request, caseItem: Awaited<ReturnType<typeof cases.getCase>>) => {
    const view = await cases.visibleCase(deps.reader, requirePrincipal(request), caseItem);
    return view && presentCase(view, deps.now());
  };
  const presentAll = async (request: Request, items: Awaited<ReturnType<typeof cases.getCase>>[]) =>
    (await Promise.all(items.map((c) => present(request, c)))).filter((c) => c !== undefined);
  /** The answer to an action: the case where the caller may still read it, otherwise 204 and nothing of it. */
  const answer = async (request: Request, reply: FastifyReply, caseItem: Awaited<ReturnType<typeof cases.getCase>>, status = 200) => {
    const presented = await present(request, caseItem);
    return presented ? reply.status(status).send(presented) : reply.status(204).send();
  };

  app.get(
    '/categories',
    {
      config: { access: 'signedIn' },
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

  app.post(
    '/categories',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: "Add a category to the county's list: where it routes and its deadline in working hours",
        querystring: Type.Object({ countyId: Type.Optional(Id) }),
        body: CategoryInput,
        response: { 201: CaseCategory, ...errors },
      },
    },
    async (request, reply) => {
      const saved = await cases.saveCategory(
        deps,
        requirePrincipal(request),
        actorOf(request),
        { countyId: request.query.countyId },
        categoryWrite(request.body),
      );
      return reply.status(201).send(presentCategory(saved));
    },
  );

  app.put(
    '/categories/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'Change a category (cases already routed keep their handler and deadline)',
        params: ById,
        body: CategoryInput,
        response: { 200: CaseCategory, ...errors },
      },
    },
    async (request) =>
      presentCategory(
        await cases.saveCategory(deps, requirePrincipal(request), actorOf(request), { id: request.params.id }, categoryWrite(request.body)),
      ),
  );

  app.get(
    '/departments',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'The departments cases can be routed to',
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ id: Id, name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return { items: await cases.listDepartments(deps) };
    },
  );

  app.get(
    '/calendar',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: "The county's working time, which deadlines count",
        querystring: Type.Object({ countyId: Type.Optional(Id) }),
        response: { 200: WorkCalendar, ...errors },
      },
    },
    async (request) => cases.getCalendar(deps, requirePrincipal(request), request.query.countyId),
  );

  app.put(
    '/calendar',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'Set the working hours, working weekdays, holidays and make-up working days (调休)',
        querystring: Type.Object({ countyId: Type.Optional(Id) }),
        body: WorkCalendar,
        response: { 200: WorkCalendar, ...errors },
      },
    },
    async (request) => cases.saveCalendar(deps, requirePrincipal(request), actorOf(request), request.body, request.query.countyId),
  );

  app.get(
    '/statistics',
    {
      config: { access: { permission: 'cases.read' } },
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
      config: { access: { permission: 'cases.read' } },
      schema: {
        tags: ['cases'],
        summary: 'The same statistics as a spreadsheet: CSV (UTF-8 with BOM) or XLSX',
        querystring: Type.Intersect([
          StatisticsQuery,
          Type.Object({ format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')])) }),
        ]),
        produces: ['text/csv', XLSX_CONTENT_TYPE],
      },
    },
    async (request, reply) => {
      const result = await cases.statistics(deps, requirePrincipal(request), request.query);
      const table = toTable([
        { label: '合计 Total', figures: result.totals },
        ...result.byCategory.map((g) => ({ label: `分类 ${g.name}`, figures: g })),
        ...result.byDepartment.map((g) => ({ label: `部门 ${g.name}`, figures: g })),
      ]);
      const name = `case-statistics-${request.query.from.slice(0, 10)}-${request.query.to.slice(0, 10)}`;
      if (request.query.format === 'xlsx') {
        return reply
          .type(XLSX_CONTENT_TYPE)
          .header('content-disposition', `attachment; filename="${name}.xlsx"`)
          .send(toXlsx('统计 Statistics', table));
      }
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(table));
    },
  );

  app.get(
    '/moderation/pending',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'Exposure-board reports in my scope waiting for moderation, oldest first',
        response: { 200: Type.Object({ items: Type.Array(Case) }), ...errors },
      },
    },
    async (request) => {
      const pending = await moderation.pendingModeration(deps, requirePrincipal(request));
      return { items: await presentAll(request, pending) };
    },
  );

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
        summary: 'My queue by deadline, my region, or what I reported',
        querystring: QueueQuery,
        response: { 200: CasePage, ...errors },
      },
    },
    async (request) => {
      const page = await cases.listQueue(deps, requirePrincipal(request), request.query);
      return { items: await presentAll(request, page.items), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/:id',
    { config: { access: 'signedIn' }, schema: { tags: ['cases'], summary: 'One case', params: ById, response: { 200: Case, ...errors } } },
    async (request) => presentCase(await cases.readCase(deps, requirePrincipal(request), request.params.id), deps.now()),
  );

  app.get(
    '/:id/events',
    {
      config: { access: 'signedIn' },
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
      config: { access: 'signedIn' },
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
      const items = await Promise.all(
        found.map(async (c) => {
          const presented = await present(request, c);
          return presented && { ...presented, distanceMeters: c.distanceMeters };
        }),
      );
      return { items: items.filter((c) => c !== undefined) };
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
        body: Type.Object({ description: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
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

  acceptPhotoBodies(app, deps.config.photoLimitBytes);

  app.post(
    '/:id/photos',
    {
      config: { access: 'signedIn' },
      bodyLimit: deps.config.photoLimitBytes,
      schema: {
        tags: ['cases'],
        summary: 'Add a photo (the picture as the request body): the report, or before and after handling',
        description: 'Checked by content; re-encoded without metadata (GPS, device); a thumbnail is made.',
        params: ById,
        headers: IdempotencyHeaders,
        querystring: Type.Object({
          stage: Type.Optional(Type.Unsafe<(typeof PHOTO_STAGES)[number]>({ type: 'string', enum: [...PHOTO_STAGES] })),
        }),
        consumes: PHOTO_TYPES,
        response: { 201: CasePhoto, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (!Buffer.isBuffer(body)) throw new AppError('not_an_image');
      const photo = await photos.addPhoto(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.id,
        request.query.stage ?? 'report',
        body,
        idempotencyKeyOf(request),
      );
      return reply.status(201).send(presentPhoto(photo));
    },
  );

  app.get(
    '/:id/photos',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: "A case's photos",
        params: ById,
        response: { 200: Type.Object({ items: Type.Array(CasePhoto) }), ...errors },
      },
    },
    async (request) => ({ items: (await photos.listPhotos(deps, requirePrincipal(request), request.params.id)).map(presentPhoto) }),
  );

  app.get(
    '/:id/photos/:photoId',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'A photo (JPEG), full size or thumbnail',
        params: Type.Object({ id: Id, photoId: Id }),
        querystring: Type.Object({ variant: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('thumb')])) }),
        produces: ['image/jpeg'],
      },
    },
    async (request, reply) => {
      const { id, photoId } = request.params;
      const file = await photos.photoFile(deps, requirePrincipal(request), id, photoId, request.query.variant ?? 'full');
      return reply.type('image/jpeg').header('cache-control', 'private, max-age=86400, immutable').send(file);
    },
  );

  app.get(
    '/:id/moderation',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'For the moderator: the report with known names and numbers already taken out',
        params: ById,
        response: { 200: Type.Object({ publicTitle: Type.String(), publicText: Type.String() }), ...errors },
      },
    },
    async (request) => moderation.suggestion(deps, requirePrincipal(request), request.params.id),
  );

  app.post(
    '/:id/moderation',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'Publish an exposure-board report (text without names or numbers, chosen photos blurred) or reject it',
        params: ById,
        body: ModerationInput,
        response: { 200: Case, 204: NoCase, ...errors },
      },
    },
    async (request, reply) =>
      answer(request, reply, await moderation.moderate(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body)),
  );
};
