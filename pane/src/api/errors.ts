/**
 * Typed API failures, so screens can say the right thing without parsing messages:
 * the API is down, the person is signed out, has no access, sent something invalid, or asked for a
 * workflow step the campaign's status does not allow.
 *
 * Every API error body is `{ error: { code, message, request_id, details?, ...extra } }`
 * (api/src/lib/errors.ts); `requestId` is kept so a person can quote it to support.
 */

/** One problem with one input, from `details`. `row` is set when the field names a row (`rows.3.name`). */
export interface FieldProblem {
  field: string;
  message: string;
  /** 0-based index into the rows of the request, when the field path starts with `rows.N` / `rows[N]`. */
  row?: number;
  /** The field inside that row (`customizations.sale_type`). */
  rowField?: string;
}

export interface ApiErrorInit {
  status: number;
  code: string;
  message: string;
  requestId?: string;
  details?: FieldProblem[];
  extra?: Record<string, unknown>;
}

export class StoreSyncApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly details: FieldProblem[];
  readonly extra: Record<string, unknown>;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.name = 'StoreSyncApiError';
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.details = init.details ?? [];
    this.extra = init.extra ?? {};
  }
}

/** No answer (network down, CORS, DNS) or a 502/503/504 from a proxy or the API itself. */
export class ApiUnreachableError extends StoreSyncApiError {
  constructor(init: Partial<ApiErrorInit> = {}) {
    super({
      status: init.status ?? 0,
      code: init.code ?? 'unreachable',
      message: init.message ?? 'StoreSync cannot be reached. Check your connection and try again.',
      ...(init.requestId ? { requestId: init.requestId } : {}),
    });
    this.name = 'ApiUnreachableError';
  }
}

/**
 * The transport cannot stream server-sent events: the host's fetch answers only once a response
 * is complete (Apps Script's UrlFetchApp), or something between the pane and the API answered
 * with another content type. The pane polls the change feed instead.
 */
export class StreamUnavailableError extends StoreSyncApiError {
  constructor(message = 'Live updates cannot stream here; StoreSync checks for changes every few seconds instead.') {
    super({ status: 0, code: 'stream_unavailable', message });
    this.name = 'StreamUnavailableError';
  }
}

/** No session, or the session ended (refresh token expired or revoked): sign in again. */
export class SignedOutError extends StoreSyncApiError {
  constructor(
    message = 'You are signed out. Sign in again to continue.',
    requestId?: string,
    /** What the API said (`Email or password is wrong`), for the sign-in form. */
    readonly serverMessage?: string,
  ) {
    super({ status: 401, code: 'unauthenticated', message, ...(requestId ? { requestId } : {}) });
    this.name = 'SignedOutError';
  }
}

/** Sign-in refused: wrong email or password, or a deactivated account. */
export class InvalidCredentialsError extends StoreSyncApiError {
  constructor(message = 'Email or password is wrong.', requestId?: string) {
    super({ status: 401, code: 'invalid_credentials', message, ...(requestId ? { requestId } : {}) });
    this.name = 'InvalidCredentialsError';
  }
}

/** 403, or 404: the API answers 404 for things outside your brands so their existence does not leak. */
export class NoAccessError extends StoreSyncApiError {
  constructor(init: ApiErrorInit) {
    super(init);
    this.name = 'NoAccessError';
  }
}

/** 400 `validation_failed` (or another 400): `details` say which field, and for bulk requests which row. */
export class ValidationError extends StoreSyncApiError {
  constructor(init: ApiErrorInit) {
    super(init);
    this.name = 'ValidationError';
  }
}

/** 409: most often `invalid_transition`, with the status the campaign is in and the actions it allows. */
export class ConflictError extends StoreSyncApiError {
  constructor(init: ApiErrorInit) {
    super(init);
    this.name = 'ConflictError';
  }

  get currentStatus(): string | undefined {
    return typeof this.extra.current_status === 'string' ? this.extra.current_status : undefined;
  }

  get allowedActions(): string[] {
    const allowed = this.extra.allowed_actions;
    return Array.isArray(allowed) ? allowed.filter((action): action is string => typeof action === 'string') : [];
  }
}

/** 429: too many sign-in attempts or requests; `retryAfterSeconds` from the Retry-After header. */
export class RateLimitedError extends StoreSyncApiError {
  constructor(
    init: ApiErrorInit,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(init);
    this.name = 'RateLimitedError';
  }
}

const ROW_PATH = /^rows(?:\.(\d+)|\[(\d+)\])(?:\.(.+))?$/;

/** `rows.3.customizations.sale_type` → row 3, field `customizations.sale_type`. */
export function parseFieldProblem(raw: unknown): FieldProblem | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { field, message } = raw as { field?: unknown; message?: unknown };
  if (typeof message !== 'string') return null;
  const path = typeof field === 'string' ? field : '';
  const match = ROW_PATH.exec(path);
  const problem: FieldProblem = { field: path, message };
  if (match) {
    problem.row = Number(match[1] ?? match[2]);
    if (match[3]) problem.rowField = match[3];
  }
  return problem;
}

/** Builds the typed error for a non-2xx response body (already parsed, or `undefined` when it was not JSON). */
export function errorFromResponse(status: number, body: unknown, retryAfter: string | null): StoreSyncApiError {
  const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined;
  const fields = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const { code, message, request_id: requestId, details, ...extra } = fields;
  const init: ApiErrorInit = {
    status,
    code: typeof code === 'string' ? code : `http_${status}`,
    message: typeof message === 'string' && message ? message : `StoreSync answered ${status}.`,
    ...(typeof requestId === 'string' && requestId ? { requestId } : {}),
    details: Array.isArray(details) ? details.map(parseFieldProblem).filter((problem): problem is FieldProblem => problem !== null) : [],
    extra,
  };
  if (status === 401) return new SignedOutError(undefined, init.requestId, typeof message === 'string' ? message : undefined);
  if (status === 403 || status === 404) return new NoAccessError(init);
  if (status === 409) return new ConflictError(init);
  if (status === 429) {
    const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
    return new RateLimitedError(init, Number.isFinite(seconds) ? seconds : undefined);
  }
  if (status === 502 || status === 503 || status === 504) return new ApiUnreachableError(init);
  if (status >= 400 && status < 500) return new ValidationError(init);
  return new StoreSyncApiError(init);
}

/** One sentence for the person at the sheet, whatever went wrong. */
export function describeError(error: unknown): string {
  if (error instanceof SignedOutError || error instanceof ApiUnreachableError) return error.message;
  if (error instanceof NoAccessError) {
    return error.status === 403
      ? `You do not have access to do this. ${error.message}`
      : 'StoreSync could not find it, or you no longer have access to it (for example, to this brand).';
  }
  if (error instanceof RateLimitedError) {
    return error.retryAfterSeconds ? `${error.message} Try again in ${Math.ceil(error.retryAfterSeconds / 60)} min.` : error.message;
  }
  if (error instanceof StoreSyncApiError) {
    const details = error.details.map((detail) => (detail.field ? `${detail.field}: ${detail.message}` : detail.message));
    const text = [error.message, ...details].join(' ');
    return error.status >= 500 && error.requestId ? `${text} (request ${error.requestId})` : text;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
