// Family calls and a look at home: the signalling routes, shared by a signed-in family member or
// caretaker (session cookie) and the elder's home device (Authorization: Bearer <home device key>),
// the call stream (Server-Sent Events), the home device's pairing and its page.
import {
  Call,
  CallHistoryQuery,
  CallList,
  CallTarget,
  EndCallInput,
  HomeSettingsInput,
  HomeView,
  IceConfig,
  PairedDevice,
  PairInput,
  PairingCode,
  SignalInput,
  StartCallInput,
} from '@cunzhi/contracts/care-calls';
import { ErrorBody } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { MAX_STREAMS_PER_USER } from '../../platform/events.routes.ts';
import { ById, errorResponses as errors } from '../../platform/route-schemas.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import { bearerOf, originOf } from './care-callers.ts';
import {
  answerCall,
  type Caller,
  type CallView,
  callHistory,
  callTarget,
  endCallsOf,
  endEveryCall,
  hangUp,
  relaySignal,
  startCall,
} from './care-calls.service.ts';
import { callHub, type Party } from './care-calls-hub.ts';
import {
  announceHomePresence,
  homeActor,
  homeDeviceForKey,
  homeView,
  iceConfigFor,
  issuePairing,
  pairHomeDevice,
  revokeHomeDevices,
  saveHomeSettings,
} from './care-home-devices.service.ts';

const tags = ['care'];
const HEARTBEAT_MS = 20_000;

const presentCall = (call: CallView) => ({
  id: call.id,
  elderPersonId: call.elderPersonId,
  elderName: call.elderName,
  kind: call.kind,
  direction: call.direction,
  userId: call.userId,
  userName: call.userName,
  state: call.state,
  autoAnswered: call.autoAnswered,
  startedAt: toIso(call.startedAt),
  answeredAt: toIsoOrNull(call.answeredAt),
  endedAt: toIsoOrNull(call.endedAt),
  endReason: call.endReason,
});

/** The home device its Bearer key names, or else the signed-in user. */
async function callerOf(deps: Deps, request: FastifyRequest): Promise<Caller> {
  const key = bearerOf(request);
  if (key) {
    const device = await homeDeviceForKey(deps, key);
    if (!device) throw new AppError('not_authenticated');
    return { kind: 'home', device, actor: homeActor(device, originOf(request)) };
  }
  return { kind: 'user', principal: requirePrincipal(request), actor: actorOf(request) };
}

async function homeOf(deps: Deps, request: FastifyRequest) {
  const caller = await callerOf(deps, request);
  if (caller.kind !== 'home') throw new AppError('forbidden');
  return caller;
}

export const careCallsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const open = new Set<() => void>();
  const openPerHolder = new Map<string, number>();
  // The home devices' open streams by elder, so that unpairing a box ends its stream at once (a
  // lost box rang for up to a heartbeat after it was unpaired: an attacker's check).
  const homeStreams = new Map<string, Set<{ deviceId: string; end: () => void }>>();
  const endHomeStreams = (elderPersonId: string, deviceId?: string) => {
    for (const stream of [...(homeStreams.get(elderPersonId) ?? [])]) if (!deviceId || stream.deviceId === deviceId) stream.end();
  };
  // Set while the server stops: the streams it ends then tell nobody the home went off.
  let stopping = false;
  const announce = (request: FastifyRequest, elderPersonId: string) =>
    void announceHomePresence(deps, elderPersonId).catch((error) =>
      request.log.error({ err: error }, 'telling the home device presence failed'),
    );
  app.addHook('preClose', async () => {
    stopping = true;
    await endEveryCall(deps);
    for (const end of [...open]) end();
    callHub(deps).close();
  });

  app.get(
    '/calls/stream',
    {
      config: { access: 'key:device' },
      schema: { tags, summary: 'The call stream (Server-Sent Events): rings, answers, signals and hang-ups for me or my home device' },
    },
    async (request, reply) => {
      const caller = await callerOf(deps, request);
      const party: Party =
        caller.kind === 'home'
          ? { kind: 'home', elderPersonId: caller.device.elderPersonId }
          : { kind: 'user', userId: caller.principal.userId };
      // As many as live-event streams per person or home device (attacker: 200 at once were all open).
      const holder = caller.kind === 'home' ? `home:${caller.device.id}` : `user:${caller.principal.userId}`;
      if ((openPerHolder.get(holder) ?? 0) >= MAX_STREAMS_PER_USER) throw new AppError('rate_limited');
      let [closed, counted] = [false, false];
      const home =
        caller.kind === 'home' ? { deviceId: caller.device.id, elderPersonId: caller.device.elderPersonId, end: () => end() } : undefined;
      let heartbeat: NodeJS.Timeout | undefined;
      let disconnect = () => {};
      const out = reply.raw;
      const end = () => {
        if (closed) return;
        closed = true;
        if (counted) openPerHolder.set(holder, (openPerHolder.get(holder) ?? 1) - 1);
        clearInterval(heartbeat);
        disconnect();
        watch?.stop();
        open.delete(end);
        if (home) homeStreams.get(home.elderPersonId)?.delete(home);
        if (home && !stopping) announce(request, home.elderPersonId);
        if (!out.writableEnded) out.end();
        void endCallsOf(deps, party).catch((error) => request.log.error({ err: error }, 'ending calls of a closed stream failed'));
      };
      // A family member's stream lives no longer than their session; a home device's no longer than its key.
      const watch = caller.kind === 'user' ? request.watchSession(end) : undefined;
      if (caller.kind === 'user' && !watch) throw new AppError('not_authenticated');
      openPerHolder.set(holder, (openPerHolder.get(holder) ?? 0) + 1);
      counted = true;
      reply.hijack();
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      out.write(': connected\n\n');
      disconnect = callHub(deps).connect(party, (event, data) => {
        if (!closed) out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      });
      heartbeat = setInterval(() => {
        const alive =
          caller.kind === 'home'
            ? homeDeviceForKey(deps, bearerOf(request)).then((d) => d !== undefined)
            : (watch?.recheck() ?? Promise.resolve(false));
        void alive.then((ok) => (ok && !closed ? out.write(': heartbeat\n\n') : end())).catch(end);
      }, HEARTBEAT_MS);
      open.add(end);
      if (home) {
        homeStreams.set(home.elderPersonId, (homeStreams.get(home.elderPersonId) ?? new Set()).add(home));
        // The family's call pages hear that the home device is on.
        announce(request, home.elderPersonId);
      }
      request.raw.on('close', end);
    },
  );

  app.get(
    '/calls/ice',
    {
      config: { access: 'key:device' },
      schema: {
        tags,
        summary: 'STUN and TURN servers, with short-lived TURN credentials of my own',
        response: { 200: IceConfig, ...errors },
      },
    },
    async (request) => {
      const caller = await callerOf(deps, request);
      const ice = iceConfigFor(deps, caller.kind === 'home' ? `home-${caller.device.id}` : caller.principal.userId);
      return { iceServers: ice.iceServers, expiresAt: toIsoOrNull(ice.expiresAt) };
    },
  );

  app.post(
    '/calls',
    {
      config: { access: 'key:device' },
      schema: {
        tags,
        summary:
          "Call the elder's home (or look at it, with the elder's consent); from the home device, call a family member or the caretaker",
        body: StartCallInput,
        response: { 201: Call, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(presentCall(await startCall(deps, await callerOf(deps, request), request.body))),
  );

  app.get(
    '/calls',
    {
      config: { access: 'key:device' },
      schema: {
        tags,
        summary: 'Call history: mine (with one elder), or the home device’s (audited)',
        querystring: CallHistoryQuery,
        response: { 200: CallList, ...errors },
      },
    },
    async (request) => ({ items: (await callHistory(deps, await callerOf(deps, request), request.query)).map(presentCall) }),
  );

  app.post(
    '/calls/:id/answer',
    {
      config: { access: 'key:device' },
      schema: { tags, summary: 'Answer a ringing call (the called side only)', params: ById, response: { 204: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      await answerCall(deps, await callerOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/calls/:id/signal',
    {
      config: { access: 'key:device' },
      schema: {
        tags,
        summary: 'Pass an offer, answer, ICE candidate or video notice to the other side of my call',
        params: ById,
        body: SignalInput,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await relaySignal(deps, await callerOf(deps, request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/calls/:id/end',
    {
      config: { access: 'key:device' },
      schema: {
        tags,
        summary: 'Hang up, or decline a ringing call',
        params: ById,
        body: EndCallInput,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await hangUp(deps, await callerOf(deps, request), request.params.id, request.body.reason);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/elders/:id/calling',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary:
          "Before calling an elder's home: the elder's name, whether a look is allowed, whether the home device is on (linked family and caretaker)",
        params: ById,
        response: { 200: CallTarget, ...errors },
      },
    },
    async (request) => callTarget(deps, requirePrincipal(request), actorOf(request), request.params.id),
  );

  app.post(
    '/elders/:id/home-pairing',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "A one-time code (10 minutes) to pair the elder's home device: for linked family, the caretaker and care managers",
        params: ById,
        response: { 201: PairingCode, ...errors },
      },
    },
    async (request, reply) => {
      const pairing = await issuePairing(deps, requirePrincipal(request), actorOf(request), request.params.id);
      return reply.status(201).send({ code: pairing.code, expiresAt: toIso(pairing.expiresAt) });
    },
  );

  app.post(
    '/home/pair',
    {
      config: { access: 'public', rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'The home device gives its pairing code and gets its own key (shown once)',
        description:
          'Limited per address (the login rate) and county-wide: past a number of wrong codes from all addresses together, every pairing is answered 429 with Retry-After until the window ends.',
        body: PairInput,
        response: { 201: PairedDevice, ...errors, 429: ErrorBody },
      },
      // The wait a refusal asks for goes in Retry-After.
      onError: async (_request, reply, error) => {
        const seconds = error instanceof AppError && error.status === 429 ? error.params.seconds : undefined;
        if (typeof seconds === 'number') reply.header('retry-after', String(seconds));
      },
    },
    async (request, reply) => reply.status(201).send(await pairHomeDevice(deps, actorOf(request), request.body.code)),
  );

  app.delete(
    '/home',
    {
      config: { access: 'key:device' },
      schema: {
        tags,
        summary: 'The home device unpairs itself: its key stops working',
        security: [{ bearer: [] }],
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const home = await homeOf(deps, request);
      await revokeHomeDevices(deps, { device: home.device }, home.actor, home.device.elderPersonId);
      endHomeStreams(home.device.elderPersonId, home.device.id);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/elders/:id/home-devices',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Unpair every home device of the elder (a lost TV box): for linked family, the caretaker and care managers',
        params: ById,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await revokeHomeDevices(deps, { principal: requirePrincipal(request) }, actorOf(request), request.params.id);
      endHomeStreams(request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/home',
    {
      config: { access: 'key:device' },
      schema: {
        tags,
        summary: "The home device's page: whose home, whom it calls, the elder's settings (audited)",
        security: [{ bearer: [] }],
        response: { 200: HomeView, ...errors },
      },
    },
    async (request) => {
      const home = await homeOf(deps, request);
      return homeView(deps, home.device, home.actor);
    },
  );

  app.put(
    '/home/settings',
    {
      config: { access: 'key:device' },
      schema: {
        tags,
        summary:
          "The elder's settings, from the home device: who is answered without a press, and the standing consent to a look (withdrawn: a look ends at once)",
        security: [{ bearer: [] }],
        body: HomeSettingsInput,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const home = await homeOf(deps, request);
      await saveHomeSettings(deps, home.device, home.actor, request.body);
      return reply.status(204).send(null);
    },
  );
};
