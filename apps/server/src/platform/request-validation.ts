// How every route's input is checked. Bodies are taken as sent: JSON has types, so `true` is never
// a quantity and "5" is never a number (no coercion). Query strings, path parameters and headers
// are text by nature and are coerced to the schema's types. Validation stops at the first problem,
// so a hostile body costs one error, not one per byte, and no problem repeats the input. Text may
// not carry control characters (NUL breaks PostgreSQL, the rest break XML and terminals) nor
// bidirectional overrides; tab and line breaks are text.
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';

const COMMON: Options = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false };

function ajvWith(options: Options): Ajv {
  const ajv = new Ajv({ ...COMMON, ...options });
  addFormats.default(ajv);
  return ajv;
}

// C0 and C1 controls and DEL (tab and line breaks are text), and the bidirectional embeddings,
// overrides and isolates that make text read differently from what it holds (a reversed file name
// or number). Joiners stay: emoji and some scripts need them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters refused
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * The JSON pointer of the first string holding a control character, or undefined. The pointer is
 * built only for what is found: every body of every write passes here (a gateway's batch of 100
 * readings is 600 values), and most hold none.
 */
export function findControlCharacter(value: unknown): string | undefined {
  const path = pathToControlCharacter(value);
  return path === undefined
    ? undefined
    : path
        .reverse()
        .map((step) => `/${step}`)
        .join('');
}

/** The steps (innermost first) to the first string or key holding a control character. */
function pathToControlCharacter(value: unknown): (string | number)[] | undefined {
  if (typeof value === 'string') return CONTROL_CHARACTER.test(value) ? [] : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathToControlCharacter(value[i]);
      if (found !== undefined) {
        found.push(i);
        return found;
      }
    }
  } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (CONTROL_CHARACTER.test(key)) return [];
      const found = pathToControlCharacter((value as Record<string, unknown>)[key]);
      if (found !== undefined) {
        found.push(key);
        return found;
      }
    }
  }
  return undefined;
}

type Validator = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };

function withTextRule(validate: ValidateFunction): Validator {
  const check: Validator = (data) => {
    if (!validate(data)) {
      check.errors = validate.errors;
      return false;
    }
    const at = findControlCharacter(data);
    if (at === undefined) {
      check.errors = null;
      return true;
    }
    check.errors = [
      { instancePath: at, keyword: 'controlCharacter', schemaPath: '#', message: 'must not contain control characters', params: {} },
    ];
    return false;
  };
  return check;
}

/**
 * Validators already compiled in this process, by schema object and part: the schemas are the
 * contracts' module-level objects, so an app built again (the tests build one per database and
 * file) reuses them instead of compiling every route again, a third of building the app. A schema
 * object made afresh per build (Fastify's copy of a header schema) is compiled again; the map
 * holds it only as long as the schema lives.
 */
const compiled = new WeakMap<object, Map<string, Validator>>();
let compilers: { strict: Ajv; textual: Ajv } | undefined;

/** One compiler for the whole app: strict for bodies, coercing for the parts that are text. */
export function requestValidatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  compilers ??= { strict: ajvWith({ coerceTypes: false }), textual: ajvWith({ coerceTypes: 'array' }) };
  const { strict, textual } = compilers;
  return ({ schema, httpPart }) => {
    const part = httpPart === 'body' ? 'body' : 'text';
    const known = compiled.get(schema as object) ?? new Map<string, Validator>();
    compiled.set(schema as object, known);
    let validator = known.get(part);
    if (!validator) {
      // Ajv keeps what it compiled by schema object as well; forgetting it leaves the map above as the only holder.
      const ajv = part === 'body' ? strict : textual;
      validator = withTextRule(ajv.compile(schema as object));
      ajv.removeSchema(schema as object);
      known.set(part, validator);
    }
    return validator;
  };
}
