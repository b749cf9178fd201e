/**
 * @storesync/pane: the shared task pane of the Excel add-in and the Google Sheets sidebar.
 * Hosts implement {@link Host} and call {@link mountPane}.
 */
export { mountPane, type MountOptions, type MountedPane } from './mount.tsx';
export { HostTableMissingError, type DateSettings, type Host, type HostTable, type ThemeName, type Unsubscribe, type UserEdit } from './host.ts';
export { StoreSyncClient, type ClientOptions, type TokenStore } from './api/client.ts';
export * from './api/errors.ts';
export { DEFAULT_LIVE_TIMING, type LiveMode, type LiveStatus, type LiveTiming } from './workflows/live.ts';
