// Open311 GeoReport v2 at /open311/v2 (wiki.open311.org/GeoReport_v2): reports from other systems
// enter the same case workflow. JSON or XML by the extension; errors as [{code, description}] with a
// 4xx status. Reading needs no api_key, as the specification says: without one a client sees what
// the village affairs pages show anyone; with one, what the key's account may read. Posting needs a key.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { idempotencyKeyOf } from '../../platform/context.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, errorMessage } from '../../platform/errors.ts';
import { apiKeyOf, Open311Error, parseForm, type RawFields } from './open311.input.ts';
import * as open311 from './open311.service.ts';
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

  app.get<{ Params: { format: string } }>(
    '/services.:format',
    { config: { access: 'key:open311' }, schema: { hide: true } },
    async (request, reply) => {
      const format = formatOf(request.params.format);
      return send(reply, format, 'services', await open311.listServices(deps));
    },
  );

  app.get<{ Params: { code: string; format: string } }>(
    '/services/:code.:format',
    { config: { access: 'key:open311' }, schema: { hide: true } },
    async (request, reply) => {
      const format = formatOf(request.params.format);
      return send(reply, format, 'service_definition', await open311.describeService(deps, request.params.code));
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
      const key = apiKeyOf(fields);
      if (key === undefined) throw new Open311Error(403, 'api_key is required to post a service request');
      const context = { ip: request.ip, requestId: request.id, idempotencyKey: idempotencyKeyOf(request) };
      return send(reply, format, 'service_requests', await open311.submitRequest(deps, key, fields, context), 201);
    },
  );

  app.get<{ Params: { format: string } }>(
    '/requests.:format',
    { config: { access: 'key:open311' }, schema: { hide: true } },
    async (request, reply) => {
      const format = formatOf(request.params.format);
      const fields = request.query as RawFields;
      return send(reply, format, 'service_requests', await open311.findRequests(deps, apiKeyOf(fields), fields));
    },
  );

  app.get<{ Params: { id: string; format: string } }>(
    '/requests/:id.:format',
    { config: { access: 'key:open311' }, schema: { hide: true } },
    async (request, reply) => {
      const format = formatOf(request.params.format);
      const found = await open311.findRequest(deps, apiKeyOf(request.query as RawFields), request.params.id);
      return send(reply, format, 'service_requests', found);
    },
  );
};
