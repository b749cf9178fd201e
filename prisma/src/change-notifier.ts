/**
 * Wakes change-feed streams when a brand's changes commit. The sync_changes triggers call
 * `pg_notify('storesync_sync_changes', brand_id)`, which PostgreSQL delivers at commit; one
 * LISTEN connection per process fans the brand ids out to subscribers. The connection opens with
 * the first subscriber and reconnects after errors; a subscriber is also told after a reconnect,
 * since notifications sent while disconnected are lost and it must look for itself.
 */
import pg from 'pg';

export const SYNC_CHANGES_CHANNEL = 'storesync_sync_changes';

export interface ChangeNotifier {
  /** Calls `listener` whenever changes of `brandId` may have committed; returns the unsubscribe. */
  subscribe(brandId: string, listener: () => void): () => void;
  close(): Promise<void>;
}

export interface ChangeNotifierOptions {
  onError?: (error: Error) => void;
  /** Wait before reconnecting after the connection failed; default 1 s. */
  reconnectDelayMs?: number;
}

export function createChangeNotifier(databaseUrl: string, options: ChangeNotifierOptions = {}): ChangeNotifier {
  const listeners = new Map<string, Set<() => void>>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const notifyAll = () => {
    for (const set of listeners.values()) for (const listener of set) listener();
  };

  const scheduleReconnect = () => {
    if (closed || reconnectTimer || listeners.size === 0) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, options.reconnectDelayMs ?? 1_000);
  };

  const connect = async () => {
    if (client || connecting || closed) return connecting;
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => {
      if (message.channel !== SYNC_CHANGES_CHANNEL || !message.payload) return;
      for (const listener of listeners.get(message.payload) ?? []) listener();
    });
    next.on('error', (error) => {
      options.onError?.(error);
      if (client === next) client = undefined;
      // The failure is reported above; closing what is left of the connection may fail again.
      void next.end().catch(() => undefined);
      scheduleReconnect();
    });
    connecting = (async () => {
      try {
        await next.connect();
        await next.query(`LISTEN ${SYNC_CHANGES_CHANNEL}`);
        client = next;
        // Anything committed while we were not listening went unannounced.
        notifyAll();
      } catch (error) {
        options.onError?.(error as Error);
        await next.end().catch(() => undefined); // reported above
        scheduleReconnect();
      } finally {
        connecting = undefined;
      }
    })();
    return connecting;
  };

  return {
    subscribe(brandId, listener) {
      let set = listeners.get(brandId);
      if (!set) listeners.set(brandId, (set = new Set()));
      set.add(listener);
      void connect();
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(brandId);
      };
    },
    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      listeners.clear();
      await connecting;
      const current = client;
      client = undefined;
      await current?.end();
    },
  };
}
