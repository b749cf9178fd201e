/**
 * The Apps Script server code's entry: every function Apps Script calls, by the names of
 * src/shared/entry-points.ts. scripts/build.ts bundles this module as an IIFE whose exports become
 * the global `StoreSync`, and adds one top-level stub per name, because Apps Script only calls
 * top-level functions (simple triggers, installable triggers, menu items, google.script.run).
 *
 * Each entry saves the day's URL fetch count when it returns (budget.ts). Sidebar calls turn any
 * failure into an Error whose message the pane can show as it is.
 */
import type { DateSettings, HostTable } from '@storesync/pane/host';
import type { Sheet } from '@storesync/core';
import type { GoogleSignInAnswer, ProxyRequest, ProxyResponse, RecordedEdit, SheetsServer, SidebarStart, WriteCallAnswer, WriteCallRequest } from '../shared/server-api.ts';
import { backgroundStatus, runBackgroundSync as runBackground, setBackgroundSync as setBackground } from './background.ts';
import { flushFetchCount } from './budget.ts';
import { apiBaseUrl } from './http.ts';
import { proxyApiRequest, PLACEHOLDER_REFRESH } from './proxy.ts';
import { forgetSession, googleEmail, loadSession, signInWithGoogle as googleSignIn } from './session.ts';
import * as sheets from './sheets.ts';
import { API_URL_SETTING, assertSidebarKey, documentStore, readText, userStore, withDocumentLock, writeText } from './storage.ts';
import * as ui from './ui.ts';

/** The pane keeps its refresh token under this key (pane/src/state/services.ts); here it stands for the server-held session. */
const PANE_REFRESH_KEY = 'storesync.refreshToken';

function entry<A extends unknown[], R>(work: (...args: A) => R): (...args: A) => R {
  return (...args: A) => {
    try {
      return work(...args);
    } finally {
      try {
        flushFetchCount();
      } catch (error) {
        console.warn(`StoreSync could not save today's request count: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
}

function dateSettings(): DateSettings {
  return { dateSystem: 'sheets', timeZone: sheets.timeZone() };
}

const server: SheetsServer = {
  sidebarStart: (): SidebarStart => ({
    apiBaseUrl: apiBaseUrl(),
    dateSettings: dateSettings(),
    googleEmail: googleEmail(),
    signedIn: loadSession() !== null,
    background: backgroundStatus(),
  }),
  listTables: (): HostTable[] => sheets.listTables(),
  readTable: (tableId: string): Sheet => sheets.readTable(tableId),
  applyWriteCall: (tableId: string, call: WriteCallRequest): WriteCallAnswer => sheets.applyWriteCall(tableId, call),
  selectRow: (tableId: string, rowIndex: number) => sheets.selectRow(tableId, rowIndex),
  getSelectedRows: (tableId: string) => sheets.getSelectedRows(tableId),
  takeUserEdits: (tableIds: string[]): RecordedEdit[] => sheets.takeUserEdits(tableIds),
  getDateSettings: dateSettings,
  getDocumentSetting: (key: string) => {
    assertSidebarKey(key);
    return readText(documentStore(), key);
  },
  setDocumentSetting: (key: string, json: string | null) => {
    assertSidebarKey(key);
    // The API address is checked against the whitelist by saveApiUrl; it has no back door here.
    if (key === API_URL_SETTING) throw new Error('Change the StoreSync address in StoreSync → Settings.');
    if (json !== null) JSON.parse(json); // refuse anything that is not JSON before it is stored
    withDocumentLock(() => writeText(documentStore(), key, json));
  },
  getUserValue: (key: string) => {
    assertSidebarKey(key);
    if (key === PANE_REFRESH_KEY) return loadSession() ? PLACEHOLDER_REFRESH : null;
    return userStore().getProperty(key);
  },
  setUserValue: (key: string, value: string) => {
    assertSidebarKey(key);
    // The pane saves the placeholder it was given; the real token is already kept (session.ts).
    if (key === PANE_REFRESH_KEY) return;
    userStore().setProperty(key, String(value));
  },
  removeUserValue: (key: string) => {
    assertSidebarKey(key);
    // The pane forgets its token when signing out or when its session ended: so does the server,
    // keeping the refresh token aside for the logout request that may follow.
    if (key === PANE_REFRESH_KEY) forgetSession(true);
    else userStore().deleteProperty(key);
  },
  apiFetch: (request: ProxyRequest): ProxyResponse => proxyApiRequest(request),
  signInWithGoogle: (): GoogleSignInAnswer => googleSignIn(),
  setBackgroundSync: (enabled: boolean) => setBackground(Boolean(enabled)),
  getBackgroundStatus: () => backgroundStatus(),
  showSidebar: () => ui.showSidebar(),
  getSettings: () => ui.settingsView(),
  saveApiUrl: (url: string) => ui.saveApiUrl(url),
};

const sidebarEntries = Object.fromEntries(Object.entries(server).map(([name, work]) => [name, entry(work as (...args: unknown[]) => unknown)])) as unknown as SheetsServer;

export const {
  sidebarStart,
  listTables,
  readTable,
  applyWriteCall,
  selectRow,
  getSelectedRows,
  takeUserEdits,
  getDateSettings,
  getDocumentSetting,
  setDocumentSetting,
  getUserValue,
  setUserValue,
  removeUserValue,
  apiFetch,
  signInWithGoogle,
  setBackgroundSync,
  getBackgroundStatus,
  showSidebar,
  getSettings,
  saveApiUrl,
} = sidebarEntries;

/** Simple trigger: the menu. May run without authorisation (AuthMode.NONE/LIMITED): menu only. */
export function onOpen(_event?: GoogleAppsScript.Events.SheetsOnOpen): void {
  ui.buildMenu();
}

/** Runs when the add-in is installed from the Marketplace or a test deployment. */
export function onInstall(event?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(event as GoogleAppsScript.Events.SheetsOnOpen | undefined);
}

/** Simple trigger: a person's edit, passed to an open sidebar (see sheets.ts). */
export function onEdit(event: GoogleAppsScript.Events.SheetsOnEdit): void {
  sheets.recordUserEdit(event);
}

export const runBackgroundSync = entry((_event?: GoogleAppsScript.Events.TimeDriven) => runBackground());
export const menuSyncNow = entry(() => ui.menuAction(ui.syncNow));
export const menuGenerateForSelection = entry(() => ui.menuAction(ui.generateForSelection));
export const showSettings = entry(() => ui.showSettings());
