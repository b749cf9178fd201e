/**
 * The document's connected tables and the one the pane is working on: the one the person used
 * last (kept per person and brand), else the first. Catching up from the change feed when the
 * pane opens, and live updates after that, are live.ts's.
 */
import { useCallback, useEffect, useState } from 'react';
import type { HostTable } from '../host.ts';
import { loadConnections, removeConnection, saveConnection, type Connection } from '../workflows/connections.ts';
import { STORAGE_KEYS, type PaneServices } from './services.ts';

export interface ConnectionsState {
  /** null while loading. */
  connections: Connection[] | null;
  tables: HostTable[];
  /** The brand's connections whose table is in the document. */
  available: Connection[];
  active: Connection | null;
  /** Connections whose table is gone from the document. */
  missing: Connection[];
  error: unknown;
  setActive: (tableId: string) => void;
  connect: (connection: Connection) => Promise<void>;
  disconnect: (tableId: string) => Promise<void>;
  /** Re-lists tables (after the person added one) and reloads connections. */
  refresh: () => Promise<void>;
  /** Replaces a connection after a workflow updated it (its cursor). */
  update: (connection: Connection) => void;
}

export function useConnections({ host }: PaneServices, brandId: string | null): ConnectionsState {
  const [connections, setConnections] = useState<Connection[] | null>(null);
  const [tables, setTables] = useState<HostTable[]>([]);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const lastTableKey = brandId ? `${STORAGE_KEYS.lastTable}.${brandId}` : null;

  const refresh = useCallback(async () => {
    try {
      // The table used last is read with the connections, so the pane never shows the first one in between.
      const [loaded, listed, last] = await Promise.all([
        loadConnections(host),
        host.listTables(),
        lastTableKey ? host.userStorage.get(lastTableKey).catch(() => null) : Promise.resolve(null),
      ]);
      setConnections(loaded);
      setTables(listed);
      if (last) setActiveId((current) => current ?? last);
      setError(undefined);
    } catch (failure) {
      setError(failure);
      setConnections((previous) => previous ?? []);
    }
  }, [host, lastTableKey]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const mine = (connections ?? []).filter((connection) => connection.brandId === brandId);
  const present = new Set(tables.map((table) => table.id));
  const available = mine.filter((connection) => present.has(connection.tableId));
  const active = available.find((connection) => connection.tableId === activeId) ?? available[0] ?? null;

  const setActive = useCallback(
    (tableId: string) => {
      setActiveId(tableId);
      // A preference: losing it costs one click on the next open, so a failure is not worth a message.
      if (lastTableKey) void host.userStorage.set(lastTableKey, tableId).catch(() => undefined);
    },
    [host, lastTableKey],
  );

  const connect = useCallback(
    async (connection: Connection) => {
      setConnections(await saveConnection(host, connection));
      setActive(connection.tableId);
    },
    [host, setActive],
  );
  const disconnect = useCallback(
    async (tableId: string) => {
      setConnections(await removeConnection(host, tableId));
    },
    [host],
  );
  const update = useCallback((connection: Connection) => {
    setConnections((previous) => previous?.map((existing) => (existing.tableId === connection.tableId ? connection : existing)) ?? previous);
  }, []);

  return {
    connections,
    tables,
    available,
    active,
    missing: mine.filter((connection) => !present.has(connection.tableId)),
    error,
    setActive,
    connect,
    disconnect,
    refresh,
    update,
  };
}
