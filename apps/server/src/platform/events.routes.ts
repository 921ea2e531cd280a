// GET /api/events: one Server-Sent Events stream per signed-in browser, carrying only the events
// the user may see (decided per event by the access module). The stream lives no longer than the
// session that opened it: logout, idle or absolute expiry, a disabled account or a removed role
// end it (the auth plugin's request.watchSession), and no event is written after that.
import type { FastifyPluginAsync } from 'fastify';
import { allows, rolesOf } from './access.ts';
import { recordAuditSoon } from './audit-soon.ts';
import { actorOf, requirePrincipal } from './context.ts';
import type { Deps } from './deps.ts';
import { AppError } from './errors.ts';
import type { LiveEvent } from './events.ts';

const HEARTBEAT_MS = 25_000;

/**
 * What a stream may have written and not yet sent before it is closed. A screen whose network stalls
 * without closing (a tablet in a dead spot) stops reading, and all that is written to it would stay
 * in this process until the connection times out; closed, its page shows it is disconnected and
 * opens the stream again once it can (lib/use-live-events.ts).
 */
const MAX_UNSENT_BYTES = 1_048_576;

/**
 * Streams one person may hold open at once, over all their sessions: a phone, a desk and a few tabs.
 * Each open stream holds a socket and about 17 KB of this process, and every event is weighed for
 * each; without a bound one signed-in account could open them until the server ran out of file
 * handles (an attacker's probe opened 20,000). One more is refused (429) until one closes.
 */
export const MAX_STREAMS_PER_USER = 8;

/** An event as the stream sends it, written once for all the streams that carry it. */
const texts = new WeakMap<LiveEvent, string>();
function textOf(event: LiveEvent): string {
  let text = texts.get(event);
  if (text === undefined) {
    text = `event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
    texts.set(event, text);
  }
  return text;
}

export const eventsRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  // Streams never finish on their own: on shutdown they are ended so the server can stop.
  const open = new Set<() => void>();
  const openPerUser = new Map<string, number>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get(
    '/',
    {
      config: { access: 'signedIn' },
      schema: { tags: ['events'], summary: 'Live events (Server-Sent Events): alarms and changes the user may see' },
    },
    async (request, reply) => {
      const userId = requirePrincipal(request).userId;
      const holding = openPerUser.get(userId) ?? 0;
      if (holding >= MAX_STREAMS_PER_USER) throw new AppError('rate_limited');
      let closed = false;
      let counted = false;
      let unsubscribe = () => {};
      let heartbeat: NodeJS.Timeout | undefined;
      const out = reply.raw;
      const end = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        watch?.stop();
        open.delete(end);
        if (counted) {
          const left = (openPerUser.get(userId) ?? 1) - 1;
          if (left > 0) openPerUser.set(userId, left);
          else openPerUser.delete(userId);
        }
        if (!out.writableEnded) out.end();
      };
      const watch = request.watchSession(end);
      // Only a session's browser gets a principal from a cookie; nothing else opens a stream.
      if (!watch) throw new AppError('not_authenticated');

      openPerUser.set(userId, (openPerUser.get(userId) ?? 0) + 1);
      counted = true;
      reply.hijack();
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      out.write(': connected\n\n');
      /** Writes `text` unless the client has left too much unread; false when the stream was closed instead. */
      const write = (text: string): boolean => {
        if (out.writableLength <= MAX_UNSENT_BYTES) {
          out.write(text);
          return true;
        }
        end();
        out.destroy();
        return false;
      };

      // Events are written in order, each only once the session is known to be alive: a check is
      // made first when the session may have expired by now, or something about it changed.
      let queue = Promise.resolve();
      const deliver = async (event: LiveEvent) => {
        if (closed || !(await watch.alive()) || closed) return;
        const principal = watch.principal;
        const byRole = event.permission !== undefined && allows(principal, event.permission, event.placement);
        if (!byRole && !event.users?.includes(principal.userId)) return;
        if (!write(textOf(event))) return;
        // A health reading seen live is read as surely as one fetched: the receiver's read is audited,
        // together with the other receivers' (one commit for the twenty screens of a township). The
        // stream does not wait for the disk before its next event.
        if (event.audit) {
          void recordAuditSoon(deps, { ...actorOf(request), roles: rolesOf(principal).join(',') }, event.audit).catch((error) =>
            request.log.error({ err: error }, 'audit of a live event failed'),
          );
        }
      };
      unsubscribe = deps.events.subscribe((event) => {
        queue = queue.then(() => deliver(event)).catch(end);
      });
      // Each heartbeat also looks at the session again, so that a change made on another node of
      // a cluster ends the stream within a heartbeat (on this node it ends at once).
      heartbeat = setInterval(() => {
        void watch.recheck().then((alive) => {
          if (alive && !closed) write(': heartbeat\n\n');
        });
      }, HEARTBEAT_MS);
      open.add(end);
      request.raw.on('close', end);
    },
  );
};
