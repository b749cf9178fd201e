import type { RouteHandler } from '@hono/zod-openapi';
import { pgTransactionsOf } from '@storesync/db';
import { assertCanWrite } from '../../lib/access.ts';
import { ApiError, ErrorCode } from '../../lib/errors.ts';
import type { AppBindings } from '../../lib/types.ts';
import { findVisibleBrand } from '../brands/brands.handlers.ts';
import { readChanges } from './changes.ts';
import { runSync } from './engine.ts';
import { changeStream } from './events.ts';
import { campaignSync } from './campaigns.sync.ts';
import { locationSync } from './locations.sync.ts';
import type { listChanges, streamEvents, syncCampaigns, syncLocations, syncTemplates } from './sync.routes.ts';
import { templateSync } from './templates.sync.ts';

export const syncLocationsHandler: RouteHandler<typeof syncLocations, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const body = c.req.valid('json');
  const brand = await findVisibleBrand(prisma, user, body.brand);
  assertCanWrite(user);
  const outcome = await runSync(locationSync, pgTransactionsOf(prisma), user, brand.id, body.rows);
  return c.json({ brand: brand.id, ...outcome }, 200);
};

export const syncTemplatesHandler: RouteHandler<typeof syncTemplates, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const body = c.req.valid('json');
  const brand = await findVisibleBrand(prisma, user, body.brand);
  assertCanWrite(user);
  const outcome = await runSync(templateSync, prisma, user, brand.id, body.rows);
  return c.json({ brand: brand.id, ...outcome }, 200);
};

export const syncCampaignsHandler: RouteHandler<typeof syncCampaigns, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const body = c.req.valid('json');
  const brand = await findVisibleBrand(prisma, user, body.brand);
  assertCanWrite(user);
  const outcome = await runSync(campaignSync, prisma, user, brand.id, body.rows);
  return c.json({ brand: brand.id, ...outcome }, 200);
};

export const listChangesHandler: RouteHandler<typeof listChanges, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const query = c.req.valid('query');
  const brand = await findVisibleBrand(prisma, user, query.brand);
  return c.json(await readChanges(prisma, user, brand.id, BigInt(query.since), query.limit), 200);
};

/** `Last-Event-ID` wins over `since`: it is where the stream that broke had got to. */
function resumeCursor(lastEventId: string | undefined, since: string | undefined): bigint | undefined {
  const value = lastEventId ?? since;
  if (value === undefined) return undefined;
  if (!/^\d{1,19}$/.test(value)) {
    throw new ApiError(ErrorCode.BadRequest, `Last-Event-ID must be the id of a change event; got "${value.slice(0, 40)}"`);
  }
  return BigInt(value);
}

export const streamEventsHandler: RouteHandler<typeof streamEvents, AppBindings> = async (c) => {
  const { prisma } = c.get('deps');
  const user = c.get('user');
  const query = c.req.valid('query');
  const brand = await findVisibleBrand(prisma, user, query.brand);
  const cursor = resumeCursor(c.req.header('Last-Event-ID'), query.since);
  return changeStream(c, brand.id, cursor);
};
