/** Maps errors to RFC 9457 problem+json responses. DomainError codes decide the status; unknown errors are a bare 500. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { isDomainError, type ErrorCode, type FieldIssue, type ReasonCode } from '../domain/errors.ts';
import { fieldIssueOf } from '../services/validation.ts';

const STATUS: Record<ErrorCode, number> = {
  INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  LOCKED: 423,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

const TITLES: Record<number, string> = {
  400: 'The request is invalid',
  401: 'Authentication is required',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Too large',
  414: 'Address too long',
  415: 'Unsupported media type',
  423: 'Locked',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  requestId?: string;
  /** Why, as a stable code, for a refusal of a known kind (REASON_CODES). */
  reason?: ReasonCode;
  issues?: FieldIssue[];
}

export function problem(
  status: number,
  code: string,
  detail: string | undefined,
  req: FastifyRequest,
  issues?: FieldIssue[],
): ProblemBody {
  return {
    type: `https://custos.invalid/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    ...(detail !== undefined && { detail }),
    instance: req.url.split('?')[0],
    code,
    requestId: String(req.id),
    ...(issues && issues.length > 0 && { issues }),
  };
}

export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.code(body.status).type('application/problem+json; charset=utf-8').send(body);
}

/** The part of the request a schema validated (`querystring` is Fastify's name for the query). */
function requestPart(req: FastifyRequest, context: string): unknown {
  if (context === 'body') return req.body;
  if (context === 'querystring') return req.query;
  if (context === 'params') return req.params;
  if (context === 'headers') return req.headers;
  return undefined;
}

/** The value at a path of parsed input, undefined when any step is missing. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** The Fastify error handler. */
export function handleError(error: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isDomainError(error)) {
    const status = STATUS[error.code];
    if (status >= 500) req.log.warn({ err: error }, 'domain error');
    const body = problem(status, error.code, error.message, req, [...error.issues]);
    return sendProblem(reply, error.reason ? { ...body, reason: error.reason } : body);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as unknown as { validationContext?: string }).validationContext ?? 'body';
    const sent = requestPart(req, context);
    const issues = error.validation.map((v): FieldIssue => {
      // fastify-type-provider-zod gives each zod issue as keyword (its code), instancePath and params (the rest)
      const path = v.instancePath.split('/').filter(Boolean);
      const issue = {
        ...v.params,
        code: v.keyword,
        path,
        message: v.message ?? 'invalid',
      } as z.core.$ZodIssue;
      return fieldIssueOf(issue, [context], valueAt(sent, path));
    });
    return sendProblem(
      reply,
      problem(
        400,
        'INVALID',
        `The ${context} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        req,
        issues,
      ),
    );
  }
  const status = error.statusCode ?? 500;
  if (status === 429)
    return sendProblem(
      reply,
      problem(429, 'RATE_LIMITED', 'Too many requests: slow down and retry later.', req),
    );
  if (
    error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ||
    error.code === 'FST_REQ_FILE_TOO_LARGE' ||
    status === 413
  ) {
    return sendProblem(
      reply,
      problem(413, 'TOO_LARGE', 'The request body or upload is larger than the limit.', req),
    );
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
    return sendProblem(
      reply,
      problem(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Send application/json (or multipart/form-data for uploads).',
        req,
      ),
    );
  }
  if (status >= 400 && status < 500) {
    return sendProblem(
      reply,
      problem(status, 'INVALID', error.message, req, [{ path: 'body', message: error.message }]),
    );
  }
  req.log.error({ err: error }, 'unhandled error');
  return sendProblem(
    reply,
    problem(500, 'INTERNAL', 'Something went wrong on our side. Quote the request id if you report it.', req),
  );
}
