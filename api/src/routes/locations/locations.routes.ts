import { z } from '@hono/zod-openapi';
import { paginatedSchema, paginationQuery } from '../../lib/pagination.ts';
import { authedRoute } from '../../lib/route.ts';
import { BooleanQuery, JsonObject, jsonBody, jsonResponse, RowVersion, Timestamps } from '../../lib/schemas.ts';

const addressLine = (max: number) => z.string().trim().max(max).optional();

// Strict so a misspelt key (`zipcode`) is reported instead of silently missing from full_address.
export const AddressSchema = z
  .object({
    street: addressLine(255),
    city: addressLine(100),
    state: addressLine(100),
    zip: addressLine(20),
    country: addressLine(100),
  })
  .strict()
  .openapi('Address', { example: { street: '123 Main St', city: 'Austin', state: 'TX', zip: '78701' } });

export const LocationSchema = z
  .object({
    id: z.string().uuid(),
    brand: z.string().uuid(),
    name: z.string(),
    store_number: z.string(),
    address: AddressSchema,
    attributes: JsonObject.openapi({
      description: 'Targeting attributes, e.g. `square_footage`, `has_gas_station`, `region`',
    }),
    is_active: z.boolean(),
    full_address: z.string().openapi({ example: '123 Main St, Austin, TX 78701' }),
    row_version: RowVersion,
    ...Timestamps,
  })
  .openapi('Location');

export const locationFields = {
  name: z.string().trim().min(1).max(255),
  store_number: z.string().trim().min(1).max(50),
  address: AddressSchema,
  attributes: JsonObject,
  is_active: z.boolean(),
};

export const LocationCreateSchema = z
  .object({
    ...locationFields,
    address: AddressSchema.default({}),
    attributes: JsonObject.default({}),
    is_active: z.boolean().default(true),
  })
  .strict()
  .openapi('LocationCreate');

// Built from the plain fields, not LocationCreateSchema.partial(): a partial default would still
// fill in `is_active: true` and reactivate a location on every PATCH that does not mention it.
export const LocationUpdateSchema = z
  .object(locationFields)
  .partial()
  .strict()
  .openapi('LocationUpdate', {
    description: 'Location managers may change only name, address and attributes of their locations',
  });

const BrandIdParam = z.object({
  brand_id: z
    .string()
    .uuid()
    .openapi({ param: { name: 'brand_id', in: 'path' }, example: '9b2f4c1d-6a3e-4f7b-8c21-5d0e9a7b3c44' }),
});

const LocationParams = BrandIdParam.extend({
  id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' }, example: '3f1c6a8e-2b7d-4c1e-9a55-0d6f5e2b7a10' }),
});

const tags = ['locations'];

export const listLocations = authedRoute({
  method: 'get',
  path: '/brands/{brand_id}/locations',
  tags,
  summary: 'List a brand’s locations (location managers with assignments: only theirs)',
  request: {
    params: BrandIdParam,
    query: z.object({
      ...paginationQuery,
      is_active: BooleanQuery.optional(),
      search: z.string().max(255).optional().openapi({ description: 'Matches name, store number or city' }),
    }),
  },
  responses: { 200: jsonResponse(paginatedSchema(LocationSchema, 'LocationPage'), 'A page of locations') },
});

export const createLocation = authedRoute({
  method: 'post',
  path: '/brands/{brand_id}/locations',
  tags,
  summary: 'Create a location (admins and the brand’s managers)',
  request: { params: BrandIdParam, ...jsonBody(LocationCreateSchema) },
  responses: { 201: jsonResponse(LocationSchema, 'Created') },
});

export const getLocation = authedRoute({
  method: 'get',
  path: '/brands/{brand_id}/locations/{id}',
  tags,
  summary: 'Retrieve a location',
  request: { params: LocationParams },
  responses: { 200: jsonResponse(LocationSchema, 'The location') },
});

export const updateLocation = authedRoute({
  method: 'patch',
  path: '/brands/{brand_id}/locations/{id}',
  tags,
  summary: 'Update a location (admins and brand managers; location managers: name, address, attributes)',
  request: { params: LocationParams, ...jsonBody(LocationUpdateSchema) },
  responses: { 200: jsonResponse(LocationSchema, 'Updated') },
});

export const deleteLocation = authedRoute({
  method: 'delete',
  path: '/brands/{brand_id}/locations/{id}',
  tags,
  summary: 'Delete a location without campaigns (admins and the brand’s managers)',
  request: { params: LocationParams },
  responses: { 204: { description: 'Deleted' } },
});
