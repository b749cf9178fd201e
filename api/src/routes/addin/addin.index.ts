/**
 * `/addin/*`: the Excel add-in's task pane, entry page, icons and support page, so that in
 * development the pane and the API share one origin (`https://localhost:8443`, see
 * api/src/server.ts and addin-excel/README.md). GET and HEAD only.
 *
 * Register it BEFORE the app-wide `secureHeaders()`: its answer ends the request there, so the
 * API's `X-Frame-Options: SAMEORIGIN` and `Cross-Origin-Resource-Policy: same-origin` never reach
 * these files. Excel on the web shows the pane in a frame of a Microsoft origin, and Office loads
 * the ribbon icons from its own origin, so both headers would break the add-in; the files get
 * `nosniff` and a `no-referrer` policy of their own instead.
 */
import { ADDIN_BASE_PATH, STATIC_ROOTS, TASKPANE_PATH, type StaticRoot } from '@storesync/addin-excel/paths';
import type { Hono } from 'hono';
import { ApiError, ErrorCode, errorResponse } from '../../lib/errors.ts';
import type { AppBindings } from '../../lib/types.ts';
import { cacheControl, etagOf, notModified, readStaticFile, resolveStaticFile } from './static.ts';

const NOT_BUILT =
  'The Excel task pane is not built: run `npm run build -w @storesync/addin-excel` (it builds the pane into addin-excel/dist/taskpane/).';

export function registerAddinRoutes(app: Hono<AppBindings>, roots: readonly StaticRoot[] = STATIC_ROOTS) {
  app.get(ADDIN_BASE_PATH, (c) => c.redirect(TASKPANE_PATH, 302));
  app.get(`${ADDIN_BASE_PATH}/*`, async (c) => {
    const urlPath = new URL(c.req.url).pathname;
    if (urlPath === `${ADDIN_BASE_PATH}/`) return c.redirect(TASKPANE_PATH, 302);
    const found = await resolveStaticFile(roots, urlPath);
    if (!found) {
      const message = urlPath === TASKPANE_PATH ? NOT_BUILT : `No add-in file at ${urlPath}`;
      return errorResponse(c, new ApiError(ErrorCode.NotFound, message));
    }
    const etag = etagOf(found);
    const headers: Record<string, string> = {
      'Cache-Control': cacheControl(found),
      ETag: etag,
      'Last-Modified': new Date(found.mtimeMs).toUTCString(),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (notModified({ ifNoneMatch: c.req.header('if-none-match'), ifModifiedSince: c.req.header('if-modified-since') }, etag, found.mtimeMs)) {
      return c.body(null, 304, headers);
    }
    const body = await readStaticFile(found);
    return c.body(new Uint8Array(body), 200, { ...headers, 'Content-Type': found.contentType, 'Content-Length': String(body.byteLength) });
  });
}
