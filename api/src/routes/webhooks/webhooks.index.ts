import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import type { AppBindings } from '../../lib/types.ts';
import { createWebhookHandler, deleteWebhookHandler, listDeliveriesHandler, listWebhooksHandler, updateWebhookHandler } from './webhooks.handlers.ts';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, updateWebhook } from './webhooks.routes.ts';

export function registerWebhookRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  const router = createRouter()
    .openapi(listWebhooks, listWebhooksHandler)
    .openapi(createWebhook, createWebhookHandler)
    .openapi(updateWebhook, updateWebhookHandler)
    .openapi(deleteWebhook, deleteWebhookHandler)
    .openapi(listDeliveries, listDeliveriesHandler);
  app.route(prefix, router);
}
