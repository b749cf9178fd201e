import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import type { AppBindings } from '../../lib/types.ts';
import {
  createLocationHandler,
  deleteLocationHandler,
  getLocationHandler,
  listLocationsHandler,
  updateLocationHandler,
} from './locations.handlers.ts';
import { createLocation, deleteLocation, getLocation, listLocations, updateLocation } from './locations.routes.ts';

export function registerLocationRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  const router = createRouter()
    .openapi(listLocations, listLocationsHandler)
    .openapi(createLocation, createLocationHandler)
    .openapi(getLocation, getLocationHandler)
    .openapi(updateLocation, updateLocationHandler)
    .openapi(deleteLocation, deleteLocationHandler);
  app.route(prefix, router);
}
