/** The one app factory: every route, middleware and error path is wired here. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { except } from 'hono/combine';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { getPath } from 'hono/utils/url';
import { ApiError, ErrorCode, errorResponse } from './lib/errors.ts';
import { requestLogger } from './lib/logger.ts';
import { createMetrics } from './lib/metrics.ts';
import type { AppBindings, AppDeps } from './lib/types.ts';
import { registerAddinRoutes } from './routes/addin/addin.index.ts';
import { registerApprovalRoutes } from './routes/approvals/approvals.index.ts';
import { registerAuthRoutes } from './routes/auth/auth.index.ts';
import { registerBrandRoutes } from './routes/brands/brands.index.ts';
import { registerBulkImportRoutes } from './routes/bulk-import/bulk-import.index.ts';
import { registerCampaignRoutes } from './routes/campaigns/campaigns.index.ts';
import { registerDocsRoutes } from './routes/health/docs.ts';
import { registerGenerationRoutes } from './routes/generation/generation.index.ts';
import { registerHealthRoutes } from './routes/health/health.index.ts';
import { registerHistoryRoutes } from './routes/history/history.index.ts';
import { registerLocationRoutes } from './routes/locations/locations.index.ts';
import { registerRunRoutes } from './routes/runs/runs.index.ts';
import { registerSyncRoutes } from './routes/sync/sync.index.ts';
import { registerTemplateRoutes } from './routes/templates/templates.index.ts';
import { registerUserRoutes } from './routes/users/users.index.ts';
import { registerWebhookRoutes } from './routes/webhooks/webhooks.index.ts';

export const API_PREFIX = '/api/v1';

/** Requests that carry whole sheets get the larger body limit. */
const BULK_PATHS = [`${API_PREFIX}/sync/*`, `${API_PREFIX}/campaigns/bulk-import`, `${API_PREFIX}/campaigns/bulk-import/`];

export interface CreateAppOptions {
  /** Process-wide metrics (CPU, memory, event loop) belong to the server, not to test apps. */
  collectProcessMetrics?: boolean;
}

export function createApp(deps: AppDeps, options: CreateAppOptions = {}) {
  const app = new OpenAPIHono<AppBindings>({
    // `/api/v1/brands/` and `/api/v1/brands` are the same resource, as in the spec.
    getPath: (request) => {
      const path = getPath(request);
      return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    },
  });
  const metrics = createMetrics({ collectProcessMetrics: options.collectProcessMetrics ?? false });

  app.use('*', requestId({ headerName: 'X-Request-Id' }));
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('*', requestLogger);
  registerAddinRoutes(app); // /addin/*: before secureHeaders, whose frame and CORP headers would break the add-in
  app.use('*', secureHeaders());
  app.use(
    '*',
    cors({
      origin: deps.env.CORS_ORIGINS.includes('*') ? '*' : deps.env.CORS_ORIGINS,
      allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Last-Event-ID'],
      exposeHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    }),
  );
  app.use('*', metrics.middleware);
  const bodyLimitOf = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(ErrorCode.PayloadTooLarge, `Request body is larger than ${maxSize} bytes`);
      },
    });
  app.use('*', except(BULK_PATHS, bodyLimitOf(deps.env.MAX_BODY_BYTES)));
  for (const path of BULK_PATHS) app.use(path, bodyLimitOf(deps.env.BULK_MAX_BODY_BYTES));

  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponse(c, new ApiError(ErrorCode.BadRequest, error.message || 'Bad request'));
    }
    (c.get('logger') ?? deps.logger).error({ err: error }, 'unhandled error');
    return errorResponse(c, new ApiError(ErrorCode.Internal, 'Something went wrong on our side; quote the request id when reporting it'));
  });
  app.notFound((c) => errorResponse(c, new ApiError(ErrorCode.NotFound, `No route for ${c.req.method} ${c.req.path}`)));

  registerHealthRoutes(app, metrics.registry);
  registerAuthRoutes(app, API_PREFIX);
  registerUserRoutes(app, API_PREFIX);
  registerSyncRoutes(app, API_PREFIX);
  registerBulkImportRoutes(app, API_PREFIX);
  registerBrandRoutes(app, API_PREFIX);
  registerLocationRoutes(app, API_PREFIX);
  registerTemplateRoutes(app, API_PREFIX);
  registerGenerationRoutes(app, API_PREFIX);
  registerRunRoutes(app, API_PREFIX);
  registerCampaignRoutes(app, API_PREFIX);
  registerHistoryRoutes(app, API_PREFIX);
  registerWebhookRoutes(app, API_PREFIX);
  registerApprovalRoutes(app);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc31('/api/schema', {
    openapi: '3.1.0',
    info: {
      title: 'StoreSync API',
      version: '1.0.0',
      description: 'Locations, campaign templates, location campaigns and their approval workflow.',
    },
  });
  registerDocsRoutes(app, '/api/schema');
  return app;
}

export type App = ReturnType<typeof createApp>;
