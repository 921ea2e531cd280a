// Questions to the extension worker, and the wall screen's figures (API list: packages/contracts/src/agri.ts).
import {
  AgriFigures,
  FiguresQuery,
  Question,
  QuestionInput,
  QuestionMessageInput,
  QuestionPage,
  QuestionQuery,
  QuestionThread,
} from '@cunzhi/contracts/agri-questions';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses, IdempotencyHeaders } from '../../platform/route-schemas.ts';
import { XLSX_CONTENT_TYPE } from '../../platform/xlsx.ts';
import { presentQuestion, presentThread } from './agri.presenters.ts';
import { farmSide } from './agri-farm-page.service.ts';
import { agriFigures, agriFiguresXlsx } from './agri-figures.service.ts';
import * as questions from './agri-questions.service.ts';

const tags = ['agri'];
const read = { access: { permission: 'agri.read' as const } };
const figures = { access: { permission: 'agri.figures' as const } };

export const agriQuestionsRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/questions',
    {
      config: read,
      schema: {
        tags,
        summary: 'Questions: my household’s, or those of the caller’s places',
        querystring: QuestionQuery,
        response: { 200: QuestionPage, ...errorResponses },
      },
    },
    async (request) => {
      const region = await farmSide.regionPlacement(deps, request.query.regionId);
      const page = await questions.listQuestions(deps, requirePrincipal(request), actorOf(request), request.query, region);
      return { items: page.items.map(presentQuestion), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/questions',
    {
      config: { access: { permission: 'agri.farm' as const } },
      schema: {
        tags,
        summary: 'Ask the extension worker (a household)',
        headers: IdempotencyHeaders,
        body: QuestionInput,
        response: { 201: Question, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          presentQuestion(
            await questions.askQuestion(deps, requirePrincipal(request), actorOf(request), request.body, idempotencyKeyOf(request)),
          ),
        ),
  );

  app.get(
    '/questions/:id',
    {
      config: read,
      schema: { tags, summary: 'A question and its thread', params: ById, response: { 200: QuestionThread, ...errorResponses } },
    },
    async (request) => presentThread(await questions.getThread(deps, requirePrincipal(request), actorOf(request), request.params.id)),
  );

  app.post(
    '/questions/:id/messages',
    {
      config: read,
      schema: {
        tags,
        summary: 'Answer, or follow up',
        params: ById,
        headers: IdempotencyHeaders,
        body: QuestionMessageInput,
        response: { 201: QuestionThread, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          presentThread(
            await questions.addMessage(
              deps,
              requirePrincipal(request),
              actorOf(request),
              request.params.id,
              request.body,
              idempotencyKeyOf(request),
            ),
          ),
        ),
  );

  app.post(
    '/questions/:id/close',
    { config: read, schema: { tags, summary: 'Close a question', params: ById, response: { 200: QuestionThread, ...errorResponses } } },
    async (request) => presentThread(await questions.closeQuestion(deps, requirePrincipal(request), actorOf(request), request.params.id)),
  );

  app.get(
    '/figures',
    {
      config: figures,
      schema: {
        tags,
        summary: 'Farm figures of a village, township or the county',
        querystring: FiguresQuery,
        response: { 200: AgriFigures, ...errorResponses },
      },
    },
    async (request) => agriFigures(deps, requirePrincipal(request), actorOf(request), request.query),
  );

  app.get(
    '/figures.xlsx',
    {
      config: figures,
      schema: { tags, summary: 'The farm figures as a spreadsheet', querystring: FiguresQuery, produces: [XLSX_CONTENT_TYPE] },
    },
    async (request, reply) => {
      const { figures: f, data } = await agriFiguresXlsx(deps, requirePrincipal(request), actorOf(request), request.query);
      return reply.type(XLSX_CONTENT_TYPE).header('content-disposition', `attachment; filename="agri-${f.year}.xlsx"`).send(data);
    },
  );
};
