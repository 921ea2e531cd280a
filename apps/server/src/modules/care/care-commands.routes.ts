// Reminders to the elders' home speakers, and the speakers' own calls (Authorization: Bearer <device key>).
import {
  CommandAckInput,
  CommandAckResult,
  DeviceCommandList,
  ReminderDeliveryList,
  ReminderInput,
  ReminderList,
  ReminderSent,
} from '@cunzhi/contracts/care-commands';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses as errors, IdempotencyHeaders } from '../../platform/route-schemas.ts';
import { bearerOf } from './care-callers.ts';
import { acknowledgeCommand, listReminders, pollCommands, reminderDelivery, sendReminder } from './care-commands.service.ts';
import { presentCommand, presentDelivery, presentReminder } from './care-presenters.ts';

const tags = ['care'];

export const careCommandsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/device/commands',
    {
      config: { access: 'key:device' },
      schema: {
        tags,
        summary: "A speaker's waiting commands (Authorization: Bearer <device key>); fetching marks them sent",
        security: [{ bearer: [] }],
        response: { 200: DeviceCommandList, ...errors },
      },
    },
    async (request) => ({ items: (await pollCommands(deps, bearerOf(request))).map(presentCommand) }),
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
        body: CommandAckInput,
        response: { 200: CommandAckResult, ...errors },
      },
    },
    async (request) => ({ state: await acknowledgeCommand(deps, bearerOf(request), request.params.id, request.body.outcome) }),
  );

  app.post(
    '/reminders',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "A reminder read out on the named elders' home speakers; delivery is tracked per speaker",
        headers: IdempotencyHeaders,
        body: ReminderInput,
        response: { 201: ReminderSent, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await sendReminder(deps, requirePrincipal(request), actorOf(request), request.body, idempotencyKeyOf(request))),
  );

  app.get(
    '/reminders',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Reminders sent in my scope (or by me), with their delivery counts (audited)',
        response: { 200: ReminderList, ...errors },
      },
    },
    async (request) => ({ items: (await listReminders(deps, requirePrincipal(request), actorOf(request))).map(presentReminder) }),
  );

  app.get(
    '/reminders/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "One reminder's delivery, speaker by speaker (audited)",
        params: ById,
        response: { 200: ReminderDeliveryList, ...errors },
      },
    },
    async (request) => ({
      items: (await reminderDelivery(deps, requirePrincipal(request), actorOf(request), request.params.id)).map(presentDelivery),
    }),
  );
};
