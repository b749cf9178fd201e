import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { requireAuth } from '../middleware/auth.ts';
import { errorResponses } from './schemas.ts';

/** A route that needs a signed-in user: documents bearer auth and the common error answers. */
export function authedRoute<const R extends Omit<RouteConfig, 'middleware' | 'security'>>(config: R) {
  return createRoute({
    ...config,
    security: [{ bearerAuth: [] }],
    middleware: [requireAuth] as const,
    responses: { ...errorResponses, ...config.responses },
  });
}
