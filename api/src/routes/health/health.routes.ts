import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse } from '../../lib/schemas.ts';

const CheckSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    checks: z.record(z.string(), z.object({ status: z.enum(['ok', 'unavailable']), error: z.string().optional() })),
  })
  .openapi('Readiness');

export const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Liveness: the process answers',
  responses: { 200: jsonResponse(z.object({ status: z.literal('ok') }), 'Alive') },
});

export const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['operations'],
  summary: 'Readiness: PostgreSQL and Redis answer',
  responses: { 200: jsonResponse(CheckSchema, 'Ready'), 503: jsonResponse(CheckSchema, 'A dependency is down') },
});

export const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['operations'],
  summary: 'Prometheus metrics',
  responses: { 200: { description: 'Metrics in Prometheus text format', content: { 'text/plain': { schema: z.string() } } } },
});
