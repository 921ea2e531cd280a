// Which bodies a route takes is part of its declaration: `schema.consumes` lists the media types
// (the OpenAPI document shows the same list), and a route that lists none takes JSON only. The
// check runs before the body is read, so a picture, a spreadsheet or a megabyte of text sent to a
// JSON route is refused at once, without reading it, parsing it or validating it byte by byte.
// Runs after the session is resolved (auth plugin, onRequest), before the body is read.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

const JSON_ONLY = ['application/json'];
/** Small structured bodies any caller may send; everything else is an upload. */
const STRUCTURED = new Set(['application/json', 'application/fhir+json', 'application/x-www-form-urlencoded']);

/** The media type without parameters, lower case: `Image/JPEG; q=1` is `image/jpeg`. */
export function mediaTypeOf(header: string | undefined): string | undefined {
  const essence = header?.split(';', 1)[0]?.trim().toLowerCase();
  return essence || undefined;
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return request.headers['transfer-encoding'] !== undefined;
}

export function acceptedBodyTypes(request: FastifyRequest): string[] {
  const consumes = (request.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes;
  return consumes && consumes.length > 0 ? consumes : JSON_ONLY;
}

export function installBodyTypeRule(app: FastifyInstance): void {
  app.addHook('preParsing', async (request) => {
    if (!hasBody(request)) return;
    // No route takes this request: it is answered as not found without its body being read (a
    // media type the routes' list would refuse must not turn a 404 into a 415).
    if (request.is404) throw new AppError('route_not_found');
    const type = mediaTypeOf(request.headers['content-type']);
    if (type === undefined || !acceptedBodyTypes(request).includes(type)) throw new AppError('unsupported_media_type');
    // Uploads (pictures, documents, spreadsheets) are read only for a caller who has signed in or
    // shows a key: nobody anonymous makes the server read and parse megabytes.
    if (!STRUCTURED.has(type) && !request.principal && request.headers.authorization === undefined) {
      throw new AppError(request.sessionExpired ? 'session_expired' : 'not_authenticated');
    }
  });
}
