// /api/poverty: the county's settings, households' economics (entered, imported, read: audited),
// the wall screen's figures and their XLSX, the grid worker's tasks and the household's own report.
import { Id } from '@cunzhi/contracts/common';
import {
  EconomicsHistory,
  EconomicsInput,
  EconomicsRecord,
  PovertySettings,
  SettingsInput,
  SettingsQuery,
} from '@cunzhi/contracts/poverty';
import {
  FiguresQuery,
  ImportReport,
  Monitored,
  OwnSelfReport,
  PovertyFigures,
  SelfReport,
  SelfReportInput,
  TaskList,
} from '@cunzhi/contracts/poverty-monitored';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { ById, errorResponses, IdempotencyHeaders } from '../../platform/route-schemas.ts';
import { XLSX_CONTENT_TYPE } from '../../platform/xlsx.ts';
import { presentEconomics, presentMonitored, presentSelfReport, presentTask } from './poverty.presenters.ts';
import { ownSelfReport, selfReport } from './poverty.service.ts';
import { auditRoleRefusals } from './poverty-access.ts';
import { getSettings, putSettings, readEconomics, recordEconomics } from './poverty-economics.service.ts';
import { figuresWorkbook, povertyFigures } from './poverty-figures.service.ts';
import { myTasks } from './poverty-help.service.ts';
import { importEconomics } from './poverty-import.service.ts';

const errors = errorResponses;
const tags = ['poverty'];
const read = { access: { permission: 'poverty.read' as const } };

export const povertyRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  auditRoleRefusals(app, deps);
  app.addContentTypeParser(XLSX_CONTENT_TYPE, { parseAs: 'buffer', bodyLimit: deps.config.photoLimitBytes }, (_request, body, done) =>
    done(null, body),
  );

  app.get(
    '/settings',
    {
      config: read,
      schema: {
        tags,
        summary: 'The county’s monitoring line and thresholds in force for a year',
        querystring: SettingsQuery,
        response: { 200: PovertySettings, ...errors },
      },
    },
    async (request) => getSettings(deps, request.query),
  );

  app.put(
    '/settings',
    {
      config: { access: { permission: 'poverty.configure' } },
      schema: {
        tags,
        summary: 'Set the county’s monitoring line and thresholds for a year (county admin)',
        body: SettingsInput,
        response: { 200: PovertySettings, ...errors },
      },
    },
    async (request) => putSettings(deps, requirePrincipal(request), actorOf(request), request.body),
  );

  app.get(
    '/households/:id/economics',
    {
      config: read,
      schema: {
        tags,
        summary: 'A household’s economics with history, newest first (audited)',
        params: ById,
        response: { 200: EconomicsHistory, ...errors },
      },
    },
    async (request, reply) => {
      const history = await readEconomics(deps, requirePrincipal(request), actorOf(request), request.params.id);
      reply.header('cache-control', 'private, no-store');
      return {
        householdId: history.household.id,
        headName: history.household.headName,
        records: history.records.map(presentEconomics),
        reasons: history.reasons,
        incomeLine: history.incomeLine,
      };
    },
  );

  app.post(
    '/households/:id/economics',
    {
      config: read,
      schema: {
        tags,
        summary: 'Record a household’s figures; the rules flag it when they give reasons',
        params: ById,
        body: EconomicsInput,
        response: {
          201: Type.Object({ record: EconomicsRecord, reasons: Type.Array(Type.String()), flagged: Type.Union([Monitored, Type.Null()]) }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const result = await recordEconomics(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body);
      return reply.status(201).send({
        record: presentEconomics(result.record),
        reasons: result.reasons,
        flagged: result.flagged && presentMonitored(result.flagged),
      });
    },
  );

  app.post(
    '/economics/import',
    {
      config: read,
      bodyLimit: deps.config.photoLimitBytes,
      schema: {
        tags,
        summary: 'Import households’ figures of a place from an XLSX sheet (all rows or none)',
        querystring: Type.Object({ regionId: Id }, { additionalProperties: false }),
        consumes: [XLSX_CONTENT_TYPE],
        response: { 201: ImportReport, ...errors },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body))
        throw new AppError('validation_failed', {}, [{ field: 'body', problem: 'send the XLSX file as the body' }]);
      return reply
        .status(201)
        .send(await importEconomics(deps, requirePrincipal(request), actorOf(request), request.query.regionId, request.body));
    },
  );

  app.get(
    '/tasks',
    { config: read, schema: { tags, summary: 'My households due a visit, a step or a measure', response: { 200: TaskList, ...errors } } },
    async (request) => ({ items: (await myTasks(deps, requirePrincipal(request), actorOf(request))).map(presentTask) }),
  );

  app.post(
    '/self-reports',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'A villager reports their own household at risk (农户自主申报)',
        headers: IdempotencyHeaders,
        body: SelfReportInput,
        response: { 201: SelfReport, ...errors },
      },
    },
    async (request, reply) => {
      const record = await selfReport(deps, requirePrincipal(request), actorOf(request), request.body, idempotencyKeyOf(request));
      return reply.status(201).send(presentSelfReport(record));
    },
  );

  app.get(
    '/self-reports/mine',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'My own household’s report as it stands (what a villager may see of monitoring)',
        response: { 200: OwnSelfReport, ...errors },
      },
    },
    async (request, reply) => {
      const record = await ownSelfReport(deps, requirePrincipal(request), actorOf(request));
      reply.header('cache-control', 'private, no-store');
      return { report: record && presentSelfReport(record) };
    },
  );

  app.get(
    '/figures',
    {
      config: read,
      schema: {
        tags,
        summary: 'The common prosperity figures of a place and the places below it',
        querystring: FiguresQuery,
        response: { 200: PovertyFigures, ...errors },
      },
    },
    async (request) => povertyFigures(deps, requirePrincipal(request), actorOf(request), request.query.regionId),
  );

  app.get(
    '/figures.xlsx',
    { config: read, schema: { tags, summary: 'The same figures as an XLSX workbook (audited)', querystring: FiguresQuery } },
    async (request, reply) => {
      const workbook = await figuresWorkbook(deps, requirePrincipal(request), actorOf(request), request.query.regionId);
      return reply.type(XLSX_CONTENT_TYPE).header('content-disposition', 'attachment; filename="common-prosperity.xlsx"').send(workbook);
    },
  );
};
