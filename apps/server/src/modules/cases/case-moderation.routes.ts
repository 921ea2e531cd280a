import { Case, CaseList, ModerationInput, ModerationSuggestion, NoCase } from '@cunzhi/contracts/cases';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses } from '../../platform/route-schemas.ts';
import { caseAnswers } from './case-answers.ts';
import * as moderation from './case-moderation.service.ts';

const errors = errorResponses;

/** The exposure board's moderation: what waits, a suggested public text, and the decision. */
export const caseModerationRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const { presentAll, answer } = caseAnswers(deps);

  app.get(
    '/moderation/pending',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'Exposure-board reports in my scope waiting for moderation, oldest first',
        response: { 200: CaseList, ...errors },
      },
    },
    async (request) => {
      const pending = await moderation.pendingModeration(deps, requirePrincipal(request));
      return { items: await presentAll(request, pending) };
    },
  );

  app.get(
    '/:id/moderation',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'For the moderator: the report with known names and numbers already taken out',
        params: ById,
        response: { 200: ModerationSuggestion, ...errors },
      },
    },
    async (request) => moderation.suggestion(deps, requirePrincipal(request), request.params.id),
  );

  app.post(
    '/:id/moderation',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['cases'],
        summary: 'Publish an exposure-board report (text without names or numbers, chosen photos blurred) or reject it',
        params: ById,
        body: ModerationInput,
        response: { 200: Case, 204: NoCase, ...errors },
      },
    },
    async (request, reply) =>
      answer(request, reply, await moderation.moderate(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body)),
  );
};
