import { z } from '@hono/zod-openapi';
import { paginatedSchema, paginationQuery } from '../../lib/pagination.ts';
import { authedRoute } from '../../lib/route.ts';
import { IdParam, JsonObject, jsonBody, jsonResponse, Timestamps } from '../../lib/schemas.ts';

export const BrandSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    slug: z.string(),
    logo: z.string().nullable(),
    settings: JsonObject.openapi({
      description: 'Brand configuration, e.g. `max_length`, `banned_phrases`, `required_phrases`, `tone`',
    }),
    ...Timestamps,
  })
  .openapi('Brand');

const slug = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens, e.g. "acme-hardware"');

export const BrandCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(255),
    slug,
    logo: z.string().url().max(2048).nullable().optional(),
    settings: JsonObject.optional(),
  })
  .strict()
  .openapi('BrandCreate');

export const BrandUpdateSchema = BrandCreateSchema.partial().strict().openapi('BrandUpdate');

const tags = ['brands'];

export const listBrands = authedRoute({
  method: 'get',
  path: '/brands',
  tags,
  summary: 'List the brands the caller belongs to (admins: all)',
  request: { query: z.object({ ...paginationQuery, search: z.string().max(255).optional() }) },
  responses: { 200: jsonResponse(paginatedSchema(BrandSchema, 'BrandPage'), 'A page of brands') },
});

export const createBrand = authedRoute({
  method: 'post',
  path: '/brands',
  tags,
  summary: 'Create a brand (admins only)',
  request: jsonBody(BrandCreateSchema),
  responses: { 201: jsonResponse(BrandSchema, 'Created') },
});

export const getBrand = authedRoute({
  method: 'get',
  path: '/brands/{id}',
  tags,
  summary: 'Retrieve a brand',
  request: { params: IdParam },
  responses: { 200: jsonResponse(BrandSchema, 'The brand') },
});

export const updateBrand = authedRoute({
  method: 'patch',
  path: '/brands/{id}',
  tags,
  summary: 'Update a brand (admins and its brand managers)',
  request: { params: IdParam, ...jsonBody(BrandUpdateSchema) },
  responses: { 200: jsonResponse(BrandSchema, 'Updated') },
});

export const deleteBrand = authedRoute({
  method: 'delete',
  path: '/brands/{id}',
  tags,
  summary: 'Delete a brand with no locations (admins only)',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' } },
});
