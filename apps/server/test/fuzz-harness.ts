// The schema-driven fuzzer behind `fuzz.test.ts` (a short run in `npm test`) and `npm run security`
// (a long one). Every route the app declares (its route table, hidden Open311 and FHIR routes too)
// gets requests drawn by fast-check from the route's OpenAPI schemas: values that pass validation
// and reach the service, boundary values, wrong types and hostile text, as nobody, as a villager and
// as a county administrator, on a world holding the whole demo county. Each answer is checked:
// never 5xx, never slower than the time bound, never bigger than the size bound, a 4xx under /api
// has the `{error:{code,message}}` shape and repeats no hostile text sent, and (on SQLite, where
// temporary triggers record every write) a refused request writes nothing but the audit log.

import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { DialectName } from '../src/db/dialect.ts';
import { loadDemoCounty } from '../src/demo-county.ts';
import { DEMO_GATEWAY_KEY } from '../src/modules/care/care.demo.ts';
import { DEMO_OPEN311_KEY } from '../src/modules/open311/open311.demo.ts';
import type { RegionRecord } from '../src/modules/org/regions.repository.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { buildTestApp, type TestContext } from './build-test-app.ts';
import { buildUser, PASSWORD } from './factories.ts';

/** An answer slower than this is a hang. */
export const TIME_BOUND_MS = 5_000;
/** JSON answers, lists included: a list is capped by its `limit` (at most 200 items), far below this. */
export const JSON_SIZE_BOUND = 1_048_576;
/**
 * Files (photos, samples, certificates, spreadsheets, the statistics export) are bounded by what
 * was uploaded or by the size of the county, not by a page limit: 20 MB is the upload limit's order.
 */
export const FILE_SIZE_BOUND = 20 * 1_048_576;

/**
 * Tables a refused request may write: the audit log records refusals on purpose, idempotency keys
 * record the answer to a retried request, and a failed login counts toward the account's lockout
 * (an update of users on the login and password routes only), which is the refusal doing its job.
 */
const WRITES_ALLOWED_ON_REFUSAL = new Set(['audit_log', 'idempotency_keys']);

function allowedOnRefusal(route: RouteEntry, write: string): boolean {
  const [op, table] = write.split(' ');
  if (WRITES_ALLOWED_ON_REFUSAL.has(table as string)) return true;
  // A wrong password at login or on the change form counts toward the account's lockout.
  return op === 'update' && table === 'users' && (route.url === '/api/auth/login' || route.url === '/api/auth/password');
}

type Persona = 'anonymous' | 'villager' | 'countyAdmin';
const PERSONAS: Persona[] = ['anonymous', 'villager', 'countyAdmin'];

export type FindingKind = '5xx' | 'hang' | 'oversize' | 'stateChange' | 'echo' | 'shape';
export type Finding = { kind: FindingKind; route: string; request: string; detail: string };
export type RouteResult = { route: string; cases: number; statuses: Record<string, number>; maxBytes: number; maxMs: number };
export type FuzzReport = {
  dialect: DialectName;
  routes: RouteResult[];
  findings: Finding[];
  stateChecked: boolean;
  ms: number;
};

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  $ref?: string;
};
type Parameter = { in: string; name: string; required?: boolean; schema?: JsonSchema };
type Operation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } };
type OpenApi = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, JsonSchema> } };

export type FuzzRequest = {
  persona: Persona;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** Hostile strings in this request that an error answer must not repeat. */
  markers: string[];
};

// ---------------------------------------------------------------------------------------------
// Hostile text: what an attacker, a broken client or a careless paste sends.

const LONG_ASCII = 'A'.repeat(100_000);
const LONG_CJK = '村'.repeat(40_000);
export const HOSTILE_STRINGS: string[] = [
  "' OR '1'='1",
  "' OR 1=1--",
  '1; DROP TABLE users;--',
  "' UNION SELECT null,sqlite_version(),null--",
  "'; select pg_sleep(10);--",
  "1' AND (SELECT 1 FROM (SELECT(SLEEP(5)))a)--",
  '1) OR randomblob(100000000) AND (1',
  '%',
  '_',
  '\\',
  "'",
  '"',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u001b[31m',
  '\r\nSet-Cookie: cz_session=evil',
  '\u202eexe.txt',
  '\u2066x\u2069',
  '\ufeff',
  '\ud800',
  '\udfff\ud800',
  '👨‍👩‍👧‍👦',
  'Z̷̢̛͎a̴̡͙l̸̨̛g̵̢͔o̷̡̧',
  '１３８００００００１',
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '....//....//etc/passwd',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "javascript:alert('x')",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as text
  '{{7*7}}${7*7}<%= 7*7 %>',
  "=cmd|' /C calc'!A0",
  '__proto__',
  'constructor',
  'prototype',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9007199254740993',
  '-9223372036854775809',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '',
  ' ',
  '\t\n',
  '0x10',
  '2026-02-30',
  '2026-13-01T25:61:61Z',
  '9999-12-31T23:59:59.999Z',
  '0000-00-00',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ',
  LONG_ASCII,
  LONG_CJK,
];
/** Long enough to be recognised if an error repeated it (short ones like `%` occur anyway). */
const MARKERS = HOSTILE_STRINGS.filter((s) => s.length >= 8 && !/^[0-9-]+$/.test(s) && s !== LONG_CJK);

const hostileString = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

const wrongType: fc.Arbitrary<unknown> = fc.constantFrom(
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'x',
  [],
  [null],
  {},
  { $gt: '' },
  { __proto__: null, constructor: { prototype: { polluted: true } } },
);

/** A JSON text that `JSON.stringify` cannot produce: own `__proto__` keys, deep nesting, duplicates. */
const rawHostileJson = fc.constantFrom(
  '{"__proto__":{"isAdmin":true,"role":"countyAdmin"}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
  '{"a":1,"a":2}',
  '{"title":"x",}',
  "{'a':1}",
  'NaN',
  '1e999999',
  '"\\ud800"',
  '\u0000',
  '',
  'null',
  '[]',
  `{"a":"${'\\u0000'.repeat(1000)}"}`,
  `[${'1,'.repeat(100_000)}1]`,
);

// ---------------------------------------------------------------------------------------------
// Values from schemas.

export type Pools = { ids: string[]; idsByParam: Map<string, string[]>; serviceCodes: string[] };

function resolve(schema: JsonSchema | undefined, doc: OpenApi): JsonSchema {
  let current = schema ?? {};
  for (let i = 0; i < 10 && current.$ref; i++) {
    const name = current.$ref.split('/').pop() as string;
    current = doc.components?.schemas?.[name] ?? {};
  }
  return current;
}

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  if (schema.type) return schema.type;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

const datePart = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

function stringArb(schema: JsonSchema, pools: Pools, mode: 'valid' | 'boundary'): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 200;
  if (mode === 'boundary') {
    const lengths = [Math.max(0, min - 1), min, max, max + 1, 0];
    return fc.tuple(fc.constantFrom(...lengths), fc.constantFrom('a', '村', '😀', ' ')).map(([n, c]) => c.repeat(n));
  }
  if (schema.format === 'uuid') return pools.ids.length > 0 ? fc.oneof(fc.constantFrom(...pools.ids), fc.uuid()) : fc.uuid();
  if (schema.format === 'date') return datePart.map((s) => s.slice(0, 10));
  if (schema.format === 'date-time') return datePart;
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= max);
    } catch {
      // A pattern fast-check cannot invert: plain text below.
    }
  }
  return fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, min + 60) });
}

function numberArb(schema: JsonSchema, integer: boolean, mode: 'valid' | 'boundary'): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1_000_000);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1_000_000);
  if (mode === 'boundary') {
    const edges = [min - 1, min, max, max + 1, min - 0.5, max + 0.5, 0, -0, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1];
    return fc.constantFrom(...edges.map((n) => (integer && !Number.isInteger(n) ? Math.floor(n) : n)));
  }
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** A value for `schema`: mostly one that passes, often a boundary, sometimes hostile or the wrong type. */
export function valueArb(schemaIn: JsonSchema | undefined, doc: OpenApi, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(schemaIn, doc);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants && variants.length > 0) return fc.oneof(...variants.map((v) => valueArb(v, doc, pools, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0) {
    const merged: JsonSchema = {};
    for (const part of schema.allOf) {
      const r = resolve(part, doc);
      Object.assign(merged, r, {
        properties: { ...merged.properties, ...r.properties },
        required: [...(merged.required ?? []), ...(r.required ?? [])],
      });
    }
    return valueArb(merged, doc, pools, depth + 1);
  }
  const type = typeOf(schema);
  const hostile: fc.Arbitrary<unknown> = fc.oneof(hostileString, wrongType);
  let valid: fc.Arbitrary<unknown>;
  let boundary: fc.Arbitrary<unknown> | undefined;
  if (schema.const !== undefined) valid = fc.constant(schema.const);
  else if (schema.enum && schema.enum.length > 0) {
    valid = fc.constantFrom(...schema.enum);
    boundary = fc.constantFrom(...schema.enum.map((v) => (typeof v === 'string' ? v.toUpperCase() : v)), ' ', '');
  } else if (type === 'string') {
    valid = stringArb(schema, pools, 'valid');
    boundary = stringArb(schema, pools, 'boundary');
  } else if (type === 'integer' || type === 'number') {
    valid = numberArb(schema, type === 'integer', 'valid');
    boundary = numberArb(schema, type === 'integer', 'boundary');
  } else if (type === 'boolean') valid = fc.boolean();
  else if (type === 'array') {
    const item = depth > 6 ? fc.constant(null) : valueArb(schema.items, doc, pools, depth + 1);
    const minItems = schema.minItems ?? 0;
    const maxItems = schema.maxItems ?? 20;
    valid = fc.array(item, { minLength: minItems, maxLength: Math.min(maxItems, minItems + 5) });
    boundary = fc.oneof(
      fc.constant([]),
      fc.array(item, { minLength: maxItems + 1, maxLength: maxItems + 1 }),
      minItems > 0 ? fc.array(item, { minLength: minItems - 1, maxLength: minItems - 1 }) : fc.constant([]),
    );
  } else if (type === 'object' || schema.properties) {
    valid = depth > 6 ? fc.constant({}) : objectArb(schema, doc, pools, depth);
  } else valid = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
  const arms: fc.WeightedArbitrary<unknown>[] = [
    { weight: 12, arbitrary: valid },
    { weight: 2, arbitrary: hostile },
  ];
  if (boundary) arms.push({ weight: 3, arbitrary: boundary });
  if (schema.nullable) arms.push({ weight: 1, arbitrary: fc.constant(null) });
  return fc.oneof(...arms);
}

function objectArb(schema: JsonSchema, doc: OpenApi, pools: Pools, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) model[name] = valueArb(property, doc, pools, depth + 1);
  const requiredKeys = Object.keys(properties).filter((k) => required.has(k));
  const base = fc.record(model, { requiredKeys });
  return fc
    .tuple(
      base,
      fc.option(fc.constantFrom(...requiredKeys, '__none__'), { freq: 8 }),
      fc.option(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'extra', '', 'a'.repeat(300)), hostileString), { freq: 8 }),
    )
    .map(([value, drop, extra]) => {
      const out = { ...(value as Record<string, unknown>) };
      // A required field left out, or an unknown one added (defined as an own key, so a
      // `__proto__` key is sent as text rather than changing this object's prototype).
      if (drop && drop !== '__none__') delete out[drop];
      if (extra) Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true });
      return out;
    });
}

// ---------------------------------------------------------------------------------------------
// Requests for one route.

type RouteEntry = { method: string; url: string; consumes: string[] };

function operationFor(doc: OpenApi, route: RouteEntry): Operation | undefined {
  const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
  const method = route.method.toLowerCase();
  for (const candidate of [path, path.endsWith('/') ? path.slice(0, -1) : `${path}/`]) {
    const op = doc.paths[candidate]?.[method];
    if (op) return op;
  }
  return undefined;
}

function asQueryText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function pathParamArb(name: string, pools: Pools, schema: JsonSchema | undefined, doc: OpenApi): fc.Arbitrary<string> {
  const known = pools.idsByParam.get(name) ?? pools.ids;
  const named: fc.Arbitrary<string>[] = [];
  if (name === 'format') named.push(fc.constantFrom('json', 'xml', 'csv', 'JSON', ''));
  if (name === 'month') named.push(fc.constantFrom('2026-01', '2025-12', '2026-13', '1970-01', '9999-12'));
  if (name === 'code') named.push(fc.constantFrom(...(pools.serviceCodes.length > 0 ? pools.serviceCodes : ['x'])));
  if (name === 'sample' || name === 'vid') named.push(fc.constantFrom('0', '1', '2', '-1', '99999999999'));
  const fromSchema = schema ? valueArb(schema, doc, pools).map(asQueryText) : fc.constant(uuidv7());
  return fc.oneof(
    { weight: 6, arbitrary: known.length > 0 ? fc.constantFrom(...known) : fc.uuid() },
    { weight: named.length > 0 ? 6 : 0, arbitrary: named.length > 0 ? fc.oneof(...named) : fc.constant('x') },
    { weight: 3, arbitrary: fromSchema },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: hostileString.filter((s) => s.length < 4000) },
  );
}

/** Query parameters a route without a schema (Open311, FHIR) might read. */
const GENERIC_QUERY_NAMES = [
  'q',
  'limit',
  'cursor',
  'state',
  'service_code',
  'service_request_id',
  'start_date',
  'end_date',
  'status',
  'jurisdiction_id',
  'api_key',
  'patient',
  'subject',
  'code',
  'date',
  '_count',
  '_id',
  '_format',
  'identifier',
  'name',
  '__proto__[polluted]',
  'constructor[prototype][polluted]',
];

const OPEN311_FIELDS = [
  'api_key',
  'service_code',
  'lat',
  'long',
  'address_string',
  'address_id',
  'description',
  'email',
  'device_id',
  'account_id',
  'first_name',
  'last_name',
  'phone',
  'media_url',
  'jurisdiction_id',
];

/** A small real JPEG, cut short, or bytes wearing another type's magic number. */
function binaryBodies(samples: { jpeg: Buffer; png: Buffer }): fc.Arbitrary<Buffer> {
  return fc.oneof(
    fc.constant(samples.jpeg),
    fc.constant(samples.png),
    fc.constant(samples.jpeg.subarray(0, Math.floor(samples.jpeg.length / 2))),
    fc.constant(Buffer.concat([samples.jpeg.subarray(0, 4), Buffer.alloc(2000, 0xff)])),
    fc.constant(Buffer.from('%PDF-1.7\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF')),
    fc.constant(Buffer.from('PK\u0003\u0004garbage that is not a zip')),
    fc.constant(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')),
    fc.constant(Buffer.alloc(0)),
    fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a)),
    fc.constant(Buffer.from('--x\r\nContent-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\n\r\nA\r\n--x--')),
  );
}

const csvBody = fc
  .array(
    fc.array(
      fc.oneof(
        hostileString.filter((s) => s.length < 500),
        fc.string(),
      ),
      { maxLength: 8 },
    ),
    { maxLength: 30 },
  )
  .map((rows) => rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\n'));

/**
 * Percent-encoding that also carries lone surrogates, which `encodeURIComponent` refuses: each is
 * sent as its three bytes (invalid UTF-8), which is what a broken client would put on the wire.
 */
function encodeLoose(text: string): string {
  let out = '';
  for (const piece of text.match(/[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g) ?? []) {
    const unit = piece.charCodeAt(0);
    if (piece.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(piece);
  }
  return out;
}

export type Samples = { jpeg: Buffer; png: Buffer };

export function requestArb(route: RouteEntry, doc: OpenApi, pools: Pools, samples: Samples): fc.Arbitrary<FuzzRequest> {
  const op = operationFor(doc, route);
  const params = op?.parameters ?? [];
  const pathNames = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string);
  const pathArbs = pathNames.map((name) => pathParamArb(name, pools, params.find((p) => p.in === 'path' && p.name === name)?.schema, doc));
  const queryParams = params.filter((p) => p.in === 'query');
  const queryArb: fc.Arbitrary<[string, string][]> =
    queryParams.length > 0
      ? fc
          .tuple(
            ...queryParams.map((p) =>
              fc.option(
                valueArb(p.schema, doc, pools).map((v) => [p.name, asQueryText(v)] as [string, string]),
                {
                  freq: p.required ? 10 : 2,
                },
              ),
            ),
          )
          .map((pairs) => pairs.filter((p): p is [string, string] => p !== null))
      : fc.array(
          fc.tuple(
            fc.constantFrom(...GENERIC_QUERY_NAMES),
            hostileString.filter((s) => s.length < 5000),
          ),
          { maxLength: 3 },
        );
  const extraQuery = fc.option(
    fc.tuple(
      fc.constantFrom(...GENERIC_QUERY_NAMES, ...queryParams.map((p) => p.name)),
      hostileString.filter((s) => s.length < 5000),
    ),
    { freq: 4 },
  );
  const headerArb = fc.record(
    {
      idempotency: fc.option(
        fc.oneof(
          fc.uuid(),
          hostileString.filter((s) => s.length < 300),
        ),
        { freq: 3 },
      ),
      bearer: fc.option(fc.constantFrom(`Bearer ${DEMO_GATEWAY_KEY}`, 'Bearer x', 'Basic Og==', `Bearer ${"' OR '1'='1"}`), { freq: 5 }),
      dropCsrf: fc.boolean(),
      language: fc.constantFrom('zh-CN', 'en', '*', "'; drop table", ''),
    },
    { requiredKeys: ['dropCsrf', 'language'] },
  );

  const jsonSchema = op?.requestBody?.content?.['application/json']?.schema;
  const takesBody = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
  type Body = { type?: string; payload?: string | Buffer };
  let bodyArb: fc.Arbitrary<Body> = fc.constant({});
  if (takesBody) {
    const arms: fc.WeightedArbitrary<Body>[] = [
      { weight: 1, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: rawHostileJson.map((payload) => ({ type: 'application/json', payload })) },
      { weight: 1, arbitrary: wrongType.map((v) => ({ type: 'application/json', payload: JSON.stringify(v) ?? 'null' })) },
    ];
    if (jsonSchema) {
      arms.push({
        weight: 10,
        arbitrary: valueArb(jsonSchema, doc, pools).map((v) => ({ type: 'application/json', payload: JSON.stringify(v) ?? 'null' })),
      });
    }
    if (route.url.startsWith('/fhir')) {
      const resource = fc.record({
        resourceType: fc.oneof(fc.constantFrom('Observation', 'Patient', 'Bundle'), hostileString),
        status: fc.oneof(fc.constantFrom('final', 'preliminary'), hostileString),
        subject: fc.record({
          reference: fc.oneof(fc.constantFrom(...pools.ids.slice(0, 20).map((id) => `Patient/${id}`), 'Patient/x'), hostileString),
        }),
        code: fc.record({
          coding: fc.array(fc.record({ system: hostileString, code: fc.oneof(fc.constantFrom('8867-4', '59408-5'), hostileString) }), {
            maxLength: 3,
          }),
        }),
        valueQuantity: fc.record({ value: fc.oneof(fc.double(), wrongType), unit: hostileString }),
        effectiveDateTime: fc.oneof(datePart, hostileString),
      });
      arms.push({
        weight: 8,
        arbitrary: fc
          .tuple(resource, fc.constantFrom('application/fhir+json', 'application/json'))
          .map(([r, type]) => ({ type, payload: JSON.stringify(r) })),
      });
    }
    for (const type of route.consumes) {
      if (type === 'application/x-www-form-urlencoded') {
        const form = fc
          .array(
            fc.tuple(
              fc.constantFrom(...OPEN311_FIELDS, '__proto__', 'constructor[prototype]'),
              fc.oneof(hostileString, fc.constantFrom(DEMO_OPEN311_KEY, ...pools.serviceCodes, '29.5', '108.8'), fc.string()),
            ),
            { maxLength: 10 },
          )
          .map((pairs) => {
            const withKey: [string, string][] = [['api_key', DEMO_OPEN311_KEY], ...pairs];
            return new URLSearchParams(withKey).toString();
          });
        arms.push({ weight: 8, arbitrary: form.map((payload) => ({ type, payload })) });
      } else if (type === 'text/csv') arms.push({ weight: 4, arbitrary: csvBody.map((payload) => ({ type, payload })) });
      else if (type !== 'application/json' && type !== 'application/fhir+json') {
        arms.push({ weight: 2, arbitrary: binaryBodies(samples).map((payload) => ({ type, payload })) });
      }
    }
    bodyArb = fc.oneof(...arms);
  }

  return fc
    .tuple(fc.constantFrom(...PERSONAS), fc.tuple(...pathArbs), queryArb, extraQuery, headerArb, bodyArb)
    .map(([persona, pathValues, query, extra, h, body]) => {
      let i = 0;
      const url = route.url.replace(/:([A-Za-z]+)/g, () => encodeLoose(pathValues[i++] ?? '')).replace(/\*$/, 'x');
      const pairs = extra ? [...query, extra] : query;
      const search = pairs.map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`).join('&');
      const headers: Record<string, string> = { 'accept-language': h.language };
      if (h.idempotency) headers['idempotency-key'] = h.idempotency;
      if (h.bearer && (route.url.startsWith('/api/care') || route.url.startsWith('/fhir') || route.url.startsWith('/api/notices')))
        headers.authorization = h.bearer;
      if (body.type) headers['content-type'] = body.type;
      if (h.dropCsrf) headers['x-csrf-token'] = '';
      const sent = [url, search, h.idempotency ?? '', typeof body.payload === 'string' ? body.payload : ''].join('\n');
      const markers = MARKERS.filter((m) => sent.includes(m) || sent.includes(encodeLoose(m)));
      return {
        persona,
        method: route.method,
        url: search ? `${url}?${search}` : url,
        headers,
        payload: body.payload,
        markers,
      };
    });
}

// ---------------------------------------------------------------------------------------------
// The world and the run.

export type FuzzWorld = {
  ctx: TestContext;
  doc: OpenApi;
  pools: Pools;
  samples: Samples;
  routes: RouteEntry[];
  stateChecked: boolean;
  send(request: FuzzRequest): Promise<LightMyRequestResponse>;
  recover(request: FuzzRequest, status: number): Promise<void>;
  writesSinceLastLook(): Promise<string[]>;
  close(): Promise<void>;
};

/** Tables holding ids a path parameter might name; a few of each, from every region. */
const ID_TABLES: Record<string, string[]> = {
  id: [
    'regions',
    'grids',
    'households',
    'people',
    'users',
    'cases',
    'case_categories',
    'departments',
    'notices',
    'service_items',
    'service_applications',
    'care_elders',
    'care_devices',
    'care_alarms',
    'care_reminders',
    'care_visits',
    'points_accounts',
    'points_claims',
    'points_goods',
    'points_redemptions',
    'points_rules',
    'notifications',
    'api_keys',
  ],
  villageId: ['regions'],
  photoId: ['case_photos', 'points_claim_photos'],
  fileId: ['service_application_files'],
};

/** Tables keyed by another table's id. */
const KEY_COLUMNS: Record<string, string> = { care_elders: 'person_id', points_accounts: 'household_id' };

export async function buildFuzzWorld(dialect: DialectName, samples: Samples): Promise<FuzzWorld> {
  const ctx = await buildTestApp(dialect);
  await loadDemoCounty(ctx.deps);
  const { db } = ctx.deps;
  const region = async (code: string) => {
    const row = await db.selectFrom('regions').select('id').where('code', '=', code).executeTakeFirstOrThrow();
    return { id: row.id } as RegionRecord;
  };
  // The personas are accounts of their own, kept out of the id pools, so that a county
  // administrator's fuzzed request does not disable or re-password the account sending it.
  const admin = await buildUser(ctx.deps, { role: 'countyAdmin', region: await region('500242'), phone: '13911110001' });
  const villager = await buildUser(ctx.deps, { role: 'villager', region: await region('500242105201'), phone: '13911110002' });
  const personaIds = new Set([admin.id, villager.id]);

  const pools: Pools = { ids: [], idsByParam: new Map(), serviceCodes: [] };
  for (const [param, tables] of Object.entries(ID_TABLES)) {
    const ids: string[] = [];
    for (const table of tables) {
      const column = KEY_COLUMNS[table] ?? 'id';
      const rows = await sql<{ id: string }>`select ${sql.ref(column)} as id from ${sql.table(table)} order by 1 limit 12`.execute(db);
      for (const row of rows.rows) if (!personaIds.has(row.id)) ids.push(String(row.id));
    }
    if (param === 'id') pools.ids = ids;
    else pools.idsByParam.set(param, [...ids, ...pools.ids.slice(0, 20)]);
  }
  pools.idsByParam.set('id', pools.ids);
  const codes = await sql<{ code: string }>`select code from case_categories limit 10`.execute(db).catch(() => ({ rows: [] }));
  pools.serviceCodes = codes.rows.map((r) => String(r.code));

  const doc = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenApi;
  // HEAD answers as GET does without a body; the Swagger UI's static files are a library's.
  const routes = ctx.app.routeTable
    .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/api/docs'))
    .map((r) => ({ method: r.method, url: r.url, consumes: r.consumes }));

  const sessions = new Map<Persona, { cookie: string; csrf: string }>();
  const phones: Record<Exclude<Persona, 'anonymous'>, string> = { countyAdmin: admin.phone, villager: villager.phone };
  const signIn = async (persona: Exclude<Persona, 'anonymous'>) => {
    let last = '';
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { phone: phones[persona], password: PASSWORD },
      });
      const cookie = response.cookies.find((c) => c.name === 'cz_session');
      if (response.statusCode === 200 && cookie) {
        sessions.set(persona, { cookie: cookie.value, csrf: (response.json() as { csrfToken: string }).csrfToken });
        return;
      }
      last = `${response.statusCode} ${response.body}`;
      // Fuzzed logins and password changes lock accounts and addresses for a while: wait it out.
      ctx.clock.advance(6 * 3_600_000);
    }
    throw new Error(`the ${persona} persona cannot sign in again: ${last}`);
  };
  await signIn('countyAdmin');
  await signIn('villager');

  const stateChecked = dialect === 'sqlite';
  if (stateChecked) await installWriteTriggers(ctx);

  const send = async (request: FuzzRequest): Promise<LightMyRequestResponse> => {
    const headers: Record<string, string> = {};
    if (request.persona !== 'anonymous') {
      const session = sessions.get(request.persona);
      if (session) {
        headers.cookie = `cz_session=${session.cookie}`;
        headers['x-csrf-token'] = session.csrf;
      }
    }
    const options: InjectOptions = {
      method: request.method as InjectOptions['method'],
      url: request.url,
      headers: { ...headers, ...request.headers },
      payload: request.payload,
    };
    return ctx.app.inject(options);
  };
  // A fuzzed logout, password change or lockout ends a persona's session: sign in again (after the
  // writes of the request itself have been looked at, so the new session is not taken for them).
  const recover = async (request: FuzzRequest, status: number) => {
    if (request.persona !== 'anonymous' && (status === 401 || request.url.startsWith('/api/auth/'))) {
      const session = sessions.get(request.persona);
      const check = await ctx.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: `cz_session=${session?.cookie}` } });
      if (check.statusCode !== 200) await signIn(request.persona);
      if (stateChecked) await readWrites(ctx);
    }
  };

  return {
    ctx,
    doc,
    pools,
    samples,
    routes,
    stateChecked,
    send,
    recover,
    writesSinceLastLook: () => (stateChecked ? readWrites(ctx) : Promise.resolve([])),
    close: () => ctx.close(),
  };
}

/**
 * SQLite in memory has one connection, so temporary triggers on it see every write the app makes:
 * cheaper and more exact than counting or hashing every table after each request.
 */
async function installWriteTriggers(ctx: TestContext): Promise<void> {
  const { db } = ctx.deps;
  await sql`create temp table fuzz_writes (tbl text not null, op text not null)`.execute(db);
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
  for (const { name } of tables.rows) {
    for (const op of ['insert', 'update', 'delete']) {
      await sql
        .raw(
          `create temp trigger "fuzz_${name}_${op}" after ${op} on main."${name}" begin insert into fuzz_writes values ('${name}', '${op}'); end`,
        )
        .execute(db);
    }
  }
}

async function readWrites(ctx: TestContext): Promise<string[]> {
  const { db } = ctx.deps;
  const rows = await sql<{ tbl: string; op: string; n: number }>`select tbl, op, count(*) as n from fuzz_writes group by tbl, op`.execute(
    db,
  );
  if (rows.rows.length === 0) return [];
  await sql`delete from fuzz_writes`.execute(db);
  return rows.rows.map((r) => `${r.op} ${r.tbl} x${r.n}`);
}

/** Routes whose answers are files, bounded by FILE_SIZE_BOUND rather than JSON_SIZE_BOUND. */
function isFileAnswer(response: LightMyRequestResponse): boolean {
  const type = String(response.headers['content-type'] ?? '');
  return !type.includes('json') && !type.startsWith('text/plain') && !type.startsWith('text/html');
}

/**
 * An event stream never ends by design (the platform's events, and the calls' signalling stream);
 * it is fuzzed as nobody only (who is refused at once).
 */
function isStream(route: RouteEntry): boolean {
  return route.method === 'GET' && /^\/api\/(events|care\/calls\/stream)\/?$/.test(route.url);
}

function describeRequest(request: FuzzRequest): string {
  const body =
    request.payload === undefined
      ? ''
      : typeof request.payload === 'string'
        ? ` body=${request.payload.length > 300 ? `${request.payload.slice(0, 300)}…(${request.payload.length} chars)` : request.payload}`
        : ` body=<${request.payload.length} bytes>`;
  const url = request.url.length > 400 ? `${request.url.slice(0, 400)}…(${request.url.length} chars)` : request.url;
  return `[${request.persona}] ${request.method} ${url} headers=${JSON.stringify(request.headers)}${body}`;
}

export async function fuzzWorld(
  world: FuzzWorld,
  options: { runsPerRoute: number; seed: number; progress?: (line: string) => void },
): Promise<FuzzReport> {
  const started = performance.now();
  const findings: Finding[] = [];
  const results: RouteResult[] = [];
  await world.writesSinceLastLook();
  for (const [index, route] of world.routes.entries()) {
    const label = `${route.method} ${route.url}`;
    const arb = requestArb(route, world.doc, world.pools, world.samples).filter((r) => !isStream(route) || r.persona === 'anonymous');
    const requests = fc.sample(arb, { numRuns: options.runsPerRoute, seed: options.seed + index });
    const result: RouteResult = { route: label, cases: 0, statuses: {}, maxBytes: 0, maxMs: 0 };
    for (const request of requests) {
      const t0 = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'hang'>((resolve) => {
        timer = setTimeout(() => resolve('hang'), TIME_BOUND_MS);
      });
      const response = await Promise.race([world.send(request), timeout]);
      clearTimeout(timer);
      const ms = performance.now() - t0;
      result.cases++;
      result.maxMs = Math.max(result.maxMs, ms);
      const add = (kind: FindingKind, detail: string) => findings.push({ kind, route: label, request: describeRequest(request), detail });
      if (response === 'hang') {
        result.statuses.hang = (result.statuses.hang ?? 0) + 1;
        add('hang', `no answer in ${TIME_BOUND_MS} ms`);
        continue;
      }
      const status = response.statusCode;
      result.statuses[`${Math.floor(status / 100)}xx`] = (result.statuses[`${Math.floor(status / 100)}xx`] ?? 0) + 1;
      const bytes = response.rawPayload.length;
      result.maxBytes = Math.max(result.maxBytes, bytes);
      if (status >= 500) add('5xx', `${status} ${response.body.slice(0, 300)}`);
      const bound = isFileAnswer(response) ? FILE_SIZE_BOUND : JSON_SIZE_BOUND;
      if (bytes > bound) add('oversize', `${bytes} bytes (${response.headers['content-type']})`);
      if (status >= 400 && status < 500) {
        if (route.url.startsWith('/api/')) {
          const parsed = safeJson(response.body) as { error?: { code?: unknown; message?: unknown } } | undefined;
          if (typeof parsed?.error?.code !== 'string' || typeof parsed.error.message !== 'string') {
            add('shape', `${status} ${response.body.slice(0, 200)}`);
          }
        }
        const echoed = request.markers.filter((m) => response.body.includes(m));
        if (echoed.length > 0)
          add('echo', `${status} repeats ${JSON.stringify(echoed.map((e) => e.slice(0, 40)))}: ${response.body.slice(0, 200)}`);
      }
      const writes = await world.writesSinceLastLook();
      if (status >= 400 && status < 500) {
        const forbidden = writes.filter((w) => !allowedOnRefusal(route, w));
        if (forbidden.length > 0) add('stateChange', `${status} yet wrote: ${forbidden.join(', ')}`);
      }
      await world.recover(request, status);
    }
    results.push(result);
    options.progress?.(`${label}: ${result.cases} cases ${JSON.stringify(result.statuses)}`);
  }
  return {
    dialect: world.ctx.deps.dialect as DialectName,
    routes: results,
    findings,
    stateChecked: world.stateChecked,
    ms: performance.now() - started,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A tiny real JPEG and PNG, made once by sharp so uploads can get past the type sniffing. */
export async function makeSamples(): Promise<Samples> {
  const sharp = (await import('sharp')).default;
  const image = sharp({ create: { width: 8, height: 8, channels: 3, background: '#6a8' } });
  return { jpeg: await image.clone().jpeg().toBuffer(), png: await image.clone().png().toBuffer() };
}

export function summarise(report: FuzzReport): string[] {
  const count = (kind: FindingKind) => report.findings.filter((f) => f.kind === kind).length;
  const cases = report.routes.reduce((n, r) => n + r.cases, 0);
  const perRoute = report.routes.length > 0 ? Math.round(cases / report.routes.length) : 0;
  return [
    `fuzz (${report.dialect}): ${report.routes.length} routes, ${perRoute} cases per route, ${cases} cases in ${(report.ms / 1000).toFixed(1)} s`,
    `  5xx found: ${count('5xx')}`,
    `  hangs (> ${TIME_BOUND_MS / 1000} s): ${count('hang')}`,
    `  oversize answers (> 1 MB JSON, > 20 MB files): ${count('oversize')}`,
    `  state changes on refusal: ${report.stateChecked ? count('stateChange') : 'not checked on this dialect'}`,
    `  4xx echoing hostile input: ${count('echo')}`,
    `  4xx without the {error:{code,message}} shape: ${count('shape')}`,
  ];
}
