/**
 * A generation run from the pane: estimate, start, poll progress, cancel, retry the failed ones.
 * While it runs, each poll that shows new finished campaigns pulls the change feed, so copy lands
 * in its rows as soon as it is ready, wherever the person scrolled (rows are found by id).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GenerationRun, RunEstimate, SimilarCampaign } from '../api/types.ts';
import type { Connection } from '../workflows/connections.ts';
import { catchUp } from '../workflows/feed.ts';
import { generationScope, MAX_RUN_CAMPAIGNS, runRequest } from '../workflows/generate.ts';
import type { PaneServices } from './services.ts';
import { useAction } from './use-action.ts';

export interface PendingGeneration {
  campaignIds: string[];
  unsynced: number[];
  estimate: RunEstimate;
}

export function useGeneration(services: PaneServices, connection: Connection | null, examples: readonly SimilarCampaign[], onConnection: (connection: Connection) => void) {
  const { host, client, pollIntervalMs } = services;
  const [pending, setPending] = useState<PendingGeneration | null>(null);
  const [run, setRun] = useState<GenerationRun | null>(null);
  const [pollError, setPollError] = useState<unknown>(undefined);
  const connectionRef = useRef(connection);
  connectionRef.current = connection;
  /** done + failed at the last look, to pull the feed only when something finished. */
  const finished = useRef(0);

  const estimate = useAction(async (scope: 'selected' | 'all'): Promise<PendingGeneration> => {
    if (!connection) throw new Error('Connect a campaign table first.');
    const { campaignIds, unsynced } = await generationScope(host, connection, scope);
    if (campaignIds.length === 0) {
      throw new Error(
        unsynced.length
          ? 'The rows you chose have not been synced yet; sync them first so they have a StoreSync ID.'
          : scope === 'selected'
            ? 'Select one or more campaign rows in the table first.'
            : 'The table has no synced campaign rows yet; sync it first.',
      );
    }
    if (campaignIds.length > MAX_RUN_CAMPAIGNS) throw new Error(`A run can generate at most ${MAX_RUN_CAMPAIGNS} campaigns; select fewer rows.`);
    const answer = await client.estimateRun(runRequest(campaignIds, examples));
    const next = { campaignIds, unsynced, estimate: answer };
    setPending(next);
    return next;
  });

  const start = useAction(async (): Promise<GenerationRun> => {
    if (!pending) throw new Error('Estimate first.');
    const started = await client.startRun(runRequest(pending.campaignIds, examples));
    setPending(null);
    setPollError(undefined);
    finished.current = 0;
    setRun(started);
    return started;
  });

  const cancel = useAction(async () => {
    if (!run) return null;
    const cancelled = await client.cancelRun(run.id);
    setRun(cancelled);
    return cancelled;
  });

  const retryFailed = useAction(async () => {
    if (!run) return null;
    const retried = await client.retryFailed(run.id);
    setRun(retried);
    return retried;
  });

  /** Writes what finished since the last look into the table. */
  const landResults = useCallback(async () => {
    const current = connectionRef.current;
    if (!current) return;
    const { connection: next } = await catchUp(host, client, current);
    onConnection(next);
  }, [host, client, onConnection]);

  // Poll while the run is running; one timer at a time, stopped on unmount.
  const runId = run?.id;
  const running = run?.status === 'running';
  useEffect(() => {
    if (!runId || !running) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const latest = await client.getRun(runId);
        if (!active) return;
        setRun(latest);
        setPollError(undefined);
        const count = latest.done + latest.failed;
        if (count !== finished.current || latest.status !== 'running') {
          finished.current = count;
          await landResults();
        }
      } catch (error) {
        // Keep polling through a blip; the pane says the progress may be stale meanwhile.
        if (active) setPollError(error);
      }
      if (active) timer = setTimeout(() => void poll(), pollIntervalMs);
    };
    timer = setTimeout(() => void poll(), pollIntervalMs);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [runId, running, client, pollIntervalMs, landResults]);

  const dismiss = useCallback(() => {
    setPending(null);
    setRun(null);
  }, []);

  return { estimate, start, cancel, retryFailed, pending, run, pollError, dismiss };
}
