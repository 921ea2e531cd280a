import { AuditExportQuery, AuditHead, AuditPage, AuditQuery } from '@cunzhi/contracts/audit';
import { ErrorBody } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { languageOf } from '../../platform/errors.ts';
import { toIso } from '../../platform/time.ts';
import { auditHead, exportAudit, searchAudit } from './audit.service.ts';
import { formatHead } from './audit-chain.ts';

export const auditRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/entries',
    {
      config: { access: { permission: 'audit.read' } },
      schema: {
        tags: ['audit'],
        summary: 'Search the audit log (the audit administrator only)',
        querystring: AuditQuery,
        response: { 200: AuditPage, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const page = await searchAudit(deps, requirePrincipal(request), request.query);
      return { items: page.items.map((entry) => ({ ...entry, at: toIso(entry.at) })), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/export',
    {
      config: { access: { permission: 'audit.read' } },
      schema: {
        tags: ['audit'],
        summary: 'Every audit record of a period as CSV, with its link of the hash chain (the audit administrator only; audited)',
        querystring: AuditExportQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const language = languageOf(request.headers['accept-language']);
      const csv = await exportAudit(deps, requirePrincipal(request), actorOf(request), request.query, language);
      const name = `audit-${request.query.from.slice(0, 10)}-${request.query.to.slice(0, 10)}`;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(csv);
    },
  );

  app.get(
    '/head',
    {
      config: { access: { permission: 'audit.read' } },
      schema: {
        tags: ['audit'],
        summary:
          'The audit chain head, to record outside the machine for audit:verify --expect-head (the audit administrator only; audited)',
        response: { 200: AuditHead, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const head = await auditHead(deps, requirePrincipal(request), actorOf(request));
      return { ...head, head: formatHead(head) };
    },
  );
};
