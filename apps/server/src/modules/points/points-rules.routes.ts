import { PointsRule, PointsRuleInput, RuleList, VillageItemParams, VillageParams } from '@cunzhi/contracts/points';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { errorResponses as errors } from '../../platform/route-schemas.ts';
import { presentRule } from './points.presenters.ts';
import * as rules from './points-rules.service.ts';

const tags = ['points'];

const ruleWrite = (input: PointsRuleInput) => ({
  code: input.code,
  item: input.item,
  itemEn: input.itemEn ?? null,
  category: input.category,
  points: input.points,
  evidenceRequired: input.evidenceRequired ?? false,
  limitPerDay: input.limitPerDay ?? null,
  limitPerMonth: input.limitPerMonth ?? null,
  limitPerHousehold: input.limitPerHousehold ?? null,
  validFrom: input.validFrom ? Date.parse(input.validFrom) : null,
  validTo: input.validTo ? Date.parse(input.validTo) : null,
  active: input.active ?? true,
});

/** The village's rule table (积分细则). */
export const pointsRulesRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/villages/:villageId/rules',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: "The village's rule table (积分细则)", params: VillageParams, response: { 200: RuleList, ...errors } },
    },
    async (request) => ({ items: (await rules.listRules(deps, requirePrincipal(request), request.params.villageId)).map(presentRule) }),
  );

  app.post(
    '/villages/:villageId/rules',
    {
      config: { access: { permission: 'points.rules' } },
      schema: { tags, summary: 'Add a rule', params: VillageParams, body: PointsRuleInput, response: { 201: PointsRule, ...errors } },
    },
    async (request, reply) => {
      const target = { villageId: request.params.villageId };
      const rule = await rules.saveRule(deps, requirePrincipal(request), actorOf(request), target, ruleWrite(request.body));
      return reply.status(201).send(presentRule(rule));
    },
  );

  app.put(
    '/villages/:villageId/rules/:id',
    {
      config: { access: { permission: 'points.rules' } },
      schema: {
        tags,
        summary: 'Change a rule (points already granted stay as they were)',
        params: VillageItemParams,
        body: PointsRuleInput,
        response: { 200: PointsRule, ...errors },
      },
    },
    async (request) => {
      const target = { villageId: request.params.villageId, id: request.params.id };
      return presentRule(await rules.saveRule(deps, requirePrincipal(request), actorOf(request), target, ruleWrite(request.body)));
    },
  );
};
