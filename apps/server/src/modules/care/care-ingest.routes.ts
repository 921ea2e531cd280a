// Readings in from gateways and devices (Authorization: Bearer <key>), and the county's gateway keys.
import {
  GatewayDeviceList,
  GatewayKey,
  GatewayKeyList,
  GatewayKeyScopesInput,
  ReadingBatch,
  ReadingBatchResult,
} from '@cunzhi/contracts/care';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { answerOnce } from '../../platform/idempotency.ts';
import { ById, errorResponses as errors } from '../../platform/route-schemas.ts';
import { toIso } from '../../platform/time.ts';
import { hashToken } from '../../platform/tokens.ts';
import { listGatewayKeys, setGatewayKeyScopes } from '../auth/auth.service.ts';
import { bearerOf, originOf } from './care-callers.ts';
import { devicesForGatewayKey, receiveBatch } from './care-ingest.service.ts';
import { presentAlarm } from './care-presenters.ts';

const tags = ['care'];

const presentKey = (k: { id: string; name: string; scopes: string[]; createdAt: number }) => ({
  id: k.id,
  name: k.name,
  scopes: k.scopes,
  createdAt: toIso(k.createdAt),
});

export const careIngestRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.post(
    '/readings',
    {
      config: { access: 'key:gateway' },
      schema: {
        tags,
        summary:
          'A batch of readings from a gateway (Authorization: Bearer <gateway key>) or from one device with its own key; each is checked, stored once and run through the alarm rules. `alarms` lists the alarms raised only to a gateway the county granted care.read',
        security: [{ bearer: [] }],
        body: ReadingBatch,
        response: { 200: ReadingBatchResult, ...errors },
      },
    },
    async (request) => {
      const bearer = bearerOf(request);
      // With an Idempotency-Key the first answer is replayed (the project's rule); without one, each
      // reading is still stored once by its id. The key's owner is the bearer (hashed), as no session names it.
      const once = {
        principalId: `bearer:${hashToken(bearer)}`,
        key: idempotencyKeyOf(request),
        operation: 'care.readings',
        payload: request.body,
      };
      return answerOnce(deps.db, once, async () => {
        const result = await receiveBatch(deps, bearer, request.body.readings, originOf(request));
        return { ...result, alarms: result.alarms.map(presentAlarm) };
      });
    },
  );

  app.get(
    '/gateway-keys',
    {
      config: { access: { permission: 'apiKeys.grant' } },
      schema: {
        tags,
        summary: "The county's device gateway keys and what each may read (county admins)",
        response: { 200: GatewayKeyList, ...errors },
      },
    },
    async (request) => ({ items: (await listGatewayKeys(deps, requirePrincipal(request))).map(presentKey) }),
  );

  app.put(
    '/gateway-keys/:id/scopes',
    {
      config: { access: { permission: 'apiKeys.grant' } },
      schema: {
        tags,
        summary:
          "Grant a gateway key read access to its township's patients and readings (care.read), or take it back with an empty list (county admins; audited)",
        params: ById,
        body: GatewayKeyScopesInput,
        response: { 200: GatewayKey, ...errors },
      },
    },
    async (request) =>
      presentKey(await setGatewayKeyScopes(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body.scopes)),
  );

  app.get(
    '/gateway/devices',
    {
      config: { access: 'key:gateway' },
      schema: {
        tags,
        summary: 'The devices a gateway speaks for (Authorization: Bearer <gateway key>): what a gateway or the simulator sends for',
        security: [{ bearer: [] }],
        response: { 200: GatewayDeviceList, ...errors },
      },
    },
    async (request) => ({ items: await devicesForGatewayKey(deps, bearerOf(request)) }),
  );
};
