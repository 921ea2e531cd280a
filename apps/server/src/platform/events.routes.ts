// GET /api/events: one Server-Sent Events stream per signed-in browser, carrying only the events
// the user may see (decided per event by the access module).
import type { FastifyPluginAsync } from 'fastify';
import { allows } from './access.ts';
import { requirePrincipal } from './context.ts';
import type { Deps } from './deps.ts';

const HEARTBEAT_MS = 25_000;

export const eventsRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  // Streams never finish on their own: on shutdown they are ended so the server can stop.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get(
    '/',
    { schema: { tags: ['events'], summary: 'Live events (Server-Sent Events): alarms and changes the user may see' } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      out.write(': connected\n\n');
      const unsubscribe = deps.events.subscribe((event) => {
        if (!allows(principal, event.permission, event.placement) && !event.users?.includes(principal.userId)) return;
        out.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
      });
      const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), HEARTBEAT_MS);
      const close = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
      };
      const end = () => {
        close();
        out.end();
      };
      open.add(end);
      request.raw.on('close', close);
    },
  );
};
