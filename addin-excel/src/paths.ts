/**
 * Where the add-in's static files are and where the development manifest expects them, for the
 * server that serves the task pane (Node only; the browser code is `./host`).
 *
 * manifest.xml points at `https://localhost:8443`:
 * - `/addin/taskpane.html` (and its scripts): the built task pane's Excel entry, in
 *   {@link PANE_DIST_DIR};
 * - `/addin/assets/…`: {@link ASSETS_DIR} (icons at every size the manifest names, support.html),
 *   then the built pane's own `assets/` (its hashed scripts), in that order.
 */
import { fileURLToPath } from 'node:url';

/** The development origin in manifest.xml (HTTPS: Office loads add-ins over HTTPS only). */
export const DEV_ORIGIN = 'https://localhost:8443';
/** Path prefix of everything the manifest references. */
export const ADDIN_BASE_PATH = '/addin';
/** The task pane page, relative to the origin. */
export const TASKPANE_PATH = `${ADDIN_BASE_PATH}/taskpane.html`;
/** URL path of the assets folder. */
export const ASSETS_PATH = `${ADDIN_BASE_PATH}/assets/`;
/** addin-excel/assets on disk. */
export const ASSETS_DIR = fileURLToPath(new URL('../assets/', import.meta.url));
/**
 * addin-excel/dist/taskpane on disk: the built pane with its Excel entry page (`taskpane.html`)
 * and its hashed scripts under `assets/`. Built, never committed (dist/ is ignored).
 */
export const PANE_DIST_DIR = fileURLToPath(new URL('../dist/taskpane/', import.meta.url));
/** The development manifest (repository root). */
export const MANIFEST_PATH = fileURLToPath(new URL('../../manifest.xml', import.meta.url));

/** One folder served under a URL path prefix. */
export interface StaticRoot {
  /** URL path prefix, ending in `/`. */
  urlPath: string;
  /** Folder on disk, ending in the path separator. */
  dir: string;
  /** Whether the folder holds build output whose `assets/` file names carry a content hash. */
  hashedAssets: boolean;
}

/**
 * What the server serves under {@link ADDIN_BASE_PATH}, most specific first: a request is answered
 * from the first root whose prefix matches and which has the file.
 */
export const STATIC_ROOTS: readonly StaticRoot[] = [
  { urlPath: ASSETS_PATH, dir: ASSETS_DIR, hashedAssets: false },
  { urlPath: `${ADDIN_BASE_PATH}/`, dir: PANE_DIST_DIR, hashedAssets: true },
];
