/**
 * The contract between the sidebar (browser, `google.script.run`) and the Apps Script server
 * code: every function the sidebar and the settings dialog may call, with what it takes and gives.
 *
 * Arguments and answers cross `google.script.run`, which passes only primitives, `null`, and
 * arrays and plain objects made of them (no `Date`, no `undefined` inside arrays, no functions),
 * so everything here is JSON-shaped. Both sides import these types; only the server implements
 * them (src/server/main.ts) and only src/sidebar/server.ts calls them.
 */
import type { AddedColumn, CellValue, Sheet } from '@storesync/core';
import type { DateSettings, HostTable } from '@storesync/pane/host';

/** An HTTP request of the pane, forwarded to the StoreSync API by the server (UrlFetchApp). */
export interface ProxyRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path and query under the API's origin, starting with `/api/v1/`. The origin is the server's. */
  path: string;
  /** JSON text, when the request has a body. */
  body?: string;
}

export interface ProxyResponse {
  status: number;
  /** The response body as text (`''` for 204). */
  body: string;
  /** The headers the pane reads: `content-type`, `retry-after`, `x-request-id`. */
  headers: Record<string, string>;
}

/** One call of a write plan for one sheet: the plan's added columns (first call only) and blocks. */
export interface WriteCallRequest {
  addColumns: AddedColumn[];
  writes: { row: number; column: number; values: CellValue[][]; numberFormats: (string | null)[][] }[];
}

export interface WriteCallAnswer {
  /** Set when the rows' developer metadata could not be written (the id column still holds the ids). */
  metadataWarning?: string;
}

/** A change a person made in a sheet, recorded by the `onEdit` simple trigger while a sidebar is open. */
export interface RecordedEdit {
  tableId: string;
  /** 0-based, row 0 = header row, as the engine counts. */
  row: number;
  column: number;
  rowCount: number;
  columnCount: number;
}

export type BackgroundOutcome =
  /** Every connected sheet is up to date. */
  | 'up-to-date'
  /** Stopped before Apps Script's time limit; the next run resumes from the saved cursor. */
  | 'stopped-early'
  /** The daily URL fetch budget is used up; runs resume the next day. */
  | 'budget-exhausted'
  /** The trigger removed itself: the person signed out or their session ended. */
  | 'signed-out'
  /** The trigger removed itself: StoreSync refused every connected brand (403/404). */
  | 'no-access'
  /** The trigger removed itself: the document has no connected sheets. */
  | 'nothing-connected'
  /** A run failed; the next one tries again. */
  | 'failed';

export interface BackgroundStatus {
  enabled: boolean;
  /** ISO time of the last run, or null. */
  lastRunAt: string | null;
  lastOutcome: BackgroundOutcome | null;
  /** The last run, in words for the person (what was written, why it stopped). */
  message: string | null;
  fetchesToday: number;
  dailyFetchBudget: number;
}

export interface SidebarStart {
  /** The API's origin the pane builds URLs with (the server forwards only to this origin). */
  apiBaseUrl: string;
  dateSettings: DateSettings;
  /** The Google account running the sidebar, when Apps Script may tell (userinfo.email). */
  googleEmail: string | null;
  signedIn: boolean;
  background: BackgroundStatus;
}

export interface GoogleSignInAnswer {
  ok: boolean;
  /** Why not, in words for the person (no StoreSync account for this email, …). */
  message: string;
}

export interface SettingsView {
  apiUrl: string;
  /** URL prefixes the manifest's `urlFetchWhitelist` allows: the API URL must start with one. */
  allowedApiPrefixes: string[];
  googleEmail: string | null;
  signedInAs: string | null;
  background: BackgroundStatus;
}

/** Every function the sidebar and the settings dialog call through `google.script.run`. */
export interface SheetsServer {
  sidebarStart: () => SidebarStart;
  listTables: () => HostTable[];
  readTable: (tableId: string) => Sheet;
  applyWriteCall: (tableId: string, call: WriteCallRequest) => WriteCallAnswer;
  selectRow: (tableId: string, rowIndex: number) => void;
  getSelectedRows: (tableId: string) => number[];
  takeUserEdits: (tableIds: string[]) => RecordedEdit[];
  getDateSettings: () => DateSettings;
  /** JSON text of a document setting, or null. */
  getDocumentSetting: (key: string) => string | null;
  /** JSON text, or null to remove. */
  setDocumentSetting: (key: string, json: string | null) => void;
  getUserValue: (key: string) => string | null;
  setUserValue: (key: string, value: string) => void;
  removeUserValue: (key: string) => void;
  apiFetch: (request: ProxyRequest) => ProxyResponse;
  signInWithGoogle: () => GoogleSignInAnswer;
  setBackgroundSync: (enabled: boolean) => BackgroundStatus;
  getBackgroundStatus: () => BackgroundStatus;
  showSidebar: () => void;
  getSettings: () => SettingsView;
  saveApiUrl: (url: string) => SettingsView;
}

export type ServerFunctionName = keyof SheetsServer;
