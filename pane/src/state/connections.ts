/**
 * The document's connected tables and the one the pane is working on. On open, each connection of
 * the chosen brand catches up from the change feed, so copy generated and reviews decided while
 * the pane was closed land in their rows before the person does anything.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HostTable } from '../host.ts';
import { loadConnections, removeConnection, saveConnection, type Connection } from '../workflows/connections.ts';
import { catchUp } from '../workflows/feed.ts';
import type { PaneServices } from './services.ts';

export interface ConnectionsState {
  /** null while loading. */
  connections: Connection[] | null;
  tables: HostTable[];
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

export function useConnections({ host, client }: PaneServices, brandId: string | null): ConnectionsState {
  const [connections, setConnections] = useState<Connection[] | null>(null);
  const [tables, setTables] = useState<HostTable[]>([]);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  const refresh = useCallback(async () => {
    try {
      const [loaded, listed] = await Promise.all([loadConnections(host), host.listTables()]);
      setConnections(loaded);
      setTables(listed);
      setError(undefined);
    } catch (failure) {
      setError(failure);
      setConnections((previous) => previous ?? []);
    }
  }, [host]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Catch up once per brand per pane open (a ref, so React's double-run effects do not pull twice).
  const caughtUp = useRef<string | null>(null);
  useEffect(() => {
    if (!brandId || !connections || caughtUp.current === brandId) return;
    caughtUp.current = brandId;
    const present = new Set(tables.map((table) => table.id));
    void (async () => {
      for (const connection of connections) {
        if (connection.brandId !== brandId || !present.has(connection.tableId)) continue;
        try {
          const { connection: next } = await catchUp(host, client, connection);
          setConnections((previous) => previous?.map((existing) => (existing.tableId === next.tableId ? next : existing)) ?? previous);
        } catch (failure) {
          setError(failure);
        }
      }
    })();
  }, [brandId, connections, tables, host, client]);

  const mine = (connections ?? []).filter((connection) => connection.brandId === brandId);
  const present = new Set(tables.map((table) => table.id));
  const available = mine.filter((connection) => present.has(connection.tableId));
  const active = available.find((connection) => connection.tableId === activeId) ?? available[0] ?? null;

  const connect = useCallback(
    async (connection: Connection) => {
      setConnections(await saveConnection(host, connection));
      setActiveId(connection.tableId);
    },
    [host],
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
    active,
    missing: mine.filter((connection) => !present.has(connection.tableId)),
    error,
    setActive: setActiveId,
    connect,
    disconnect,
    refresh,
    update,
  };
}
