/**
 * @storesync/addin-excel/host: the Excel host of the shared task pane (the only module of
 * StoreSync that calls Office.js). The pane's Excel entry creates it after `Office.onReady`:
 *
 *     Office.onReady(() => renderPane(createExcelHost()));
 */
export { createExcelHost, ExcelHost, PlanInterruptedError } from './excel-host.ts';
export type { ExcelHostOptions, ExcelRun, OfficeLike, SettingsLike, AsyncStorageLike, SyncStorageLike } from './office.ts';
export { parseAddress, formatAddress, type Rect } from './addresses.ts';
export { STATUS_STYLES, STATUS_LIST_SOURCE, findStatusColumn, type StatusStyle } from './status-format.ts';
