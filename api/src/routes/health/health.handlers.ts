import type { RouteHandler } from '@hono/zod-openapi';
import type { Registry } from 'prom-client';
import type { AppBindings } from '../../lib/types.ts';
import type { healthz, metrics, readyz } from './health.routes.ts';

type Check = { status: 'ok' | 'unavailable'; error?: string };

async function check(probe: () => Promise<unknown>): Promise<Check> {
  try {
    await probe();
    return { status: 'ok' };
  } catch (error) {
    return { status: 'unavailable', error: (error as Error).message };
  }
}

export const healthzHandler: RouteHandler<typeof healthz, AppBindings> = (c) => c.json({ status: 'ok' as const }, 200);

export const readyzHandler: RouteHandler<typeof readyz, AppBindings> = async (c) => {
  const { prisma, redis } = c.get('deps');
  const checks = {
    database: await check(() => prisma.$queryRaw`SELECT 1`),
    redis: await check(() => redis.ping()),
  };
  const ready = Object.values(checks).every((result) => result.status === 'ok');
  return ready
    ? c.json({ status: 'ok' as const, checks }, 200)
    : c.json({ status: 'unavailable' as const, checks }, 503);
};

export const metricsHandler =
  (registry: Registry): RouteHandler<typeof metrics, AppBindings> =>
  async (c) =>
    c.text(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
