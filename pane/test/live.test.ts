import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { StoreSyncClient } from '../src/api/client.ts';
import { ApiUnreachableError, StreamUnavailableError } from '../src/api/errors.ts';
import { loadConnections, saveConnection, type Connection } from '../src/workflows/connections.ts';
import { backoffDelay, LiveFeed, type LiveStatus, type LiveTiming, type Visibility } from '../src/workflows/live.ts';
import { runSync } from '../src/workflows/sync.ts';
import { API, campaignConnection, column, makeWorld, signedInClient } from './world.ts';

/** Short timings, so reconnects and polls happen in milliseconds. */
const FAST: Partial<LiveTiming> = { batchMs: 20, pollMs: 30, backoffMs: 5, maxBackoffMs: 40, healthyMs: 0, writeRetryMs: 20 };

class FakeVisibility implements Visibility {
  visible = true;
  private readonly listeners = new Set<() => void>();
  isVisible = () => this.visible;
  onChange(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(visible: boolean) {
    this.visible = visible;
    for (const listener of this.listeners) listener();
  }
}

/** A synced campaign table (cursor set) and a live feed over it, stopped after the test. */
async function liveWorld(options: { streaming?: boolean; timing?: Partial<LiveTiming>; visibility?: Visibility; beforeStart?: (world: ReturnType<typeof makeWorld>) => void } = {}) {
  const world = makeWorld();
  const client = await signedInClient(world, undefined, { streaming: options.streaming ?? true });
  await saveConnection(world.host, campaignConnection(world));
  await runSync({ host: world.host, client, connection: campaignConnection(world) });
  const saved = (await loadConnections(world.host)).find((connection) => connection.tableId === 'campaigns');
  if (!saved?.cursor) throw new Error('the sync set no cursor');
  const ids = column(world.host, 'campaigns', 'StoreSync ID').slice(1) as string[];
  const statuses: LiveStatus[] = [];
  const errors: unknown[] = [];
  const updates: Connection[] = [];
  options.beforeStart?.(world);
  const feed = new LiveFeed({
    host: world.host,
    client,
    brandId: world.brand.id,
    timing: { ...FAST, ...options.timing },
    random: () => 0.5,
    ...(options.visibility ? { visibility: options.visibility } : {}),
    onStatus: (status) => statuses.push(status),
    onError: (error) => errors.push(error),
    onConnection: (connection) => updates.push(connection),
  });
  feed.setConnections([saved]);
  feed.start();
  onTestFinished(() => feed.stop());
  const statusColumn = () => column(world.host, 'campaigns', 'Status');
  const storedCursor = async () => (await loadConnections(world.host)).find((connection) => connection.tableId === 'campaigns')?.cursor;
  const live = () => vi.waitFor(() => expect(feed.currentStatus.mode).toBe('live'));
  return { world, client, feed, ids, saved, statuses, errors, updates, statusColumn, storedCursor, live };
}

describe('live updates', () => {
  it('writes change events into the cells as they happen, events close together in one write plan', async () => {
    const { world, ids, statusColumn, storedCursor, updates, live } = await liveWorld();
    await live();
    const plansBefore = world.host.appliedPlans.length;
    const changesBefore = world.api.callsTo('/sync/changes/').length;
    const versions = column(world.host, 'campaigns', 'StoreSync Version');

    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review', generated_content: 'Spring copy' });
    world.api.touchCampaign(ids[1] ?? '', { status: 'pending_review', generated_content: 'Summer copy' });

    await vi.waitFor(() => expect(statusColumn()).toEqual(['Status', 'pending_review', 'pending_review', 'draft']));
    expect(column(world.host, 'campaigns', 'Generated Content').slice(1)).toEqual(['Spring copy', 'Summer copy', '']);
    expect(world.host.appliedPlans.length - plansBefore).toBe(1);
    // As a catch-up writes: outputs only, and the row's StoreSync Version stays where the last sync left it.
    expect(column(world.host, 'campaigns', 'StoreSync Version')).toEqual(versions);
    // No polling while the stream is open.
    expect(world.api.callsTo('/sync/changes/').length).toBe(changesBefore);
    // The table's cursor moved to the last change, in the document and for the pane.
    await vi.waitFor(async () => expect(await storedCursor()).toBe(world.api.lastSeq));
    expect(updates.at(-1)?.cursor).toBe(world.api.lastSeq);
  });

  it('catches up when it starts, then streams from the table’s cursor', async () => {
    const { world, ids, statusColumn, saved, live } = await liveWorld({
      // Decided while the pane was closed.
      beforeStart: (world) => world.api.touchCampaign([...world.api.campaigns.keys()][2] ?? '', { status: 'pending_review' }),
    });
    await vi.waitFor(() => expect(statusColumn()[3]).toBe('pending_review'));
    expect(world.api.callsTo('/sync/changes/')[0]?.query.since).toBe(saved.cursor);
    await live();
    // The stream starts where the catch-up left the cursor, so nothing comes twice.
    expect(world.api.callsTo('/sync/events/')[0]?.lastEventId).toBe(world.api.lastSeq);
    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review' });
    await vi.waitFor(() => expect(statusColumn()[1]).toBe('pending_review'));
  });

  it('reconnects at once when the server ends the stream, resuming with Last-Event-ID, and stays live', async () => {
    const { world, ids, statusColumn, storedCursor, statuses, live } = await liveWorld();
    await live();
    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review' });
    await vi.waitFor(async () => expect(await storedCursor()).toBe(world.api.lastSeq));
    const cursor = world.api.lastSeq;

    world.api.endStreams(); // the API's 15-minute end
    world.api.touchCampaign(ids[1] ?? '', { status: 'pending_review' }); // committed while no stream is open

    await vi.waitFor(() => expect(statusColumn()[2]).toBe('pending_review'));
    const opened = world.api.callsTo('/sync/events/');
    expect(opened).toHaveLength(2);
    expect(opened[1]?.lastEventId).toBe(cursor);
    expect(statuses.map((status) => status.mode)).not.toContain('reconnecting');
    expect(world.api.openStreams).toBe(1);
  });

  it('refreshes the access token when the stream answers 401, and carries on', async () => {
    const { world, ids, statusColumn, live } = await liveWorld();
    await live();
    const refreshes = world.api.callsTo('/auth/token/refresh/').length;
    world.api.expireAccessTokens();
    world.api.endStreams();
    await vi.waitFor(() => expect(world.api.callsTo('/sync/events/')).toHaveLength(3));
    expect(world.api.callsTo('/auth/token/refresh/').length).toBe(refreshes + 1);
    const [, refused, accepted] = world.api.callsTo('/sync/events/');
    expect(refused?.authorization).not.toBe(accepted?.authorization);
    await live();
    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review' });
    await vi.waitFor(() => expect(statusColumn()[1]).toBe('pending_review'));
  });

  it('backs off after a dropped stream, then polls after repeated failures, and still lands changes', async () => {
    const { world, ids, statusColumn, statuses, live } = await liveWorld();
    await live();
    world.api.failNext('/sync/events/', 503, { code: 'unavailable', message: 'Try again' }, { times: 100 });
    world.api.dropStreams();
    await vi.waitFor(() => expect(statuses.at(-1)?.mode).toBe('polling'));
    const modes = statuses.map((status) => status.mode).filter((mode, index, all) => mode !== all[index - 1]);
    expect(modes).toEqual(['connecting', 'live', 'reconnecting', 'polling']);
    expect(statuses.at(-1)?.error).toBeInstanceOf(ApiUnreachableError);
    // The drop and two refused reconnects: three failures in a row.
    expect(world.api.callsTo('/sync/events/')).toHaveLength(3);

    const polls = world.api.callsTo('/sync/changes/').length;
    world.api.touchCampaign(ids[2] ?? '', { status: 'pending_review' });
    await vi.waitFor(() => expect(statusColumn()[3]).toBe('pending_review'));
    expect(world.api.callsTo('/sync/changes/').length).toBeGreaterThan(polls);
  });

  it('tries the stream again after polling for a while because of failures', async () => {
    const { world, statuses, live } = await liveWorld({ timing: { streamRetryMs: 60 } });
    await live();
    world.api.failNext('/sync/events/', 503, { code: 'unavailable', message: 'Try again' }, { times: 2 });
    world.api.dropStreams();
    await vi.waitFor(() => expect(statuses.map((status) => status.mode)).toContain('polling'));
    await live();
    expect(world.api.openStreams).toBe(1);
  });

  it('polls every few seconds when the transport cannot stream, and never opens a stream', async () => {
    const { world, ids, statusColumn, feed } = await liveWorld({ streaming: false });
    await vi.waitFor(() => expect(feed.currentStatus.mode).toBe('polling'));
    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review' });
    await vi.waitFor(() => expect(statusColumn()[1]).toBe('pending_review'));
    await vi.waitFor(() => expect(world.api.callsTo('/sync/changes/').length).toBeGreaterThan(3));
    expect(world.api.callsTo('/sync/events/')).toHaveLength(0);
  });

  it('polls when the answer is not an event stream (a proxy in the way)', async () => {
    const { world, ids, statusColumn, feed } = await liveWorld({ beforeStart: (world) => (world.api.eventStreams = false) });
    await vi.waitFor(() => expect(feed.currentStatus).toMatchObject({ mode: 'polling', error: expect.any(StreamUnavailableError) }));
    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review' });
    await vi.waitFor(() => expect(statusColumn()[1]).toBe('pending_review'));
    expect(world.api.callsTo('/sync/events/')).toHaveLength(1);
  });

  it('polls only while the pane is visible, and at once when it shows again', async () => {
    const visibility = new FakeVisibility();
    visibility.visible = false;
    const { world, ids, statusColumn, feed } = await liveWorld({ streaming: false, visibility, timing: { pollMs: 60_000 } });
    await vi.waitFor(() => expect(feed.currentStatus.mode).toBe('polling'));
    const afterCatchUp = world.api.callsTo('/sync/changes/').length;
    expect(afterCatchUp).toBe(1); // the catch-up on start, not a poll
    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review' });
    visibility.set(true); // long before the next poll is due
    await vi.waitFor(() => expect(statusColumn()[1]).toBe('pending_review'));
  });

  it('stops the stream and every timer', async () => {
    const { world, ids, statusColumn, feed, live } = await liveWorld();
    await live();
    expect(world.api.openStreams).toBe(1);
    feed.stop();
    expect(feed.currentStatus.mode).toBe('stopped');
    await vi.waitFor(() => expect(world.api.openStreams).toBe(0));
    const calls = world.api.calls.length;
    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(world.api.calls.length).toBe(calls);
    expect(statusColumn()[1]).toBe('draft');
  });

  it('retries a write the host refused, from the table’s cursor', async () => {
    const { world, ids, statusColumn, errors, live } = await liveWorld();
    await live();
    const apply = world.host.applyWritePlan.bind(world.host);
    let refusals = 1;
    vi.spyOn(world.host, 'applyWritePlan').mockImplementation((tableId, plan) =>
      refusals-- > 0 ? Promise.reject(new Error('Excel is busy: a cell is being edited')) : apply(tableId, plan),
    );
    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review' });
    await vi.waitFor(() => expect(statusColumn()[1]).toBe('pending_review'));
    expect(errors.map((error) => (error instanceof Error ? error.message : error))).toEqual(['Excel is busy: a cell is being edited', undefined]);
  });

  it('follows a table that was synced after the feed started', async () => {
    const world = makeWorld();
    const client = await signedInClient(world, undefined, { streaming: true });
    const connection = campaignConnection(world);
    await saveConnection(world.host, connection);
    const feed = new LiveFeed({ host: world.host, client, brandId: world.brand.id, timing: FAST });
    onTestFinished(() => feed.stop());
    feed.setConnections([connection]);
    feed.start();
    await vi.waitFor(() => expect(feed.currentStatus.mode).toBe('idle'));
    expect(world.api.callsTo('/sync/events/')).toHaveLength(0);

    await runSync({ host: world.host, client, connection });
    const synced = (await loadConnections(world.host))[0];
    feed.setConnections(synced ? [synced] : []);
    await vi.waitFor(() => expect(feed.currentStatus.mode).toBe('live'));
    const ids = column(world.host, 'campaigns', 'StoreSync ID').slice(1) as string[];
    world.api.touchCampaign(ids[0] ?? '', { status: 'pending_review' });
    await vi.waitFor(() => expect(column(world.host, 'campaigns', 'Status')[1]).toBe('pending_review'));
  });
});

describe('reconnect pauses', () => {
  it('double from the base, with equal jitter, up to the maximum', () => {
    expect(backoffDelay(1, 1_000, 30_000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1_000, 30_000, () => 1)).toBe(1_000);
    expect(backoffDelay(2, 1_000, 30_000, () => 0.5)).toBe(1_500);
    expect(backoffDelay(3, 1_000, 30_000, () => 1)).toBe(4_000);
    expect(backoffDelay(10, 1_000, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(10, 1_000, 30_000, () => 0)).toBe(15_000);
  });
});

describe('the stream request', () => {
  it('sends the cursor as Last-Event-ID with the bearer token', async () => {
    const world = makeWorld();
    const client = await signedInClient(world, undefined, { streaming: true });
    const controller = new AbortController();
    const body = await client.openChangeStream(world.brand.id, '42', controller.signal);
    controller.abort();
    await body.cancel().catch(() => undefined);
    const [call] = world.api.callsTo('/sync/events/');
    expect(call).toMatchObject({ lastEventId: '42', query: { brand: world.brand.id } });
    expect(call?.authorization).toMatch(/^Bearer access-/);
  });

  it('sends it as `since` from a page of another origin (Last-Event-ID is not allowed in CORS preflights)', async () => {
    vi.stubGlobal('location', { origin: 'https://pane.example', href: 'https://pane.example/addin/' });
    onTestFinished(() => {
      vi.unstubAllGlobals();
    });
    const world = makeWorld();
    const client = await signedInClient(world, undefined, { streaming: true });
    const controller = new AbortController();
    await client.openChangeStream(world.brand.id, '42', controller.signal);
    controller.abort();
    expect(world.api.callsTo('/sync/events/')[0]).toMatchObject({ lastEventId: null, query: { brand: world.brand.id, since: '42' } });
  });

  it('streams by default only with the page’s own fetch', () => {
    const tokens = { loadRefreshToken: () => Promise.resolve(null), saveRefreshToken: () => Promise.resolve(), clearRefreshToken: () => Promise.resolve() };
    const stub = () => Promise.resolve(new Response(null));
    expect(new StoreSyncClient({ baseUrl: API, tokens }).streaming).toBe(true);
    expect(new StoreSyncClient({ baseUrl: API, tokens, fetch: stub }).streaming).toBe(false);
    expect(new StoreSyncClient({ baseUrl: API, tokens, fetch: stub, streaming: true }).streaming).toBe(true);
  });

  it('refuses at once when the transport cannot stream', async () => {
    const world = makeWorld();
    const client = await signedInClient(world, undefined, { streaming: false });
    await expect(client.openChangeStream(world.brand.id, null, new AbortController().signal)).rejects.toBeInstanceOf(StreamUnavailableError);
    expect(world.api.callsTo('/sync/events/')).toHaveLength(0);
  });
});
