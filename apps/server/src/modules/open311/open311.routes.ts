// Open311 GeoReport v2 at /open311/v2: reports from other systems enter the same case workflow.
// JSON or XML by the extension; errors as [{code, description}] with a 4xx status.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, errorMessage } from '../../platform/errors.ts';
import { toIso } from '../../platform/time.ts';
import { principalForApiKey } from '../auth/auth.service.ts';
import * as cases from '../cases/cases.service.ts';
import { listReportableRegions, requireRegionByCode } from '../org/regions.service.ts';
import { toXml } from './xml.ts';

type Format = 'json' | 'xml';
type Fields = Record<string, string | undefined>;

class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

function formatOf(raw: string): Format {
  if (raw === 'json' || raw === 'xml') return raw;
  throw new Open311Error(404, `Unknown format '${raw}': use .json or .xml`);
}

function send(reply: FastifyReply, format: Format, root: string, payload: unknown[] | Record<string, unknown>, status = 200) {
  reply.status(status);
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, payload));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(payload));
}

export const open311Routes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  // The standard posts forms, not JSON.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.setErrorHandler((error, request, reply) => {
    const format: Format = request.url.includes('.xml') ? 'xml' : 'json';
    let status = 500;
    let description = 'Internal error';
    if (error instanceof Open311Error) ({ status, description } = error);
    else if (error instanceof AppError) {
      status = error.status === 401 ? 403 : error.status;
      description = errorMessage(error.code, 'en', error.params);
    } else if ((error as { statusCode?: number }).statusCode && (error as { statusCode: number }).statusCode < 500) {
      status = (error as { statusCode: number }).statusCode;
      description = (error as Error).message;
    } else request.log.error({ err: error }, 'open311 error');
    return send(reply, format, 'errors', [{ code: status, description }], status);
  });

  const county = async () => {
    const id = await cases.defaultCountyId(deps);
    if (!id) throw new Open311Error(404, 'No jurisdiction is set up');
    return id;
  };

  const client = async (request: FastifyRequest): Promise<Principal> => {
    const fields = { ...(request.query as Fields), ...((request.body as Fields | undefined) ?? {}) };
    const key = fields.api_key;
    if (!key) throw new Open311Error(400, 'api_key is required');
    const principal = await principalForApiKey(deps, key, 'open311');
    if (!principal) throw new Open311Error(403, 'api_key is not valid');
    return principal;
  };

  app.get<{ Params: { format: string } }>('/services.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    const categories = await cases.listCategories(deps, await county());
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
  });

  app.get<{ Params: { code: string; format: string } }>('/services/:code.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    const countyId = await county();
    const category = await cases.findCategoryByCode(deps, countyId, request.params.code);
    if (!category) throw new Open311Error(404, `No service '${request.params.code}'`);
    const regions = await listReportableRegions(deps, countyId);
    const definition = {
      service_code: category.code,
      attributes: [
        {
          variable: true,
          code: 'region',
          datatype: 'singlevaluelist',
          required: true,
          datatype_description: 'Code of the village or villager group where it happened',
          order: 1,
          description: '所在村或村民小组 Village or villager group',
          values: regions.map((r) => ({ key: r.code, name: r.name })),
        },
      ],
    };
    return send(reply, format, 'service_definition', definition);
  });

  app.post<{ Params: { format: string }; Body: Fields | undefined }>(
    '/requests.:format',
    { schema: { hide: true } },
    async (request, reply) => {
      const format = formatOf(request.params.format);
      const principal = await client(request);
      const fields = request.body ?? {};
      if (!fields.service_code) throw new Open311Error(400, 'service_code is required');
      if (!fields.description?.trim()) throw new Open311Error(400, 'description is required');
      const regionCode = fields['attribute[region]'];
      if (!regionCode) throw new Open311Error(400, 'attribute[region] is required: see the service definition');
      const category = await cases.findCategoryByCode(deps, await county(), fields.service_code);
      if (!category) throw new Open311Error(404, `No service '${fields.service_code}'`);
      const region = await requireRegionByCode(deps, regionCode).catch(() => {
        throw new Open311Error(400, `attribute[region] '${regionCode}' is not a village or villager group code`);
      });
      const number = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));
      const latitude = number(fields.lat);
      const longitude = number(fields.long);
      if ((latitude !== undefined && Number.isNaN(latitude)) || (longitude !== undefined && Number.isNaN(longitude))) {
        throw new Open311Error(400, 'lat and long must be numbers');
      }
      const name = [fields.last_name, fields.first_name].filter(Boolean).join('') || undefined;
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
          title: fields.description.trim().slice(0, 40),
          description: fields.description.trim().slice(0, 4000),
          latitude: latitude ?? null,
          longitude: longitude ?? null,
          reporterName: name,
          reporterPhone: fields.phone || undefined,
        },
        (request.headers['idempotency-key'] as string | undefined) ?? undefined,
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

  /** Category codes and department names are looked up once per request, not once per case. */
  const presenter = async () => {
    const codes = new Map((await cases.listAllCategories(deps, await county())).map((c) => [c.id, c.code]));
    const departments = await cases.departmentNames(deps);
    return (c: Awaited<ReturnType<typeof cases.getCase>>) => present(c, codes, departments);
  };

  const present = (c: Awaited<ReturnType<typeof cases.getCase>>, codes: Map<string, string>, departments: Map<string, string>) => ({
    service_request_id: c.id,
    status: c.state === 'closed' ? 'closed' : 'open',
    status_notes: c.state,
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
  });

  app.get<{ Params: { format: string }; Querystring: Fields }>('/requests.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    const principal = await client(request);
    const q = request.query;
    const date = (value: string | undefined, name: string) => {
      if (!value) return undefined;
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) throw new Open311Error(400, `${name} must be a W3C date-time`);
      return ms;
    };
    if (q.status && !q.status.split(',').every((s) => s === 'open' || s === 'closed')) {
      throw new Open311Error(400, 'status must be open or closed');
    }
    const statuses = q.status?.split(',');
    const countyId = await county();
    const categoryIds = q.service_code
      ? (await cases.listCategories(deps, countyId)).filter((c) => q.service_code?.split(',').includes(c.code)).map((c) => c.id)
      : undefined;
    const found = await cases.searchCases(deps, principal, {
      ids: q.service_request_id?.split(','),
      categoryIds,
      fromMs: date(q.start_date, 'start_date'),
      toMs: date(q.end_date, 'end_date'),
      closed: statuses && statuses.length === 1 ? statuses[0] === 'closed' : undefined,
      limit: 1000,
    });
    return send(reply, format, 'service_requests', found.map(await presenter()));
  });

  app.get<{ Params: { id: string; format: string } }>('/requests/:id.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    const principal = await client(request);
    const [found] = await cases.searchCases(deps, principal, { ids: [request.params.id], limit: 1 });
    if (!found) throw new Open311Error(404, `No service request '${request.params.id}'`);
    return send(reply, format, 'service_requests', [(await presenter())(found)]);
  });
};
