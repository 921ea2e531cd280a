import { Statistics, StatisticsExportQuery, StatisticsQuery } from '@cunzhi/contracts/cases';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { languageOf } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/route-schemas.ts';
import { toXlsx, XLSX_CONTENT_TYPE } from '../../platform/xlsx.ts';
import { statistics } from './case-statistics.service.ts';
import { ratesOf, STATISTICS_WORDS, toCsv, toTable } from './case-statistics.ts';

const errors = errorResponses;

/** On-time and completion figures of the cases in the caller's scope, as JSON or a spreadsheet. */
export const caseStatisticsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
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
      const result = await statistics(deps, requirePrincipal(request), request.query);
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
        querystring: StatisticsExportQuery,
        produces: ['text/csv', XLSX_CONTENT_TYPE],
      },
    },
    async (request, reply) => {
      const result = await statistics(deps, requirePrincipal(request), request.query);
      const language = languageOf(request.headers['accept-language']);
      const words = STATISTICS_WORDS[language];
      const table = toTable(
        [
          { label: words.total, figures: result.totals },
          ...result.byCategory.map((g) => ({ label: `${words.category} ${g.name}`, figures: g })),
          ...result.byDepartment.map((g) => ({ label: `${words.department} ${g.name}`, figures: g })),
        ],
        language,
      );
      const name = `case-statistics-${request.query.from.slice(0, 10)}-${request.query.to.slice(0, 10)}`;
      if (request.query.format === 'xlsx') {
        return reply
          .type(XLSX_CONTENT_TYPE)
          .header('content-disposition', `attachment; filename="${name}.xlsx"`)
          .send(toXlsx(words.sheet, table));
      }
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(table));
    },
  );
};
