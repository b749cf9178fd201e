import { createMiddleware } from 'hono/factory';
import { pino, type Logger } from 'pino';
import type { AppBindings } from './types.ts';

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'storesync-api' } });
}

/** One JSON line per request, carrying the request id that error bodies also carry. */
export const requestLogger = createMiddleware<AppBindings>(async (c, next) => {
  const started = performance.now();
  const logger = c.get('deps').logger.child({ request_id: c.get('requestId') });
  c.set('logger', logger);
  await next();
  logger.info(
    {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      user_id: c.get('user')?.id,
    },
    'request',
  );
});
