import type { OpenAPIHono } from '@hono/zod-openapi';
import { validationFailed } from '../../lib/errors.ts';
import { createRouter, zodProblems } from '../../lib/router.ts';
import type { AppBindings } from '../../lib/types.ts';
import { bulkImportHandler, downloadResultHandler } from './bulk-import.handlers.ts';
import { bulkImport, downloadResult } from './bulk-import.routes.ts';

/** Registered before the campaign routes, so `/campaigns/bulk-import` is never read as a campaign id. */
export function registerBulkImportRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  const router = createRouter()
    // Form fields are the body: named like JSON body fields (`file`, `brand`), without a prefix.
    .openapi(bulkImport, bulkImportHandler, (result) => {
      if (!result.success) throw validationFailed(zodProblems(result.error));
      return undefined;
    })
    .openapi(downloadResult, downloadResultHandler);
  app.route(prefix, router);
}
