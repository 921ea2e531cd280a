// FHIR R4 at /fhir: the capability statement, elders as Patients, and vital signs as Observations
// coded in LOINC. Observations posted here enter the same path as the HTTP batches (checked, stored
// once, alarms evaluated). Errors are OperationOutcomes.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { allows, type Principal, scopeFor } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { toIso } from '../../platform/time.ts';
import { principalForApiKey } from '../auth/auth.service.ts';
import * as repo from './care.repository.ts';
import { gatewaySource, type IncomingReading, ingest } from './care.service.ts';
import type { ReadingKind } from './care-rules.ts';

const LOINC = 'http://loinc.org';
/** Events a bracelet reports that LOINC has no observation code for. */
const EVENT_SYSTEM = 'https://cunzhi.org/fhir/CodeSystem/care-event';

const outcome = (reply: FastifyReply, status: number, code: string, text: string) =>
  reply
    .status(status)
    .type('application/fhir+json')
    .send({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] });

async function caller(deps: Deps, request: FastifyRequest): Promise<Principal | undefined> {
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) return principalForApiKey(deps, header.slice(7).trim(), 'gateway');
  return request.principal ?? undefined;
}

const patientOf = (elder: repo.Elder) => ({
  resourceType: 'Patient',
  id: elder.personId,
  active: true,
  name: [{ text: elder.name }],
  extension: [{ url: 'https://cunzhi.org/fhir/StructureDefinition/living-situation', valueString: elder.livingSituation }],
});

type Observation = {
  resourceType?: string;
  id?: string;
  identifier?: { value?: string }[];
  status?: string;
  code?: { coding?: { system?: string; code?: string }[] };
  subject?: { reference?: string };
  device?: { reference?: string };
  effectiveDateTime?: string;
  valueQuantity?: { value?: number; unit?: string };
  component?: { code?: { coding?: { system?: string; code?: string }[] }; valueQuantity?: { value?: number } }[];
};

const codeOf = (concept: Observation['code']) => concept?.coding?.find((c) => c.system === LOINC || c.system === EVENT_SYSTEM)?.code;

/** The reading an Observation carries, or why it cannot be one. */
export function readingOf(obs: Observation): { reading: Omit<IncomingReading, 'device'>; device: string; subject: string } | string {
  if (obs.resourceType !== 'Observation') return 'resourceType must be Observation';
  if (!obs.status || !['final', 'preliminary', 'amended'].includes(obs.status)) return 'status must be final, preliminary or amended';
  const subject = obs.subject?.reference?.match(/^Patient\/(.+)$/)?.[1];
  if (!subject) return 'subject must reference a Patient';
  const device = obs.device?.reference?.match(/^Device\/(.+)$/)?.[1];
  if (!device) return 'device must reference the Device (by serial number) that measured it';
  if (!obs.effectiveDateTime || Number.isNaN(Date.parse(obs.effectiveDateTime))) return 'effectiveDateTime is required';
  const id = obs.identifier?.[0]?.value;
  const base = { id, at: obs.effectiveDateTime };
  const code = codeOf(obs.code);
  const value = obs.valueQuantity?.value;
  let kind: ReadingKind;
  let value1: number | undefined;
  let value2: number | undefined;
  switch (code) {
    case '85354-9': {
      const part = (loinc: string) => obs.component?.find((c) => codeOf(c.code) === loinc)?.valueQuantity?.value;
      kind = 'bloodPressure';
      value1 = part('8480-6');
      value2 = part('8462-4');
      if (value1 === undefined || value2 === undefined)
        return 'a blood pressure panel needs components 8480-6 (systolic) and 8462-4 (diastolic)';
      break;
    }
    case '8867-4':
      kind = 'heartRate';
      value1 = value;
      break;
    case '15074-8':
      kind = 'glucose';
      value1 = value;
      break;
    case '2339-0':
      // mg/dL, kept as mmol/L like the other glucose readings.
      kind = 'glucose';
      value1 = value === undefined ? undefined : Math.round((value / 18.016) * 10) / 10;
      break;
    case 'fall':
    case 'sos':
      kind = code;
      break;
    default:
      return 'code must be LOINC 85354-9, 8867-4, 15074-8 or 2339-0, or a care event (fall, sos)';
  }
  if (kind !== 'fall' && kind !== 'sos' && value1 === undefined) return 'valueQuantity.value is required';
  return { reading: { ...base, kind, value: value1, value2 }, device, subject };
}

function bundle(request: FastifyRequest, entries: unknown[]) {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: entries.length,
    link: [{ relation: 'self', url: request.url }],
    entry: entries.map((resource) => ({ resource })),
  };
}

export const fhirRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(null, { __malformed: true });
    }
  });

  app.get('/metadata', async (_request, reply) =>
    reply.type('application/fhir+json').send({
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: '2026-11-28',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['application/fhir+json', 'json'],
      software: { name: 'Cunzhi 村治' },
      rest: [
        {
          mode: 'server',
          security: { description: 'Authorization: Bearer <gateway key>, or a signed-in session' },
          resource: [
            { type: 'Patient', interaction: [{ code: 'read' }, { code: 'search-type' }] },
            {
              type: 'Observation',
              interaction: [{ code: 'create' }, { code: 'search-type' }],
              searchParam: [
                { name: 'subject', type: 'reference' },
                { name: 'code', type: 'token' },
                { name: 'date', type: 'date' },
              ],
            },
          ],
        },
      ],
    }),
  );

  app.get('/Patient', async (request, reply) => {
    const who = await caller(deps, request);
    if (!who) return outcome(reply, 401, 'login', 'Authentication required');
    const elders = await repo.listElders(deps.reader, scopeFor(who, 'care.read'));
    return reply.type('application/fhir+json').send(bundle(request, elders.map(patientOf)));
  });

  app.get<{ Params: { id: string } }>('/Patient/:id', async (request, reply) => {
    const who = await caller(deps, request);
    if (!who) return outcome(reply, 401, 'login', 'Authentication required');
    const elder = await repo.findElder(deps.reader, request.params.id);
    if (!elder || !allows(who, 'care.read', elder.placement))
      return outcome(reply, 404, 'not-found', `Patient/${request.params.id} is not known`);
    return reply.type('application/fhir+json').send(patientOf(elder));
  });

  app.post('/Observation', async (request, reply) => {
    const who = await caller(deps, request);
    if (!who) return outcome(reply, 401, 'login', 'Authentication required');
    const body = request.body as Observation & { __malformed?: boolean };
    if (!body || body.__malformed) return outcome(reply, 400, 'structure', 'The body is not valid JSON');
    const parsed = readingOf(body);
    if (typeof parsed === 'string') return outcome(reply, 422, 'invalid', parsed);
    const devices = await repo.findDevicesBySerial(deps.reader, [parsed.device]);
    if (devices.get(parsed.device)?.elderPersonId !== parsed.subject) {
      return outcome(reply, 422, 'invalid', `Device/${parsed.device} does not belong to Patient/${parsed.subject}`);
    }
    const result = await ingest(deps, gatewaySource(who), [{ ...parsed.reading, device: parsed.device }]);
    const problem = result.rejected[0];
    if (problem) return outcome(reply, problem.code === 'not_in_scope' ? 403 : 422, 'invalid', problem.code);
    return reply
      .status(result.duplicates > 0 ? 200 : 201)
      .type('application/fhir+json')
      .send({
        ...body,
        id: parsed.reading.id ?? `${parsed.reading.kind}-${Date.parse(parsed.reading.at)}`,
        meta: { lastUpdated: toIso(deps.now()) },
      });
  });

  app.get<{ Querystring: { subject?: string; code?: string; date?: string } }>('/Observation', async (request, reply) => {
    const who = await caller(deps, request);
    if (!who) return outcome(reply, 401, 'login', 'Authentication required');
    const subject = request.query.subject?.replace(/^Patient\//, '');
    if (!subject) return outcome(reply, 400, 'required', 'subject is required');
    const elder = await repo.findElder(deps.reader, subject);
    if (!elder || !allows(who, 'care.read', elder.placement)) return outcome(reply, 404, 'not-found', `Patient/${subject} is not known`);
    const kinds = {
      '85354-9': 'bloodPressure',
      '8867-4': 'heartRate',
      '15074-8': 'glucose',
      '2339-0': 'glucose',
      fall: 'fall',
      sos: 'sos',
    } as const;
    const code = request.query.code?.split('|').pop() as keyof typeof kinds | undefined;
    if (code && !kinds[code]) return outcome(reply, 400, 'not-supported', `code ${code} is not supported`);
    const date = request.query.date?.match(/^(ge|gt)?(\d{4}-\d{2}-\d{2}.*)$/);
    const since = date ? Date.parse(date[2] as string) : 0;
    if (Number.isNaN(since)) return outcome(reply, 400, 'value', 'date must be ge<ISO date>');
    const rows = await repo.listReadings(deps.reader, subject, since, code ? [kinds[code]] : undefined);
    const loinc = { bloodPressure: '85354-9', heartRate: '8867-4', glucose: '15074-8' } as Record<string, string>;
    const resources = rows.map((r) => ({
      resourceType: 'Observation',
      id: r.id,
      status: 'final',
      code: { coding: [loinc[r.kind] ? { system: LOINC, code: loinc[r.kind] } : { system: EVENT_SYSTEM, code: r.kind }] },
      subject: { reference: `Patient/${subject}` },
      effectiveDateTime: toIso(r.at),
      ...(r.kind === 'bloodPressure'
        ? {
            component: [
              { code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity: { value: r.value1, unit: 'mmHg' } },
              { code: { coding: [{ system: LOINC, code: '8462-4' }] }, valueQuantity: { value: r.value2, unit: 'mmHg' } },
            ],
          }
        : r.value1 !== null && {
            valueQuantity: { value: r.value1, unit: r.kind === 'heartRate' ? '/min' : r.kind === 'glucose' ? 'mmol/L' : '' },
          }),
    }));
    return reply.type('application/fhir+json').send(bundle(request, resources));
  });
};
