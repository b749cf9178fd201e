import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Registry } from 'prom-client';
import { createRouter } from '../../lib/router.ts';
import type { AppBindings } from '../../lib/types.ts';
import { healthzHandler, metricsHandler, readyzHandler } from './health.handlers.ts';
import { healthz, metrics, readyz } from './health.routes.ts';

export function registerHealthRoutes(app: OpenAPIHono<AppBindings>, registry: Registry) {
  app.route(
    '/',
    createRouter().openapi(healthz, healthzHandler).openapi(readyz, readyzHandler).openapi(metrics, metricsHandler(registry)),
  );
}
