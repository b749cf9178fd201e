import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import type { AppBindings } from '../../lib/types.ts';
import {
  createUserHandler,
  deactivateUserHandler,
  getUserHandler,
  listUsersHandler,
  setUserBrandsHandler,
  setUserLocationsHandler,
  updateUserHandler,
} from './users.handlers.ts';
import {
  createUser,
  deactivateUser,
  getUser,
  listUsers,
  setUserBrands,
  setUserLocations,
  updateUser,
} from './users.routes.ts';

export function registerUserRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  const router = createRouter()
    .openapi(listUsers, listUsersHandler)
    .openapi(createUser, createUserHandler)
    .openapi(getUser, getUserHandler)
    .openapi(updateUser, updateUserHandler)
    .openapi(deactivateUser, deactivateUserHandler)
    .openapi(setUserBrands, setUserBrandsHandler)
    .openapi(setUserLocations, setUserLocationsHandler);
  app.route(prefix, router);
}
