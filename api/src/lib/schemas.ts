/** zod schemas shared by several resources. */
import { z } from '@hono/zod-openapi';

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string(),
      request_id: z.string(),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorBodySchema } },
});

export const errorResponses = {
  400: errorResponse('The request is invalid; `details` names each field and problem'),
  401: errorResponse('No valid access token'),
  403: errorResponse('Signed in, but this role may not do this'),
  404: errorResponse('No such object, or not visible to this user'),
  409: errorResponse('Conflicts with the current state'),
  413: errorResponse('Request body too large'),
} as const;

export const IdParam = z.object({
  id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' }, example: '3f1c6a8e-2b7d-4c1e-9a55-0d6f5e2b7a10' }),
});

export const jsonBody = <T extends z.ZodTypeAny>(schema: T, description = 'Request body') => ({
  body: { content: { 'application/json': { schema } }, required: true, description },
});

export const jsonResponse = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** JSON objects stored as-is (address, attributes, settings, customizations). */
export const JsonObject = z.record(z.string(), z.unknown());

/** Goes up by one whenever a field a sheet shows changes; sync uses it to detect conflicts. */
export const RowVersion = z.number().int().min(1).openapi({
  description: 'Goes up by one whenever a field a spreadsheet shows changes (sync conflict detection)',
});

export const Timestamps = {
  created_at: z.string().datetime(),
  updated_at: z.string().datetime(),
};

/** `?is_active=true|false`: query strings carry text, so only these two spellings mean a boolean. */
export const BooleanQuery = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .openapi({ type: 'string', enum: ['true', 'false'] });
