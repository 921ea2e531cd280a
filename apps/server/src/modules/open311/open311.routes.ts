// Open311 GeoReport v2 at /open311/v2 (wiki.open311.org/GeoReport_v2): reports from other systems
// enter the same case workflow. JSON or XML by the extension; errors as [{code, description}] with a
// 4xx status. Reading needs no api_key, as the specification says: without one a client sees what
// the village affairs pages show anyone; with one, what the key's account may read. Posting needs a key.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.ts';
import { idempotencyKeyOf } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, errorMessage } from '../../platform/errors.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import { principalForApiKey } from '../auth/auth.service.ts';
import * as caseConfig from '../cases/case-config.service.ts';
import * as cases from '../cases/cases.service.ts';
import { type PublicMatter, publicMatters } from '../cases/public-matters.service.ts';
import { departmentNames } from '../org/departments.service.ts';
import { defaultCountyId, listReportableRegions, requireRegionByCode } from '../org/regions.service.ts';
import {
  apiKeyOf,
  Open311Error,
  parseForm,
  type RawFields,
  RESPONSE_LIMIT,
  type RequestQuery,
  readRequestQuery,
  readServiceRequest,
} from './open311.input.ts';
import { toXml } from './xml.ts';

type Format = 'json' | 'xml';

function formatOf(raw: string): Format {
  if (raw === 'json' || raw === 'xml') return raw;
  throw new Open311Error(404, 'Unknown format: use .json or .xml');
}

/** The format an error is written in, from the path alone (a query string may say anything). */
const formatOfUrl = (url: string): Format => ((url.split('?')[0] ?? '').endsWith('.xml') ? 'xml' : 'json');

function send(reply: FastifyReply, format: Format, root: string, payload: unknown[] | Record<string, unknown>, status = 200) {
  reply.status(status);
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, payload));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(payload));
}

const sendErrors = (reply: FastifyReply, format: Format, status: number, descriptions: string[]) =>
  send(
    reply,
    format,
    'errors',
    descriptions.map((description) => ({ code: status, description })),
    status,
  );

/** Fastify's own refusals, in words that never repeat what the client sent. */
const FRAMEWORK_REFUSALS: Record<number, string> = {
  404: 'Not found',
  413: 'The request body is too large',
  415: 'Send the service request as application/x-www-form-urlencoded',
};

const CASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** status_notes: the case's own state, in both languages, beyond GeoReport's open and closed. */
const STATE_NOTES: Record<string, string> = {
  received: '已受理 Received',
  answeredOnSpot: '已当场答复 Answered on the spot',
  assigned: '已派单 Assigned',
  accepted: '办理中 Being handled',
  handled: '已办理 Handled',
  replied: '已回复 Replied',
  closed: '已办结 Closed',
};

/**
 * A title is one line of at most 40 characters, cut between characters (never inside a surrogate
 * pair) and never inside a number: the tail of a cut phone or ID card number is too short for the
 * public pages' redaction to recognise, yet still someone's digits.
 */
function titleOf(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ')];
  if (chars.length <= 40) return chars.join('');
  const cut = chars.slice(0, 40).join('');
  return /[0-9Xx]/.test(chars[40] as string) ? cut.replace(/[0-9Xx]+$/, '').trimEnd() : cut;
}

export const open311Routes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  // GeoReport v2 "POST Service Request" sends a form and nothing else: JSON or text bodies, whose
  // values could be numbers, objects or anything, are refused (415) before a handler sees them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseForm(body as string));
  });

  app.setErrorHandler((error, request, reply) => {
    const format = formatOfUrl(request.url);
    if (error instanceof Open311Error) return sendErrors(reply, format, error.status, error.problems);
    if (error instanceof AppError) {
      // GeoReport v2, "Errors": 404 for what does not exist, 403 for the api_key, 400 for the rest
      // (a body too large or of another type keeps its own status, which says more).
      const status =
        error.status === 401 || error.status === 403
          ? 403
          : error.status === 404 || error.status === 413 || error.status === 415
            ? error.status
            : 400;
      return sendErrors(reply, format, status, [errorMessage(error.code, 'en', error.params)]);
    }
    const statusCode = (error as { statusCode?: number }).statusCode;
    if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
      return sendErrors(reply, format, statusCode, [FRAMEWORK_REFUSALS[statusCode] ?? 'The request is not valid']);
    }
    request.log.error({ err: error }, 'open311 error');
    return sendErrors(reply, format, 500, ['Internal error']);
  });

  // A path the API does not have is answered in the GeoReport error shape, not the app's.
  app.setNotFoundHandler((request, reply) => sendErrors(reply, formatOfUrl(request.url), 404, ['Not found']));

  const county = async () => {
    const id = await defaultCountyId(deps);
    if (!id) throw new Open311Error(404, 'No jurisdiction is set up');
    return id;
  };

  /** The key's account, undefined without a key; a wrong key is refused, never read as no key. */
  const reader = async (fields: RawFields): Promise<Principal | undefined> => {
    const key = apiKeyOf(fields);
    if (key === undefined) return undefined;
    const principal = await principalForApiKey(deps, key, 'open311');
    if (!principal) throw new Open311Error(403, 'api_key is not valid');
    return principal;
  };

  app.get<{ Params: { format: string } }>(
    '/services.:format',
    { config: { access: 'key:open311' }, schema: { hide: true } },
    async (request, reply) => {
      const format = formatOf(request.params.format);
      const categories = await caseConfig.listCategories(deps, await county());
      const services = categories.map((c) => ({
        service_code: c.code,
        service_name: c.name,
        description: c.nameEn ?? c.name,
        metadata: true,
        type: 'realtime',
        keywords: c.routeTo === 'grid' ? 'grid' : 'department',
        group: c.routeTo === 'grid' ? '网格办理 Grid' : '部门办理 Department',
      }));
      return send(reply, format, 'services', services);
    },
  );

  app.get<{ Params: { code: string; format: string } }>(
    '/services/:code.:format',
    { config: { access: 'key:open311' }, schema: { hide: true } },
    async (request, reply) => {
      const format = formatOf(request.params.format);
      const countyId = await county();
      const code = request.params.code;
      const category = code.length <= 64 ? await caseConfig.findCategoryByCode(deps, countyId, code) : undefined;
      if (!category) throw new Open311Error(404, 'service_code was not found');
      const regions = await listReportableRegions(deps, countyId);
      const definition = {
        service_code: category.code,
        attributes: [
          {
            variable: true,
            code: 'region',
            datatype: 'singlevaluelist',
            required: true,
            datatype_description: 'Code of the village or villager group where it happened; it may be sent as address_id instead',
            order: 1,
            description: '所在村或村民小组 Village or villager group',
            values: regions.map((r) => ({ key: r.code, name: r.name })),
          },
        ],
      };
      return send(reply, format, 'service_definition', definition);
    },
  );

  app.post<{ Params: { format: string }; Body: RawFields | undefined }>(
    '/requests.:format',
    // A full request is a few kilobytes (4,000 characters of description, percent-encoded).
    { config: { access: 'key:open311' }, schema: { hide: true, consumes: ['application/x-www-form-urlencoded'] }, bodyLimit: 64 * 1024 },
    async (request, reply) => {
      const format = formatOf(request.params.format);
      const fields = request.body ?? {};
      // GeoReport v2, "Errors": 403 for a missing or wrong api_key.
      if (apiKeyOf(fields) === undefined) throw new Open311Error(403, 'api_key is required to post a service request');
      const principal = (await reader(fields)) as Principal;
      const input = readServiceRequest(fields);
      const category = await caseConfig.findCategoryByCode(deps, await county(), input.serviceCode);
      if (!category) throw new Open311Error(404, 'service_code was not found');
      const region = await requireRegionByCode(deps, input.regionCode).catch(() => {
        throw new Open311Error(400, 'address_id or attribute[region] is not the code of a village or villager group');
      });
      const told = input.description ?? category.name;
      // The case has no address column: a place in words goes with the description, for the handler.
      const description = input.addressString ? `${told}\n\n地点 Place: ${input.addressString}` : told;
      const actor = { userId: principal.userId, roles: 'open311', ip: request.ip, requestId: request.id };
      const created = await cases.createCase(
        deps,
        principal,
        actor,
        {
          source: 'villagerVoice',
          channel: 'open311',
          categoryId: category.id,
          regionId: region.id,
          title: titleOf(told),
          description,
          latitude: input.latitude,
          longitude: input.longitude,
          reporterName: input.reporterName,
          reporterPhone: input.reporterPhone,
        },
        idempotencyKeyOf(request),
      );
      return send(
        reply,
        format,
        'service_requests',
        [
          {
            service_request_id: created.id,
            service_notice: `已受理，编号 ${created.number} Received as ${created.number}`,
            account_id: null,
          },
        ],
        201,
      );
    },
  );

  /** Category codes and department names are looked up once per answer, not once per case. */
  const codesByCategory = async () => new Map((await caseConfig.listAllCategories(deps, await county())).map((c) => [c.id, c.code]));

  /** The key holder's view: the case as its account may read it, never the reporter. */
  /** The categories a service_code filter names; undefined when the request names none. */
  const categoryIdsOf = async (serviceCodes: string[] | undefined) =>
    serviceCodes
      ? (await caseConfig.listAllCategories(deps, await county())).filter((c) => serviceCodes.includes(c.code)).map((c) => c.id)
      : undefined;

  const keyedRequests = async (principal: Principal, query: RequestQuery) => {
    const categoryIds = await categoryIdsOf(query.serviceCodes);
    const found = await cases.searchCases(deps, principal, {
      ids: query.ids,
      categoryIds,
      fromMs: query.fromMs,
      toMs: query.toMs,
      closed: query.closed,
      limit: RESPONSE_LIMIT,
    });
    const [codes, departments] = await Promise.all([codesByCategory(), departmentNames(deps)]);
    return found.map((c) => ({
      service_request_id: c.id,
      status: c.state === 'closed' ? 'closed' : 'open',
      status_notes: STATE_NOTES[c.state] ?? null,
      service_name: c.categoryName,
      service_code: codes.get(c.categoryId) ?? null,
      description: c.description,
      agency_responsible:
        (c.assigneeDepartmentId ? departments.get(c.assigneeDepartmentId) : undefined) ?? (c.assigneeUserId ? '网格员 Grid worker' : null),
      service_notice: c.number,
      requested_datetime: toIso(c.createdAt),
      updated_datetime: toIso(c.updatedAt),
      expected_datetime: toIso(c.deadlineAt),
      address: c.regionName,
      address_id: null,
      zipcode: null,
      lat: c.latitude,
      long: c.longitude,
      media_url: null,
    }));
  };

  /**
   * Anyone's view, as on the village affairs pages: number, cleaned title (or a published
   * exposure-board text), category, state, village and the dates they show. No reporter, handler,
   * deadline, position or last-change time.
   */
  const publicRequests = async (query: RequestQuery) => {
    const categoryIds = await categoryIdsOf(query.serviceCodes);
    const matters = await publicMatters(deps, {
      ids: query.ids,
      categoryIds,
      fromMs: query.fromMs,
      toMs: query.toMs,
      closed: query.closed,
      limit: RESPONSE_LIMIT,
    });
    const codes = await codesByCategory();
    return matters.map((m: PublicMatter) => ({
      service_request_id: m.id,
      status: m.state === 'closed' ? 'closed' : 'open',
      status_notes: STATE_NOTES[m.state] ?? null,
      service_name: m.categoryName,
      service_code: codes.get(m.categoryId) ?? null,
      description: m.text ?? m.title,
      agency_responsible: null,
      service_notice: m.number,
      requested_datetime: toIso(m.createdAt),
      updated_datetime: toIsoOrNull(m.closedAt),
      expected_datetime: null,
      address: m.villageName,
      address_id: m.villageCode,
      zipcode: null,
      lat: null,
      long: null,
      media_url: null,
    }));
  };

  const requests = async (request: FastifyRequest, query: RequestQuery) => {
    const principal = await reader(request.query as RawFields);
    return principal ? keyedRequests(principal, query) : publicRequests(query);
  };

  app.get<{ Params: { format: string } }>(
    '/requests.:format',
    { config: { access: 'key:open311' }, schema: { hide: true } },
    async (request, reply) => {
      const format = formatOf(request.params.format);
      const query = readRequestQuery(request.query as RawFields, deps.now());
      return send(reply, format, 'service_requests', await requests(request, query));
    },
  );

  app.get<{ Params: { id: string; format: string } }>(
    '/requests/:id.:format',
    { config: { access: 'key:open311' }, schema: { hide: true } },
    async (request, reply) => {
      const format = formatOf(request.params.format);
      const id = request.params.id.toLowerCase();
      const found = CASE_ID.test(id) ? await requests(request, { ids: [id] }) : [];
      if (found.length === 0) throw new Open311Error(404, 'service_request_id was not found');
      return send(reply, format, 'service_requests', found.slice(0, 1));
    },
  );
};
