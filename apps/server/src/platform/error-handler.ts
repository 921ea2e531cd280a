import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type ErrorCode, errorMessage, languageOf } from './errors.ts';

type ValidationIssue = { instancePath?: string; message?: string; params?: Record<string, unknown> };

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
      details = (error.validation as ValidationIssue[]).map((issue) => ({
        field: `${error.validationContext ?? 'body'}${issue.instancePath ?? ''}`.replace(/\//g, '.'),
        problem: issue.message,
      }));
    } else if (error.statusCode === 429) {
      code = 'rate_limited';
      status = 429;
    } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      code = 'payload_too_large';
      status = 413;
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      code = 'validation_failed';
      status = error.statusCode;
      details = [{ problem: error.message }];
    } else {
      request.log.error({ err: error }, 'unhandled error');
      code = 'internal_error';
      status = 500;
    }
    if (status >= 500 && error instanceof AppError) request.log.error({ err: error }, 'server error');
    reply.status(status).send({ error: { code, message: errorMessage(code, language, params), details } });
  });
}
