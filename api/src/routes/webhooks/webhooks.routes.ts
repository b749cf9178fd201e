import { z } from '@hono/zod-openapi';
import { paginatedSchema, paginationQuery } from '../../lib/pagination.ts';
import { authedRoute } from '../../lib/route.ts';
import { jsonBody, jsonResponse, Timestamps } from '../../lib/schemas.ts';
import { BrandIdParam } from '../history/history.routes.ts';

const tags = ['webhooks'];

const WebhookParams = BrandIdParam.extend({
  id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' }, example: '3f1c6a8e-2b7d-4c1e-9a55-0d6f5e2b7a10' }),
});

const webhookUrl = z
  .string()
  .trim()
  .url()
  .max(2048)
  .refine((value) => /^https?:\/\//i.test(value), 'use an http:// or https:// URL')
  .openapi({
    description:
      'A public https:// URL (http:// only in development and test), without user name or password. Internal addresses (loopback, private, link-local, ' +
      'unique-local, multicast, cloud metadata, in any spelling) and local names such as localhost are refused, and a name that resolves to one is not delivered to, ' +
      'unless the server sets WEBHOOK_ALLOW_PRIVATE_TARGETS.',
    example: 'https://hooks.example.com/storesync',
  });

export const WebhookSchema = z
  .object({
    id: z.string().uuid(),
    brand: z.string().uuid(),
    url: z.string(),
    description: z.string(),
    is_active: z.boolean(),
    ...Timestamps,
  })
  .openapi('Webhook');

export const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().openapi({ description: 'The HMAC-SHA256 key of StoreSync-Signature; shown only now, keep it' }),
}).openapi('CreatedWebhook');

export const WebhookCreateSchema = z
  .object({ url: webhookUrl, description: z.string().trim().max(500).default('') })
  .strict()
  .openapi('WebhookCreate');

export const WebhookUpdateSchema = z
  .object({ url: webhookUrl, description: z.string().trim().max(500), is_active: z.boolean() })
  .partial()
  .strict()
  .openapi('WebhookUpdate');

export const DeliverySchema = z
  .object({
    id: z.string().uuid(),
    event_id: z.string().uuid().openapi({ description: 'The approval step reported; the same on every attempt' }),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
    created_at: z.string().datetime(),
    last_attempt_at: z.string().datetime().nullable(),
    delivered_at: z.string().datetime().nullable(),
  })
  .openapi('WebhookDelivery');

export const listWebhooks = authedRoute({
  method: 'get',
  path: '/brands/{brand_id}/webhooks',
  tags,
  summary: 'The brand’s outgoing webhooks (admins and brand managers)',
  request: { params: BrandIdParam },
  responses: { 200: jsonResponse(z.object({ count: z.number().int(), results: z.array(WebhookSchema) }), 'The webhooks') },
});

export const createWebhook = authedRoute({
  method: 'post',
  path: '/brands/{brand_id}/webhooks',
  tags,
  summary: 'Add a webhook: every approval step of the brand is POSTed to it, signed; the answer holds the secret, once',
  request: { params: BrandIdParam, ...jsonBody(WebhookCreateSchema) },
  responses: { 201: jsonResponse(CreatedWebhookSchema, 'Created') },
});

export const updateWebhook = authedRoute({
  method: 'patch',
  path: '/brands/{brand_id}/webhooks/{id}',
  tags,
  summary: 'Change a webhook’s URL or description, or switch it off and on',
  request: { params: WebhookParams, ...jsonBody(WebhookUpdateSchema) },
  responses: { 200: jsonResponse(WebhookSchema, 'Updated') },
});

export const deleteWebhook = authedRoute({
  method: 'delete',
  path: '/brands/{brand_id}/webhooks/{id}',
  tags,
  summary: 'Remove a webhook and its delivery log',
  request: { params: WebhookParams },
  responses: { 204: { description: 'Deleted' } },
});

export const listDeliveries = authedRoute({
  method: 'get',
  path: '/brands/{brand_id}/webhooks/{id}/deliveries',
  tags,
  summary: 'The delivery log of a webhook, newest first: each event with its attempts and the last answer',
  request: { params: WebhookParams, query: z.object(paginationQuery) },
  responses: { 200: jsonResponse(paginatedSchema(DeliverySchema, 'WebhookDeliveryPage'), 'A page of deliveries') },
});
