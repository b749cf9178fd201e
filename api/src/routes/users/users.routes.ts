import { z } from '@hono/zod-openapi';
import { paginatedSchema, paginationQuery } from '../../lib/pagination.ts';
import { authedRoute } from '../../lib/route.ts';
import { BooleanQuery, IdParam, jsonBody, jsonResponse } from '../../lib/schemas.ts';
import { ROLES, UserSchema } from './users.schemas.ts';

/** Bounds the work one request can ask for; no real user belongs to more brands or stores. */
const MAX_IDS = 1000;

const email = z.string().trim().toLowerCase().email().max(254);
const password = z
  .string()
  .min(12, 'use at least 12 characters')
  .max(1024)
  .openapi({ description: 'Stored only as a hash; never returned' });
const personName = z.string().trim().max(150);
const role = z.enum(ROLES);
const idList = (description: string) => z.array(z.string().uuid()).max(MAX_IDS).openapi({ description });

/** Query strings carry text, and `z.coerce.boolean()` would read "false" as true. */
export const UserCreateSchema = z
  .object({
    email,
    password,
    first_name: personName.default(''),
    last_name: personName.default(''),
    role: role.default('viewer'),
    brands: idList('Ids of existing brands the user belongs to').default([]),
    locations: idList(
      'Location managers only: locations to narrow them to; each must belong to one of `brands`',
    ).default([]),
  })
  .strict()
  .openapi('UserCreate');

export const UserUpdateSchema = z
  .object({
    email,
    password: password.openapi({ description: 'Changing it signs the user out of every session' }),
    first_name: personName,
    last_name: personName,
    role: role.openapi({ description: 'Leaving location_manager drops the location assignments' }),
    is_active: z.boolean().openapi({ description: 'false signs the user out of every session' }),
  })
  .partial()
  .strict()
  .openapi('UserUpdate');

export const UserBrandsSchema = z
  .object({ brand_ids: idList('The complete new set of brands; replaces the current memberships') })
  .strict()
  .openapi('UserBrands');

export const UserLocationsSchema = z
  .object({
    location_ids: idList('The complete new set of assigned locations; empty means every location of the user’s brands'),
  })
  .strict()
  .openapi('UserLocations');

const tags = ['users'];

export const listUsers = authedRoute({
  method: 'get',
  path: '/users',
  tags,
  summary: 'List users, ordered by email (admins only)',
  request: {
    query: z.object({
      ...paginationQuery,
      role: role.optional(),
      brand: z.string().uuid().optional().openapi({ description: 'Only members of this brand' }),
      is_active: BooleanQuery.optional(),
      search: z.string().max(255).optional().openapi({ description: 'Matches email, first or last name, any case' }),
    }),
  },
  responses: { 200: jsonResponse(paginatedSchema(UserSchema, 'UserPage'), 'A page of users') },
});

export const createUser = authedRoute({
  method: 'post',
  path: '/users',
  tags,
  summary: 'Create a user with their brands and, for location managers, locations (admins only)',
  request: jsonBody(UserCreateSchema),
  responses: { 201: jsonResponse(UserSchema, 'Created') },
});

export const getUser = authedRoute({
  method: 'get',
  path: '/users/{id}',
  tags,
  summary: 'Retrieve a user (admins only)',
  request: { params: IdParam },
  responses: { 200: jsonResponse(UserSchema, 'The user') },
});

export const updateUser = authedRoute({
  method: 'patch',
  path: '/users/{id}',
  tags,
  summary: 'Update a user; admins may not demote or deactivate themselves (admins only)',
  request: { params: IdParam, ...jsonBody(UserUpdateSchema) },
  responses: { 200: jsonResponse(UserSchema, 'Updated') },
});

export const deactivateUser = authedRoute({
  method: 'delete',
  path: '/users/{id}',
  tags,
  summary: 'Deactivate a user and end their sessions; the row stays so audit history keeps its people (admins only)',
  request: { params: IdParam },
  responses: { 204: { description: 'Deactivated' } },
});

export const setUserBrands = authedRoute({
  method: 'put',
  path: '/users/{id}/brands',
  tags,
  summary: 'Replace a user’s brand memberships; drops location assignments outside them (admins only)',
  request: { params: IdParam, ...jsonBody(UserBrandsSchema) },
  responses: { 200: jsonResponse(UserSchema, 'The user with their new brands') },
});

export const setUserLocations = authedRoute({
  method: 'put',
  path: '/users/{id}/locations',
  tags,
  summary: 'Replace a location manager’s location assignments (admins only)',
  request: { params: IdParam, ...jsonBody(UserLocationsSchema) },
  responses: { 200: jsonResponse(UserSchema, 'The user with their new locations') },
});
