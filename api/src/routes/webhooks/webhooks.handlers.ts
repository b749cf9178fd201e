/**
 * Outgoing webhooks per brand, managed by its admins and brand managers. The worker delivers
 * (notifications/, jobs/deliver-webhook.job.ts); this is their configuration and delivery log.
 */
import type { RouteHandler } from '@hono/zod-openapi';
import type { Prisma, PrismaClient } from '@storesync/db';
import { webhookTargetPolicy } from '@storesync/worker/notifications/config';
import { newWebhookSecret, webhookUrlProblem } from '@storesync/worker/notifications/webhooks';
import type { Env } from '../../env.ts';
import { assertCanManageBrand } from '../../lib/access.ts';
import { notFound, validationFailed } from '../../lib/errors.ts';
import { pageWindow, paginated } from '../../lib/pagination.ts';
import type { AppBindings, AuthUser } from '../../lib/types.ts';
import { findVisibleBrand } from '../brands/brands.handlers.ts';
import type { createWebhook, deleteWebhook, listDeliveries, listWebhooks, updateWebhook } from './webhooks.routes.ts';

type EndpointRow = Prisma.WebhookEndpointGetPayload<object>;

const toWebhookJson = (endpoint: EndpointRow) => ({
  id: endpoint.id,
  brand: endpoint.brandId,
  url: endpoint.url,
  description: endpoint.description,
  is_active: endpoint.isActive,
  created_at: endpoint.createdAt.toISOString(),
  updated_at: endpoint.updatedAt.toISOString(),
});

/** The brand, visible and managed by the user (404 for other brands, 403 for other roles). */
async function managedBrand(prisma: PrismaClient, user: AuthUser, brandId: string) {
  const brand = await findVisibleBrand(prisma, user, brandId);
  assertCanManageBrand(user);
  return brand;
}

async function findEndpoint(prisma: PrismaClient, user: AuthUser, params: { brand_id: string; id: string }) {
  const brand = await managedBrand(prisma, user, params.brand_id);
  const endpoint = await prisma.webhookEndpoint.findFirst({ where: { id: params.id, brandId: brand.id } });
  if (!endpoint) throw notFound('Webhook');
  return endpoint;
}

/**
 * Refuses (400, field `url`) a URL the worker would not deliver to: http:// in production, user
 * names and passwords, internal IP addresses in any spelling and local host names, unless
 * WEBHOOK_ALLOW_PRIVATE_TARGETS. Names are resolved and their addresses checked at each delivery.
 */
function assertDeliverableUrl(env: Env, url: string) {
  const problem = webhookUrlProblem(url, webhookTargetPolicy(env));
  if (problem) throw validationFailed([{ field: 'url', message: problem }]);
}

export const listWebhooksHandler: RouteHandler<typeof listWebhooks, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const brand = await managedBrand(prisma, c.get('user'), c.req.valid('param').brand_id);
  const endpoints = await prisma.webhookEndpoint.findMany({ where: { brandId: brand.id }, orderBy: { createdAt: 'asc' } });
  return c.json({ count: endpoints.length, results: endpoints.map(toWebhookJson) }, 200);
};

export const createWebhookHandler: RouteHandler<typeof createWebhook, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const brand = await managedBrand(prisma, c.get('user'), c.req.valid('param').brand_id);
  const body = c.req.valid('json');
  assertDeliverableUrl(c.get('deps').env, body.url);
  const endpoint = await prisma.webhookEndpoint.create({
    data: { brandId: brand.id, url: body.url, description: body.description, secret: newWebhookSecret() },
  });
  return c.json({ ...toWebhookJson(endpoint), secret: endpoint.secret }, 201);
};

export const updateWebhookHandler: RouteHandler<typeof updateWebhook, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const endpoint = await findEndpoint(prisma, c.get('user'), c.req.valid('param'));
  const body = c.req.valid('json');
  if (body.url !== undefined) assertDeliverableUrl(c.get('deps').env, body.url);
  const updated = await prisma.webhookEndpoint.update({
    where: { id: endpoint.id },
    data: {
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
    },
  });
  return c.json(toWebhookJson(updated), 200);
};

export const deleteWebhookHandler: RouteHandler<typeof deleteWebhook, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const endpoint = await findEndpoint(prisma, c.get('user'), c.req.valid('param'));
  await prisma.webhookEndpoint.delete({ where: { id: endpoint.id } });
  return c.body(null, 204);
};

export const listDeliveriesHandler: RouteHandler<typeof listDeliveries, AppBindings> = async (c) => {
  const { prisma, env } = c.get('deps');
  const endpoint = await findEndpoint(prisma, c.get('user'), c.req.valid('param'));
  const query = c.req.valid('query');
  const where = { endpointId: endpoint.id };
  const [count, deliveries] = await Promise.all([
    prisma.webhookDelivery.count({ where }),
    prisma.webhookDelivery.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...pageWindow(query) }),
  ]);
  const results = deliveries.map((delivery) => ({
    id: delivery.id,
    event_id: delivery.stepId,
    status: delivery.status,
    attempts: delivery.attempts,
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    payload: delivery.payload as Record<string, unknown>,
    created_at: delivery.createdAt.toISOString(),
    last_attempt_at: delivery.lastAttemptAt?.toISOString() ?? null,
    delivered_at: delivery.deliveredAt?.toISOString() ?? null,
  }));
  return c.json(paginated(c, query, count, results, env.PUBLIC_URL), 200);
};
