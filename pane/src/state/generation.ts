/**
 * A generation run from the pane: estimate, start, poll progress, cancel, retry the failed ones.
 * Copy lands in its rows as soon as it is ready, wherever the person scrolled (rows are found by
 * id): through live updates, and, as a safety net, each poll that shows newly finished campaigns
 * pulls the change feed (`landResults`, the live feed's pull, which writes one task at a time).
 *
 * An estimate and a run belong to the table they were made for: switching tables drops the
 * estimate and hides the run (it keeps running, and is shown again on its table).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GenerationRun, RunEstimate, SimilarCampaign } from '../api/types.ts';
import type { Connection } from '../workflows/connections.ts';
import { generationScope, MAX_RUN_CAMPAIGNS, runRequest } from '../workflows/generate.ts';
import type { PaneServices } from './services.ts';
import { useAction } from './use-action.ts';

export interface PendingGeneration {
  tableId: string;
  campaignIds: string[];
  unsynced: number[];
  estimate: RunEstimate;
}

export function useGeneration(services: PaneServices, connection: Connection | null, examples: readonly SimilarCampaign[], landResults: () => Promise<void>) {
  const { client, host, pollIntervalMs } = services;
  const [pending, setPending] = useState<PendingGeneration | null>(null);
  const [run, setRun] = useState<(GenerationRun & { tableId: string }) | null>(null);
  const [pollError, setPollError] = useState<unknown>(undefined);
  /** done + failed at the last look, to pull the feed only when something finished. */
  const finished = useRef(0);
  const tableId = connection?.tableId ?? null;

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
    const next = { tableId: connection.tableId, campaignIds, unsynced, estimate: answer };
    setPending(next);
    return next;
  });

  const start = useAction(async (): Promise<GenerationRun> => {
    if (!pending || pending.tableId !== tableId) throw new Error('Estimate first.');
    const started = await client.startRun(runRequest(pending.campaignIds, examples));
    setPending(null);
    setPollError(undefined);
    finished.current = 0;
    setRun({ ...started, tableId: pending.tableId });
    return started;
  });

  const cancel = useAction(async () => {
    if (!run) return null;
    const cancelled = await client.cancelRun(run.id);
    setRun({ ...cancelled, tableId: run.tableId });
    return cancelled;
  });

  const retryFailed = useAction(async () => {
    if (!run) return null;
    const retried = await client.retryFailed(run.id);
    setRun({ ...retried, tableId: run.tableId });
    return retried;
  });

  // Another table: its estimate is not this one's, and neither are the messages about it.
  const { clearError: clearEstimateError } = estimate;
  const { clearError: clearStartError } = start;
  const shownFor = useRef(tableId);
  useEffect(() => {
    if (shownFor.current === tableId) return;
    shownFor.current = tableId;
    setPending(null);
    clearEstimateError();
    clearStartError();
  }, [tableId, clearEstimateError, clearStartError]);

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
        setRun((previous) => (previous?.id === latest.id ? { ...latest, tableId: previous.tableId } : previous));
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

  return {
    estimate,
    start,
    cancel,
    retryFailed,
    pending: pending?.tableId === tableId ? pending : null,
    run: run?.tableId === tableId ? run : null,
    pollError,
    dismiss,
  };
}
