// /api/poverty/monitored: the households flagged and followed, their procedure step by step with
// evidence, help measures and follow-up visits, and objections to a public notice; and the public
// notice itself (/api/public/poverty-notices), which shows a household only while its notice runs.
import { Id } from '@cunzhi/contracts/common';
import {
  Evidence,
  EvidenceUploadQuery,
  FlagInput,
  Measure,
  MeasureInput,
  Monitored,
  MonitoredDetail,
  MonitoredPage,
  MonitoredQuery,
  Objection,
  ObjectionInput,
  PublicNoticeList,
  PublicNoticeQuery,
  RemovalInput,
  ResolveInput,
  StepInput,
  Visit,
  VisitInput,
} from '@cunzhi/contracts/poverty-monitored';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, idempotencyKeyOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { ById, errorResponses, IdempotencyHeaders, PHOTO_TYPES } from '../../platform/route-schemas.ts';
import { presentEvidence, presentMeasure, presentMonitored, presentObjection, presentStep, presentVisit } from './poverty.presenters.ts';
import { flagByVisit, listMonitored, monitoredDetail } from './poverty.service.ts';
import { auditRoleRefusals } from './poverty-access.ts';
import { publicNotices } from './poverty-figures.service.ts';
import { addMeasure, recordVisit } from './poverty-help.service.ts';
import { evidenceFile, raiseObjection, resolveObjection, startRemoval, takeStep, uploadEvidence } from './poverty-procedure.service.ts';

const errors = errorResponses;
const tags = ['poverty'];
const read = { access: { permission: 'poverty.read' as const } };
const DOCUMENT_TYPES = [...PHOTO_TYPES, 'application/pdf'];
const EVIDENCE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

export const povertyMonitoredRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  auditRoleRefusals(app, deps);
  app.addContentTypeParser(DOCUMENT_TYPES, { parseAs: 'buffer', bodyLimit: deps.config.photoLimitBytes }, (_request, body, done) =>
    done(null, body),
  );

  app.get(
    '/monitored',
    {
      config: read,
      schema: {
        tags,
        summary: 'Monitored households of my places by status, category and step',
        querystring: MonitoredQuery,
        response: { 200: MonitoredPage, ...errors },
      },
    },
    async (request) => {
      const page = await listMonitored(deps, requirePrincipal(request), actorOf(request), request.query);
      return { items: page.items.map(presentMonitored), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/monitored',
    { config: read, schema: { tags, summary: 'Flag a household after a visit', body: FlagInput, response: { 201: Monitored, ...errors } } },
    async (request, reply) =>
      reply.status(201).send(presentMonitored(await flagByVisit(deps, requirePrincipal(request), actorOf(request), request.body))),
  );

  app.get(
    '/monitored/:id',
    {
      config: read,
      schema: { tags, summary: 'A monitored household’s file (audited)', params: ById, response: { 200: MonitoredDetail, ...errors } },
    },
    async (request, reply) => {
      const detail = await monitoredDetail(deps, requirePrincipal(request), actorOf(request), request.params.id);
      reply.header('cache-control', 'private, no-store');
      return {
        monitored: presentMonitored(detail.record),
        steps: detail.steps.map((s) => presentStep(s, detail.evidence)),
        measures: detail.measures.map(presentMeasure),
        visits: detail.visits.map(presentVisit),
        objections: detail.objections.map(presentObjection),
        evidence: detail.evidence.map(presentEvidence),
        mayTake: detail.mayTake,
      };
    },
  );

  app.post(
    '/monitored/:id/steps',
    {
      config: read,
      schema: {
        tags,
        summary: 'Take the next step of the procedure (in order, by its office; the home visit with a note)',
        params: ById,
        headers: IdempotencyHeaders,
        body: StepInput,
        response: { 200: Monitored, ...errors },
      },
    },
    async (request) =>
      presentMonitored(
        await takeStep(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body, idempotencyKeyOf(request)),
      ),
  );

  app.post(
    '/monitored/:id/removal',
    {
      config: read,
      schema: {
        tags,
        summary: 'Start removing the risk (income stably above the line, causes resolved)',
        params: ById,
        body: RemovalInput,
        response: { 200: Monitored, ...errors },
      },
    },
    async (request) =>
      presentMonitored(await startRemoval(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/monitored/:id/evidence',
    {
      config: read,
      bodyLimit: deps.config.photoLimitBytes,
      schema: {
        tags,
        summary: 'Upload a photo or PDF for a step (the phone may mint its id)',
        params: ById,
        headers: IdempotencyHeaders,
        querystring: EvidenceUploadQuery,
        consumes: DOCUMENT_TYPES,
        response: { 201: Evidence, ...errors },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError('not_a_document');
      const evidence = await uploadEvidence(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body, {
        evidenceId: request.query.evidenceId,
        idempotencyKey: idempotencyKeyOf(request),
      });
      return reply.status(201).send(presentEvidence(evidence));
    },
  );

  app.get(
    '/monitored/:id/evidence/:evidenceId',
    { config: read, schema: { tags, summary: 'One evidence file (audited)', params: Type.Object({ id: Id, evidenceId: Id }) } },
    async (request, reply) => {
      const file = await evidenceFile(deps, requirePrincipal(request), actorOf(request), request.params.id, request.params.evidenceId);
      // Nothing uploaded runs in the browser: a sandbox without scripts, and a PDF is downloaded, not
      // opened in the browser's viewer (a PDF may carry JavaScript).
      reply.type(file.contentType).header('cache-control', 'private, no-store').header('content-security-policy', EVIDENCE_CSP);
      if (!file.contentType.startsWith('image/'))
        reply.header('content-disposition', `attachment; filename="evidence-${request.params.evidenceId}.pdf"`);
      return reply.send(file.data);
    },
  );

  app.post(
    '/monitored/:id/measures',
    {
      config: read,
      schema: { tags, summary: 'Plan a help measure', params: ById, body: MeasureInput, response: { 201: Measure, ...errors } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(presentMeasure(await addMeasure(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body))),
  );

  app.post(
    '/monitored/:id/visits',
    {
      config: read,
      schema: {
        tags,
        summary: 'Record a follow-up visit',
        params: ById,
        headers: IdempotencyHeaders,
        body: VisitInput,
        response: { 201: Visit, ...errors },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const visit = await recordVisit(deps, principal, actorOf(request), request.params.id, request.body, idempotencyKeyOf(request));
      return reply.status(201).send(presentVisit(visit));
    },
  );

  app.post(
    '/monitored/:id/objections',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Object while the notice runs (a villager of the village, or an office for them)',
        params: ById,
        body: ObjectionInput,
        response: { 201: Objection, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          presentObjection(await raiseObjection(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body.text)),
        ),
  );

  app.post(
    '/monitored/:id/objections/:objectionId/resolve',
    {
      config: read,
      schema: {
        tags,
        summary: 'Answer an objection (village cadre)',
        params: Type.Object({ id: Id, objectionId: Id }),
        body: ResolveInput,
        response: { 200: Objection, ...errors },
      },
    },
    async (request) =>
      presentObjection(
        await resolveObjection(
          deps,
          requirePrincipal(request),
          actorOf(request),
          request.params.id,
          request.params.objectionId,
          request.body,
        ),
      ),
  );
};

/** Registered under /api/public: the village's notice board, for anyone. */
export const povertyPublicRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/poverty-notices',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Households under public notice in a village, while the notice runs',
        querystring: PublicNoticeQuery,
        response: { 200: PublicNoticeList, ...errors },
      },
    },
    async (request) => ({ items: await publicNotices(deps, request.query.villageId) }),
  );
};
