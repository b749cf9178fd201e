import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import type { AppBindings } from '../../lib/types.ts';
import { cancelRunHandler, estimateRunHandler, getRunHandler, retryFailedRunHandler, startRunHandler } from './runs.handlers.ts';
import { cancelRun, estimateRun, getRun, retryFailedRun, startRun } from './runs.routes.ts';

/** Registered before the campaign routes, so `/campaigns/generate/estimate` is not read as a campaign action. */
export function registerRunRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  const router = createRouter()
    .openapi(startRun, startRunHandler)
    .openapi(estimateRun, estimateRunHandler)
    .openapi(getRun, getRunHandler)
    .openapi(cancelRun, cancelRunHandler)
    .openapi(retryFailedRun, retryFailedRunHandler);
  app.route(prefix, router);
}
