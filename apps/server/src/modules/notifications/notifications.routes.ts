import { NotificationPage, NotificationQuery } from '@cunzhi/contracts/notifications';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { languageOf } from '../../platform/errors.ts';
import { ById, errorResponses, NoContent } from '../../platform/route-schemas.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import * as inbox from './notifications.service.ts';

/** The signed-in person's messages: what happened to their cases, reminders, overdue flags. */
export const notificationsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['notifications'],
        summary: 'My messages, newest first, with the number unread',
        querystring: NotificationQuery,
        response: { 200: NotificationPage, ...errorResponses },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const language = languageOf(request.headers['accept-language']);
      const { page, unread, unreadNotices } = await inbox.listMine(deps, principal, request.query);
      return {
        items: page.items.map((n) => ({
          id: n.id,
          topic: n.topic,
          subjectType: n.subjectType,
          subjectId: n.subjectId,
          message: language === 'en' ? n.messageEn : n.messageZh,
          createdAt: toIso(n.createdAt),
          readAt: toIsoOrNull(n.readAt),
        })),
        nextCursor: page.nextCursor,
        unread,
        unreadNotices,
      };
    },
  );

  app.post(
    '/:id/read',
    {
      config: { access: 'signedIn' },
      schema: { tags: ['notifications'], summary: 'Mark one message read', params: ById, response: { 204: NoContent, ...errorResponses } },
    },
    async (request, reply) => {
      await inbox.markRead(deps, requirePrincipal(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/read-all',
    {
      config: { access: 'signedIn' },
      schema: { tags: ['notifications'], summary: 'Mark all my messages read', response: { 204: NoContent, ...errorResponses } },
    },
    async (request, reply) => {
      await inbox.markAllRead(deps, requirePrincipal(request));
      return reply.status(204).send(null);
    },
  );
};
