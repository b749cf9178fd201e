/**
 * The StoreSync menu and what its items do: open the sidebar, sync the active sheet now, generate
 * copy for the selected campaign rows, open the settings dialog. Menu actions run on the server
 * (no sidebar needed) and report with a toast, or an alert when something needs the person.
 */
import type { SettingsView } from '../shared/server-api.ts';
import { backgroundStatus, setBackgroundSync } from './background.ts';
import { BUILD } from './config.ts';
import { apiBaseUrl, apiPath, expectJson, normaliseApiUrl } from './http.ts';
import { authorizedFetch, googleEmail, loadSession } from './session.ts';
import { getSelectedRows, idColumnOf, readTable, spreadsheet } from './sheets.ts';
import { API_URL_SETTING, documentStore, withDocumentLock, writeJson } from './storage.ts';
import type { Connection } from '@storesync/pane/host';
import { loadConnections, syncTable } from './sync-runner.ts';

export const MENU_TITLE = 'StoreSync';
export const SIDEBAR_FILE = 'Sidebar';
export const SETTINGS_FILE = 'Settings';

/** Builds the StoreSync menu. Runs as a simple trigger, possibly without authorisation: menu only. */
export function buildMenu(): void {
  SpreadsheetApp.getUi()
    .createMenu(MENU_TITLE)
    .addItem('Open StoreSync', 'showSidebar')
    .addItem('Sync now', 'menuSyncNow')
    .addItem('Generate copy for selected rows', 'menuGenerateForSelection')
    .addSeparator()
    .addItem('Settings', 'showSettings')
    .addToUi();
}

export function showSidebar(): void {
  const output = HtmlService.createHtmlOutputFromFile(SIDEBAR_FILE).setTitle('StoreSync');
  SpreadsheetApp.getUi().showSidebar(output);
}

export function showSettings(): void {
  const output = HtmlService.createHtmlOutputFromFile(SETTINGS_FILE).setWidth(460).setHeight(440);
  SpreadsheetApp.getUi().showModalDialog(output, 'StoreSync settings');
}

function toast(message: string): void {
  spreadsheet().toast(message, 'StoreSync', 8);
}

function alert(message: string): void {
  SpreadsheetApp.getUi().alert('StoreSync', message, SpreadsheetApp.getUi().ButtonSet.OK);
}

/** Runs a menu action; a failure becomes an alert in words, never a bare Apps Script error. */
export function menuAction(action: () => void): void {
  try {
    action();
  } catch (error) {
    alert(error instanceof Error ? error.message : String(error));
  }
}

function activeConnection(): Connection {
  const sheet = spreadsheet().getActiveSheet();
  const id = String(sheet.getSheetId());
  const connection = loadConnections().find((candidate) => candidate.tableId === id);
  if (!connection) throw new Error(`The sheet "${sheet.getName()}" is not connected to StoreSync. Open StoreSync (StoreSync → Open StoreSync) and connect it first.`);
  return connection;
}

function requireSession(): void {
  if (!loadSession()) throw new Error('Sign in to StoreSync first: StoreSync → Open StoreSync.');
}

export function syncNow(): void {
  requireSession();
  const connection = activeConnection();
  const summary = syncTable(connection);
  if (summary.blockedByHeaders) {
    alert(`Fix the column headers of "${connection.tableName}" first:\n${summary.headerProblems.join('\n')}`);
    return;
  }
  const { created, updated, unchanged, conflict, error } = summary.counts;
  const parts = [`${created} created`, `${updated} updated`, `${unchanged} unchanged`];
  if (conflict) parts.push(`${conflict} in conflict`);
  if (error + summary.notSent) parts.push(`${error + summary.notSent} with problems (see Sync Error)`);
  toast(`Synced "${connection.tableName}": ${parts.join(', ')}.`);
}

/** Campaign ids of the selected rows of the active, connected campaign sheet. */
function selectedCampaignIds(connection: Connection): { ids: string[]; unsynced: number } {
  const rows = getSelectedRows(connection.tableId);
  const sheet = readTable(connection.tableId);
  const idColumn = idColumnOf(sheet.values[0] ?? []);
  const ids = new Set<string>();
  let unsynced = 0;
  for (const row of rows) {
    const id = idColumn >= 0 ? String(sheet.values[row]?.[idColumn] ?? '').trim() : '';
    if (id) ids.add(id);
    else unsynced += 1;
  }
  return { ids: [...ids], unsynced };
}

export function generateForSelection(): void {
  requireSession();
  const connection = activeConnection();
  if (connection.kind !== 'campaigns') throw new Error(`"${connection.tableName}" is a ${connection.kind} sheet; select rows of a campaigns sheet to generate copy.`);
  const { ids, unsynced } = selectedCampaignIds(connection);
  if (ids.length === 0) {
    throw new Error(unsynced ? 'The selected rows have not been synced yet; sync them first (StoreSync → Sync now).' : 'Select one or more campaign rows first.');
  }
  const run = expectJson<{ id: string; total: number; skipped: number }>(
    authorizedFetch('POST', apiPath('/campaigns/generate/'), { campaign_ids: ids, use_similar_content: true }),
  );
  // The copy arrives through the change feed: with background updates on, without the sidebar.
  const background = backgroundStatus().enabled ? '' : setBackgroundSync(true).enabled ? ' Background updates are now on (turn them off in the sidebar).' : '';
  const queued = run.total - run.skipped;
  toast(`Generating copy for ${queued} campaign${queued === 1 ? '' : 's'}${run.skipped ? ` (${run.skipped} skipped: unchanged, running or in review)` : ''}. It appears in the sheet within a few minutes.${background}${unsynced ? ` ${unsynced} selected rows are not synced yet.` : ''}`);
}

export function settingsView(): SettingsView {
  return {
    apiUrl: apiBaseUrl(),
    allowedApiPrefixes: BUILD.allowedApiPrefixes,
    googleEmail: googleEmail(),
    signedInAs: loadSession()?.email ?? (loadSession() ? 'signed in' : null),
    background: backgroundStatus(),
  };
}

export function saveApiUrl(url: string): SettingsView {
  const normalised = normaliseApiUrl(url);
  withDocumentLock(() => writeJson(documentStore(), API_URL_SETTING, normalised === BUILD.apiUrl.replace(/\/+$/, '') ? null : normalised));
  return settingsView();
}

