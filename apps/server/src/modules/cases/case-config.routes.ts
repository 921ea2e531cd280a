import { CaseCategory, CaseCategoryList, CategoryInput, CountyQuery, DepartmentList, WorkCalendar } from '@cunzhi/contracts/cases';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses } from '../../platform/route-schemas.ts';
import { listDepartments } from '../org/departments.service.ts';
import { getCalendar, saveCalendar } from '../org/work-calendar.service.ts';
import * as config from './case-config.service.ts';
import { presentCategory } from './cases.presenters.ts';

const errors = errorResponses;

const categoryWrite = (input: CategoryInput): config.CategoryWrite => ({
  code: input.code,
  name: input.name,
  nameEn: input.nameEn ?? null,
  routeTo: input.routeTo,
  departmentId: input.departmentId ?? null,
  deadlineHours: input.deadlineHours,
  active: input.active ?? true,
  sortOrder: input.sortOrder,
});

/** A county's case configuration: categories, the departments they route to, and the working time deadlines count. */
export const caseConfigRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/categories',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'Case categories of the county in use',
        querystring: CountyQuery,
        response: { 200: CaseCategoryList, ...errors },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return { items: (await config.listCategories(deps, request.query.countyId)).map(presentCategory) };
    },
  );

  app.post(
    '/categories',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: "Add a category to the county's list: where it routes and its deadline in working hours",
        querystring: CountyQuery,
        body: CategoryInput,
        response: { 201: CaseCategory, ...errors },
      },
    },
    async (request, reply) => {
      const saved = await config.saveCategory(
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
        await config.saveCategory(
          deps,
          requirePrincipal(request),
          actorOf(request),
          { id: request.params.id },
          categoryWrite(request.body),
        ),
      ),
  );

  app.get(
    '/departments',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'The departments cases can be routed to',
        response: { 200: DepartmentList, ...errors },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return { items: await listDepartments(deps) };
    },
  );

  app.get(
    '/calendar',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: "The county's working time, which deadlines count",
        querystring: CountyQuery,
        response: { 200: WorkCalendar, ...errors },
      },
    },
    async (request) => getCalendar(deps, requirePrincipal(request), request.query.countyId),
  );

  app.put(
    '/calendar',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'Set the working hours, working weekdays, holidays and make-up working days (调休)',
        querystring: CountyQuery,
        body: WorkCalendar,
        response: { 200: WorkCalendar, ...errors },
      },
    },
    async (request) => saveCalendar(deps, requirePrincipal(request), actorOf(request), request.body, request.query.countyId),
  );
};
