import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppBindings } from '../../lib/types.ts';

export function registerLocationRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  void app;
  void prefix;
}
