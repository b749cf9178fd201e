/**
 * Live updates for the brand the pane works on (workflows/live.ts): one feed per brand, started
 * when the workspace shows and stopped when it goes (sign out, another brand, the pane closes).
 * It also does what opening the pane always did: each connected table catches up from its cursor.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Connection } from '../workflows/connections.ts';
import { LiveFeed, type LiveStatus } from '../workflows/live.ts';
import type { PaneServices } from './services.ts';

export interface LiveUpdates {
  status: LiveStatus;
  /** The last changes that could not be pulled or written (they are retried); cleared when they were. */
  error: unknown;
  clearError: () => void;
  /** Catches every connected table up now; resolves when written. */
  pull: () => Promise<void>;
}

/** Identity of the connections as the feed sees them: a new array with the same content is no change. */
const signatureOf = (connections: readonly Connection[] | null) =>
  connections === null ? null : JSON.stringify(connections.map((connection) => [connection.tableId, connection.kind, connection.cursor, connection.manual]));

/**
 * @param connections the brand's connected tables that exist in the document (`null` while loading)
 * @param onConnection a table's cursor moved (already saved in the document)
 */
export function useLiveUpdates(services: PaneServices, brandId: string, connections: readonly Connection[] | null, onConnection: (connection: Connection) => void): LiveUpdates {
  const { host, client, liveTiming } = services;
  const [status, setStatus] = useState<LiveStatus>({ mode: 'idle' });
  const [error, setError] = useState<unknown>(undefined);
  const feed = useRef<LiveFeed | null>(null);
  const latest = useRef(connections);
  latest.current = connections;
  const onConnectionRef = useRef(onConnection);
  onConnectionRef.current = onConnection;

  useEffect(() => {
    const created = new LiveFeed({
      host,
      client,
      brandId,
      ...(liveTiming ? { timing: liveTiming } : {}),
      onConnection: (connection) => onConnectionRef.current(connection),
      onStatus: setStatus,
      onError: setError,
    });
    feed.current = created;
    if (latest.current) created.setConnections(latest.current);
    created.start();
    return () => {
      created.stop();
      if (feed.current === created) feed.current = null;
    };
  }, [host, client, brandId, liveTiming]);

  const signature = signatureOf(connections);
  useEffect(() => {
    if (latest.current) feed.current?.setConnections(latest.current);
  }, [signature]);

  const pull = useCallback(() => feed.current?.pull() ?? Promise.resolve(), []);
  const clearError = useCallback(() => setError(undefined), []);
  return { status, error, clearError, pull };
}
