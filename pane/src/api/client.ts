/**
 * The StoreSync API client the pane uses: fetch-based, host-free, one instance per pane.
 *
 * Sessions: sign-in gives a short-lived access token (kept in memory only) and a rotating refresh
 * token (kept in the host's per-user storage through a {@link TokenStore}). A request that gets a
 * 401 spends the refresh token once for a new pair and is retried once. Refreshes are
 * single-flight: refresh tokens are single use and reusing a spent one revokes the whole sign-in,
 * so two requests failing at once must share one refresh rather than race two.
 *
 * Failures come back as the typed errors of errors.ts (API down, signed out, no access,
 * validation with row details, conflict).
 *
 * Live updates (`openChangeStream`) read GET /sync/events as server-sent events through `fetch`
 * streaming, with the same bearer token and the same silent refresh on a 401. Whether the
 * transport can stream at all is {@link ClientOptions.streaming}.
 */
import type { ChangeFeedPage, SheetKind, SyncRequest, SyncResponse, WorkflowAction } from '@storesync/core';
import { ApiUnreachableError, errorFromResponse, InvalidCredentialsError, SignedOutError, StoreSyncApiError, StreamUnavailableError } from './errors.ts';
import type {
  Brand,
  CampaignDetail,
  GenerationRun,
  Location,
  Page,
  RunEstimate,
  RunRequest,
  SignInResponse,
  SimilarCampaign,
  Template,
  TokenPair,
  TransitionBody,
  User,
} from './types.ts';

/** Where the refresh token lives between sessions (the pane backs it with `host.userStorage`). */
export interface TokenStore {
  loadRefreshToken(): Promise<string | null>;
  saveRefreshToken(token: string): Promise<void>;
  clearRefreshToken(): Promise<void>;
}

export interface ClientOptions {
  /** The API's origin, e.g. `https://storesync.example.com` (`''` = the pane's own origin). */
  baseUrl: string;
  tokens: TokenStore;
  /** Defaults to the global fetch; hosts whose pane cannot reach the API directly pass their own. */
  fetch?: typeof fetch;
  /** Called once when the session ends for good (refresh refused), so the pane can show sign-in. */
  onSignedOut?: () => void;
  /**
   * Whether `fetch` hands over a response body as it arrives, so live updates can use server-sent
   * events. Default: `true` with the page's own fetch, `false` when `fetch` is given (a proxy such
   * as Apps Script's UrlFetchApp answers only once a response is complete; a stream would hang it
   * for 15 minutes); pass `true` for a custom fetch that streams. Without it the pane polls.
   */
  streaming?: boolean;
}

type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  /** Sign-in and refresh carry no bearer token and never trigger a refresh. */
  anonymous?: boolean;
}

export class StoreSyncClient {
  private readonly baseUrl: string;
  private readonly tokens: TokenStore;
  private readonly fetchImpl: typeof fetch;
  private readonly onSignedOut: (() => void) | undefined;
  /** Whether this transport can stream server-sent events (see {@link ClientOptions.streaming}). */
  readonly streaming: boolean;
  private accessToken: string | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.tokens = options.tokens;
    // Bound, because calling a detached `window.fetch` throws "Illegal invocation" in browsers.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.onSignedOut = options.onSignedOut;
    this.streaming = options.streaming ?? options.fetch === undefined;
  }

  // --- Session --------------------------------------------------------------------------------

  async signIn(email: string, password: string): Promise<User> {
    let answer: SignInResponse;
    try {
      answer = await this.request<SignInResponse>('/auth/token/', { method: 'POST', body: { email, password }, anonymous: true });
    } catch (error) {
      // A 401 here is not "your session ended" but "wrong email or password": say what the API said.
      if (error instanceof SignedOutError) throw new InvalidCredentialsError(error.serverMessage, error.requestId);
      throw error;
    }
    await this.adopt(answer);
    return answer.user;
  }

  /**
   * Resumes the session kept in storage: `null` when there is none or it ended. Spends the stored
   * refresh token (the access token is never stored), so call it once per pane open.
   */
  async resume(): Promise<User | null> {
    if (!(await this.tokens.loadRefreshToken())) return null;
    try {
      await this.refresh();
      return await this.me();
    } catch (error) {
      if (error instanceof SignedOutError) return null;
      throw error;
    }
  }

  /** Revokes the refresh token on the server (best effort) and forgets both tokens here. */
  async signOut(): Promise<void> {
    const refresh = await this.tokens.loadRefreshToken();
    this.accessToken = null;
    await this.tokens.clearRefreshToken();
    if (!refresh) return;
    try {
      await this.request<void>('/auth/logout/', { method: 'POST', body: { refresh }, anonymous: true });
    } catch {
      // Signing out must work offline too; the token expires on its own.
    }
  }

  get signedIn(): boolean {
    return this.accessToken !== null;
  }

  me(): Promise<User> {
    return this.request<User>('/auth/me/');
  }

  // --- Reference data ------------------------------------------------------------------------

  listBrands(): Promise<Brand[]> {
    return this.all<Brand>('/brands/');
  }

  listTemplates(brandId: string): Promise<Template[]> {
    return this.all<Template>('/campaigns/templates/', { brand: brandId });
  }

  listLocations(brandId: string): Promise<Location[]> {
    return this.all<Location>(`/brands/${encodeURIComponent(brandId)}/locations/`);
  }

  getCampaign(campaignId: string): Promise<CampaignDetail> {
    return this.request<CampaignDetail>(`/campaigns/${encodeURIComponent(campaignId)}/`);
  }

  // --- Sync (core/src/sync/contract.ts) ----------------------------------------------------------

  sync<K extends SheetKind>(kind: K, request: SyncRequest<K>): Promise<SyncResponse<K>> {
    return this.request<SyncResponse<K>>(`/sync/${kind}/`, { method: 'POST', body: request });
  }

  changes(brandId: string, since: string | null, limit = 500): Promise<ChangeFeedPage> {
    return this.request<ChangeFeedPage>('/sync/changes/', { query: { brand: brandId, since: since ?? undefined, limit } });
  }

  /**
   * Opens GET /sync/events/ (server-sent events) and resolves with the response body once the API
   * answered 200 with `text/event-stream`. The stream starts after `lastEventId` (else at the
   * present). A 401 spends the refresh token once and retries, like every other request.
   * `signal` aborts the request and, later, the body.
   *
   * The cursor travels as the `Last-Event-ID` header, as the standard resumes a stream, when the
   * request is not cross-origin; a cross-origin pane sends it as `since` instead (the API reads
   * both the same way), because `Last-Event-ID` is not a CORS-safelisted header and the API does
   * not allow it in preflights.
   *
   * Rejects with {@link StreamUnavailableError} when the transport cannot stream, or the answer is
   * not an event stream (a buffering proxy); with the usual typed errors otherwise.
   */
  openChangeStream(brandId: string, lastEventId: string | null, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    if (!this.streaming) return Promise.reject(new StreamUnavailableError());
    const asHeader = lastEventId !== null && !this.crossOrigin();
    const url = this.url('/sync/events/', { brand: brandId, since: lastEventId !== null && !asHeader ? lastEventId : undefined });
    return this.authorized(async (token) => {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (token) headers.authorization = `Bearer ${token}`;
      if (asHeader) headers['last-event-id'] = lastEventId;
      let response: Response;
      try {
        response = await this.fetchImpl(url, { method: 'GET', headers, signal, cache: 'no-store' });
      } catch (error) {
        if (signal.aborted) throw error;
        throw new ApiUnreachableError({ message: `StoreSync cannot be reached (${error instanceof Error ? error.message : String(error)}). Check your connection.` });
      }
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        let body: unknown;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          body = undefined;
        }
        throw errorFromResponse(response.status, body, response.headers.get('retry-after'));
      }
      const type = response.headers.get('content-type') ?? '';
      if (!response.body || !/^text\/event-stream\b/i.test(type)) {
        await response.body?.cancel().catch(() => undefined);
        throw new StreamUnavailableError();
      }
      return response.body;
    });
  }

  // --- Generation -----------------------------------------------------------------------------

  estimateRun(body: RunRequest): Promise<RunEstimate> {
    return this.request<RunEstimate>('/campaigns/generate/estimate/', { method: 'POST', body });
  }

  startRun(body: RunRequest): Promise<GenerationRun> {
    return this.request<GenerationRun>('/campaigns/generate/', { method: 'POST', body });
  }

  getRun(runId: string): Promise<GenerationRun> {
    return this.request<GenerationRun>(`/runs/${encodeURIComponent(runId)}/`);
  }

  cancelRun(runId: string): Promise<GenerationRun> {
    return this.request<GenerationRun>(`/runs/${encodeURIComponent(runId)}/cancel/`, { method: 'POST' });
  }

  retryFailed(runId: string): Promise<GenerationRun> {
    return this.request<GenerationRun>(`/runs/${encodeURIComponent(runId)}/retry-failed/`, { method: 'POST' });
  }

  // --- Workflow and similar copy ------------------------------------------------------------

  transition(campaignId: string, action: WorkflowAction, body: TransitionBody = {}): Promise<CampaignDetail> {
    return this.request<CampaignDetail>(`/campaigns/${encodeURIComponent(campaignId)}/${action}/`, { method: 'POST', body });
  }

  similar(query: string, brandId: string, limit = 5): Promise<SimilarCampaign[]> {
    return this.request<SimilarCampaign[]>('/campaigns/similar/', { query: { query, brand_id: brandId, limit } });
  }

  // --- Plumbing --------------------------------------------------------------------------------

  /** Every page of a list endpoint (500 per page, the API's maximum). */
  private async all<T>(path: string, query: Query = {}): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; ; page += 1) {
      const answer = await this.request<Page<T>>(path, { query: { ...query, page, page_size: 500 } });
      items.push(...answer.results);
      if (!answer.next || answer.results.length === 0) return items;
    }
  }

  private async adopt(pair: TokenPair): Promise<void> {
    this.accessToken = pair.access;
    await this.tokens.saveRefreshToken(pair.refresh);
  }

  /** Spends the refresh token once for a new pair; concurrent callers share the one attempt. */
  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const refresh = await this.tokens.loadRefreshToken();
        if (!refresh) throw new SignedOutError();
        try {
          await this.adopt(await this.request<TokenPair>('/auth/token/refresh/', { method: 'POST', body: { refresh }, anonymous: true }));
        } catch (error) {
          // Refused (expired, revoked, reused): the sign-in is over. Anything else (offline) is not.
          if (error instanceof SignedOutError || (error instanceof StoreSyncApiError && error.status === 400)) {
            await this.endSession();
            throw new SignedOutError('Your session ended. Sign in again to continue.');
          }
          throw error;
        }
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async endSession(): Promise<void> {
    this.accessToken = null;
    await this.tokens.clearRefreshToken();
    this.onSignedOut?.();
  }

  private request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    if (options.anonymous) return this.send<T>(path, options, null);
    return this.authorized((token) => this.send<T>(path, options, token));
  }

  /**
   * Runs `call` with the access token; on a 401, refreshes once (shared with concurrent callers)
   * and retries once. A second 401 ends the session.
   */
  private async authorized<T>(call: (token: string | null) => Promise<T>): Promise<T> {
    if (this.accessToken === null) await this.refresh();
    const token = this.accessToken;
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof SignedOutError)) throw error;
      // Another request may have refreshed while this one was in flight: then just retry.
      if (this.accessToken === token) await this.refresh();
      try {
        return await call(this.accessToken);
      } catch (retryError) {
        if (retryError instanceof SignedOutError) await this.endSession();
        throw retryError;
      }
    }
  }

  private url(path: string, query: Query = {}): string {
    const url = new URL(`${this.baseUrl}/api/v1${path}`, this.baseUrl === '' ? globalThis.location?.href : undefined);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
    return url.toString();
  }

  /** Whether requests to the API are cross-origin for the browser (CORS applies); never outside a browser. */
  private crossOrigin(): boolean {
    const here = globalThis.location?.origin;
    if (this.baseUrl === '' || !here) return false;
    if (here === 'null') return true; // an opaque origin (sandboxed frame): everything is cross-origin
    try {
      return new URL(this.baseUrl).origin !== here;
    } catch {
      return true;
    }
  }

  private async send<T>(path: string, options: RequestOptions, token: string | null): Promise<T> {
    const url = this.url(path, options.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;

    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: options.method ?? 'GET',
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
    } catch (error) {
      throw new ApiUnreachableError({ message: `StoreSync cannot be reached (${error instanceof Error ? error.message : String(error)}). Check your connection and try again.` });
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) throw errorFromResponse(response.status, body, response.headers.get('retry-after'));
    if (body === undefined && text !== '') {
      // A proxy's HTML page instead of the API: treat as unreachable rather than as data.
      throw new ApiUnreachableError({ status: response.status, message: 'StoreSync answered with something that is not the API. Check the API address.' });
    }
    return body as T;
  }
}
