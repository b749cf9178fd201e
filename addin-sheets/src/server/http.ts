/**
 * Every HTTP request of the add-in: UrlFetchApp, to the StoreSync API only.
 *
 * - `muteHttpExceptions: true`, so a 4xx/5xx comes back as a response and is explained by
 *   {@link failureMessage} instead of Apps Script's generic "Request failed … returned code 500".
 * - The URL is the document's API URL (StoreSync → Settings) and must start with one of the
 *   manifest's `urlFetchWhitelist` prefixes; a request outside them is refused here with the fix,
 *   rather than by Apps Script with a bare permission error.
 * - Each fetch counts against the day's URL fetch budget (budget.ts); Apps Script's own
 *   "Service invoked too many times for one day: urlfetch" becomes a {@link FetchBudgetError}.
 */
import { BUILD } from './config.ts';
import { recordFetch, markBudgetExhausted, FetchBudgetError } from './budget.ts';
import { API_URL_SETTING, documentStore, readJson } from './storage.ts';

export { FetchBudgetError };

export interface ApiAnswer {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
  headers: Record<string, string>;
}

/** The API could not be reached at all (network, DNS, TLS, timeout, a URL Apps Script refuses). */
export class ApiUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiUnreachableError';
  }
}

/** An answer of the API that is not a success, with the API's own message. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined,
    readonly requestId: string | undefined,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Whether `url` (with a trailing slash) starts with one of the manifest's whitelisted prefixes. */
export function isAllowedApiUrl(url: string): boolean {
  const withSlash = `${stripSlash(url)}/`;
  return BUILD.allowedApiPrefixes.some((prefix) => withSlash.startsWith(prefix));
}

/** The API origin for this document: the saved setting, else the one the add-in was built with. */
export function apiBaseUrl(): string {
  const saved = readJson<string>(documentStore(), API_URL_SETTING);
  return stripSlash(typeof saved === 'string' && saved.trim() !== '' ? saved.trim() : BUILD.apiUrl);
}

/** Validates and normalises an API URL a person typed in Settings. */
export function normaliseApiUrl(input: string): string {
  const url = stripSlash(String(input ?? '').trim());
  if (!/^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(url)) throw new Error(`"${input}" is not an https:// address. Enter the StoreSync address, e.g. ${BUILD.apiUrl}.`);
  if (!isAllowedApiUrl(url)) {
    throw new Error(`This copy of the add-in may only reach ${BUILD.allowedApiPrefixes.join(', ')} (its urlFetchWhitelist). Ask whoever deployed it to add ${url}/ and deploy again.`);
  }
  return url;
}

function headerMap(response: GoogleAppsScript.URL_Fetch.HTTPResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = response.getHeaders() as Record<string, unknown>;
  for (const [name, value] of Object.entries(raw)) headers[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  return headers;
}

function describeThrown(error: unknown, url: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/too many times for one day: urlfetch/i.test(message)) {
    markBudgetExhausted();
    return new FetchBudgetError('Google’s daily limit of URL fetches for your account is used up; StoreSync can reach its server again tomorrow.');
  }
  if (/timeout|timed out/i.test(message)) return new ApiUnreachableError(`StoreSync at ${url} did not answer in time. Try again in a moment.`, { cause: error });
  if (/whitelist|allowlist|not allowed|permission/i.test(message)) {
    return new ApiUnreachableError(`Apps Script refused to call ${url} (${message}). The add-in's urlFetchWhitelist must include the StoreSync address.`, { cause: error });
  }
  return new ApiUnreachableError(`StoreSync cannot be reached at ${url} (${message}). Check the address in StoreSync → Settings and your connection, then try again.`, { cause: error });
}

export interface FetchOptions {
  body?: unknown;
  token?: string | null;
}

/** One request to the API: `path` starts with `/api/v1/`. Never throws for an HTTP status. */
export function fetchApi(method: string, path: string, options: FetchOptions = {}): ApiAnswer {
  const base = apiBaseUrl();
  if (!isAllowedApiUrl(base)) {
    throw new ApiUnreachableError(`The StoreSync address ${base} is not one this add-in may call (${BUILD.allowedApiPrefixes.join(', ')}). Fix it in StoreSync → Settings.`);
  }
  const url = base + path;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const params: GoogleAppsScript.URL_Fetch.URLFetchRequestOptions = {
    method: method.toLowerCase() as GoogleAppsScript.URL_Fetch.HttpMethod,
    headers,
    muteHttpExceptions: true,
    followRedirects: false,
  };
  if (options.body !== undefined) {
    params.contentType = 'application/json';
    params.payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  recordFetch();
  let response: GoogleAppsScript.URL_Fetch.HTTPResponse;
  try {
    response = UrlFetchApp.fetch(url, params);
  } catch (error) {
    throw describeThrown(error, url);
  }
  const text = response.getContentText();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.getResponseCode(), text, json, headers: headerMap(response) };
}

interface ErrorBody {
  error?: { code?: string; message?: string; request_id?: string; details?: { field?: string; message?: string }[] };
}

/** What a failed answer means, in words for the person at the sheet. */
export function failureMessage(answer: ApiAnswer): string {
  const body = (answer.json ?? {}) as ErrorBody;
  const said = body.error?.message;
  const details = (body.error?.details ?? []).map((detail) => (detail.field ? `${detail.field}: ${detail.message ?? ''}` : detail.message ?? '')).filter(Boolean);
  const server = said ? `${said}${details.length ? ` (${details.join('; ')})` : ''}` : '';
  const reference = body.error?.request_id ?? answer.headers['x-request-id'];
  const quote = reference ? ` (request ${reference})` : '';
  if (answer.json === undefined && answer.text !== '' && answer.status < 500) {
    return `The StoreSync address answered with something that is not the StoreSync API (HTTP ${answer.status}). Check the address in StoreSync → Settings.`;
  }
  switch (answer.status) {
    case 400:
      return `StoreSync refused the request: ${server || 'it was not valid'}.`;
    case 401:
      return 'Your StoreSync session ended. Open StoreSync and sign in again.';
    case 403:
      return `You do not have permission for this in StoreSync${server ? `: ${server}` : ''}.`;
    case 404:
      return `StoreSync could not find it, or you no longer have access to it${server ? `: ${server}` : ''}.`;
    case 409:
      return `It changed in StoreSync meanwhile: ${server || 'conflict'}. Sync and try again.`;
    case 413:
      return 'The request is too large for StoreSync; sync fewer rows at a time.';
    case 429: {
      const wait = answer.headers['retry-after'];
      return `StoreSync is busy${wait ? `; try again in ${wait} seconds` : '; try again shortly'}.`;
    }
    default:
      if (answer.status >= 500) return `StoreSync had a problem (HTTP ${answer.status})${quote}. Try again; if it persists, tell your administrator.`;
      return `StoreSync answered HTTP ${answer.status}${server ? `: ${server}` : ''}${quote}.`;
  }
}

export function requestError(answer: ApiAnswer): ApiRequestError {
  const body = (answer.json ?? {}) as ErrorBody;
  return new ApiRequestError(answer.status, failureMessage(answer), body.error?.code, body.error?.request_id ?? answer.headers['x-request-id']);
}

/** The answer's JSON for a 2xx, else an {@link ApiRequestError} explaining the failure. */
export function expectJson<T>(answer: ApiAnswer): T {
  if (answer.status >= 200 && answer.status < 300) {
    if (answer.json === undefined && answer.text !== '') throw requestError({ ...answer, status: 502 });
    return answer.json as T;
  }
  throw requestError(answer);
}

/** Builds `/api/v1/path?query` with the query percent-encoded (Apps Script has no URLSearchParams). */
export function apiPath(path: string, query: Record<string, string | number | boolean | null | undefined> = {}): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  }
  return `/api/v1${path}${parts.length ? `?${parts.join('&')}` : ''}`;
}
