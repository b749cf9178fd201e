import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import type { AppBindings } from '../../lib/types.ts';
import {
  createTemplateHandler,
  deleteTemplateHandler,
  getTemplateHandler,
  getTemplateVariablesHandler,
  listTemplatesHandler,
  updateTemplateHandler,
} from './templates.handlers.ts';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  getTemplateVariables,
  listTemplates,
  updateTemplate,
} from './templates.routes.ts';

export function registerTemplateRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  const router = createRouter()
    .openapi(listTemplates, listTemplatesHandler)
    .openapi(createTemplate, createTemplateHandler)
    .openapi(getTemplate, getTemplateHandler)
    .openapi(getTemplateVariables, getTemplateVariablesHandler)
    .openapi(updateTemplate, updateTemplateHandler)
    .openapi(deleteTemplate, deleteTemplateHandler);
  app.route(prefix, router);
}
