// GET /api/platform-info: public facts for the login page. It shows the demo banner and the demo
// password hint only when the server says it runs in demo mode, so a production login page never
// mentions a password.

import { PlatformInfo } from '@cunzhi/contracts/platform';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from './deps.ts';

export const platformInfoRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/',
    {
      config: { access: 'public' },
      schema: {
        tags: ['platform'],
        summary: 'Whether this server runs the demo county (public)',
        security: [],
        response: { 200: PlatformInfo },
      },
    },
    async () => ({ demo: deps.config.demoData }),
  );
};
