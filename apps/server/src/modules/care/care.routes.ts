import { Alarm, Elder, ElderInput, ReadingBatch } from '@cunzhi/contracts/care';
import { Id } from '@cunzhi/contracts/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { ById, errorResponses, IdempotencyHeaders } from '../../platform/route-schemas.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import { listGatewayKeys, principalForApiKey, setGatewayKeyScopes } from '../auth/auth.service.ts';
import type * as repo from './care.repository.ts';
import * as care from './care.service.ts';
import { actorFor, bearerOf } from './care-callers.ts';
import {
  acknowledgeCommand,
  deviceForKey,
  type KeyedDevice,
  listReminders,
  pollCommands,
  reminderDelivery,
  sendReminder,
} from './care-commands.ts';
import { checkIn, listMissedVisits, listVisits, VISIT_KINDS, type Visit, visitPlan } from './care-rounds.ts';

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

/** A device calling with its own key. */
async function requireDevice(deps: Deps, request: FastifyRequest): Promise<KeyedDevice> {
  const key = bearerOf(request);
  const device = key ? await deviceForKey(deps.reader, key) : undefined;
  if (!device) throw new AppError('not_authenticated');
  return device;
}

const presentDevice = (d: repo.Device) => ({
  id: d.id,
  serial: d.serial,
  kind: d.kind,
  battery: d.battery,
  lastSeenAt: toIsoOrNull(d.lastSeenAt),
});

const DeviceOut = Type.Object({
  id: Id,
  serial: Type.String(),
  kind: Type.String(),
  battery: Type.Union([Type.Integer(), Type.Null()]),
  lastSeenAt: Type.Union([Type.String(), Type.Null()]),
});

const presentVisit = (v: Visit) => ({ ...v, at: toIso(v.at) });

export const careRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
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
      const key = bearerOf(request);
      const gateway = key ? await principalForApiKey(deps, key, 'gateway') : undefined;
      const device = key && !gateway ? await deviceForKey(deps.reader, key) : undefined;
      if (!gateway && !device) throw new AppError('not_authenticated');
      const source = gateway ? care.gatewaySource(gateway) : care.deviceSource(device as KeyedDevice);
      const result = await care.ingest(deps, source, request.body.readings);
      const alarms = gateway ? await care.batchAlarmsFor(deps, gateway, actorFor(request, gateway), result.alarms) : [];
      return { ...result, alarms: alarms.map(presentAlarm) };
    },
  );

  const GatewayKey = Type.Object({
    id: Id,
    name: Type.String(),
    scopes: Type.Array(Type.String(), { description: 'Granted beyond writing readings; empty: write-only' }),
    createdAt: Type.String(),
  });
  const presentKey = (k: { id: string; name: string; scopes: string[]; createdAt: number }) => ({
    id: k.id,
    name: k.name,
    scopes: k.scopes,
    createdAt: toIso(k.createdAt),
  });

  app.get(
    '/gateway-keys',
    {
      config: { access: { permission: 'apiKeys.grant' } },
      schema: {
        tags,
        summary: "The county's device gateway keys and what each may read (county admins)",
        response: { 200: Type.Object({ items: Type.Array(GatewayKey) }), ...errors },
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
        body: Type.Object({ scopes: Type.Array(Type.Literal('care.read'), { maxItems: 1 }) }, { additionalProperties: false }),
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
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ serial: Type.String(), kind: Type.String() })) }), ...errors },
      },
    },
    async (request) => {
      const key = bearerOf(request);
      const gateway = key ? await principalForApiKey(deps, key, 'gateway') : undefined;
      if (!gateway) throw new AppError('not_authenticated');
      return { items: await care.gatewayDevices(deps, gateway) };
    },
  );

  app.get(
    '/device/commands',
    {
      config: { access: 'key:device' },
      schema: {
        tags,
        summary: "A speaker's waiting commands (Authorization: Bearer <device key>); fetching marks them sent",
        security: [{ bearer: [] }],
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ id: Id, kind: Type.String(), text: Type.String(), expiresAt: Type.String() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const device = await requireDevice(deps, request);
      return { items: (await pollCommands(deps, device)).map((c) => ({ ...c, expiresAt: toIso(c.expiresAt) })) };
    },
  );

  app.post(
    '/device/commands/:id/ack',
    {
      config: { access: 'key:device' },
      schema: {
        tags,
        summary: 'The device played the command (delivered) or could not (failed)',
        security: [{ bearer: [] }],
        params: ById,
        body: Type.Object({ outcome: Type.Union([Type.Literal('delivered'), Type.Literal('failed')]) }, { additionalProperties: false }),
        response: { 200: Type.Object({ state: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const device = await requireDevice(deps, request);
      return { state: await acknowledgeCommand(deps, device, request.params.id, request.body.outcome) };
    },
  );

  app.post(
    '/reminders',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "A reminder read out on the named elders' home speakers; delivery is tracked per speaker",
        headers: IdempotencyHeaders,
        body: Type.Object(
          { text: Type.String({ minLength: 1, maxLength: 300 }), elderPersonIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Id, commands: Type.Integer(), withoutSpeaker: Type.Array(Id) }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await sendReminder(deps, requirePrincipal(request), actorOf(request), request.body, idempotencyKeyOf(request))),
  );

  const Counts = Type.Object({
    queued: Type.Integer(),
    sent: Type.Integer(),
    delivered: Type.Integer(),
    failed: Type.Integer(),
    expired: Type.Integer(),
  });

  app.get(
    '/reminders',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Reminders sent in my scope (or by me), with their delivery counts (audited)',
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ id: Id, text: Type.String(), createdAt: Type.String(), counts: Counts })),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      items: (await listReminders(deps, requirePrincipal(request), actorOf(request))).map((r) => ({ ...r, createdAt: toIso(r.createdAt) })),
    }),
  );

  app.get(
    '/reminders/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "One reminder's delivery, speaker by speaker (audited)",
        params: ById,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                elderPersonId: Id,
                name: Type.String(),
                serial: Type.String(),
                state: Type.String(),
                sentAt: Type.Union([Type.String(), Type.Null()]),
                deliveredAt: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      items: (await reminderDelivery(deps, requirePrincipal(request), actorOf(request), request.params.id)).map((d) => ({
        ...d,
        sentAt: toIsoOrNull(d.sentAt),
        deliveredAt: toIsoOrNull(d.deliveredAt),
      })),
    }),
  );

  app.get(
    '/elders/:id/devices',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "An elder's devices with battery and last-seen time",
        params: ById,
        response: { 200: Type.Object({ items: Type.Array(DeviceOut) }), ...errors },
      },
    },
    async (request) => ({
      items: (await care.devicesOf(deps, requirePrincipal(request), actorOf(request), request.params.id)).map(presentDevice),
    }),
  );

  const Rule = Type.Object({
    cause: Type.String(),
    limit: Type.Number(),
    forMinutes: Type.Number(),
    enabled: Type.Boolean(),
    own: Type.Boolean({ description: "True where the elder's own rule replaces the county default" }),
  });

  app.get(
    '/elders/:id/rules',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "An elder's alarm rules as they apply: the county defaults with the elder's own changes",
        params: ById,
        response: { 200: Type.Object({ items: Type.Array(Rule) }), ...errors },
      },
    },
    async (request) => ({ items: await care.getAlarmRules(deps, requirePrincipal(request), actorOf(request), request.params.id) }),
  );

  app.put(
    '/elders/:id/rules',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "Set the elder's own alarm rules; causes not named keep the county default (an empty list restores them all)",
        params: ById,
        body: Type.Object(
          {
            rules: Type.Array(
              Type.Object(
                {
                  cause: Type.String({ maxLength: 40 }),
                  limit: Type.Optional(Type.Number({ minimum: -100_000, maximum: 100_000 })),
                  forMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 240 })),
                  enabled: Type.Optional(Type.Boolean()),
                },
                { additionalProperties: false },
              ),
              { maxItems: 20 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Rule) }), ...errors },
      },
    },
    async (request) => ({
      items: await care.setAlarmRules(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body.rules),
    }),
  );

  app.get(
    '/elders/:id/trends',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "An elder's readings rolled up per hour or day (audited): count, average, lowest and highest",
        params: ById,
        querystring: Type.Object({
          period: Type.Union([Type.Literal('hour'), Type.Literal('day')]),
          since: Type.String({ format: 'date-time', maxLength: 40 }),
          kind: Type.Optional(Type.String({ maxLength: 20 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                kind: Type.String(),
                start: Type.String(),
                count: Type.Integer(),
                avg: Type.Union([Type.Number(), Type.Null()]),
                min: Type.Union([Type.Number(), Type.Null()]),
                max: Type.Union([Type.Number(), Type.Null()]),
                avg2: Type.Union([Type.Number(), Type.Null()]),
                min2: Type.Union([Type.Number(), Type.Null()]),
                max2: Type.Union([Type.Number(), Type.Null()]),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const trends = await care.elderTrends(deps, requirePrincipal(request), actorOf(request), request.params.id, {
        period: request.query.period,
        since: Date.parse(request.query.since),
        kinds: request.query.kind ? [request.query.kind] : undefined,
      });
      return { items: trends.map((t) => ({ ...t, start: toIso(t.start) })) };
    },
  );

  const VisitOut = Type.Object({
    id: Id,
    elderPersonId: Id,
    kind: Type.String(),
    byUserId: Id,
    byName: Type.String(),
    at: Type.String(),
    note: Type.String(),
    tasks: Type.Array(Type.String()),
    systolic: Type.Union([Type.Integer(), Type.Null()]),
    diastolic: Type.Union([Type.Integer(), Type.Null()]),
  });

  app.get(
    '/elders/:id/visits',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "An elder's visits (caretakers, doctors) since a moment, newest first (audited)",
        params: ById,
        querystring: Type.Object({ since: Type.String({ format: 'date-time', maxLength: 40 }) }),
        response: { 200: Type.Object({ items: Type.Array(VisitOut) }), ...errors },
      },
    },
    async (request) => {
      const elder = await care.elderInScope(deps, requirePrincipal(request), request.params.id);
      return { items: (await listVisits(deps, elder, actorOf(request), Date.parse(request.query.since))).map(presentVisit) };
    },
  );

  app.post(
    '/elders/:id/visits',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "Check a visit in: a caretaker's daily visit or care round, or a doctor's home visit",
        params: ById,
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            kind: Type.Union(VISIT_KINDS.map((k) => Type.Literal(k))),
            at: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
            note: Type.String({ maxLength: 1000 }),
            tasks: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 }),
            systolic: Type.Optional(Type.Integer({ minimum: 50, maximum: 260 })),
            diastolic: Type.Optional(Type.Integer({ minimum: 30, maximum: 160 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: VisitOut, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          presentVisit(
            await checkIn(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body, idempotencyKeyOf(request)),
          ),
        ),
  );

  app.get(
    '/rounds',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'My visit list for today: each of my elders with the visits owed today and whether they are done',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                elder: Elder,
                due: Type.Array(
                  Type.Object({ kind: Type.String(), done: Type.Boolean(), lastAt: Type.Union([Type.String(), Type.Null()]) }),
                ),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      items: (await visitPlan(deps, requirePrincipal(request), actorOf(request))).map((item) => ({
        elder: presentElder(item.elder),
        due: item.due.map((d) => ({ ...d, lastAt: toIsoOrNull(d.lastAt) })),
      })),
    }),
  );

  app.get(
    '/missed-visits',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Visits that were due and did not happen, in my scope, since a day (audited)',
        querystring: Type.Object({ since: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                elderPersonId: Id,
                name: Type.String(),
                day: Type.String(),
                kind: Type.String(),
                caretakerUserId: Type.Union([Id, Type.Null()]),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({ items: await listMissedVisits(deps, requirePrincipal(request), actorOf(request), request.query.since) }),
  );

  app.get(
    '/elders',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Elders in care in my scope (mine=true: those I am the doctor or caretaker of)',
        querystring: Type.Object({ mine: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ items: Type.Array(Elder) }), ...errors },
      },
    },
    async (request) => ({
      items: (await care.listElders(deps, requirePrincipal(request), actorOf(request), { mine: request.query.mine })).map(presentElder),
    }),
  );

  app.post(
    '/elders',
    {
      config: { access: 'signedIn' },
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
      config: { access: 'signedIn' },
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
          201: Type.Object({
            id: Id,
            serial: Type.String(),
            kind: Type.String(),
            battery: Type.Union([Type.Integer(), Type.Null()]),
            key: Type.String({ description: "The device's own key, shown this once" }),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { device, key } = await care.registerDevice(deps, requirePrincipal(request), actorOf(request), {
        ...request.body,
        elderPersonId: request.params.id,
      });
      return reply.status(201).send({ id: device.id, serial: device.serial, kind: device.kind, battery: device.battery, key });
    },
  );

  app.post(
    '/elders/:id/family',
    {
      config: { access: 'signedIn' },
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
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "An elder's readings since a moment (audited)",
        params: ById,
        querystring: Type.Object({
          since: Type.String({ format: 'date-time', maxLength: 40 }),
          kind: Type.Optional(Type.String({ maxLength: 20 })),
        }),
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
      const { readings } = await care.elderReadings(deps, requirePrincipal(request), actorOf(request), request.params.id, {
        since: Date.parse(request.query.since),
        kinds: request.query.kind ? [request.query.kind] : undefined,
      });
      return { items: readings.map((r) => ({ kind: r.kind, value: r.value1, value2: r.value2, at: toIso(r.at) })) };
    },
  );

  app.get(
    '/alarms',
    {
      config: { access: 'signedIn' },
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
        config: { access: 'signedIn' },
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
