// FHIR R4 at /fhir (http://hl7.org/fhir/R4/): the capability statement, elders as Patients, and
// readings as Observations coded in LOINC. Observations posted here enter the same path as the HTTP
// batches (checked, stored once, alarms evaluated), with the measuring device or without one (a
// health centre's record system). Every read goes through the care service, which audits it; a
// device gateway's key writes and reads only what the county granted. Errors are OperationOutcomes.
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.ts';
import { idempotencyKeyOf } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, errorMessage, languageOf } from '../../platform/errors.ts';
import { answerOnce } from '../../platform/idempotency.ts';
import { hashToken } from '../../platform/tokens.ts';
import { actorFor, bearerOf, gatewayOrUser } from './care-callers.ts';
import { listElders, readElder } from './care-elders.service.ts';
import { elderReadings, ingestForPatient, readingById } from './care-ingest.service.ts';
import {
  dateWindow,
  kindsForCodes,
  OBSERVED_KINDS,
  type ObservationIn,
  parseObservation,
  presentObservation,
  presentPatient,
  searchset,
  UNEXPECTED_VALUE,
} from './fhir-resources.ts';

// The id datatype of FHIR R4 (datatypes.html#id): at most 64 letters, digits, '-' and '.'.
const FhirId = { type: 'string', pattern: '^[A-Za-z0-9\\-.]{1,64}$', maxLength: 64 } as const;
const ResourceId = { type: 'object', properties: { id: FhirId }, required: ['id'] } as const;
const VersionedId = { type: 'object', properties: { id: FhirId, vid: FhirId }, required: ['id', 'vid'] } as const;

const FHIR_JSON = 'application/fhir+json';

/** OperationOutcome issue types (valueset-issue-type) by HTTP status. */
const ISSUE_TYPES: Record<number, string> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'too-costly',
  415: 'not-supported',
  422: 'processing',
  429: 'throttled',
};

/** Why an Observation was not taken, for the codes the care service refuses with; never the input back. */
const REFUSALS: Record<string, string> = {
  not_in_scope: 'The subject is not a Patient in your scope, or the device is not theirs',
  not_from_this_device: 'The device cannot measure this kind of observation',
  bad_time: 'effectiveDateTime is not a valid time',
  implausible_value: 'The value is outside what a person can have',
  from_the_future: 'effectiveDateTime lies in the future',
  too_old: 'effectiveDateTime is more than 7 days ago',
  missing_value: 'valueQuantity.value is required',
  unexpected_value: UNEXPECTED_VALUE,
};

class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly diagnostics: string,
    readonly issue = ISSUE_TYPES[status] ?? 'processing',
  ) {
    super(diagnostics);
  }
}

const outcome = (reply: FastifyReply, status: number, issue: string, diagnostics: string) =>
  reply
    .status(status)
    .type(FHIR_JSON)
    .send({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: issue, diagnostics }] });

const baseOf = (request: FastifyRequest) => `${request.protocol}://${request.host}/fhir`;

/** Query parameters as lists: a FHIR search may repeat one (date=ge…&date=lt…). */
const listOf = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');

export const fhirRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.addContentTypeParser(FHIR_JSON, { parseAs: 'string' }, (request, body, done) => {
    // A request that names the media type but carries nothing (a DELETE from a client that sends
    // the header on every call) has no body; a create or an update without one is malformed.
    if (body === '' && request.method !== 'POST' && request.method !== 'PUT') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('malformed'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }), undefined);
    }
  });

  const unsupported = (reply: FastifyReply) => outcome(reply, 404, 'not-supported', 'This server has no such resource type or operation');

  app.setErrorHandler((error: FastifyError | AppError | FhirError, request, reply) => {
    if (error instanceof FhirError) return outcome(reply, error.status, error.issue, error.diagnostics);
    // An unknown route found while its body was read (platform/body-types.ts): as any unknown route.
    if (error instanceof AppError && error.code === 'route_not_found') return unsupported(reply);
    if (error instanceof AppError) {
      return outcome(
        reply,
        error.status,
        ISSUE_TYPES[error.status] ?? 'processing',
        errorMessage(error.code, languageOf(request.headers['accept-language']), error.params),
      );
    }
    const status = (error as FastifyError).statusCode;
    if (status === 400 && (error as FastifyError).code?.includes('JSON'))
      return outcome(reply, 400, 'structure', 'The body is not valid JSON');
    if (status && status >= 400 && status < 500)
      return outcome(reply, status, ISSUE_TYPES[status] ?? 'invalid', 'The request is not valid');
    request.log.error({ err: error }, 'FHIR request failed');
    return outcome(reply, 500, 'exception', 'Something went wrong on the server');
  });

  // An unknown resource type or operation under /fhir is a 404 OperationOutcome (http.html#general),
  // never the web app's page or the platform's own JSON error.
  app.setNotFoundHandler((_request, reply) => unsupported(reply));
  // An operation or interaction on a type ($everything, $lastn, _search, _history) is not an id:
  // unsupported (404) rather than a malformed id (400). Ids never start with $ or _ (FhirId).
  app.addHook('onRequest', async (request, reply) => {
    const [type, next] = request.url.split('?')[0]?.split('/').slice(2) ?? [];
    if (type && next && /^(\$|%24|_)/i.test(next)) return unsupported(reply);
  });

  const caller = async (request: FastifyRequest): Promise<Principal> => {
    const who = await gatewayOrUser(deps, request);
    if (!who) throw new FhirError(401, 'Authentication required: Authorization: Bearer <gateway key>, or a signed-in session');
    return who;
  };

  app.get('/metadata', { config: { access: 'public' } }, async (_request, reply) =>
    reply.type(FHIR_JSON).send({
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: '2026-12-01',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: [FHIR_JSON, 'json'],
      software: { name: 'Cunzhi 村治' },
      rest: [
        {
          mode: 'server',
          security: {
            description:
              'Authorization: Bearer <gateway key> (writes Observations; reads only where the county granted the key care.read), or a signed-in session. Every read is audited.',
          },
          resource: [
            { type: 'Patient', interaction: [{ code: 'read' }, { code: 'search-type' }] },
            {
              type: 'Observation',
              supportedProfile: ['http://hl7.org/fhir/StructureDefinition/bp', 'http://hl7.org/fhir/StructureDefinition/heartrate'],
              interaction: [{ code: 'create' }, { code: 'read' }, { code: 'vread' }, { code: 'search-type' }],
              searchParam: [
                { name: 'subject', type: 'reference' },
                { name: 'patient', type: 'reference' },
                { name: 'code', type: 'token' },
                { name: 'date', type: 'date' },
              ],
            },
          ],
        },
      ],
    }),
  );

  app.get('/Patient', { config: { access: 'key:gateway' } }, async (request, reply) => {
    const who = await caller(request);
    const elders = await listElders(deps, who, actorFor(request, who));
    return reply.type(FHIR_JSON).send(searchset(baseOf(request), `${baseOf(request)}/Patient`, elders.map(presentPatient)));
  });

  app.get<{ Params: { id: string } }>(
    '/Patient/:id',
    { config: { access: 'key:gateway' }, schema: { params: ResourceId } },
    async (request, reply) => {
      const who = await caller(request);
      const elder = await readElder(deps, who, actorFor(request, who), request.params.id).catch(notKnown('Patient'));
      return reply.type(FHIR_JSON).send(presentPatient(elder));
    },
  );

  app.post(
    '/Observation',
    { config: { access: 'key:gateway' }, schema: { consumes: [FHIR_JSON, 'application/json'] } },
    async (request, reply) => {
      const who = await caller(request);
      const body = request.body as ObservationIn | undefined;
      // A gateway retrying on a bad line may send an Idempotency-Key (the project's rule for writes a
      // device may retry): the same key with the same body is answered as the first time, another
      // body under it is refused. Without one, the Observation's identifier still makes it once. A
      // gateway's Idempotency-Keys are kept under its API key (hashed), as the batch route keeps them:
      // one Idempotency-Key used on both routes is refused on the second (attacker: each had its own).
      const once = {
        principalId: who.key ? `bearer:${hashToken(bearerOf(request))}` : who.userId,
        key: idempotencyKeyOf(request),
        operation: 'fhir.Observation.create',
        payload: body,
      };
      const answer = await answerOnce(deps.db, once, async () => {
        const parsed = parseObservation(body as ObservationIn);
        if (typeof parsed === 'string') throw new FhirError(422, parsed, 'invalid');
        const result = await ingestForPatient(deps, who, parsed.subject, parsed.reading);
        if ('rejected' in result) throw new FhirError(422, REFUSALS[result.rejected] ?? 'The Observation was not taken', 'processing');
        // create (http.html#create): 201 with the new resource's location; the same identifier again is
        // the same Observation (as a conditional create finding one match, http.html#ccreate): 200.
        // Either way the body is the Observation as stored, not as sent.
        const stored = presentObservation(result.reading);
        return { status: result.created ? 201 : 200, observation: { ...stored, meta: { ...stored.meta, versionId: '1' } } };
      });
      return reply
        .status(answer.status)
        .header('location', `${baseOf(request)}/Observation/${answer.observation.id}/_history/1`)
        .type(FHIR_JSON)
        .send(answer.observation);
    },
  );

  const readObservation = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const who = await caller(request);
    const { reading } = await readingById(deps, who, actorFor(request, who), request.params.id).catch(notKnown('Observation'));
    if (!OBSERVED_KINDS.includes(reading.kind as never)) throw new FhirError(404, 'Observation is not known');
    return reply.type(FHIR_JSON).send(presentObservation(reading));
  };
  app.get<{ Params: { id: string } }>(
    '/Observation/:id',
    { config: { access: 'key:gateway' }, schema: { params: ResourceId } },
    readObservation,
  );
  // Readings are never changed, so each has the one version.
  app.get<{ Params: { id: string; vid: string } }>(
    '/Observation/:id/_history/:vid',
    { config: { access: 'key:gateway' }, schema: { params: VersionedId } },
    async (request, reply) => {
      if (request.params.vid !== '1') {
        await caller(request);
        throw new FhirError(404, 'No such version');
      }
      return readObservation(request, reply);
    },
  );

  app.get<{ Querystring: Record<string, unknown> }>('/Observation', { config: { access: 'key:gateway' } }, async (request, reply) => {
    const who = await caller(request);
    const subjects = [...listOf(request.query.subject), ...listOf(request.query.patient)];
    if (subjects.length !== 1) throw new FhirError(400, 'Name one subject (or patient): subject=Patient/[id]', 'required');
    const subject = (subjects[0] as string).match(/(?:^|\/)Patient\/([^/]+)$|^([^/]+)$/);
    const personId = subject?.[1] ?? subject?.[2];
    if (!personId) throw new FhirError(400, 'subject must be Patient/[id]', 'value');
    const window = dateWindow(listOf(request.query.date));
    if (typeof window === 'string') throw new FhirError(400, window, 'value');
    const codes = listOf(request.query.code);
    const kinds = codes.length > 0 ? kindsForCodes(codes) : OBSERVED_KINDS;
    const self = `${baseOf(request)}${request.url.slice(request.url.indexOf('/Observation'))}`;
    // A Patient that is not known, or not the caller's to see, matches nothing (search.html: an
    // empty searchset); a key without a read scope is refused outright by the service.
    // Codes we do not store match nothing, and nothing is read.
    const found =
      kinds.length === 0
        ? []
        : await elderReadings(deps, who, actorFor(request, who), personId, { ...window, kinds }).then((r) => r.readings, notKnownAsEmpty);
    return reply.type(FHIR_JSON).send(searchset(baseOf(request), self, found.map(presentObservation)));
  });
};

/** What the caller may not see is reported as not known (404), like what does not exist. */
const notKnown =
  (type: string) =>
  (error: unknown): never => {
    if (error instanceof AppError && error.code === 'not_found') throw new FhirError(404, `${type} is not known`);
    throw error;
  };

const notKnownAsEmpty = (error: unknown): never[] => {
  if (error instanceof AppError && error.code === 'not_found') return [];
  throw error;
};
