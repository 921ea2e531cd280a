// What an Open311 client sends, read strictly: every field a string of bounded length (a form has
// nothing else), given once, single-line fields free of control characters, the description
// cleaned of the characters no stored text may hold. Problems are collected, so that a client gets
// the whole GeoReport error list in one answer; no problem repeats the client's input.

export class Open311Error extends Error {
  readonly problems: string[];
  constructor(
    readonly status: number,
    problems: string | string[],
  ) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.join('; '));
    this.problems = list;
  }
}

/** Form fields and query parameters as parsed: a repeated name gives a list. */
export type RawFields = Record<string, string | string[] | undefined>;

/** application/x-www-form-urlencoded into fields, without a prototype a field named __proto__ could reach. */
export function parseForm(body: string): RawFields {
  const fields: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    const had = fields[name];
    if (had === undefined) fields[name] = value;
    else if (Array.isArray(had)) had.push(value);
    else fields[name] = [had, value];
  }
  return fields;
}

// C0 controls but tab, LF and CR; DEL and the C1 controls; lone surrogates; U+FFFE and U+FFFF. XML
// 1.0 cannot carry most of them at all and none has a place in a report.
const UNSTORABLE = /(?![\t\n\r])\p{Cc}|[\ufffe\uffff]|\p{Cs}/gu;
const HAS_UNSTORABLE = new RegExp(UNSTORABLE.source, 'u');
const LINE_BREAK_OR_TAB = /[\t\n\r]/;

const length = (text: string) => [...text].length;

/** Collects problems while fields are read; `done` throws them all as one 400. */
export class FieldReader {
  readonly problems: string[] = [];
  constructor(private readonly fields: RawFields) {}

  private raw(name: string): string | undefined {
    const value = Object.hasOwn(this.fields, name) ? this.fields[name] : undefined;
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.problems.push(`${name} may be given only once`);
      return undefined;
    }
    // GeoReport v2, "Optional Arguments": an empty parameter is the same as one not sent.
    return value === '' ? undefined : value;
  }

  /** One line of text: refused, not cleaned, when it holds a control character or is too long. */
  line(name: string, max: number): string | undefined {
    const value = this.raw(name)?.trim();
    if (value === undefined || value === '') return undefined;
    if (length(value) > max) this.problems.push(`${name} is longer than ${max} characters`);
    else if (LINE_BREAK_OR_TAB.test(value) || HAS_UNSTORABLE.test(value)) {
      this.problems.push(`${name} holds control characters`);
    } else return value;
    return undefined;
  }

  /** Free text that may hold line breaks: characters no text may hold are dropped, then the length is checked. */
  text(name: string, max: number): string | undefined {
    const value = this.raw(name)?.replace(UNSTORABLE, '').replace(/\r\n?/g, '\n').trim();
    if (value === undefined || value === '') return undefined;
    if (length(value) > max) {
      this.problems.push(`${name} is longer than ${max} characters`);
      return undefined;
    }
    return value;
  }

  matching(name: string, pattern: RegExp, expected: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!pattern.test(value)) {
      this.problems.push(`${name} must be ${expected}`);
      return undefined;
    }
    return value;
  }

  /** A comma-delimited list; the GET parameters that may be declared several times join their values. */
  list(name: string, pattern: RegExp, expected: string, max: number): string[] | undefined {
    const value = Object.hasOwn(this.fields, name) ? this.fields[name] : undefined;
    if (value === undefined || value === '') return undefined;
    const items = (Array.isArray(value) ? value.join(',') : value).split(',');
    if (items.length > max) this.problems.push(`${name} lists more than ${max} values`);
    else if (!items.every((item) => pattern.test(item))) this.problems.push(`${name} must be a comma-delimited list of ${expected}`);
    else return items;
    return undefined;
  }

  done(): void {
    if (this.problems.length > 0) throw new Open311Error(400, this.problems);
  }
}

const API_KEY = /^[\x21-\x7e]{1,200}$/;

/** The api_key, or undefined when none was sent; a malformed one is as good as a wrong one (403). */
export function apiKeyOf(fields: RawFields): string | undefined {
  const key = Object.hasOwn(fields, 'api_key') ? fields.api_key : undefined;
  if (key === undefined || key === '') return undefined;
  if (typeof key !== 'string' || !API_KEY.test(key)) throw new Open311Error(403, 'api_key is not valid');
  return key;
}

const DECIMAL = /^-?\d{1,3}(?:\.\d{1,15})?$/;
const REGION_CODE = /^\d{6,20}$/;
const PHONE = /^[0-9+\-() ]{5,20}$/;
const SERVICE_CODE_MAX = 64;
/** The case's reporter name holds at most this much (as in the cases contract). */
const NAME_MAX = 40;

export type ServiceRequestInput = {
  serviceCode: string;
  /** The village or villager group, from address_id or attribute[region]. */
  regionCode: string;
  latitude: number | null;
  longitude: number | null;
  addressString: string | undefined;
  description: string | undefined;
  reporterName: string | undefined;
  reporterPhone: string | undefined;
};

function coordinate(reader: FieldReader, name: string, limit: number): number | undefined {
  const raw = reader.matching(name, DECIMAL, 'a decimal number (WGS84)');
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (Math.abs(value) > limit) {
    reader.problems.push(`${name} must lie between -${limit} and ${limit}`);
    return undefined;
  }
  return value;
}

/** A family name and a given name written in Chinese join without a space, as a Chinese name is written. */
function fullName(last: string | undefined, first: string | undefined): string | undefined {
  const parts = [last, first].filter((p): p is string => p !== undefined);
  if (parts.length === 0) return undefined;
  return parts.join(parts.every((p) => /^[\p{Script=Han}·]+$/u.test(p)) ? '' : ' ');
}

/**
 * The fields of a POST Service Request (GeoReport v2, "POST Service Request"): service_code and a
 * location (lat and long, address_string or address_id) are required; the village or villager group
 * comes from address_id (our addresses are region codes) or from attribute[region] of the service
 * definition. Fields the case does not keep (email, device_id, account_id, media_url) are still
 * checked, so that nothing unbounded passes.
 */
export function readServiceRequest(fields: RawFields): ServiceRequestInput {
  const reader = new FieldReader(fields);
  reader.line('jurisdiction_id', 200);
  const serviceCode = reader.line('service_code', SERVICE_CODE_MAX);
  const latitude = coordinate(reader, 'lat', 90);
  const longitude = coordinate(reader, 'long', 180);
  const addressString = reader.line('address_string', 200);
  const addressId = reader.matching('address_id', REGION_CODE, 'the code of a village or villager group');
  const attributeRegion = reader.matching('attribute[region]', REGION_CODE, 'the code of a village or villager group');
  reader.line('email', 254);
  reader.line('device_id', 128);
  reader.line('account_id', 128);
  reader.line('media_url', 2048);
  const lastName = reader.line('last_name', NAME_MAX);
  const firstName = reader.line('first_name', NAME_MAX);
  const reporterPhone = reader.matching('phone', PHONE, '5 to 20 digits, spaces and + - ( )');
  const description = reader.text('description', 4000);

  const problems = reader.problems;
  if (!serviceCode && !problems.some((p) => p.startsWith('service_code'))) problems.push('service_code is required');
  const hasLat = Object.hasOwn(fields, 'lat') && fields.lat !== '';
  const hasLong = Object.hasOwn(fields, 'long') && fields.long !== '';
  if (hasLat !== hasLong) problems.push('lat and long must be sent together');
  const hasAddressString = Object.hasOwn(fields, 'address_string') && fields.address_string !== '';
  const hasAddressId = Object.hasOwn(fields, 'address_id') && fields.address_id !== '';
  if (!(hasLat && hasLong) && !hasAddressString && !hasAddressId) {
    problems.push('A location is required: lat and long, address_string or address_id');
  }
  if (addressId && attributeRegion && addressId !== attributeRegion)
    problems.push('address_id and attribute[region] name different places');
  const regionCode = addressId ?? attributeRegion;
  if (!regionCode && !problems.some((p) => p.startsWith('address_id') || p.startsWith('attribute[region]'))) {
    problems.push('attribute[region] is required (the service definition lists the codes), or give the code as address_id');
  }
  if (Object.keys(fields).some((name) => name.startsWith('attribute[') && name !== 'attribute[region]')) {
    problems.push('Only attribute[region] is defined for this service');
  }
  const reporterName = fullName(lastName, firstName);
  if (reporterName && length(reporterName) > NAME_MAX)
    problems.push(`first_name and last_name together are longer than ${NAME_MAX} characters`);
  reader.done();
  return {
    serviceCode: serviceCode as string,
    regionCode: regionCode as string,
    latitude: latitude ?? null,
    longitude: longitude ?? null,
    addressString,
    description,
    reporterName,
    reporterPhone,
  };
}

const DAY_MS = 24 * 3_600_000;
/** GeoReport v2, "GET Service Requests": the range spans at most, and defaults to, 90 days. */
export const RANGE_MS = 90 * DAY_MS;
/** GeoReport v2, "Response Volume": at most the first 1000 requests. */
export const RESPONSE_LIMIT = 1000;

const CASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CODE = /^[^\s,\p{Cc}]{1,64}$/u;
// The w3 note's complete date plus hours and minutes, seconds and fractions optional; the
// specification requires the time zone.
const W3C_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of a w3 date-time with its time zone, or undefined when it is not one (31 February included). */
export function parseW3cDateTime(text: string): number | undefined {
  const m = W3C_DATETIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0)) as number[];
  const utc = Date.UTC(year as number, (month as number) - 1, day, hour, minute, second);
  const back = new Date(utc);
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== (month as number) - 1 ||
    back.getUTCDate() !== day ||
    (hour as number) > 23 ||
    (minute as number) > 59 ||
    (second as number) > 59
  ) {
    return undefined;
  }
  const zone = m[8] as string;
  const offsetMinutes = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  if (Math.abs(offsetMinutes) > 14 * 60 || Number(zone.slice(4, 6)) > 59) return undefined;
  const fraction = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
  return utc + fraction - offsetMinutes * 60_000;
}

export type RequestQuery = {
  ids?: string[];
  serviceCodes?: string[];
  /** Inclusive start and exclusive end, in epoch milliseconds. */
  fromMs?: number;
  toMs?: number;
  closed?: boolean;
};

/**
 * The parameters of GET Service Requests (GeoReport v2): service_request_id overrides all others;
 * otherwise service_code and status filter, and start_date/end_date choose a range of requested
 * times of at most 90 days, by default the most recent 90.
 */
export function readRequestQuery(query: RawFields, now: number): RequestQuery {
  const reader = new FieldReader(query);
  reader.line('jurisdiction_id', 200);
  const ids = reader.list('service_request_id', CASE_ID, 'service request ids', 100);
  if (ids) {
    reader.done();
    return { ids };
  }
  const serviceCodes = reader.list('service_code', CODE, 'service codes', 100);
  const statuses = reader.list('status', /^(?:open|closed)$/, 'open and closed', 2);
  const date = (name: string) => {
    const raw = reader.matching(name, W3C_DATETIME, 'a w3 date-time with its time zone, eg 2010-01-01T00:00:00Z');
    if (raw === undefined) return undefined;
    const ms = parseW3cDateTime(raw);
    if (ms === undefined) reader.problems.push(`${name} is not a date and time that exists`);
    return ms;
  };
  const start = date('start_date');
  const end = date('end_date');
  if (start !== undefined && end !== undefined) {
    if (end < start) reader.problems.push('end_date is before start_date');
    else if (end - start > RANGE_MS) reader.problems.push('start_date and end_date may not span more than 90 days');
  }
  reader.done();
  // end_date is the latest time to include.
  const toMs = end !== undefined ? end + 1 : start !== undefined ? start + RANGE_MS + 1 : undefined;
  const fromMs = start ?? (end !== undefined ? end - RANGE_MS : now - RANGE_MS);
  const distinct = new Set(statuses);
  return { serviceCodes, fromMs, toMs, closed: distinct.size === 1 ? distinct.has('closed') : undefined };
}
