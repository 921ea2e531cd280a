import { ErrorBody } from '@cunzhi/contracts/common';
import {
  PointsSummary,
  PublicRankingParams,
  RankingList,
  RankingQuery,
  ReportQuery,
  VerifyResult,
  VillageParams,
} from '@cunzhi/contracts/points';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { languageOf } from '../../platform/errors.ts';
import { errorResponses as errors } from '../../platform/route-schemas.ts';
import { toXlsx, XLSX_CONTENT_TYPE } from '../../platform/xlsx.ts';
import { presentGoods, presentPublicRanked, presentRanked, presentVillagerRanked } from './points.presenters.ts';
import { REPORT_SHEET_NAME } from './points-report-table.ts';
import * as reports from './points-reports.service.ts';

const tags = ['points'];

/** Rankings, the dashboard's figures, the keeper's report and the county's check of the books. */
export const pointsReportsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/villages/:villageId/rankings',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Households ranked by points earned in a month or a year, in the village or one villager group (ties share a rank)',
        params: VillageParams,
        querystring: RankingQuery,
        response: { 200: RankingList, ...errors },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { ranked, keeper } = await reports.rankings(deps, principal, request.params.villageId, request.query);
      return { items: ranked.map(keeper ? presentRanked : presentVillagerRanked(principal.householdId)) };
    },
  );

  app.get(
    '/villages/:villageId/summary',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary:
          'Rural civilization (乡风文明) figures for the dashboard: households taking part, points granted, deducted and redeemed, by category',
        params: VillageParams,
        querystring: RankingQuery,
        response: { 200: PointsSummary, ...errors },
      },
    },
    async (request) => reports.summary(deps, requirePrincipal(request), request.params.villageId, request.query),
  );

  app.get(
    '/villages/:villageId/report',
    {
      config: { access: { permission: 'points.keep' } },
      schema: {
        tags,
        summary: 'Points granted and spent by month, villager group, category and rule, with the reorder list; XLSX with format=xlsx',
        params: VillageParams,
        querystring: ReportQuery,
        produces: ['application/json', XLSX_CONTENT_TYPE],
      },
    },
    async (request, reply) => {
      const { from, to, format } = request.query;
      const result = await reports.report(deps, requirePrincipal(request), request.params.villageId, from, to);
      if (format !== 'xlsx') return { rows: result.rows, reorder: result.reorder.map(presentGoods) };
      const language = languageOf(request.headers['accept-language']);
      const table = await reports.reportSheet(result.rows, deps, language);
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="points-${from}-${to}.xlsx"`)
        .send(toXlsx(REPORT_SHEET_NAME[language], table));
    },
  );

  app.get(
    '/verify',
    {
      config: { access: { permission: 'points.verify' } },
      schema: {
        tags,
        summary: 'Recompute every balance from the ledger and every stock from the redemptions; list mismatches',
        response: { 200: VerifyResult, ...errors },
      },
    },
    async (request) => reports.verifyAll(deps, requirePrincipal(request)),
  );
};

/** No login: the ranking on the village's public page (registered under /api/public). */
export const pointsPublicRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/villages/:id/points-ranking',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary: "The village's points ranking for a month or a year; households are named only where they agreed",
        security: [],
        params: PublicRankingParams,
        querystring: RankingQuery,
        response: { 200: RankingList, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const rows = await reports.publicRanking(deps, request.params.id, request.query);
      reply.header('cache-control', 'public, max-age=60');
      return { items: rows.map(presentPublicRanked) };
    },
  );
};
