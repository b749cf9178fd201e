/**
 * Live updates while the pane is open: what changes in StoreSync (copy generated, a reviewer's
 * decision, an edit by someone else) lands in the connected tables of the brand as it happens,
 * without the person doing anything and wherever they scrolled (rows are found by id).
 *
 * - **Catch-up first.** Each connected table catches up from its own cursor (GET /sync/changes)
 *   when it joins the feed: when the pane opens, and after its first sync.
 * - **Then a stream.** GET /sync/events/ (server-sent events over `fetch` streaming, since
 *   `EventSource` cannot send the bearer token) from the lowest cursor of the brand's tables.
 *   `change` events arriving within `batchMs` of each other are written together: one
 *   `applyChanges` per table, so one host write plan, through exactly the path a catch-up takes
 *   (outputs only, row versions untouched; feed.ts). Each table skips events at or before its own
 *   cursor, then moves its cursor to the batch's last change; so there is still one cursor per
 *   connected table, saved in the document as before.
 * - **Reconnects.** The server ends every stream after 15 minutes (the access token's lifetime):
 *   a stream that was healthy is reopened at once, from the cursors (sent as `Last-Event-ID`).
 *   A broken one is reopened after a pause that doubles from the server's `retry:` (jittered, at
 *   most `maxBackoffMs`; `Retry-After` when rate limited). A 401 spends the refresh token once
 *   (the client's silent refresh); a session that ended stops the feed. A stream that goes silent
 *   for `idleTimeoutMs` (the server comments every 15 s) counts as broken.
 * - **Polling fallback.** When the transport cannot stream (the Sheets host's fetch goes through
 *   Apps Script's UrlFetchApp), or after `maxStreamFailures` broken streams in a row, every
 *   connected table catches up every `pollMs`, while the pane is visible (and at once when it
 *   becomes visible again). After `streamRetryMs` of polling because of failures, the stream is
 *   tried again.
 * - **Writes that fail** (the table is busy, the host is unreachable) leave that table's cursor
 *   where it was; it catches up from there after `writeRetryMs` (doubling), or on its next event.
 *   A table that is gone leaves the feed; the pane offers to connect it again.
 *
 * All writes of the feed (and of catch-ups asked for by a generation run, {@link LiveFeed.pull})
 * run one at a time per host (`exclusive`), so rounds of read-plan-write never interleave.
 * `stop()` (sign out, another brand, the pane closes) aborts the stream and every timer.
 */
import type { ChangeEvent } from '@storesync/core';
import type { StoreSyncClient } from '../api/client.ts';
import { ApiUnreachableError, NoAccessError, RateLimitedError, SignedOutError, StoreSyncApiError, StreamUnavailableError } from '../api/errors.ts';
import { readEventStream, SseParser, type SseEvent } from '../api/sse.ts';
import { HostTableMissingError, type Host } from '../host.ts';
import type { Connection } from './connections.ts';
import { applyChanges, catchUp, exclusive, isAfter, laterCursor } from './feed.ts';

export type LiveMode =
  /** Nothing to follow yet: no connected table of the brand has been synced. */
  | 'idle'
  /** Opening the stream for the first time. */
  | 'connecting'
  /** The stream is open: changes arrive as they happen. */
  | 'live'
  /** The stream broke; it is opened again after a pause. */
  | 'reconnecting'
  /** No stream (the transport cannot stream, or it kept failing): the feed is pulled every `pollMs`. */
  | 'polling'
  /** Stopped: the pane closed, the person signed out or chose another brand. */
  | 'stopped';

export interface LiveStatus {
  mode: LiveMode;
  /** Why the stream is reconnecting or polling, when it failed. */
  error?: unknown;
}

export interface LiveTiming {
  /** Change events this close together are written in one go. */
  batchMs: number;
  /** Polling fallback: how often the feed is pulled while the pane is visible. */
  pollMs: number;
  /** Broken streams in a row before polling takes over. */
  maxStreamFailures: number;
  /** First reconnect pause, until the server says otherwise (`retry:`); doubles with each failure. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How long the API may take to answer and send its `ready` event. */
  connectTimeoutMs: number;
  /** Silence after which an open stream counts as dead (the server comments every 15 s). */
  idleTimeoutMs: number;
  /** A stream open this long was healthy: its end is the server's 15-minute limit, not a failure. */
  healthyMs: number;
  /** After polling this long because the stream kept failing, the stream is tried again. */
  streamRetryMs: number;
  /** A table whose write failed catches up again after this long (doubling up to `maxBackoffMs`). */
  writeRetryMs: number;
}

export const DEFAULT_LIVE_TIMING: LiveTiming = {
  batchMs: 250,
  pollMs: 10_000,
  maxStreamFailures: 3,
  backoffMs: 1_000,
  maxBackoffMs: 30_000,
  connectTimeoutMs: 15_000,
  idleTimeoutMs: 45_000,
  healthyMs: 10_000,
  streamRetryMs: 60_000,
  writeRetryMs: 5_000,
};

/** Whether the pane can be seen; polling pauses while it cannot. */
export interface Visibility {
  isVisible(): boolean;
  onChange(listener: () => void): () => void;
}

/** The page's visibility (a task pane that is collapsed or in a background tab is hidden). */
export const documentVisibility: Visibility = {
  isVisible: () => typeof document === 'undefined' || document.visibilityState !== 'hidden',
  onChange: (listener) => {
    if (typeof document === 'undefined') return () => undefined;
    document.addEventListener('visibilitychange', listener);
    return () => document.removeEventListener('visibilitychange', listener);
  },
};

/**
 * The pause before reconnect attempt `failures` (≥ 1): `baseMs` doubled each time, at most
 * `maxMs`, then "equal jitter" (between half and all of it), so panes that lost the same server
 * do not all come back in the same millisecond.
 */
export function backoffDelay(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

export interface LiveFeedOptions {
  host: Host;
  client: StoreSyncClient;
  brandId: string;
  timing?: Partial<LiveTiming>;
  /** A table's cursor moved (already saved in the document). */
  onConnection?: (connection: Connection) => void;
  onStatus?: (status: LiveStatus) => void;
  /** Changes could not be pulled or written (they are retried); `undefined` once they were. */
  onError?: (error: unknown) => void;
  visibility?: Visibility;
  random?: () => number;
}

type Timer = ReturnType<typeof setTimeout>;

function isChangeEvent(value: unknown): value is ChangeEvent {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ChangeEvent>;
  return typeof candidate.seq === 'string' && typeof candidate.entity === 'string' && typeof candidate.id === 'string';
}

export class LiveFeed {
  readonly timing: LiveTiming;
  private readonly visibility: Visibility;
  private readonly random: () => number;
  /** The brand's connected tables, by table id, with the newest cursor known here. */
  private readonly connections = new Map<string, Connection>();
  /** Tables whose last write failed: they catch up from their cursor instead of taking events. */
  private readonly behind = new Set<string>();
  private started = false;
  private stopped = false;
  private status: LiveStatus = { mode: 'idle' };
  private hasError = false;
  private stream: AbortController | null = null;
  private readonly sleepers = new Set<{ interruptible: boolean; wake: () => void }>();
  private stopVisibility: (() => void) | null = null;
  /** The last write task queued, so a stream opens from cursors that include it. */
  private work: Promise<unknown> = Promise.resolve();
  private events: ChangeEvent[] = [];
  private flushTimer: Timer | undefined;
  private retryTimer: Timer | undefined;
  private writeRetryDelay: number;
  /** Broken streams in a row. */
  private failures = 0;
  private retryMs: number;
  /** The transport cannot stream (or the API has no stream): poll for good. */
  private streamUnavailable = false;
  private pollingSince = 0;

  constructor(private readonly options: LiveFeedOptions) {
    this.timing = { ...DEFAULT_LIVE_TIMING, ...options.timing };
    this.visibility = options.visibility ?? documentVisibility;
    this.random = options.random ?? Math.random;
    this.retryMs = this.timing.backoffMs;
    this.writeRetryDelay = this.timing.writeRetryMs;
  }

  get currentStatus(): LiveStatus {
    return this.status;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.stopVisibility = this.visibility.onChange(() => this.wake());
    void this.loop();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stream?.abort();
    clearTimeout(this.flushTimer);
    clearTimeout(this.retryTimer);
    this.events = [];
    this.stopVisibility?.();
    for (const sleeper of [...this.sleepers]) sleeper.wake();
    this.setStatus({ mode: 'stopped' });
  }

  /**
   * The brand's connected tables whose table exists, as the pane knows them now. A table that is
   * new here, or has its first cursor (its first sync), catches up; cursors only move forward.
   */
  setConnections(list: readonly Connection[]): void {
    if (this.stopped) return;
    const fresh: string[] = [];
    const seen = new Set<string>();
    for (const given of list) {
      if (given.brandId !== this.options.brandId) continue;
      seen.add(given.tableId);
      const known = this.connections.get(given.tableId);
      const same = known !== undefined && known.kind === given.kind;
      const cursor = same && known.cursor !== null && given.cursor !== null ? laterCursor(known.cursor, given.cursor) : given.cursor;
      this.connections.set(given.tableId, { ...given, cursor });
      if (!same || (known.cursor === null && cursor !== null)) fresh.push(given.tableId);
    }
    for (const tableId of [...this.connections.keys()]) {
      if (seen.has(tableId)) continue;
      this.connections.delete(tableId);
      this.behind.delete(tableId);
    }
    if (fresh.length > 0) {
      void this.catchUpTables(fresh);
      this.wake();
    }
  }

  /** Catches every table up now (a generation run saw campaigns finish); resolves when written. */
  pull(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.catchUpTables([...this.connections.keys()]);
  }

  // --- The loop: stream, or poll ---------------------------------------------------------------

  private async loop(): Promise<void> {
    while (!this.stopped) {
      // The stream starts where the catch-ups queued so far leave the cursors.
      await this.work;
      if (this.stopped) break;
      const cursor = this.streamCursor();
      if (cursor === null) {
        this.setStatus({ mode: 'idle' });
        await this.sleep(null);
      } else if (!this.options.client.streaming || this.streamUnavailable || this.failures >= this.timing.maxStreamFailures) {
        await this.pollOnce();
      } else {
        await this.streamOnce(cursor);
      }
    }
  }

  /** The lowest cursor of the tables: the stream must bring every change one of them still lacks. */
  private streamCursor(): string | null {
    let lowest: string | null = null;
    for (const connection of this.connections.values()) {
      if (connection.cursor === null) continue;
      if (lowest === null || isAfter(lowest, connection.cursor)) lowest = connection.cursor;
    }
    return lowest;
  }

  private async pollOnce(): Promise<void> {
    if (this.status.mode !== 'polling') {
      this.pollingSince = Date.now();
      this.setStatus({ mode: 'polling', ...(this.status.error !== undefined ? { error: this.status.error } : {}) });
    }
    if (this.visibility.isVisible()) await this.pull();
    if (this.stopped) return;
    await this.sleep(this.timing.pollMs);
    const retryStream =
      this.options.client.streaming && !this.streamUnavailable && this.failures >= this.timing.maxStreamFailures && Date.now() - this.pollingSince >= this.timing.streamRetryMs;
    if (retryStream) {
      // One more try; if it breaks again, polling resumes for another `streamRetryMs`.
      this.failures = this.timing.maxStreamFailures - 1;
      this.setStatus({ mode: 'reconnecting' });
    }
  }

  private async streamOnce(cursor: string): Promise<void> {
    const { timing } = this;
    const controller = new AbortController();
    this.stream = controller;
    const openedAt = Date.now();
    let ready = false;
    let timedOut = false;
    let watchdog: Timer | undefined;
    let healthy: Timer | undefined;
    const arm = (milliseconds: number) => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, milliseconds);
    };
    // A seamless reconnect (the server's 15-minute end) stays "live".
    if (this.status.mode !== 'live') this.setStatus({ mode: this.failures === 0 ? 'connecting' : 'reconnecting', ...(this.status.error !== undefined ? { error: this.status.error } : {}) });
    arm(timing.connectTimeoutMs);
    try {
      const body = await this.options.client.openChangeStream(this.options.brandId, cursor, controller.signal);
      const parser = new SseParser({
        onEvent: (event) => {
          if (event.type === 'ready') {
            ready = true;
            arm(timing.idleTimeoutMs);
            this.setStatus({ mode: 'live' });
            // Open long enough: failures before this one are forgotten.
            healthy = setTimeout(() => {
              this.failures = 0;
            }, timing.healthyMs);
          } else {
            this.receive(event);
          }
        },
        onRetry: (milliseconds) => {
          this.retryMs = Math.min(Math.max(milliseconds, 50), timing.maxBackoffMs);
        },
      });
      await readEventStream(body, parser, () => {
        if (ready) arm(timing.idleTimeoutMs);
      });
      if (this.stopped) return;
      if (ready && Date.now() - openedAt >= timing.healthyMs) {
        // The server's 15-minute end: open the next stream at once.
        this.failures = 0;
        return;
      }
      throw new ApiUnreachableError({ message: ready ? 'The live updates stream ended early.' : 'The live updates stream ended before it started.' });
    } catch (error) {
      if (this.stopped) return;
      if (timedOut) await this.streamFailed(new ApiUnreachableError({ message: 'Live updates from StoreSync stopped answering.' }));
      else if (error instanceof StoreSyncApiError) await this.streamFailed(error);
      // The body broke while reading (a lost connection): say so in the pane's words.
      else await this.streamFailed(new ApiUnreachableError({ message: `The connection for live updates broke (${error instanceof Error ? error.message : String(error)}).` }));
    } finally {
      clearTimeout(watchdog);
      clearTimeout(healthy);
      if (this.stream === controller) this.stream = null;
      controller.abort();
    }
  }

  private async streamFailed(error: unknown): Promise<void> {
    if (error instanceof SignedOutError) {
      // The client already spent the refresh token and ended the session; the pane shows sign-in.
      this.stop();
      this.setStatus({ mode: 'stopped', error });
      return;
    }
    if (error instanceof StreamUnavailableError || error instanceof NoAccessError) {
      // Cannot stream here (or this API has no stream): polling says whether the feed itself works.
      this.streamUnavailable = true;
      this.setStatus({ mode: 'polling', error });
      this.pollingSince = Date.now();
      return;
    }
    this.failures += 1;
    if (this.failures >= this.timing.maxStreamFailures) {
      this.pollingSince = Date.now();
      this.setStatus({ mode: 'polling', error });
      return;
    }
    this.setStatus({ mode: 'reconnecting', error });
    const delay =
      error instanceof RateLimitedError && error.retryAfterSeconds !== undefined
        ? error.retryAfterSeconds * 1000
        : backoffDelay(this.failures, this.retryMs, this.timing.maxBackoffMs, this.random);
    await this.sleep(delay, false);
  }

  // --- Events to cells ------------------------------------------------------------------------

  private receive(event: SseEvent): void {
    if (event.type !== 'change' || this.stopped) return;
    let change: unknown;
    try {
      change = JSON.parse(event.data);
    } catch {
      return; // not ours to understand; the next catch-up brings the change anyway
    }
    if (!isChangeEvent(change)) return;
    this.events.push(change);
    this.flushTimer ??= setTimeout(() => this.flush(), this.timing.batchMs);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const events = this.events;
    this.events = [];
    if (events.length === 0 || this.stopped) return;
    this.work = exclusive(this.options.host, () => this.applyEvents(events)).catch(() => undefined);
  }

  private async applyEvents(events: readonly ChangeEvent[]): Promise<void> {
    let last: string | null = null;
    for (const event of events) last = laterCursor(event.seq, last);
    if (last === null) return;
    for (const tableId of [...this.connections.keys()]) {
      if (this.stopped) return;
      const connection = this.connections.get(tableId);
      if (!connection || connection.cursor === null || !isAfter(last, connection.cursor)) continue;
      if (this.behind.has(tableId)) {
        await this.catchUpOne(tableId);
        continue;
      }
      const after = connection.cursor;
      const fresh = events.filter((event) => isAfter(event.seq, after));
      try {
        const { connection: next } = await applyChanges(this.options.host, connection, fresh, last);
        this.adopt(next);
        this.succeeded();
      } catch (error) {
        this.writeFailed(tableId, error);
      }
    }
  }

  private catchUpTables(tableIds: readonly string[]): Promise<void> {
    const task = exclusive(this.options.host, async () => {
      for (const tableId of tableIds) {
        if (this.stopped) return;
        await this.catchUpOne(tableId);
      }
    });
    this.work = task.catch(() => undefined);
    return task;
  }

  private async catchUpOne(tableId: string): Promise<void> {
    const connection = this.connections.get(tableId);
    if (!connection || connection.cursor === null) return;
    try {
      const { connection: next } = await catchUp(this.options.host, this.options.client, connection);
      this.adopt(next);
      this.behind.delete(tableId);
      this.succeeded();
    } catch (error) {
      this.writeFailed(tableId, error);
    }
  }

  /** Takes a table's new cursor, keeping whatever else changed meanwhile (a new mapping). */
  private adopt(next: Connection): void {
    const current = this.connections.get(next.tableId);
    if (!current || current.kind !== next.kind || next.cursor === null) return;
    const cursor = current.cursor === null ? next.cursor : laterCursor(next.cursor, current.cursor);
    if (cursor === current.cursor) return;
    const merged = { ...current, cursor };
    this.connections.set(next.tableId, merged);
    this.options.onConnection?.(merged);
  }

  private succeeded(): void {
    if (this.behind.size === 0) this.writeRetryDelay = this.timing.writeRetryMs;
    if (!this.hasError || this.behind.size > 0) return;
    this.hasError = false;
    this.options.onError?.(undefined);
  }

  private writeFailed(tableId: string, error: unknown): void {
    if (this.stopped) return;
    if (error instanceof HostTableMissingError) {
      this.connections.delete(tableId);
      this.behind.delete(tableId);
    } else {
      this.behind.add(tableId);
      this.scheduleWriteRetry();
    }
    this.hasError = true;
    this.options.onError?.(error);
  }

  private scheduleWriteRetry(): void {
    if (this.retryTimer !== undefined || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const tableIds = [...this.behind];
      if (tableIds.length === 0 || this.stopped) return;
      void this.catchUpTables(tableIds).then(() => {
        if (this.behind.size === 0) return;
        this.writeRetryDelay = Math.min(this.writeRetryDelay * 2, this.timing.maxBackoffMs);
        this.scheduleWriteRetry();
      });
    }, this.writeRetryDelay);
  }

  // --- Plumbing -------------------------------------------------------------------------------

  private setStatus(status: LiveStatus): void {
    if (this.stopped && status.mode !== 'stopped') return;
    if (status.mode === this.status.mode && status.error === this.status.error) return;
    this.status = status;
    this.options.onStatus?.(status);
  }

  /** Waits `milliseconds` (`null`: until woken); `stop()` always ends it, {@link wake} only when `interruptible`. */
  private sleep(milliseconds: number | null, interruptible = true): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: Timer | undefined;
      const sleeper = {
        interruptible,
        wake: () => {
          clearTimeout(timer);
          this.sleepers.delete(sleeper);
          resolve();
        },
      };
      this.sleepers.add(sleeper);
      if (milliseconds !== null) timer = setTimeout(sleeper.wake, milliseconds);
    });
  }

  /** Something changed (a table joined, the pane became visible): stop waiting. */
  private wake(): void {
    for (const sleeper of [...this.sleepers]) if (sleeper.interruptible) sleeper.wake();
  }
}
