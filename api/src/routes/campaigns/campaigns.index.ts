import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import type { AppBindings } from '../../lib/types.ts';
import {
  createCampaignHandler,
  deleteCampaignHandler,
  getCampaignHandler,
  listCampaignsHandler,
  previewCampaignHandler,
  updateCampaignHandler,
} from './campaigns.handlers.ts';
import {
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  previewCampaign,
  transitionRoutes,
  updateCampaign,
} from './campaigns.routes.ts';
import { transitionHandler } from './workflow.handlers.ts';

export function registerCampaignRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  const router = createRouter()
    .openapi(listCampaigns, listCampaignsHandler)
    .openapi(createCampaign, createCampaignHandler)
    .openapi(getCampaign, getCampaignHandler)
    .openapi(updateCampaign, updateCampaignHandler)
    .openapi(deleteCampaign, deleteCampaignHandler)
    .openapi(previewCampaign, previewCampaignHandler);
  for (const { action, route } of transitionRoutes) router.openapi(route, transitionHandler(action));
  app.route(prefix, router);
}
