import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import type { AppBindings } from '../../lib/types.ts';
import { listChangesHandler, streamEventsHandler, syncCampaignsHandler, syncLocationsHandler, syncTemplatesHandler } from './sync.handlers.ts';
import { listChanges, streamEvents, syncCampaigns, syncLocations, syncTemplates } from './sync.routes.ts';

export function registerSyncRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  const router = createRouter()
    .openapi(syncLocations, syncLocationsHandler)
    .openapi(syncTemplates, syncTemplatesHandler)
    .openapi(syncCampaigns, syncCampaignsHandler)
    .openapi(listChanges, listChangesHandler)
    .openapi(streamEvents, streamEventsHandler);
  app.route(prefix, router);
}
