/**
 * A fake UrlFetchApp making REAL HTTP requests, synchronously like Apps Script (sync-http.ts):
 * - only URLs that start with a prefix of the manifest's `urlFetchWhitelist` may be fetched;
 * - without `muteHttpExceptions`, a status of 400 or more throws "Request failed for … returned
 *   code …"; with it, the response comes back whatever its status;
 * - a host that cannot be reached throws "Address unavailable", a slow one "Timeout";
 * - each user may fetch `dailyQuota` times a day (Apps Script: 20,000 for consumer accounts),
 *   then every fetch throws "Service invoked too many times for one day: urlfetch.".
 *
 * The add-in is built for a public https origin; `routes` maps it onto the local API server, the
 * way DNS would. `latencyMs` moves the fake clock forward per request, to play slow networks.
 */
import { appsScriptError, type FakeEnvironment } from './environment.ts';
import type { SyncHttp } from './sync-http.ts';

export interface FetchRecord {
  user: string;
  execution: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  status: number | null;
}

interface FetchParams {
  method?: string;
  payload?: string | Record<string, string>;
  contentType?: string;
  headers?: Record<string, string>;
  muteHttpExceptions?: boolean;
  followRedirects?: boolean;
  validateHttpsCertificates?: boolean;
  escaping?: boolean;
}

const DEADLINE_MS = 60_000;

export class FakeUrlFetchApp {
  readonly requests: FetchRecord[] = [];
  /** Public origin → local origin. */
  readonly routes = new Map<string, string>();
  whitelist: string[] = [];
  dailyQuota = 20_000;
  latencyMs = 0;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly env: FakeEnvironment,
    private readonly http: SyncHttp,
  ) {}

  private quotaKey(user: string): string {
    return `${user}:${new Date(this.env.clock.now()).toISOString().slice(0, 10)}`;
  }

  fetchesToday(user: string): number {
    return this.counts.get(this.quotaKey(user)) ?? 0;
  }

  fetch = (url: string, params: FetchParams = {}) => {
    const execution = this.env.current();
    if (!this.whitelist.some((prefix) => url.startsWith(prefix))) {
      throw appsScriptError(`Script has attempted to call a URL that is not on the urlFetchWhitelist: ${url}`);
    }
    const key = this.quotaKey(execution.user);
    const used = this.counts.get(key) ?? 0;
    if (used >= this.dailyQuota) throw appsScriptError('Service invoked too many times for one day: urlfetch.');
    this.counts.set(key, used + 1);

    const method = (params.method ?? 'get').toUpperCase();
    const headers: Record<string, string> = { ...(params.headers ?? {}) };
    let body: string | undefined;
    if (params.payload !== undefined) {
      if (method === 'GET') throw appsScriptError('Payload is not allowed for GET requests.');
      body = typeof params.payload === 'string' ? params.payload : new URLSearchParams(params.payload).toString();
      headers['Content-Type'] = params.contentType ?? (typeof params.payload === 'string' ? 'application/x-www-form-urlencoded' : 'application/x-www-form-urlencoded');
    }
    let target = url;
    for (const [publicOrigin, local] of this.routes) if (url.startsWith(publicOrigin)) target = local + url.slice(publicOrigin.length);
    const record: FetchRecord = { user: execution.user, execution: execution.kind, method, url, headers, body, status: null };
    this.requests.push(record);
    this.env.clock.advance(this.latencyMs);
    const answer = this.http.request({ url: target, method, headers, body, timeoutMs: DEADLINE_MS, followRedirects: params.followRedirects ?? true });
    if (!answer.ok) {
      if (answer.timedOut) throw appsScriptError(`Timeout: ${url}`);
      throw appsScriptError(`Address unavailable: ${url}`);
    }
    record.status = answer.status;
    if (answer.status >= 400 && !params.muteHttpExceptions) {
      throw appsScriptError(
        `Request failed for ${url} returned code ${answer.status}. Truncated server response: ${answer.body.slice(0, 100)} (use muteHttpExceptions option to examine full response)`,
      );
    }
    return {
      getResponseCode: () => answer.status,
      getContentText: () => answer.body,
      getHeaders: () => ({ ...answer.headers }),
      getAllHeaders: () => ({ ...answer.headers }),
      getContent: () => [...Buffer.from(answer.body, 'utf8')],
    };
  };
}
