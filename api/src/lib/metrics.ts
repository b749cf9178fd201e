/** Prometheus metrics, one registry per app so parallel test apps do not share counters. */
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { AppBindings } from './types.ts';

export function createMetrics(options: { collectProcessMetrics: boolean }) {
  const registry = new Registry();
  if (options.collectProcessMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'storesync_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'storesync_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware = createMiddleware<AppBindings>(async (c, next) => {
    const stop = duration.startTimer();
    await next();
    // The route pattern, not the raw path, so ids do not explode label cardinality.
    const route = routePath(c, -1);
    stop({ method: c.req.method, route });
    requests.inc({ method: c.req.method, route, status: String(c.res.status) });
  });
  return { registry, middleware };
}
