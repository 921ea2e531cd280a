// Every input a route declares is bounded, so that no string, number, list or map can reach the
// database larger than its column or the server larger than its memory. Checked over the OpenAPI
// document, so a route added later is held to it without anyone remembering to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestContext } from '../../test/build-test-app.ts';

type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

const UNBOUNDED_REPEAT = /(?<!\\)[*+]|\{\d+,\}/;

function typeOf(schema: Schema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
}

function isBoundedString(schema: Schema): boolean {
  if (schema.maxLength !== undefined || schema.enum !== undefined || schema.const !== undefined) return true;
  if (schema.format === 'uuid') return true;
  const pattern = schema.pattern;
  return typeof pattern === 'string' && pattern.startsWith('^') && pattern.endsWith('$') && !UNBOUNDED_REPEAT.test(pattern);
}

/**
 * A schema that says nothing of its value (TypeBox's Type.Unknown or Type.Any) takes anything: a
 * string of any length, any depth of nesting, any keys. None is in a request unless named here with
 * the reason it is safe (its route checks the value itself), by the place the check reports.
 */
const UNKNOWN_ALLOWED: Record<string, string> = {};

function saysNothing(schema: Schema): boolean {
  const shaped = ['type', 'anyOf', 'oneOf', 'allOf', 'enum', 'const', 'properties', '$ref', 'not'];
  return !shaped.some((key) => schema[key] !== undefined);
}

/** Where in a request schema a value could be as large as the sender likes. */
export function unboundedInputs(schema: Schema | undefined, where: string): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const found: string[] = [];
  if (saysNothing(schema) && !(where in UNKNOWN_ALLOWED)) found.push(`${where}: value of any type (unknown)`);
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
    found.push(...unboundedInputs(branch, where));
  const type = typeOf(schema);
  const fixed = schema.enum !== undefined || schema.const !== undefined;
  if (type === 'string' && !isBoundedString(schema)) found.push(`${where}: string without maxLength`);
  if ((type === 'integer' || type === 'number') && !fixed) {
    const low = schema.minimum !== undefined || schema.exclusiveMinimum !== undefined;
    const high = schema.maximum !== undefined || schema.exclusiveMaximum !== undefined;
    if (!low || !high) found.push(`${where}: number without minimum and maximum`);
  }
  if (type === 'array') {
    if (schema.maxItems === undefined) found.push(`${where}: array without maxItems`);
    found.push(...unboundedInputs(schema.items, `${where}[]`));
  }
  if (type === 'object' || schema.properties) {
    for (const [name, property] of Object.entries(schema.properties ?? {})) found.push(...unboundedInputs(property, `${where}.${name}`));
    if (typeof schema.additionalProperties === 'object') {
      if (schema.maxProperties === undefined) found.push(`${where}: map without maxProperties`);
      found.push(...unboundedInputs(schema.additionalProperties, `${where}.*`));
    }
  }
  return found;
}

type Operation = {
  parameters?: { in: string; name: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};

describe('request bounds', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await buildTestApp('sqlite');
  });
  afterAll(async () => ctx.close());

  it('bounds every string, number, list and map of every route in the OpenAPI document', async () => {
    const document = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    const problems: string[] = [];
    let inputs = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path}`;
        for (const parameter of operation.parameters ?? []) {
          inputs++;
          problems.push(...unboundedInputs(parameter.schema, `${route} ${parameter.in} ${parameter.name}`));
        }
        for (const [type, content] of Object.entries(operation.requestBody?.content ?? {})) {
          inputs++;
          problems.push(...unboundedInputs(content.schema, `${route} body (${type})`));
        }
      }
    }
    expect(inputs).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  it('finds what it is meant to find', () => {
    expect(unboundedInputs({ type: 'string' }, 'x')).toHaveLength(1);
    expect(unboundedInputs({ type: 'string', pattern: '^a+$' }, 'x')).toHaveLength(1);
    expect(unboundedInputs({ type: 'string', pattern: '^[0-9]{5,20}$' }, 'x')).toEqual([]);
    expect(unboundedInputs({ type: ['integer', 'null'], minimum: 1 }, 'x')).toHaveLength(1);
    expect(unboundedInputs({ type: 'array', maxItems: 3, items: { type: 'string' } }, 'x')).toHaveLength(1);
    expect(unboundedInputs({ type: 'object', additionalProperties: { type: 'string', maxLength: 3 } }, 'x')).toHaveLength(1);
    // Type.Unknown(), alone, as a property or as the values of a bounded map.
    expect(unboundedInputs({}, 'x')).toHaveLength(1);
    expect(unboundedInputs({ type: 'object', properties: { details: { description: 'anything' } } }, 'x')).toEqual([
      'x.details: value of any type (unknown)',
    ]);
    expect(unboundedInputs({ type: 'object', maxProperties: 20, additionalProperties: {} }, 'x')).toHaveLength(1);
    expect(unboundedInputs({ anyOf: [{ type: 'string', maxLength: 3 }, { type: 'null' }] }, 'x')).toEqual([]);
  });
});
