import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppBindings } from '../../lib/types.ts';

export function registerCampaignRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  void app;
  void prefix;
}
