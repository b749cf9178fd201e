import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import type { AppBindings } from '../../lib/types.ts';
import { campaignHistoryHandler, exportBrandApprovalsHandler } from './history.handlers.ts';
import { campaignHistory, exportBrandApprovals } from './history.routes.ts';

export function registerHistoryRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  const router = createRouter()
    .openapi(campaignHistory, campaignHistoryHandler)
    .openapi(exportBrandApprovals, exportBrandApprovalsHandler);
  app.route(prefix, router);
}
