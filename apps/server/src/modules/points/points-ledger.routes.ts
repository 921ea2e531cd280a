import {
  AppealDecision,
  AppealDecisionInput,
  AppealInput,
  BulkGrantInput,
  BulkGrantResult,
  DeductionInput,
  LedgerEntry,
  PointsAccount,
  PublicNameInput,
  ReversalInput,
  Statement,
  StatementParams,
} from '@cunzhi/contracts/points';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { ById, errorResponses as errors, IdempotencyHeaders, NoContent } from '../../platform/route-schemas.ts';
import { presentEntry, presentStatement } from './points.presenters.ts';
import * as ledger from './points-ledger.service.ts';

const tags = ['points'];

/** Accounts and statements, and bookings made by the keeper: grants, deductions, reversals, appeals. */
export const pointsLedgerRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const accountOf = async (request: FastifyRequest, householdId: string) => {
    const result = await ledger.account(deps, requirePrincipal(request), actorOf(request), householdId);
    return { ...result, thisMonth: presentStatement(result.thisMonth), lastMonth: presentStatement(result.lastMonth) };
  };

  app.get(
    '/accounts/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "A household's balance with this and last month's statements",
        params: ById,
        response: { 200: PointsAccount, ...errors },
      },
    },
    async (request) => accountOf(request, request.params.id),
  );

  // The same for the household of whoever asks: a villager's phone asks for it as the page starts,
  // beside the session, instead of waiting for the session to learn its household's id.
  app.get(
    '/accounts/mine',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: "The signed-in villager's own household's balance with this and last month's statements",
        response: { 200: PointsAccount, ...errors },
      },
    },
    async (request) => {
      const { householdId } = requirePrincipal(request);
      if (!householdId) throw notFound('household');
      return accountOf(request, householdId);
    },
  );

  app.get(
    '/accounts/:id/statements/:month',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'A monthly statement', params: StatementParams, response: { 200: Statement, ...errors } },
    },
    async (request) =>
      presentStatement(await ledger.statement(deps, requirePrincipal(request), actorOf(request), request.params.id, request.params.month)),
  );

  app.put(
    '/accounts/:id/public-name',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Whether the household agrees to be named in public rankings',
        params: ById,
        body: PublicNameInput,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await ledger.setPublicName(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body.publicName);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/grants',
    {
      config: { access: { permission: 'points.keep' } },
      schema: {
        tags,
        summary: 'Grant a rule to many households at once (e.g. everyone at the village clean-up)',
        headers: IdempotencyHeaders,
        body: BulkGrantInput,
        response: { 200: BulkGrantResult, ...errors },
      },
    },
    async (request) => {
      const result = await ledger.bulkGrant(deps, requirePrincipal(request), actorOf(request), {
        ...request.body,
        idempotencyKey: idempotencyKeyOf(request),
      });
      return { booked: result.booked.map(presentEntry), skipped: result.skipped };
    },
  );

  app.post(
    '/deductions',
    {
      config: { access: { permission: 'points.keep' } },
      schema: {
        tags,
        summary: 'Record a deduction under a negative rule, with the reason',
        headers: IdempotencyHeaders,
        body: DeductionInput,
        response: { 201: LedgerEntry, ...errors },
      },
    },
    async (request, reply) => {
      const entry = await ledger.deduct(deps, requirePrincipal(request), actorOf(request), {
        ...request.body,
        idempotencyKey: idempotencyKeyOf(request),
      });
      return reply.status(201).send(presentEntry(entry));
    },
  );

  app.post(
    '/ledger/:id/reversals',
    {
      config: { access: { permission: 'points.keep' } },
      schema: {
        tags,
        summary: 'Undo an entry booked by mistake with a reversing entry (entries are never edited)',
        params: ById,
        headers: IdempotencyHeaders,
        body: ReversalInput,
        response: { 201: LedgerEntry, ...errors },
      },
    },
    async (request, reply) => {
      const entry = await ledger.reverse(deps, requirePrincipal(request), actorOf(request), request.params.id, {
        note: request.body.note,
        idempotencyKey: idempotencyKeyOf(request),
      });
      return reply.status(201).send(presentEntry(entry));
    },
  );

  app.post(
    '/ledger/:id/appeals',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'The household appeals a deduction (once)',
        params: ById,
        body: AppealInput,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await ledger.appealDeduction(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body.reason);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/ledger/:id/appeals/decision',
    {
      config: { access: { permission: 'points.keep' } },
      schema: {
        tags,
        summary: 'Uphold the deduction, or overturn it (reversed)',
        params: ById,
        body: AppealDecisionInput,
        response: { 200: AppealDecision, ...errors },
      },
    },
    async (request) => {
      const result = await ledger.decideAppeal(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body);
      return { state: result.state, reversal: result.reversal && presentEntry(result.reversal) };
    },
  );
};
