import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type ErrorCode, errorMessage, languageOf } from './errors.ts';

type ValidationIssue = { instancePath?: string; message?: string; params?: Record<string, unknown> };

const NAMED_SEGMENT = /^(?:[A-Za-z_][A-Za-z0-9_-]{0,63}|\d{1,6})$/;

/** `body.readings.3.kind`: the path as the schema names it; a segment that is not a plain name came from the input and is not repeated. */
function fieldName(part: string, instancePath: string): string {
  const segments = instancePath.split('/').filter(Boolean);
  return [part, ...segments.map((segment) => (NAMED_SEGMENT.test(segment) ? segment : '…'))].join('.');
}

/** One shape for every error; 5xx are logged in full and masked to the client. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const language = languageOf(request.headers['accept-language']);
    let code: ErrorCode;
    let status: number;
    let details: unknown;
    let params: Record<string, string | number> = {};

    if (error instanceof AppError) {
      ({ code, status, details, params } = error);
    } else if (error.validation) {
      code = 'validation_failed';
      status = 400;
      // Validation stops at the first problem (platform/request-validation.ts): one detail, naming
      // the field by the schema's words and never repeating what was sent.
      details = (error.validation as ValidationIssue[]).slice(0, 1).map((issue) => ({
        field: fieldName(error.validationContext ?? 'body', issue.instancePath ?? ''),
        problem: issue.message,
      }));
    } else if (error.statusCode === 429) {
      code = 'rate_limited';
      status = 429;
    } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      code = 'payload_too_large';
      status = 413;
    } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      code = 'unsupported_media_type';
      status = 415;
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Parser errors (broken JSON, a wrong length) quote the input in their message: say only what failed.
      code = 'validation_failed';
      status = error.statusCode;
      details = [{ field: 'body', problem: 'could not be read' }];
    } else {
      request.log.error({ err: error }, 'unhandled error');
      code = 'internal_error';
      status = 500;
    }
    if (status >= 500 && error instanceof AppError) request.log.error({ err: error }, 'server error');
    reply.status(status).send({ error: { code, message: errorMessage(code, language, params), details } });
  });
}
