import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { AppError, ERROR_CATALOG, codeForStatus, problemOf, type ErrorCode } from './errors.js';
import { isDependencyOutage } from './outage.js';

const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/**
 * The one place errors become HTTP responses. Expected failures (`AppError`), schema
 * failures and the framework's own 4xx errors keep their status and get a catalog code;
 * anything else is a bug: logged in full, answered with a bare 500.
 */
export function installProblemJson(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      void reply.headers(error.headers);
      return sendProblem(reply, error.code, error.detail, error.status);
    }
    if (error.validation) {
      return sendProblem(reply, 'invalid_request', describeValidationError(error));
    }
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return sendProblem(reply, codeForStatus(status), error.message, status);
    }
    if (isDependencyOutage(error)) {
      // Storage is away or cannot take writes: nothing was acknowledged, and a retry will work later.
      request.log.warn({ err: error }, 'dependency unavailable');
      void reply.header('retry-after', '1');
      return sendProblem(reply, 'unavailable', 'A storage service is unavailable right now; retry shortly.');
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, 'internal_error', 'The server hit an unexpected error; it has been logged.');
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 'not_found', `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`),
  );
}

export function sendProblem(reply: FastifyReply, code: ErrorCode, detail: string, status?: number): FastifyReply {
  const problem = problemOf(code, detail, status);
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/** OpenAPI/serialization schema of a problem+json body. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    // Listed, so that clients generated from /openapi.json know every code they may meet.
    code: Type.Union(Object.keys(ERROR_CATALOG).map((code) => Type.Literal(code))),
    detail: Type.String(),
  },
  { description: 'RFC 9457 problem details; `code` is from the error catalog' },
);

/** Response schemas for the error statuses a route documents. */
export function problemResponses(...statuses: number[]): Record<number, typeof ProblemSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ProblemSchema]));
}

/** Ajv's "must NOT have additional properties" does not say which: name it. */
function describeValidationError(error: FastifyError): string {
  const extra = error.validation?.find((issue) => issue.keyword === 'additionalProperties')?.params as
    | { additionalProperty?: string }
    | undefined;
  return extra?.additionalProperty ? `${error.message}: "${extra.additionalProperty}" is not accepted` : error.message;
}
