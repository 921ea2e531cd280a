// /api/services: the catalogue of service items, open to everyone signed in (villagers browse it),
// kept by the county's system administrators.
import {
  CatalogueImportResult,
  CatalogueStatistics,
  ServiceItem as Item,
  ServiceItemInput as ItemInput,
  ItemsPage,
  ItemsQuery,
  MaterialQuery,
  SampleParams,
} from '@cunzhi/contracts/services';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, languageOf } from '../../platform/errors.ts';
import { ById, errorResponses, PHOTO_TYPES } from '../../platform/route-schemas.ts';
import { readXlsx, toXlsx, XLSX_CONTENT_TYPE } from '../../platform/xlsx.ts';
import {
  addSample,
  allItems,
  catalogueStatistics,
  getItem,
  importCatalogue,
  listItems,
  sampleFile,
  saveItem,
} from './catalogue.service.ts';
import { headerIn, itemRow, parseCsv, toCsv } from './catalogue-table.ts';

const errors = errorResponses;
const tags = ['services'];

const DOCUMENT_TYPES = [...PHOTO_TYPES, 'application/pdf'];
// A county's catalogue of a few thousand items is well under a megabyte as CSV.
const CATALOGUE_LIMIT_BYTES = 4 * 1_048_576;

/** The body of an import: CSV text, or an Excel workbook read into the same rows. */
function importedTable(body: unknown): string[][] {
  if (typeof body === 'string') return parseCsv(body);
  if (!Buffer.isBuffer(body)) throw new AppError('validation_failed', {}, { field: 'body', problem: 'send text/csv or an .xlsx workbook' });
  try {
    return readXlsx(body);
  } catch {
    throw new AppError('validation_failed', {}, { field: 'body', problem: 'not an Excel workbook' });
  }
}

export const catalogueRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.addContentTypeParser(DOCUMENT_TYPES, { parseAs: 'buffer', bodyLimit: deps.config.photoLimitBytes }, (_request, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser(['text/csv'], { parseAs: 'string', bodyLimit: CATALOGUE_LIMIT_BYTES }, (_request, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser([XLSX_CONTENT_TYPE], { parseAs: 'buffer', bodyLimit: CATALOGUE_LIMIT_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  app.get(
    '/items',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Search the catalogue by words or pinyin (yyzz finds 营业执照), by tag, life event or department',
        querystring: ItemsQuery,
        response: { 200: ItemsPage, ...errors },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return listItems(deps, request.query);
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
      return getItem(deps, request.params.id);
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
        querystring: MaterialQuery,
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
      schema: { tags, summary: 'A material’s filled-in sample', params: SampleParams },
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
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'The whole catalogue as CSV (UTF-8 with BOM), in the import format, headed in the reader’s language' },
    },
    async (request, reply) => {
      requirePrincipal(request);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="service-catalogue.csv"')
        .send(toCsv(await allItems(deps), languageOf(request.headers['accept-language'])));
    },
  );

  app.get(
    '/catalogue.xlsx',
    { config: { access: 'signedIn' }, schema: { tags, summary: 'The whole catalogue as an Excel workbook' } },
    async (request, reply) => {
      requirePrincipal(request);
      const rows = [headerIn(languageOf(request.headers['accept-language'])), ...(await allItems(deps)).map(itemRow)];
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
      bodyLimit: CATALOGUE_LIMIT_BYTES,
      schema: {
        tags,
        summary:
          'Import the catalogue as CSV (text/csv) or Excel (.xlsx), in the export format: all rows or none, problems reported by line',
        consumes: ['text/csv', XLSX_CONTENT_TYPE],
        response: { 200: CatalogueImportResult, ...errors },
      },
    },
    async (request) => importCatalogue(deps, requirePrincipal(request), actorOf(request), importedTable(request.body)),
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
      return catalogueStatistics(deps);
    },
  );
};
