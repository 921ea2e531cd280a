import { AuditPage, AuditQuery } from '@cunzhi/contracts/audit';
import { ErrorBody } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { toIso } from '../../platform/time.ts';
import { searchAudit } from './audit.service.ts';

export const auditRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/entries',
    {
      schema: {
        tags: ['audit'],
        summary: 'Search the audit log (county admins)',
        querystring: AuditQuery,
        response: { 200: AuditPage, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const page = await searchAudit(deps, requirePrincipal(request), request.query);
      return { items: page.items.map((entry) => ({ ...entry, at: toIso(entry.at) })), nextCursor: page.nextCursor };
    },
  );
};
