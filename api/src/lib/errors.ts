/**
 * One error module: every failure leaves the API as
 * `{ "error": { "code", "message", "request_id", "details"? } }` with a status from the code.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export enum ErrorCode {
  BadRequest = 'bad_request',
  ValidationFailed = 'validation_failed',
  Unauthenticated = 'unauthenticated',
  TokenExpired = 'token_expired',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  MethodNotAllowed = 'method_not_allowed',
  Conflict = 'conflict',
  InvalidTransition = 'invalid_transition',
  PayloadTooLarge = 'payload_too_large',
  RateLimited = 'rate_limited',
  Internal = 'internal_error',
  Unavailable = 'service_unavailable',
}

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.TokenExpired]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.MethodNotAllowed]: 405,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.InvalidTransition]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Internal]: 500,
  [ErrorCode.Unavailable]: 503,
};

/** One problem with one input field, e.g. `{ field: "customizations.sale_type", message: "is required" }`. */
export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: FieldProblem[] | undefined;
  readonly extra: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: FieldProblem[]; extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.code = code;
    this.details = options.details;
    this.extra = options.extra;
    this.headers = options.headers;
  }

  get status(): ContentfulStatusCode {
    return STATUS[this.code];
  }
}

export const notFound = (what: string) => new ApiError(ErrorCode.NotFound, `${what} not found`);
export const forbidden = (message: string) => new ApiError(ErrorCode.Forbidden, message);
export const validationFailed = (details: FieldProblem[], message = 'The request is invalid; see details') =>
  new ApiError(ErrorCode.ValidationFailed, message, { details });

export function errorBody(error: ApiError, requestId: string) {
  return {
    error: {
      code: error.code,
      message: error.message,
      request_id: requestId,
      ...(error.details ? { details: error.details } : {}),
      ...error.extra,
    },
  };
}

export function errorResponse(c: Context, error: ApiError) {
  for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
  return c.json(errorBody(error, c.get('requestId') ?? ''), error.status);
}
