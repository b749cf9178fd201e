/**
 * Background write-back: an installable time-driven trigger (every 5 minutes, per person and
 * spreadsheet) pulls the change feed of every connected sheet and writes what changed (copy
 * generated, reviews decided, edits made elsewhere) into the sheet, while no sidebar is open.
 *
 * Within Apps Script's limits:
 * - an execution ends at 6 minutes, so a run stops starting new work after
 *   {@link BACKGROUND_MAX_RUN_MS} and the next run resumes from the cursor saved after each page
 *   (and from the sheet where the last run stopped, so no sheet starves);
 * - URL fetches count against the day's budget (budget.ts); a run stops when only the reserve
 *   for the person's own actions is left;
 * - a person who signed out, or whose session ended, or who lost access to every connected brand
 *   (401/403/404), gets no more runs: the trigger deletes itself, and the sidebar shows why.
 * Only one run per person at a time (the user lock), so a slow run never overlaps the next.
 */
import type { BackgroundOutcome, BackgroundStatus } from '../shared/server-api.ts';
import { BACKGROUND_HANDLER } from '../shared/entry-points.ts';
import { backgroundFetchesLeft, FetchBudgetError, fetchesToday } from './budget.ts';
import { BACKGROUND_EVERY_MINUTES, BACKGROUND_MAX_RUN_MS, backgroundPageSize, dailyFetchBudget } from './config.ts';
import { apiPath, expectJson, failureMessage, ApiRequestError, ApiUnreachableError } from './http.ts';
import { authorizedFetch, loadSession, SignedOutError } from './session.ts';
import { findSheet } from './sheets.ts';
import { SERVER_KEYS, userStore, withUserLock } from './storage.ts';
import { applyFeedPage, loadConnections } from './sync-runner.ts';
import type { ChangeFeedPage } from '@storesync/core';

interface StoredRunState {
  lastRunAt: string | null;
  lastOutcome: BackgroundOutcome | null;
  message: string | null;
  /** The sheet the last run did not finish: the next run starts there. */
  resumeTableId: string | null;
}

function loadState(): StoredRunState {
  const raw = userStore().getProperty(SERVER_KEYS.background);
  const empty: StoredRunState = { lastRunAt: null, lastOutcome: null, message: null, resumeTableId: null };
  if (!raw) return empty;
  try {
    return { ...empty, ...(JSON.parse(raw) as Partial<StoredRunState>) };
  } catch {
    return empty;
  }
}

function saveState(state: StoredRunState): void {
  userStore().setProperty(SERVER_KEYS.background, JSON.stringify(state));
}

function ownTriggers(): GoogleAppsScript.Script.Trigger[] {
  // getProjectTriggers lists this person's triggers of this script (for a bound script: this spreadsheet).
  return ScriptApp.getProjectTriggers().filter((trigger) => trigger.getHandlerFunction() === BACKGROUND_HANDLER);
}

export function backgroundStatus(): BackgroundStatus {
  const state = loadState();
  return {
    enabled: ownTriggers().length > 0,
    lastRunAt: state.lastRunAt,
    lastOutcome: state.lastOutcome,
    message: state.message,
    fetchesToday: fetchesToday(),
    dailyFetchBudget: dailyFetchBudget(),
  };
}

/** Deletes this person's background triggers; says how many there were. */
export function removeBackgroundTriggers(): number {
  const triggers = ownTriggers();
  for (const trigger of triggers) ScriptApp.deleteTrigger(trigger);
  return triggers.length;
}

export function noteBackgroundStopped(outcome: BackgroundOutcome, message: string): void {
  saveState({ ...loadState(), lastOutcome: outcome, message, lastRunAt: new Date(Date.now()).toISOString() });
}

/** Turns background updates on (one trigger, never two) or off. */
export function setBackgroundSync(enabled: boolean): BackgroundStatus {
  if (enabled) {
    if (!loadSession()) throw new SignedOutError('Sign in to StoreSync before turning on background updates.');
    if (ownTriggers().length === 0) ScriptApp.newTrigger(BACKGROUND_HANDLER).timeBased().everyMinutes(BACKGROUND_EVERY_MINUTES).create();
  } else {
    removeBackgroundTriggers();
  }
  return backgroundStatus();
}

interface RunTotals {
  changed: number;
  cellsChanged: number;
  sheets: Set<string>;
}

function stop(outcome: BackgroundOutcome, message: string, resumeTableId: string | null, removeTrigger: boolean): void {
  if (removeTrigger) removeBackgroundTriggers();
  saveState({ lastRunAt: new Date(Date.now()).toISOString(), lastOutcome: outcome, message, resumeTableId });
}

function summary(totals: RunTotals): string {
  if (totals.changed === 0) return 'No changes in StoreSync since the last update.';
  return `${totals.changed} change${totals.changed === 1 ? '' : 's'} from StoreSync written into ${[...totals.sheets].join(', ')} (${totals.cellsChanged} cells).`;
}

/** A run's claim on this person's background work (user properties), so runs never overlap. */
const LEASE_KEY = 'storesync.server.backgroundLease';

/**
 * The trigger's handler: one bounded run over every connected sheet. A run holds a lease rather
 * than the user lock for its whole length, because token refreshes inside it take that lock.
 */
export function runBackgroundSync(): void {
  const startedAt = Date.now();
  const claimed = withUserLock(() => {
    const store = userStore();
    const until = Number(store.getProperty(LEASE_KEY) ?? 0);
    // A lease still running is a previous run doing this very work: let it finish.
    if (until > startedAt) return false;
    store.setProperty(LEASE_KEY, String(startedAt + BACKGROUND_MAX_RUN_MS + 90_000));
    return true;
  }, 5_000);
  if (!claimed) return;
  try {
    runBounded(startedAt);
  } catch (error) {
    // Shown in the sidebar; rethrown so Apps Script records the failed execution too.
    stop('failed', `The last background update failed: ${error instanceof Error ? error.message : String(error)} The next one tries again.`, loadState().resumeTableId, false);
    throw error;
  } finally {
    userStore().deleteProperty(LEASE_KEY);
  }
}

function runBounded(startedAt: number): void {
  if (!loadSession()) {
    stop('signed-out', 'Background updates stopped because you are signed out of StoreSync. Sign in and turn them on again.', null, true);
    return;
  }
  const connections = loadConnections().filter((connection) => {
    try {
      findSheet(connection.tableId);
      return connection.cursor !== null; // before its first sync a sheet has nothing to catch up on
    } catch {
      return false;
    }
  });
  if (connections.length === 0) {
    stop('nothing-connected', 'Background updates stopped: no sheet of this spreadsheet is synced with StoreSync yet.', null, true);
    return;
  }
  const state = loadState();
  const first = Math.max(0, connections.findIndex((connection) => connection.tableId === state.resumeTableId));
  const ordered = [...connections.slice(first), ...connections.slice(0, first)];
  const totals: RunTotals = { changed: 0, cellsChanged: 0, sheets: new Set() };
  const refused: string[] = [];

  for (const connection of ordered) {
    let cursor = connection.cursor as string;
    for (;;) {
      if (Date.now() - startedAt > BACKGROUND_MAX_RUN_MS) {
        stop('stopped-early', `${summary(totals)} Stopped before Apps Script's time limit; the next update continues from here.`, connection.tableId, false);
        return;
      }
      if (backgroundFetchesLeft() <= 0) {
        stop('budget-exhausted', `${summary(totals)} Paused until tomorrow: today's budget of StoreSync requests is used (the rest is kept for what you do yourself).`, connection.tableId, false);
        return;
      }
      let page: ChangeFeedPage;
      try {
        const answer = authorizedFetch('GET', apiPath('/sync/changes/', { brand: connection.brandId, since: cursor, limit: backgroundPageSize() }));
        if (answer.status === 401) throw new SignedOutError('Your StoreSync session ended.');
        if (answer.status === 403 || answer.status === 404) {
          refused.push(`${connection.tableName}: ${failureMessage(answer)}`);
          break;
        }
        page = expectJson<ChangeFeedPage>(answer);
      } catch (error) {
        if (error instanceof SignedOutError) {
          stop('signed-out', 'Background updates stopped because your StoreSync session ended. Sign in and turn them on again.', null, true);
          return;
        }
        if (error instanceof FetchBudgetError) {
          stop('budget-exhausted', `${summary(totals)} ${error.message}`, connection.tableId, false);
          return;
        }
        if (error instanceof ApiUnreachableError || error instanceof ApiRequestError) {
          stop('failed', `${summary(totals)} ${error.message} The next update tries again.`, connection.tableId, false);
          return;
        }
        throw error;
      }
      const outcome = applyFeedPage({ ...connection, cursor }, page);
      totals.changed += outcome.changed;
      totals.cellsChanged += outcome.cellsChanged;
      if (outcome.changed > 0) totals.sheets.add(connection.tableName);
      cursor = outcome.next;
      if (!outcome.hasMore) break;
    }
  }
  if (refused.length === ordered.length) {
    stop('no-access', `Background updates stopped: StoreSync refused every connected sheet (${refused.join('; ')}).`, null, true);
    return;
  }
  const lost = refused.length > 0 ? ` Not updated: ${refused.join('; ')}.` : '';
  stop('up-to-date', `${summary(totals)}${lost}`, null, false);
}
