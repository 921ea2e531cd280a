// Lets a wall screen in with its key, on the screen's routes and the event stream only. The key
// comes as `Authorization: ScreenKey <key>` (a county's own big-screen system) or as the screen
// cookie set by POST /api/screen/session (a wall browser, so that the key is not left in its
// address bar or history). Anywhere else the key and the cookie are ignored, so a screen key
// calling any other API is not signed in (401). A signed-in staff session takes precedence.
import { SCREEN_COOKIE, SCREEN_KEY_SCHEME } from '@cunzhi/contracts/dashboard-keys';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Deps } from '../../platform/deps.ts';
import { isLive, resolveScreenKey, screenPrincipal, watchKeyStream } from './dashboard-keys.service.ts';

const SCREEN_PATHS = /^\/api\/(screen\/|events$)/;

/** The key a request presents, if any. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith(`${SCREEN_KEY_SCHEME} `)) return header.slice(SCREEN_KEY_SCHEME.length + 1).trim();
  return request.cookies[SCREEN_COOKIE] || undefined;
}

async function screenKeyPlugin(app: FastifyInstance, opts: { deps: Deps }) {
  const { deps } = opts;
  app.addHook('onRequest', async (request) => {
    if (request.principal) return;
    const path = request.url.split('?')[0] ?? '';
    if (!SCREEN_PATHS.test(path) || path === '/api/screen/session') return;
    const key = presentedKey(request);
    if (!key) return;
    const found = await resolveScreenKey(deps, key);
    if (!found) return;
    const principal = await screenPrincipal(deps, found);
    request.principal = principal;
    // The event stream lives while the key does: revoking it here ends the stream at once, and a
    // revocation on another node is seen at the stream's next heartbeat.
    request.watchSession = (onEnd: () => void) => {
      let alive = true;
      const unwatch = watchKeyStream(deps, found.id, () => {
        alive = false;
        onEnd();
      });
      return {
        principal,
        alive: async () => alive,
        recheck: async () => {
          alive = alive && (await isLive(deps, found.id));
          if (!alive) onEnd();
          return alive;
        },
        stop: unwatch,
      };
    };
  });
}

export default fp(screenKeyPlugin, { name: 'screen-keys', dependencies: ['auth'] });
