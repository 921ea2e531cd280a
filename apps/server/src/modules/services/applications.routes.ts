// /api/services: applications (online, or by proxy at a postal service hall), their materials,
// the department's steps, the certificate of an approved one, and the figures of a period.
import {
  ApplicationDetail,
  Application as ApplicationOut,
  ApplicationsPage,
  ApplicationsQuery,
  ApplyInput,
  MaterialFileParams,
  MaterialQuery,
  ServiceStatistics,
  StatisticsQuery,
  TransitionInput,
  UploadedMaterial,
} from '@cunzhi/contracts/services';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { ById, errorResponses, IdempotencyHeaders, PHOTO_TYPES } from '../../platform/route-schemas.ts';
import { materialFile, uploadMaterial } from './application-materials.service.ts';
import { presentApplication, presentEvent, presentMaterial } from './applications.presenters.ts';
import { applicationDetail, apply, listApplications, transition } from './applications.service.ts';
import { certificatePdf } from './certificate.service.ts';
import { serviceStatistics } from './statistics.service.ts';

const errors = errorResponses;
const tags = ['services'];

const DOCUMENT_TYPES = [...PHOTO_TYPES, 'application/pdf'];

export const applicationsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.addContentTypeParser(DOCUMENT_TYPES, { parseAs: 'buffer', bodyLimit: deps.config.photoLimitBytes }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/applications',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Apply online for my household, or at a service hall on a villager’s behalf (with consent)',
        headers: IdempotencyHeaders,
        body: ApplyInput,
        response: { 201: ApplicationOut, ...errors },
      },
    },
    async (request, reply) => {
      const application = await apply(deps, requirePrincipal(request), actorOf(request), request.body, idempotencyKeyOf(request));
      return reply.status(201).send(presentApplication(application));
    },
  );

  app.get(
    '/applications',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'mine: my household’s (and those I made at the hall); queue: my department’s open ones, due first; scope: my places’',
        querystring: ApplicationsQuery,
        response: { 200: ApplicationsPage, ...errors },
      },
    },
    async (request) => {
      const page = await listApplications(deps, requirePrincipal(request), actorOf(request), request.query);
      return { items: page.items.map(presentApplication), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/applications/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'An application with its materials and whole history',
        params: ById,
        response: { 200: ApplicationDetail, ...errors },
      },
    },
    async (request) => {
      const detail = await applicationDetail(deps, requirePrincipal(request), actorOf(request), request.params.id);
      return {
        application: presentApplication(detail.application),
        materials: detail.materials.map(presentMaterial),
        history: detail.history.map(presentEvent),
      };
    },
  );

  app.post(
    '/applications/:id/materials',
    {
      config: { access: 'signedIn' },
      bodyLimit: deps.config.photoLimitBytes,
      schema: {
        tags,
        summary: 'Add a material (a photo or a PDF as the body) named by ?material=',
        params: ById,
        querystring: MaterialQuery,
        headers: IdempotencyHeaders,
        consumes: DOCUMENT_TYPES,
        response: { 201: UploadedMaterial, ...errors },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('not_a_document');
      const uploaded = await uploadMaterial(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.id,
        request.query.material,
        request.body,
        idempotencyKeyOf(request),
      );
      return reply.status(201).send(presentMaterial(uploaded));
    },
  );

  app.get(
    '/applications/:id/materials/:fileId',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'One uploaded material (audited)', params: MaterialFileParams },
    },
    async (request, reply) => {
      const file = await materialFile(deps, requirePrincipal(request), actorOf(request), request.params.id, request.params.fileId);
      return reply.type(file.contentType).header('cache-control', 'private, no-store').send(file.data);
    },
  );

  app.post(
    '/applications/:id/transitions',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'accept, askMaterials (once, with everything missing), resubmit, approve, refuse (with a reason), deliver',
        params: ById,
        headers: IdempotencyHeaders,
        body: TransitionInput,
        response: { 200: ApplicationOut, ...errors },
      },
    },
    async (request) =>
      presentApplication(
        await transition(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body, idempotencyKeyOf(request)),
      ),
  );

  app.get(
    '/applications/:id/certificate.pdf',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'The certificate of an approved application, as a PDF with the applicant’s data', params: ById },
    },
    async (request, reply) => {
      const pdf = await certificatePdf(deps, requirePrincipal(request), actorOf(request), request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="certificate-${request.params.id}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/statistics',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Applications by item, tag and township in a period: count, on-time rate, average days, online and nearby shares',
        querystring: StatisticsQuery,
        response: { 200: ServiceStatistics, ...errors },
      },
    },
    async (request) => serviceStatistics(deps, requirePrincipal(request), Date.parse(request.query.from), Date.parse(request.query.to)),
  );
};
