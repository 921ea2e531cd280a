// Elders in care: their records, devices and family links, and their readings and trends (audited).
import {
  DeviceInput,
  DeviceList,
  Elder,
  ElderHome,
  ElderInput,
  ElderList,
  ElderListQuery,
  FamilyLinkInput,
  ReadingList,
  ReadingsQuery,
  RegisteredDevice,
  TrendList,
  TrendsQuery,
} from '@cunzhi/contracts/care';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses as errors } from '../../platform/route-schemas.ts';
import { devicesOf, elderHome, linkFamily, listElders, registerDevice, saveElder } from './care-elders.service.ts';
import { elderReadings } from './care-ingest.service.ts';
import { presentDevice, presentElder, presentReading, presentTrend } from './care-presenters.ts';
import { elderTrends } from './care-rollups.service.ts';

const tags = ['care'];

/** `kind=` narrows a read to one kind of reading. */
const kindsOf = (kind: string | undefined) => (kind ? [kind] : undefined);

export const careEldersRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/elders',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Elders in care in my scope (mine=true: those I am the doctor or caretaker of)',
        querystring: ElderListQuery,
        response: { 200: ElderList, ...errors },
      },
    },
    async (request) => ({
      items: (await listElders(deps, requirePrincipal(request), actorOf(request), { mine: request.query.mine })).map(presentElder),
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
    async (request) => presentElder(await saveElder(deps, requirePrincipal(request), actorOf(request), request.body)),
  );

  app.get(
    '/elders/:id/home',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "An elder's address and phone (audited): for their doctor, caretaker, grid worker and linked family",
        params: ById,
        response: { 200: ElderHome, ...errors },
      },
    },
    async (request) => elderHome(deps, requirePrincipal(request), actorOf(request), request.params.id),
  );

  app.get(
    '/elders/:id/devices',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "An elder's devices with battery and last-seen time",
        params: ById,
        response: { 200: DeviceList, ...errors },
      },
    },
    async (request) => ({
      items: (await devicesOf(deps, requirePrincipal(request), actorOf(request), request.params.id)).map(presentDevice),
    }),
  );

  app.post(
    '/elders/:id/devices',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Register a device (bracelet, SOS button, door sensor, speaker …) for an elder',
        params: ById,
        body: DeviceInput,
        response: { 201: RegisteredDevice, ...errors },
      },
    },
    async (request, reply) => {
      const input = { ...request.body, elderPersonId: request.params.id };
      const { device, key } = await registerDevice(deps, requirePrincipal(request), actorOf(request), input);
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
        body: FamilyLinkInput,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await linkFamily(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/elders/:id/readings',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "An elder's readings since a moment (audited), each marked high or low under the elder's alarm rules",
        params: ById,
        querystring: ReadingsQuery,
        response: { 200: ReadingList, ...errors },
      },
    },
    async (request) => {
      const window = { since: Date.parse(request.query.since), kinds: kindsOf(request.query.kind) };
      const { elder, readings } = await elderReadings(deps, requirePrincipal(request), actorOf(request), request.params.id, window);
      return { items: readings.map((reading) => presentReading(reading, elder.rules)) };
    },
  );

  app.get(
    '/elders/:id/trends',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "An elder's readings rolled up per hour or day (audited): count, average, lowest and highest",
        params: ById,
        querystring: TrendsQuery,
        response: { 200: TrendList, ...errors },
      },
    },
    async (request) => {
      const { period, since, kind } = request.query;
      const query = { period, since: Date.parse(since), kinds: kindsOf(kind) };
      return { items: (await elderTrends(deps, requirePrincipal(request), actorOf(request), request.params.id, query)).map(presentTrend) };
    },
  );
};
