import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import type { AppBindings } from '../../lib/types.ts';
import { generateContentHandler, getJobHandler, listVersionsHandler, similarCampaignsHandler } from './generation.handlers.ts';
import { generateContent, getJob, listVersions, similarCampaigns } from './generation.routes.ts';

/** Registered before the campaign routes, so `/campaigns/similar` is not read as a campaign id. */
export function registerGenerationRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  const router = createRouter()
    .openapi(generateContent, generateContentHandler)
    .openapi(similarCampaigns, similarCampaignsHandler)
    .openapi(getJob, getJobHandler)
    .openapi(listVersions, listVersionsHandler);
  app.route(prefix, router);
}
