import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import type { AppBindings } from '../../lib/types.ts';
import { logoutHandler, meHandler, obtainTokenHandler, refreshTokenHandler } from './auth.handlers.ts';
import { logout, me, obtainToken, refreshToken } from './auth.routes.ts';
import { exchangeIdentity, exchangeIdentityHandler } from './exchange.ts';

export function registerAuthRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  const router = createRouter()
    .openapi(obtainToken, obtainTokenHandler)
    .openapi(refreshToken, refreshTokenHandler)
    .openapi(logout, logoutHandler)
    .openapi(me, meHandler)
    .openapi(exchangeIdentity, exchangeIdentityHandler);
  app.route(prefix, router);
}
