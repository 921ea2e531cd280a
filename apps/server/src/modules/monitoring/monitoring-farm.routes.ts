// Farm cameras: the plot or flock a camera watches for a household, and its time-lapse. Signed-in
// callers reach these routes; the service decides: the household's members and the place's cadres
// (and grid workers) see a time-lapse, the cadres attach a camera to a household.

import { Id } from '@cunzhi/contracts/common';
import { SnapshotImageQuery } from '@cunzhi/contracts/monitoring';
import {
  FarmSubjectInput,
  FarmSubjectList,
  FarmSubjectListQuery,
  FarmSubject as FarmSubjectSchema,
  TimeLapseDay,
  TimeLapseDayParams,
  TimeLapsePage,
  TimeLapseQuery,
} from '@cunzhi/contracts/monitoring-findings';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, requirePrincipal } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { ById, errorResponses, NoContent } from '../../platform/route-schemas.ts';
import { presentSnapshot } from './monitoring.presenters.ts';
import { listFarmSubjects, removeFarmSubject, setFarmSubject, timeLapse, timeLapseDay, timeLapseImage } from './monitoring-farm.service.ts';
import { presentFarmSubject } from './monitoring-findings.presenters.ts';

const tags = ['monitoring'];
const signedIn = { access: 'signedIn' as const };
const ByCameraAndSnapshot = Type.Object({ id: Id, snapshotId: Id }, { additionalProperties: false });

export const monitoringFarmRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/farm-subjects',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Farm cameras’ plots and flocks the caller sees',
        querystring: FarmSubjectListQuery,
        response: { 200: FarmSubjectList, ...errorResponses },
      },
    },
    async (request) => ({ items: (await listFarmSubjects(deps, requirePrincipal(request), request.query)).map(presentFarmSubject) }),
  );

  app.put(
    '/cameras/:id/farm-subject',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Attach a farm camera to a household’s plot or flock (cadres of the place)',
        params: ById,
        body: FarmSubjectInput,
        response: { 200: FarmSubjectSchema, ...errorResponses },
      },
    },
    async (request) =>
      presentFarmSubject(await setFarmSubject(deps, requirePrincipal(request), actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/cameras/:id/farm-subject',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Detach a farm camera from its plot or flock',
        params: ById,
        response: { 204: NoContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await removeFarmSubject(deps, requirePrincipal(request), actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/cameras/:id/time-lapse',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'One picture a day nearest the hour (Beijing time), newest day first; audited',
        params: ById,
        querystring: TimeLapseQuery,
        response: { 200: TimeLapsePage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await timeLapse(deps, requirePrincipal(request), actorOf(request), request.params.id, request.query);
      return { items: page.items.map((f) => ({ day: f.day, snapshot: presentSnapshot(f.snapshot) })), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/cameras/:id/time-lapse/:day',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Every picture of one day, oldest first; audited',
        params: TimeLapseDayParams,
        response: { 200: TimeLapseDay, ...errorResponses },
      },
    },
    async (request) => {
      const day = await timeLapseDay(deps, requirePrincipal(request), actorOf(request), request.params.id, request.params.day);
      return { day: day.day, items: day.items.map(presentSnapshot) };
    },
  );

  app.get(
    '/cameras/:id/time-lapse/snapshots/:snapshotId/image',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'A picture of the time-lapse (JPEG); audited',
        params: ByCameraAndSnapshot,
        querystring: SnapshotImageQuery,
        produces: ['image/jpeg'],
      },
    },
    async (request, reply) => {
      const image = await timeLapseImage(
        deps,
        requirePrincipal(request),
        actorOf(request),
        request.params.id,
        request.params.snapshotId,
        request.query.variant ?? 'full',
      );
      return reply.type('image/jpeg').header('cache-control', 'private, no-store').send(image);
    },
  );
};
