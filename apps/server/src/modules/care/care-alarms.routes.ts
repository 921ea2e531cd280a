// Alarms in my scope and what is done about them, and each elder's alarm rules.
import { Alarm, AlarmActionInput, AlarmList, AlarmListQuery, AlarmRuleList, AlarmRulesInput } from '@cunzhi/contracts/care';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses as errors } from '../../platform/route-schemas.ts';
import { getAlarmRules, setAlarmRules } from './care-alarm-rules.service.ts';
import { actOnAlarm, listAlarms } from './care-alarms.service.ts';
import { presentAlarm } from './care-presenters.ts';

const tags = ['care'];

export const careAlarmsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/alarms',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Alarms in my scope, newest first (audited)',
        querystring: AlarmListQuery,
        response: { 200: AlarmList, ...errors },
      },
    },
    async (request) => {
      const query = { open: request.query.open, elderPersonId: request.query.elder };
      return { items: (await listAlarms(deps, requirePrincipal(request), actorOf(request), query)).map(presentAlarm) };
    },
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
          body: AlarmActionInput,
          response: { 200: Alarm, ...errors },
        },
      },
      async (request) =>
        presentAlarm(
          await actOnAlarm(deps, requirePrincipal(request), actorOf(request), request.params.id, { action, note: request.body.note }),
        ),
    );
  }

  app.get(
    '/elders/:id/rules',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "An elder's alarm rules as they apply: the county defaults with the elder's own changes",
        params: ById,
        response: { 200: AlarmRuleList, ...errors },
      },
    },
    async (request) => ({ items: await getAlarmRules(deps, requirePrincipal(request), actorOf(request), request.params.id) }),
  );

  app.put(
    '/elders/:id/rules',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "Set the elder's own alarm rules; causes not named keep the county default (an empty list restores them all)",
        params: ById,
        body: AlarmRulesInput,
        response: { 200: AlarmRuleList, ...errors },
      },
    },
    async (request) => ({
      items: await setAlarmRules(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body.rules),
    }),
  );
};
