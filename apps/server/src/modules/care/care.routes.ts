import { Alarm, Elder, ElderInput, ReadingBatch } from '@cunzhi/contracts/care';
import { Id } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { ById, errorResponses } from '../../platform/route-schemas.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import { principalForApiKey } from '../auth/auth.service.ts';
import type * as repo from './care.repository.ts';
import * as care from './care.service.ts';

const errors = errorResponses;
const tags = ['care'];

export const presentAlarm = (a: repo.Alarm) => ({
  id: a.id,
  elderPersonId: a.elderPersonId,
  cause: a.cause,
  severity: a.severity,
  state: a.state,
  repeats: a.repeats,
  value: a.value,
  firstAt: toIso(a.firstAt),
  lastAt: toIso(a.lastAt),
  acknowledgedAt: toIsoOrNull(a.acknowledgedAt),
  resolvedAt: toIsoOrNull(a.resolvedAt),
  note: a.note,
});

const presentElder = (e: repo.Elder) => ({
  personId: e.personId,
  name: e.name,
  livingSituation: e.livingSituation,
  conditions: e.conditions,
  contacts: e.contacts,
  presence: e.presence,
  lastActivityAt: toIsoOrNull(e.lastActivityAt),
});

export const careRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.post(
    '/readings',
    {
      schema: {
        tags,
        summary:
          "A gateway's batch of readings (Authorization: Bearer <gateway key>); each is checked, stored once and run through the alarm rules",
        security: [{ bearer: [] }],
        body: ReadingBatch,
        response: {
          200: Type.Object({
            accepted: Type.Integer(),
            duplicates: Type.Integer(),
            rejected: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String() })),
            alarms: Type.Array(Alarm),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const header = request.headers.authorization ?? '';
      const key = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      const gateway = key ? await principalForApiKey(deps, key, 'gateway') : undefined;
      if (!gateway) throw new AppError('not_authenticated');
      const result = await care.ingest(deps, gateway, request.body.readings);
      return { ...result, alarms: result.alarms.map(presentAlarm) };
    },
  );

  app.get(
    '/elders',
    { schema: { tags, summary: 'Elders in care in my scope', response: { 200: Type.Object({ items: Type.Array(Elder) }), ...errors } } },
    async (request) => ({ items: (await care.listElders(deps, requirePrincipal(request))).map(presentElder) }),
  );

  app.post(
    '/elders',
    {
      schema: {
        tags,
        summary: 'Take a registered person into care (or update the record)',
        body: ElderInput,
        response: { 200: Elder, ...errors },
      },
    },
    async (request) => presentElder(await care.saveElder(deps, requirePrincipal(request), actorOf(request), request.body)),
  );

  app.post(
    '/elders/:id/devices',
    {
      schema: {
        tags,
        summary: 'Register a device (bracelet, SOS button, door sensor, speaker …) for an elder',
        params: ById,
        body: Type.Object(
          {
            serial: Type.String({ minLength: 3, maxLength: 64 }),
            kind: Type.Union(['bracelet', 'sosButton', 'doorSensor', 'camera', 'speaker'].map((k) => Type.Literal(k))),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Id, serial: Type.String(), kind: Type.String(), battery: Type.Union([Type.Integer(), Type.Null()]) }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const device = await care.registerDevice(deps, requirePrincipal(request), actorOf(request), {
        ...request.body,
        elderPersonId: request.params.id,
      });
      return reply.status(201).send({ id: device.id, serial: device.serial, kind: device.kind, battery: device.battery });
    },
  );

  app.post(
    '/elders/:id/family',
    {
      schema: {
        tags,
        summary: "Link a family member to the elder, with the elder's consent: they see this elder's care and no one else's",
        params: ById,
        body: Type.Object({ userId: Id, consent: Type.Boolean() }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await care.linkFamily(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/elders/:id/readings',
    {
      schema: {
        tags,
        summary: "An elder's readings since a moment (audited)",
        params: ById,
        querystring: Type.Object({ since: Type.String({ format: 'date-time' }), kind: Type.Optional(Type.String()) }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                kind: Type.String(),
                value: Type.Union([Type.Number(), Type.Null()]),
                value2: Type.Union([Type.Number(), Type.Null()]),
                at: Type.String(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { readings } = await care.elderReadings(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.id,
        Date.parse(request.query.since),
        request.query.kind ? [request.query.kind] : undefined,
      );
      return { items: readings.map((r) => ({ kind: r.kind, value: r.value1, value2: r.value2, at: toIso(r.at) })) };
    },
  );

  app.get(
    '/alarms',
    {
      schema: {
        tags,
        summary: 'Alarms in my scope, newest first (audited)',
        querystring: Type.Object({ open: Type.Optional(Type.Boolean()), elder: Type.Optional(Id) }),
        response: { 200: Type.Object({ items: Type.Array(Alarm) }), ...errors },
      },
    },
    async (request) => ({
      items: (
        await care.listAlarms(deps, requirePrincipal(request), actorOf(request), {
          open: request.query.open,
          elderPersonId: request.query.elder,
        })
      ).map(presentAlarm),
    }),
  );

  for (const action of ['acknowledge', 'resolve'] as const) {
    app.post(
      `/alarms/:id/${action}`,
      {
        schema: {
          tags,
          summary: action === 'acknowledge' ? 'Take the alarm on' : 'Close the alarm with a note of what was done',
          params: ById,
          body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
          response: { 200: Alarm, ...errors },
        },
      },
      async (request) =>
        presentAlarm(
          await care.actOnAlarm(deps, requirePrincipal(request), actorOf(request), request.params.id, { action, note: request.body.note }),
        ),
    );
  }
};
