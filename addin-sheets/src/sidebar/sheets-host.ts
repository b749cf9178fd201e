/**
 * The Google Sheets host of the shared pane (`Host`, pane/src/host.ts): every method is one
 * `google.script.run` call of the server (src/server/sheets.ts does the SpreadsheetApp work).
 *
 * - Tables are sheets; a table's id is the sheet id. Reads come back as the engine's `Sheet`
 *   (dates as serials); each call of a write plan is one server call, and because the person can
 *   sort or type between two calls, `yieldsBetweenCalls` makes the pane re-read and re-plan in
 *   between (core/src/sync/README.md, "Re-plan after yielding").
 * - Document settings are document properties, user storage is user properties; the pane's
 *   refresh token stays on the server (src/server/session.ts), so `userStorage` only ever sees a
 *   placeholder for it. Session changes are announced to {@link SheetsHost.onSessionChange} (the
 *   sidebar's own bar listens).
 * - Edits by the person reach `onUserEdit` through the `onEdit` simple trigger, which records
 *   them while the sidebar polls (every {@link EDIT_POLL_MS}); Sheets raises no events in the sidebar.
 */
import { SHEETS_LIMITS, type Sheet, type WritePlan } from '@storesync/core';
import { HostTableMissingError, type DateSettings, type Host, type HostTable, type ThemeName, type Unsubscribe, type UserEdit } from '@storesync/pane/host';
import type { CallServer } from './server.ts';

export const TABLE_MISSING_PREFIX = 'StoreSync:table-missing:';
export const PANE_REFRESH_KEY = 'storesync.refreshToken';
export const EDIT_POLL_MS = 3_000;

export interface SheetsHostOptions {
  call: CallServer;
  setInterval?: (callback: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  pollMs?: number;
}

export class SheetsHost implements Host {
  readonly name = 'Google Sheets';
  readonly limits = SHEETS_LIMITS;
  readonly yieldsBetweenCalls = true;
  readonly theme: ThemeName = 'light';
  readonly documentSettings: Host['documentSettings'];
  readonly userStorage: Host['userStorage'];

  private readonly call: CallServer;
  private readonly editHandlers = new Set<{ tableId: string; handler: (edit: UserEdit) => void }>();
  private readonly sessionHandlers = new Set<(signedIn: boolean) => void>();
  private pollTimer: unknown;
  private polling = false;
  private readonly timers: Required<Pick<SheetsHostOptions, 'setInterval' | 'clearInterval' | 'pollMs'>>;

  constructor(options: SheetsHostOptions) {
    this.call = options.call;
    this.timers = {
      setInterval: options.setInterval ?? ((callback, ms) => setInterval(callback, ms)),
      clearInterval: options.clearInterval ?? ((handle) => clearInterval(handle as ReturnType<typeof setInterval>)),
      pollMs: options.pollMs ?? EDIT_POLL_MS,
    };
    this.documentSettings = {
      get: async (key) => {
        const text = await this.call('getDocumentSetting', key);
        return text === null ? undefined : (JSON.parse(text) as unknown);
      },
      set: (key, value) => this.call('setDocumentSetting', key, value === undefined ? null : JSON.stringify(value)),
    };
    this.userStorage = {
      get: async (key) => {
        const value = await this.call('getUserValue', key);
        if (key === PANE_REFRESH_KEY) this.announceSession(value !== null);
        return value;
      },
      set: async (key, value) => {
        await this.call('setUserValue', key, value);
        if (key === PANE_REFRESH_KEY) this.announceSession(true);
      },
      remove: async (key) => {
        await this.call('removeUserValue', key);
        if (key === PANE_REFRESH_KEY) this.announceSession(false);
      },
    };
  }

  /** Server errors that mean "the sheet is gone" become the pane's HostTableMissingError. */
  private async table<T>(tableId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message.includes(TABLE_MISSING_PREFIX)) throw new HostTableMissingError(tableId, message.slice(message.indexOf(TABLE_MISSING_PREFIX) + TABLE_MISSING_PREFIX.length).trim());
      throw error;
    }
  }

  listTables(): Promise<HostTable[]> {
    return this.call('listTables');
  }

  readTable(tableId: string): Promise<Sheet> {
    return this.table(tableId, () => this.call('readTable', tableId));
  }

  async applyWritePlan(tableId: string, plan: WritePlan): Promise<void> {
    const calls = plan.calls.length > 0 ? plan.calls : plan.addColumns.length > 0 ? [{ writes: [], bytes: 0 }] : [];
    for (const [index, call] of calls.entries()) {
      const writes = call.writes.map((write) => ({ row: write.row, column: write.column, values: write.values, numberFormats: write.numberFormats }));
      const answer = await this.table(tableId, () => this.call('applyWriteCall', tableId, { addColumns: index === 0 ? plan.addColumns : [], writes }));
      if (answer.metadataWarning) console.warn(answer.metadataWarning);
    }
  }

  selectRow(tableId: string, rowIndex: number): Promise<void> {
    return this.table(tableId, () => this.call('selectRow', tableId, rowIndex));
  }

  getSelectedRows(tableId: string): Promise<number[]> {
    return this.table(tableId, () => this.call('getSelectedRows', tableId));
  }

  onUserEdit(tableId: string, handler: (edit: UserEdit) => void): Unsubscribe {
    const entry = { tableId, handler };
    this.editHandlers.add(entry);
    if (this.pollTimer === undefined) this.pollTimer = this.timers.setInterval(() => void this.pollEdits(), this.timers.pollMs);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.editHandlers.delete(entry);
      if (this.editHandlers.size === 0 && this.pollTimer !== undefined) {
        this.timers.clearInterval(this.pollTimer);
        this.pollTimer = undefined;
      }
    };
  }

  /** One poll of the edits the onEdit trigger recorded; never two at once. */
  async pollEdits(): Promise<void> {
    if (this.polling || this.editHandlers.size === 0) return;
    this.polling = true;
    try {
      const tableIds = [...new Set([...this.editHandlers].map((entry) => entry.tableId))];
      const edits = await this.call('takeUserEdits', tableIds);
      for (const edit of edits) {
        for (const entry of [...this.editHandlers]) if (entry.tableId === edit.tableId) entry.handler({ ...edit });
      }
    } catch (error) {
      console.warn(`StoreSync could not look for edits in the sheet: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.polling = false;
    }
  }

  getDateSettings(): Promise<DateSettings> {
    return this.call('getDateSettings');
  }

  onThemeChange(_handler: (theme: ThemeName) => void): Unsubscribe {
    // Google Sheets has no dark theme for sidebars.
    return () => undefined;
  }

  /** Whether the pane is signed in, as its token storage shows; for the sidebar's own bar. */
  onSessionChange(handler: (signedIn: boolean) => void): Unsubscribe {
    this.sessionHandlers.add(handler);
    return () => this.sessionHandlers.delete(handler);
  }

  private announceSession(signedIn: boolean): void {
    for (const handler of [...this.sessionHandlers]) handler(signedIn);
  }
}
