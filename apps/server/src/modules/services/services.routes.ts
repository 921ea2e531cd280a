import { Id } from '@cunzhi/contracts/common';
import {
  APPLICATION_STATES,
  ApplicationDetail,
  Application as ApplicationOut,
  CatalogueStatistics,
  ServiceItem as Item,
  ServiceItemInput as ItemInput,
  ServiceStatistics,
} from '@cunzhi/contracts/services';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { ById, errorResponses, IdempotencyHeaders, PHOTO_TYPES } from '../../platform/route-schemas.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import { readXlsx, toXlsx, XLSX_CONTENT_TYPE } from '../../platform/xlsx.ts';
import { type Application, applicationDetail, apply, listApplications, materialFile, transition, uploadMaterial } from './applications.ts';
import {
  addSample,
  allItems,
  CSV_HEADER,
  catalogueStatistics,
  findItem,
  importCatalogue,
  itemRow,
  LIFE_EVENTS,
  listItems,
  parseCsv,
  SERVICE_TAGS,
  sampleFile,
  saveItem,
  toCsv,
} from './catalogue.ts';
import { certificatePdf } from './certificate.ts';
import { serviceStatistics } from './statistics.ts';

const errors = errorResponses;
const tags = ['services'];
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const present = (a: Application) => ({
  id: a.id,
  itemId: a.itemId,
  itemName: a.itemName,
  applicantPersonId: a.applicantPersonId,
  applicantName: a.applicantName,
  channel: a.channel,
  state: a.state,
  missing: a.missing,
  delivery: a.delivery,
  address: a.address,
  trackingNumber: a.trackingNumber,
  reason: a.reason,
  createdAt: toIso(a.createdAt),
  acceptedAt: toIsoOrNull(a.acceptedAt),
  dueAt: toIsoOrNull(a.dueAt),
  decidedAt: toIsoOrNull(a.decidedAt),
  deliveredAt: toIsoOrNull(a.deliveredAt),
  overdue: a.overdue,
});

const DOCUMENT_TYPES = [...PHOTO_TYPES, 'application/pdf'];
const CATALOGUE_LIMIT_BYTES = 4 * 1_048_576;

export const servicesRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.addContentTypeParser(DOCUMENT_TYPES, { parseAs: 'buffer', bodyLimit: deps.config.photoLimitBytes }, (_request, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser(['text/csv'], { parseAs: 'string', bodyLimit: CATALOGUE_LIMIT_BYTES }, (_request, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser([XLSX_CONTENT_TYPE], { parseAs: 'buffer', bodyLimit: CATALOGUE_LIMIT_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  // ---- Catalogue (public to everyone signed in: villagers browse it) ----

  app.get(
    '/items',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Search the catalogue by words or pinyin (yyzz finds 营业执照), by tag, life event or department',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 60 })),
          tag: Type.Optional(literals(SERVICE_TAGS)),
          lifeEvent: Type.Optional(literals(LIFE_EVENTS)),
          departmentId: Type.Optional(Id),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          cursor: Type.Optional(Type.String({ maxLength: 40 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Item), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return listItems(deps.reader, { ...request.query, limit: request.query.limit ?? 50 });
    },
  );

  app.get(
    '/items/:id',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'One service item with its materials', params: ById, response: { 200: Item, ...errors } },
    },
    async (request) => {
      requirePrincipal(request);
      const item = await findItem(deps.reader, request.params.id);
      if (!item) throw new AppError('not_found', { target: 'serviceItem' });
      return item;
    },
  );

  app.post(
    '/items/:id/samples',
    {
      config: { access: { permission: 'services.catalogue' } },
      bodyLimit: deps.config.photoLimitBytes,
      schema: {
        tags,
        summary: 'Put up a filled-in sample (样表) of one material of an item: a picture or PDF as the body, ?material=',
        params: ById,
        querystring: Type.Object({ material: Type.String({ minLength: 1, maxLength: 100 }) }),
        consumes: DOCUMENT_TYPES,
        response: { 200: Item, ...errors },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('not_a_document');
      return addSample(deps, requirePrincipal(request), actorOf(request), request.params.id, request.query.material, request.body);
    },
  );

  app.get(
    '/items/:id/samples/:sample',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'A material’s filled-in sample',
        params: Type.Object({ id: Id, sample: Type.String({ pattern: '^[0-9a-f-]{36}\\.(pdf|jpg)$' }) }),
      },
    },
    async (request, reply) => {
      requirePrincipal(request);
      const file = await sampleFile(deps, request.params.id, request.params.sample);
      return reply.type(file.contentType).header('cache-control', 'private, max-age=86400').send(file.data);
    },
  );

  app.post(
    '/items',
    {
      config: { access: { permission: 'services.catalogue' } },
      schema: { tags, summary: 'Add or update an item by its code (county admins)', body: ItemInput, response: { 200: Item, ...errors } },
    },
    async (request) => saveItem(deps, requirePrincipal(request), actorOf(request), request.body),
  );

  app.get(
    '/catalogue.csv',
    { config: { access: 'signedIn' }, schema: { tags, summary: 'The whole catalogue as CSV (UTF-8 with BOM), in the import format' } },
    async (request, reply) => {
      requirePrincipal(request);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="service-catalogue.csv"')
        .send(toCsv(await allItems(deps.reader)));
    },
  );

  app.get(
    '/catalogue.xlsx',
    { config: { access: 'signedIn' }, schema: { tags, summary: 'The whole catalogue as an Excel workbook' } },
    async (request, reply) => {
      requirePrincipal(request);
      const rows = [CSV_HEADER, ...(await allItems(deps.reader)).map(itemRow)];
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', 'attachment; filename="service-catalogue.xlsx"')
        .send(toXlsx('catalogue', rows));
    },
  );

  app.post(
    '/catalogue',
    {
      config: { access: { permission: 'services.catalogue' } },
      // A county's catalogue of a few thousand items is well under a megabyte as CSV.
      bodyLimit: CATALOGUE_LIMIT_BYTES,
      schema: {
        tags,
        summary:
          'Import the catalogue as CSV (text/csv) or Excel (.xlsx), in the export format: all rows or none, problems reported by line',
        consumes: ['text/csv', XLSX_CONTENT_TYPE],
        response: { 200: Type.Object({ inserted: Type.Integer(), updated: Type.Integer() }), ...errors },
      },
    },
    async (request) => {
      let table: string[][];
      if (typeof request.body === 'string') table = parseCsv(request.body);
      else if (Buffer.isBuffer(request.body)) {
        try {
          table = readXlsx(request.body);
        } catch {
          throw new AppError('validation_failed', {}, { field: 'body', problem: 'not an Excel workbook' });
        }
      } else throw new AppError('validation_failed', {}, { field: 'body', problem: 'send text/csv or an .xlsx workbook' });
      return importCatalogue(deps, requirePrincipal(request), actorOf(request), table);
    },
  );

  app.get(
    '/catalogue/statistics',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Catalogue counts by tag and department, and the fully-online share',
        response: { 200: CatalogueStatistics, ...errors },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return catalogueStatistics(deps.reader);
    },
  );

  // ---- Applications ----

  app.post(
    '/applications',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Apply online for my household, or at a service hall on a villager’s behalf (with consent)',
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            itemId: Id,
            applicantPersonId: Id,
            consent: Type.Optional(Type.Boolean()),
            delivery: literals(['collect', 'mail'] as const),
            address: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: ApplicationOut, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(present(await apply(deps, requirePrincipal(request), actorOf(request), request.body, idempotencyKeyOf(request)))),
  );

  app.get(
    '/applications',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'mine: my household’s (and those I made at the hall); queue: my department’s open ones, due first; scope: my places’',
        querystring: Type.Object({
          view: literals(['mine', 'queue', 'scope'] as const),
          state: Type.Optional(literals(APPLICATION_STATES)),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          cursor: Type.Optional(Id),
        }),
        response: { 200: Type.Object({ items: Type.Array(ApplicationOut), nextCursor: Type.Union([Id, Type.Null()]) }), ...errors },
      },
    },
    async (request) => {
      const page = await listApplications(deps, requirePrincipal(request), { ...request.query, limit: request.query.limit ?? 50 });
      return { items: page.items.map(present), nextCursor: page.nextCursor };
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
      const detail = await applicationDetail(deps, requirePrincipal(request), request.params.id);
      return {
        application: present(detail.application),
        materials: detail.materials.map((m) => ({ ...m, createdAt: toIso(m.createdAt) })),
        history: detail.history.map((h) => ({ ...h, at: toIso(h.at) })),
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
        querystring: Type.Object({ material: Type.String({ minLength: 1, maxLength: 100 }) }),
        headers: IdempotencyHeaders,
        consumes: DOCUMENT_TYPES,
        response: {
          201: Type.Object({
            id: Id,
            material: Type.String(),
            contentType: Type.String(),
            bytes: Type.Integer(),
            createdAt: Type.String(),
          }),
          ...errors,
        },
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
      return reply.status(201).send({ ...uploaded, createdAt: toIso(uploaded.createdAt) });
    },
  );

  app.get(
    '/applications/:id/materials/:fileId',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'One uploaded material (audited)', params: Type.Object({ id: Id, fileId: Id }) },
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
        body: Type.Object(
          {
            action: literals(['accept', 'askMaterials', 'resubmit', 'approve', 'refuse', 'deliver'] as const),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
            missing: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 })),
            trackingNumber: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ApplicationOut, ...errors },
      },
    },
    async (request) =>
      present(
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
        querystring: Type.Object({
          from: Type.String({ format: 'date-time', maxLength: 40 }),
          to: Type.String({ format: 'date-time', maxLength: 40 }),
        }),
        response: { 200: ServiceStatistics, ...errors },
      },
    },
    async (request) => serviceStatistics(deps, requirePrincipal(request), Date.parse(request.query.from), Date.parse(request.query.to)),
  );
};
