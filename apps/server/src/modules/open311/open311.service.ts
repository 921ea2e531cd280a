// What Open311 GeoReport v2 answers (wiki.open311.org/GeoReport_v2), in its own field names: the
// routes validate the form or query and write JSON or XML; this file looks things up in the case
// workflow, org and auth, and shapes them as the specification's objects.
import type { Principal } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import { principalForApiKey } from '../auth/auth.service.ts';
import * as caseConfig from '../cases/case-config.service.ts';
import * as cases from '../cases/cases.service.ts';
import { type PublicMatter, publicMatters } from '../cases/public-matters.service.ts';
import { departmentNames } from '../org/departments.service.ts';
import { defaultCountyId, listReportableRegions, requireRegionByCode } from '../org/regions.service.ts';
import { Open311Error, type RawFields, RESPONSE_LIMIT, type RequestQuery, readRequestQuery, readServiceRequest } from './open311.input.ts';

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

async function county(deps: Deps): Promise<string> {
  const id = await defaultCountyId(deps);
  if (!id) throw new Open311Error(404, 'No jurisdiction is set up');
  return id;
}

/**
 * The key's account, undefined without a key; a wrong key is refused, never read as no key. The
 * key is the only access check GeoReport knows, and on reads its absence chooses the public view
 * rather than a refusal, so it is resolved here, with what it decides.
 */
async function reader(deps: Deps, apiKey: string | undefined): Promise<Principal | undefined> {
  if (apiKey === undefined) return undefined;
  const principal = await principalForApiKey(deps, apiKey, 'open311');
  if (!principal) throw new Open311Error(403, 'api_key is not valid');
  return principal;
}

/** GET Service List. */
export async function listServices(deps: Deps) {
  const categories = await caseConfig.listCategories(deps, await county(deps));
  return categories.map((c) => ({
    service_code: c.code,
    service_name: c.name,
    description: c.nameEn ?? c.name,
    metadata: true,
    type: 'realtime',
    keywords: c.routeTo === 'grid' ? 'grid' : 'department',
    group: c.routeTo === 'grid' ? '网格办理 Grid' : '部门办理 Department',
  }));
}

/** GET Service Definition: the one attribute, the village or villager group. */
export async function describeService(deps: Deps, code: string) {
  const countyId = await county(deps);
  const category = code.length <= 64 ? await caseConfig.findCategoryByCode(deps, countyId, code) : undefined;
  if (!category) throw new Open311Error(404, 'service_code was not found');
  const regions = await listReportableRegions(deps, countyId);
  return {
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
}

export type SubmitContext = { ip: string; requestId: string; idempotencyKey: string | undefined };

/**
 * POST Service Request: the report enters the case workflow as the key's account. The form is
 * read after the key is checked, so a wrong key is answered 403 whatever else the form holds.
 */
export async function submitRequest(deps: Deps, apiKey: string, fields: RawFields, context: SubmitContext) {
  const principal = (await reader(deps, apiKey)) as Principal;
  const input = readServiceRequest(fields);
  const category = await caseConfig.findCategoryByCode(deps, await county(deps), input.serviceCode);
  if (!category) throw new Open311Error(404, 'service_code was not found');
  const region = await requireRegionByCode(deps, input.regionCode).catch(() => {
    throw new Open311Error(400, 'address_id or attribute[region] is not the code of a village or villager group');
  });
  const told = input.description ?? category.name;
  // The case has no address column: a place in words goes with the description, for the handler.
  const description = input.addressString ? `${told}\n\n地点 Place: ${input.addressString}` : told;
  const actor = { userId: principal.userId, roles: 'open311', ip: context.ip, requestId: context.requestId };
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
    context.idempotencyKey,
  );
  return [
    {
      service_request_id: created.id,
      service_notice: `已受理，编号 ${created.number} Received as ${created.number}`,
      account_id: null,
    },
  ];
}

/** Category codes and department names are looked up once per answer, not once per case. */
async function codesByCategory(deps: Deps) {
  return new Map((await caseConfig.listAllCategories(deps, await county(deps))).map((c) => [c.id, c.code]));
}

/** The categories a service_code filter names; undefined when the request names none. */
async function categoryIdsOf(deps: Deps, serviceCodes: string[] | undefined) {
  return serviceCodes
    ? (await caseConfig.listAllCategories(deps, await county(deps))).filter((c) => serviceCodes.includes(c.code)).map((c) => c.id)
    : undefined;
}

/** The key holder's view: the case as its account may read it, never the reporter. */
async function keyedRequests(deps: Deps, principal: Principal, query: RequestQuery) {
  const categoryIds = await categoryIdsOf(deps, query.serviceCodes);
  const found = await cases.searchCases(deps, principal, {
    ids: query.ids,
    categoryIds,
    fromMs: query.fromMs,
    toMs: query.toMs,
    closed: query.closed,
    limit: RESPONSE_LIMIT,
  });
  const [codes, departments] = await Promise.all([codesByCategory(deps), departmentNames(deps)]);
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
}

/**
 * Anyone's view, as on the village affairs pages: number, cleaned title (or a published
 * exposure-board text), category, state, village and the dates they show. No reporter, handler,
 * deadline, position or last-change time.
 */
async function publicRequests(deps: Deps, query: RequestQuery) {
  const categoryIds = await categoryIdsOf(deps, query.serviceCodes);
  const matters = await publicMatters(deps, {
    ids: query.ids,
    categoryIds,
    fromMs: query.fromMs,
    toMs: query.toMs,
    closed: query.closed,
    limit: RESPONSE_LIMIT,
  });
  const codes = await codesByCategory(deps);
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
}

/**
 * GET Service Requests: with a key, what its account may read; without, the public view. A key
 * that is given is checked before the query is read, so a wrong key is a 403 whatever else is
 * wrong with the request, as it is when posting.
 */
export async function findRequests(deps: Deps, apiKey: string | undefined, fields: RawFields) {
  const principal = await reader(deps, apiKey);
  const query = readRequestQuery(fields, deps.now());
  return principal ? keyedRequests(deps, principal, query) : publicRequests(deps, query);
}

const CASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** GET Service Request: one case by its id, in a list of one as the specification has it. */
export async function findRequest(deps: Deps, apiKey: string | undefined, rawId: string) {
  const principal = await reader(deps, apiKey);
  const id = rawId.toLowerCase();
  if (!CASE_ID.test(id)) throw new Open311Error(404, 'service_request_id was not found');
  const query: RequestQuery = { ids: [id] };
  const found = principal ? await keyedRequests(deps, principal, query) : await publicRequests(deps, query);
  if (found.length === 0) throw new Open311Error(404, 'service_request_id was not found');
  return found.slice(0, 1);
}
