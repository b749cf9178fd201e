/**
 * An in-memory StoreSync API behind a `fetch` function: enough of the real one (auth with rotating
 * refresh tokens, brands, templates, locations, sync and change feed, live events as a stream,
 * batch runs, workflow, similar copy, the one error body) for the pane's tests and its browser
 * demo, with knobs to make it fail the way the real one can (down, expired access tokens,
 * refusals, streams that end or break, a transport that cannot stream).
 *
 * It answers like the API does (shapes from api/src/routes and core/src/sync/contract.ts), but it
 * is a stand-in: browser end-to-end tests against the real API come separately.
 */
import {
  TRANSITIONS,
  WORKFLOW_ACTIONS,
  allowedActions,
  type CampaignStatus,
  type ChangeEvent,
  type SyncRecordMap,
  type SyncRowResult,
  type SyncRowStatus,
  type WorkflowAction,
} from '@storesync/core';
import type { Brand, CampaignDetail, GenerationRun, Location, SimilarCampaign, Template, User } from '../api/types.ts';

interface StubUser extends User {
  password: string;
}

type StoredCampaign = CampaignDetail & { row_version: number; location: string; template: string };
type StoredLocation = Location & { row_version: number; address?: Record<string, string>; attributes?: Record<string, unknown>; is_active: boolean };

interface StoredRun extends Omit<GenerationRun, 'written_by'> {
  brand: string;
  pending: string[];
  failedIds: string[];
}

export interface StubCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | null;
  /** The `Last-Event-ID` header (event streams). */
  lastEventId: string | null;
}

interface OpenStream {
  brand: string;
  push(change: ChangeEvent): void;
  /** Ends the stream as the server does after 15 minutes. */
  end(): void;
  /** Breaks it as a lost connection does. */
  fail(reason: unknown): void;
}

export interface StubApiOptions {
  /** Campaigns completed per GET of a run (the worker's pace as the pane sees it). */
  completePerPoll?: number;
  /** Campaign ids whose generation fails (until "retry failed"). */
  failGeneration?: string[];
}

let counter = 0;
const uuid = () => {
  counter += 1;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
};

export const DEMO_PASSWORD = 'storesync-demo';

export class StubApi {
  readonly calls: StubCall[] = [];
  readonly users: StubUser[] = [];
  readonly brands: Brand[] = [];
  readonly templates: Template[] = [];
  readonly locations: StoredLocation[] = [];
  readonly campaigns = new Map<string, StoredCampaign>();
  readonly runs = new Map<string, StoredRun>();
  similarResults: SimilarCampaign[] = [];
  /** When true, every request fails like a network error. */
  down = false;
  /** When false, GET /sync/events answers JSON, like something between pane and API that cannot stream. */
  eventStreams = true;
  completePerPoll: number;
  failGeneration: Set<string>;

  private readonly accessTokens = new Map<string, string>();
  private readonly refreshTokens = new Map<string, { userId: string; spent: boolean }>();
  private readonly feed: ChangeEvent[] = [];
  private readonly streams = new Set<OpenStream>();
  private seq = 0;
  private readonly failures: { match: (call: StubCall) => boolean; status: number; body: unknown; times: number }[] = [];

  constructor(options: StubApiOptions = {}) {
    this.completePerPoll = options.completePerPoll ?? 1;
    this.failGeneration = new Set(options.failGeneration ?? []);
  }

  // --- Set-up -----------------------------------------------------------------------------------

  addUser(email: string, password = DEMO_PASSWORD, brands: string[] = this.brands.map((brand) => brand.id)): User {
    const user: StubUser = { id: uuid(), email, password, full_name: email.split('@')[0] ?? email, role: 'brand_manager', brands };
    this.users.push(user);
    return user;
  }

  addBrand(name: string): Brand {
    const brand = { id: uuid(), name, slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-') };
    this.brands.push(brand);
    for (const user of this.users) user.brands.push(brand.id);
    return brand;
  }

  addTemplate(brand: string, name: string, requiredVariables: string[] = []): Template {
    const template = { id: uuid(), brand, name, required_variables: requiredVariables, is_active: true };
    this.templates.push(template);
    return template;
  }

  addLocation(brand: string, storeNumber: string, name: string): StoredLocation {
    const location: StoredLocation = { id: uuid(), brand, name, store_number: storeNumber, row_version: 1, is_active: true };
    this.locations.push(location);
    return location;
  }

  /** Invalidates every access token, as if 15 minutes had passed. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** The next `times` requests matching `path` (and `method`) answer `status` with the API's error body. */
  failNext(path: string | RegExp, status: number, error: { code: string; message: string; details?: unknown[]; [key: string]: unknown }, options: { method?: string; times?: number } = {}): void {
    this.failures.push({
      match: (call) => (typeof path === 'string' ? call.path === path : path.test(call.path)) && (!options.method || call.method === options.method),
      status,
      body: { error: { request_id: `req-${this.calls.length}`, ...error } },
      times: options.times ?? 1,
    });
  }

  /** The newest change number of the feed (`'0'` before any change). */
  get lastSeq(): string {
    return String(this.seq);
  }

  /** Event streams open now. */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Ends every open event stream cleanly, as the API does after 15 minutes. */
  endStreams(): void {
    for (const stream of [...this.streams]) stream.end();
  }

  /** Breaks every open event stream, as a lost connection would. */
  dropStreams(): void {
    for (const stream of [...this.streams]) stream.fail(new TypeError('network error'));
  }

  callsTo(path: string | RegExp, method?: string): StubCall[] {
    return this.calls.filter((call) => (typeof path === 'string' ? call.path === path : path.test(call.path)) && (!method || call.method === method));
  }

  /** Something changed in StoreSync outside the sheet (a reviewer, the worker). */
  touchCampaign(id: string, change: Partial<StoredCampaign>): void {
    const campaign = this.campaigns.get(id);
    if (!campaign) throw new Error(`no campaign ${id}`);
    Object.assign(campaign, change, { row_version: campaign.row_version + 1, allowed_actions: allowedActions(change.status ?? campaign.status) });
    this.record('campaign', campaign);
  }

  // --- fetch --------------------------------------------------------------------------------

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    await Promise.resolve();
    if (this.down) throw new TypeError('Failed to fetch');
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const path = url.pathname.replace(/^\/api\/v1/, '').replace(/\/?$/, '/');
    const headers = new Headers(init.headers);
    const call: StubCall = {
      method: (init.method ?? 'GET').toUpperCase(),
      path,
      query: Object.fromEntries(url.searchParams),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      authorization: headers.get('authorization'),
      lastEventId: headers.get('last-event-id'),
    };
    this.calls.push(call);
    const failure = this.failures.find((candidate) => candidate.times > 0 && candidate.match(call));
    if (failure) {
      failure.times -= 1;
      return this.json(failure.status, failure.body);
    }
    try {
      return this.route(call, init.signal ?? undefined);
    } catch (error) {
      if (error instanceof StubError) return this.json(error.status, { error: { code: error.code, message: error.message, request_id: 'req-stub', ...error.extra } });
      throw error;
    }
  };

  // --- Routes ---------------------------------------------------------------------------------

  private route(call: StubCall, signal?: AbortSignal): Response {
    const { method, path } = call;
    const body = (call.body ?? {}) as Record<string, unknown>;
    if (method === 'POST' && path === '/auth/token/') return this.signIn(body);
    if (method === 'POST' && path === '/auth/token/refresh/') return this.refresh(body);
    if (method === 'POST' && path === '/auth/logout/') {
      const token = this.refreshTokens.get(String(body.refresh));
      if (token) token.spent = true;
      return new Response(null, { status: 204 });
    }
    const user = this.authenticate(call);
    if (method === 'GET' && path === '/auth/me/') return this.json(200, this.publicUser(user));
    if (method === 'GET' && path === '/brands/') return this.page(this.brands.filter((brand) => user.brands.includes(brand.id)));
    if (method === 'GET' && path === '/campaigns/templates/') return this.page(this.templates.filter((template) => template.brand === call.query.brand));
    let match = /^\/brands\/([^/]+)\/locations\/$/.exec(path);
    if (method === 'GET' && match) return this.page(this.locations.filter((location) => location.brand === this.brandOf(user, match?.[1])));
    match = /^\/sync\/(locations|campaigns|templates)\/$/.exec(path);
    if (method === 'POST' && match) return this.sync(user, match[1] as 'locations' | 'campaigns', body);
    if (method === 'GET' && path === '/sync/changes/') return this.changes(user, call.query);
    if (method === 'GET' && path === '/sync/events/') return this.events(user, call, signal);
    if (method === 'POST' && path === '/campaigns/generate/estimate/') return this.estimate(body);
    if (method === 'POST' && path === '/campaigns/generate/') return this.startRun(body);
    if (method === 'GET' && path === '/campaigns/similar/') return this.json(200, this.similarResults.slice(0, Number(call.query.limit ?? 5)));
    match = /^\/runs\/([^/]+)\/(cancel\/|retry-failed\/)?$/.exec(path);
    if (match) return this.runAction(match[1] ?? '', match[2]);
    match = /^\/campaigns\/([^/]+)\/([a-z_]+\/)?$/.exec(path);
    if (match) {
      const campaign = this.campaigns.get(match[1] ?? '');
      if (!campaign || !user.brands.includes(campaign.brand)) throw new StubError(404, 'not_found', 'Campaign not found');
      if (method === 'GET' && !match[2]) return this.json(200, campaign);
      const action = (match[2] ?? '').replace('/', '') as WorkflowAction;
      if (method === 'POST' && (WORKFLOW_ACTIONS as readonly string[]).includes(action)) return this.transition(campaign, action, body);
    }
    throw new StubError(404, 'not_found', `No route ${method} ${path}`);
  }

  private signIn(body: Record<string, unknown>): Response {
    const user = this.users.find((candidate) => candidate.email === String(body.email).toLowerCase() && candidate.password === body.password);
    if (!user) throw new StubError(401, 'unauthenticated', 'Email or password is wrong');
    return this.json(200, { ...this.issue(user.id), user: this.publicUser(user) });
  }

  private refresh(body: Record<string, unknown>): Response {
    const token = this.refreshTokens.get(String(body.refresh));
    if (!token || token.spent) throw new StubError(401, 'unauthenticated', 'The refresh token is invalid, expired or already used');
    token.spent = true;
    return this.json(200, this.issue(token.userId));
  }

  private issue(userId: string) {
    const access = `access-${uuid()}`;
    const refresh = `refresh-${uuid()}`;
    this.accessTokens.set(access, userId);
    this.refreshTokens.set(refresh, { userId, spent: false });
    return { access, refresh, access_expires_in: 900 };
  }

  private authenticate(call: StubCall): StubUser {
    const token = call.authorization?.replace(/^Bearer /, '') ?? '';
    const user = this.users.find((candidate) => candidate.id === this.accessTokens.get(token));
    if (!user) throw new StubError(401, token ? 'token_expired' : 'unauthenticated', token ? 'The access token has expired' : 'Authentication required');
    return user;
  }

  private brandOf(user: StubUser, brand: unknown): string {
    if (typeof brand !== 'string' || !user.brands.includes(brand)) throw new StubError(404, 'not_found', 'Brand not found');
    return brand;
  }

  private sync(user: StubUser, kind: 'locations' | 'campaigns', body: Record<string, unknown>): Response {
    const brand = this.brandOf(user, body.brand);
    const rows = Array.isArray(body.rows) ? (body.rows as Record<string, unknown>[]) : [];
    const counts: Record<SyncRowStatus, number> = { created: 0, updated: 0, unchanged: 0, conflict: 0, error: 0 };
    const results: SyncRowResult[] = rows.map((row, index) => {
      const result = kind === 'locations' ? this.syncLocation(brand, row, index) : this.syncCampaign(brand, row, index);
      counts[result.status] += 1;
      return result;
    });
    return this.json(200, { brand, counts, results, cursor: String(this.seq) });
  }

  private syncLocation(brand: string, row: Record<string, unknown>, index: number): SyncRowResult {
    const ref = row.ref as SyncRowResult['ref'];
    let location = this.locations.find((candidate) => (row.id ? candidate.id === row.id : candidate.brand === brand && candidate.store_number === row.store_number));
    let status: SyncRowStatus = 'unchanged';
    if (!location) {
      location = this.addLocation(brand, String(row.store_number), String(row.name));
      status = 'created';
    } else if (location.name !== row.name) {
      location.name = String(row.name);
      location.row_version += 1;
      status = 'updated';
    }
    if (status !== 'unchanged') this.record('location', location);
    return { index, ...(ref ? { ref } : {}), status, record: this.locationRecord(location) };
  }

  private syncCampaign(brand: string, row: Record<string, unknown>, index: number): SyncRowResult {
    const ref = row.ref as SyncRowResult['ref'];
    const location = this.locations.find((candidate) => candidate.brand === brand && candidate.store_number === row.store_number);
    const template = this.templates.find((candidate) => candidate.brand === brand && candidate.name.toLowerCase() === String(row.template_name).toLowerCase());
    if (!location) return { index, ...(ref ? { ref } : {}), status: 'error', field: 'store_number', message: `no store has Store # ${String(row.store_number)}` };
    if (!template) return { index, ...(ref ? { ref } : {}), status: 'error', field: 'template', message: `there is no template named "${String(row.template_name)}"` };
    let campaign = row.id ? this.campaigns.get(typeof row.id === 'string' ? row.id : '') : [...this.campaigns.values()].find((candidate) => candidate.location === location.id && candidate.template === template.id);
    let status: SyncRowStatus = 'unchanged';
    const customizations = (row.customizations ?? {}) as Record<string, unknown>;
    if (!campaign) {
      campaign = {
        id: uuid(),
        brand,
        location: location.id,
        template: template.id,
        store_number: location.store_number,
        location_name: location.name,
        template_name: template.name,
        status: 'draft',
        customizations,
        generated_content: '',
        approval_history: [],
        allowed_actions: allowedActions('draft'),
        row_version: 1,
      };
      this.campaigns.set(campaign.id, campaign);
      status = 'created';
    } else if (row.row_version !== undefined && row.row_version !== null && row.row_version !== campaign.row_version) {
      return { index, ...(ref ? { ref } : {}), status: 'conflict', record: campaign, message: 'changed in StoreSync since your last sync', conflicts: [{ field: 'customizations', sheet_value: customizations, server_value: campaign.customizations }] };
    } else if (JSON.stringify(campaign.customizations) !== JSON.stringify(customizations)) {
      campaign.customizations = customizations;
      campaign.row_version += 1;
      status = 'updated';
    }
    if (status !== 'unchanged') this.record('campaign', campaign);
    return { index, ...(ref ? { ref } : {}), status, record: campaign };
  }

  private changes(user: StubUser, query: Record<string, string>): Response {
    const brand = this.brandOf(user, query.brand);
    const since = Number(query.since ?? 0);
    const limit = Number(query.limit ?? 500);
    const latest = new Map<string, ChangeEvent>();
    for (const change of this.feed) {
      if (Number(change.seq) <= since) continue;
      const record = change.record as { brand?: string } | undefined;
      if (record?.brand !== undefined && record.brand !== brand) continue;
      latest.delete(`${change.entity}:${change.id}`);
      latest.set(`${change.entity}:${change.id}`, change);
    }
    const changes = [...latest.values()].slice(0, limit);
    const last = changes[changes.length - 1];
    return this.json(200, { brand, changes, next_cursor: last ? last.seq : String(Math.max(since, this.seq)), has_more: latest.size > changes.length });
  }

  /**
   * GET /sync/events: `event: ready` (with `retry:`), then every change after `Last-Event-ID` (else
   * `since`, else now) and each new one as it is recorded, as `event: change` with `id:` its seq.
   */
  private events(user: StubUser, call: StubCall, signal?: AbortSignal): Response {
    const brand = this.brandOf(user, call.query.brand);
    if (!this.eventStreams) return this.json(200, { note: 'a proxy that answered for the stream' });
    const since = Number(call.lastEventId ?? call.query.since ?? this.seq);
    const encoder = new TextEncoder();
    const streams = this.streams;
    let open: OpenStream | undefined;
    let closed = false;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        const send = (text: string) => {
          if (!closed) controller.enqueue(encoder.encode(text));
        };
        const stream: OpenStream = {
          brand,
          push: (change) => {
            if (Number(change.seq) <= since || !belongsTo(change, brand)) return;
            send(`event: change\nid: ${change.seq}\ndata: ${JSON.stringify(change)}\n\n`);
          },
          end: () => {
            if (closed) return;
            closed = true;
            streams.delete(stream);
            controller.close();
          },
          fail: (reason) => {
            if (closed) return;
            closed = true;
            streams.delete(stream);
            controller.error(reason);
          },
        };
        open = stream;
        streams.add(stream);
        send(`: StoreSync stub\nevent: ready\nretry: 2000\ndata: ${JSON.stringify({ brand, cursor: String(since) })}\n\n`);
        for (const change of this.feed) stream.push(change);
        if (signal?.aborted) stream.fail(signal.reason);
        signal?.addEventListener('abort', () => stream.fail(signal.reason), { once: true });
      },
      cancel: () => {
        closed = true;
        if (open) streams.delete(open);
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } });
  }

  private record(entity: 'campaign' | 'location', record: StoredCampaign | StoredLocation): void {
    this.seq += 1;
    const copy = entity === 'campaign' ? { ...(record as StoredCampaign) } : this.locationRecord(record as StoredLocation);
    const change = { seq: String(this.seq), entity, id: record.id, row_version: record.row_version, deleted: false, record: copy } as ChangeEvent;
    this.feed.push(change);
    for (const stream of [...this.streams]) stream.push(change);
  }

  private locationRecord(location: StoredLocation): SyncRecordMap['locations'] & { brand: string } {
    return { id: location.id, brand: location.brand, name: location.name, store_number: location.store_number, is_active: location.is_active, row_version: location.row_version };
  }

  private estimate(body: Record<string, unknown>): Response {
    const ids = (body.campaign_ids as string[] | undefined) ?? [];
    const generatable = ids.filter((id) => ['draft', 'rejected'].includes(this.campaigns.get(id)?.status ?? ''));
    const skipped = ids.length - generatable.length;
    return this.json(200, {
      campaigns: generatable.length,
      skipped,
      skipped_reasons: { unchanged: 0, in_progress: 0, locked: skipped, not_found: 0 },
      expected_tokens: { prompt: generatable.length * 400, completion: generatable.length * 120, embedding: generatable.length * 130, total: generatable.length * 650 },
      expected_cost_usd: generatable.length * 0.00013,
      expected_duration_seconds: generatable.length * 3,
      basis: { average_job_seconds: 3, worker_concurrency: 2 },
    });
  }

  private startRun(body: Record<string, unknown>): Response {
    const ids = (body.campaign_ids as string[] | undefined) ?? [];
    const pending = ids.filter((id) => ['draft', 'rejected'].includes(this.campaigns.get(id)?.status ?? ''));
    const run: StoredRun = {
      id: uuid(),
      brand: this.campaigns.get(ids[0] ?? '')?.brand ?? '',
      status: 'running',
      total: ids.length,
      skipped: ids.length - pending.length,
      skipped_reasons: { unchanged: 0, in_progress: 0, locked: ids.length - pending.length, not_found: 0 },
      queued: pending.length,
      active: 0,
      done: 0,
      failed: 0,
      cancelled: 0,
      tokens: { prompt: 0, completion: 0, embedding: 0, total: 0 },
      cost_usd: 0,
      estimated_seconds_left: null,
      pending,
      failedIds: [],
    };
    this.runs.set(run.id, run);
    return this.json(202, this.runJson(run));
  }

  private runAction(id: string, action: string | undefined): Response {
    const run = this.runs.get(id);
    if (!run) throw new StubError(404, 'not_found', 'Run not found');
    if (action === 'cancel/') {
      run.cancelled += run.pending.length;
      run.queued = 0;
      run.pending = [];
      run.status = 'cancelled';
    } else if (action === 'retry-failed/') {
      this.failGeneration.clear();
      run.pending.push(...run.failedIds);
      run.queued += run.failedIds.length;
      run.failed = 0;
      run.failedIds = [];
      run.status = 'running';
    } else if (run.status === 'running') {
      for (const campaignId of run.pending.splice(0, this.completePerPoll)) {
        run.queued -= 1;
        if (this.failGeneration.has(campaignId)) {
          run.failed += 1;
          run.failedIds.push(campaignId);
          continue;
        }
        const campaign = this.campaigns.get(campaignId);
        if (campaign) this.touchCampaign(campaignId, { generated_content: `${campaign.location_name}: ${campaign.template_name} — generated copy` });
        run.done += 1;
        run.tokens = { prompt: run.tokens.prompt + 400, completion: run.tokens.completion + 120, embedding: run.tokens.embedding + 130, total: run.tokens.total + 650 };
        run.cost_usd += 0.00013;
      }
      run.estimated_seconds_left = run.pending.length * 3;
      if (run.pending.length === 0) run.status = 'completed';
    }
    return this.json(200, this.runJson(run));
  }

  private runJson(run: StoredRun): GenerationRun {
    const { pending: _pending, failedIds: _failed, brand: _brand, ...json } = run;
    return {
      ...json,
      written_by: run.done > 0 ? [{ provider: 'offline', model: 'storesync-offline-1', versions: run.done }] : [],
      estimated_seconds_left: run.status === 'running' ? run.estimated_seconds_left : null,
    };
  }

  private transition(campaign: StoredCampaign, action: WorkflowAction, body: Record<string, unknown>): Response {
    const rule = TRANSITIONS[action];
    if (rule.from !== campaign.status) {
      throw new StubError(409, 'invalid_transition', `Cannot ${action} a campaign that is ${campaign.status}; allowed actions: ${allowedActions(campaign.status).join(', ') || 'none'}`, {
        current_status: campaign.status,
        allowed_actions: allowedActions(campaign.status),
      });
    }
    if (rule.commentRequired && !(typeof body.comments === 'string' && body.comments.trim())) {
      throw new StubError(400, 'validation_failed', 'The request is invalid; see details', { details: [{ field: 'comments', message: 'required' }] });
    }
    if (action === 'submit' && !campaign.generated_content) {
      throw new StubError(400, 'validation_failed', 'The campaign has no copy yet; generate or write it first', { details: [{ field: 'generated_content', message: 'required to submit' }] });
    }
    const previous: CampaignStatus = campaign.status;
    campaign.approval_history = [
      { approver_name: 'Stub Reviewer', decision: rule.decision, comments: typeof body.comments === 'string' ? body.comments : '', previous_status: previous, new_status: rule.to, created_at: new Date().toISOString() },
      ...campaign.approval_history,
    ];
    this.touchCampaign(campaign.id, { status: rule.to });
    return this.json(200, campaign);
  }

  private publicUser(user: StubUser): User {
    const { password: _password, ...rest } = user;
    return rest;
  }

  private page<T>(items: T[]): Response {
    return this.json(200, { count: items.length, next: null, previous: null, results: items });
  }

  private json(status: number, body: unknown): Response {
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }
}

function belongsTo(change: ChangeEvent, brand: string): boolean {
  const record = change.record as { brand?: string } | undefined;
  return record?.brand === undefined || record.brand === brand;
}

class StubError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
