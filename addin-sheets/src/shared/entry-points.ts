/**
 * Every name Apps Script must find as a top-level function of the bundle. Apps Script calls only
 * global functions: simple triggers (`onOpen`, `onEdit`, `onInstall`) by their names, installable
 * triggers and menu items by the handler name they were created with, and `google.script.run` by
 * the name the sidebar calls. The bundle is an IIFE (src/server/main.ts exports the
 * implementations as `StoreSync`), so scripts/build.ts emits one stub per name here:
 * `function onOpen(e) { return StoreSync.onOpen.apply(this, arguments); }`.
 *
 * test/bundle.test.ts checks that every name is a top-level function of the built Code.js.
 */
import type { ServerFunctionName } from './server-api.ts';

export const SIMPLE_TRIGGERS = ['onOpen', 'onInstall', 'onEdit'] as const;

/** The handler of the installable time-driven trigger (background write-back). */
export const BACKGROUND_HANDLER = 'runBackgroundSync';

export const MENU_HANDLERS = ['showSidebar', 'menuSyncNow', 'menuGenerateForSelection', 'showSettings'] as const;

/** Functions the sidebar and the settings dialog call (the keys of `SheetsServer`). */
export const SIDEBAR_FUNCTIONS = [
  'sidebarStart',
  'listTables',
  'readTable',
  'applyWriteCall',
  'selectRow',
  'getSelectedRows',
  'takeUserEdits',
  'getDateSettings',
  'getDocumentSetting',
  'setDocumentSetting',
  'getUserValue',
  'setUserValue',
  'removeUserValue',
  'apiFetch',
  'signInWithGoogle',
  'setBackgroundSync',
  'getBackgroundStatus',
  'showSidebar',
  'getSettings',
  'saveApiUrl',
] as const satisfies readonly ServerFunctionName[];

// Every SheetsServer function is listed (a missing one is a type error here).
type Missing = Exclude<ServerFunctionName, (typeof SIDEBAR_FUNCTIONS)[number]>;
const everyServerFunctionListed: [Missing] extends [never] ? true : Missing = true;
void everyServerFunctionListed;

export const GLOBAL_ENTRY_POINTS: readonly string[] = [...new Set<string>([...SIMPLE_TRIGGERS, BACKGROUND_HANDLER, ...MENU_HANDLERS, ...SIDEBAR_FUNCTIONS])];
